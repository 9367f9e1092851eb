// lvsplay's public API: everything exported here, and only this, is public and follows semver
// from 1.0 (docs/api.md, generated from these declarations by scripts/api-doc.ts).
//  - defineModule(): write a task module with the contract lvsplay's own modules use;
//  - helpers a module needs: quoting, probe sections, arguments, file writes, facts;
//  - run(): drive a playbook from code, with typed events.

export { defineModule, isDefinedModule, ModuleDefinitionError, type ModuleDefinition, type ArgumentSchema } from './api/define.js';
export {
  sh,
  quote,
  sectionMark,
  parseSections,
  boolSchema,
  toBool,
  argString,
  argList,
  requireArg,
  fileProbe,
  parseFileProbe,
  writeSteps,
  writeAfter,
  contentDiff,
  planFile,
  getFact,
  type FileSpec,
  type FileState,
  type WriteOpts,
  type AttrWish,
  type ProbeOpts,
} from './api/helpers.js';
export { run, type PlaybookRunOptions, type RunResult } from './api/run.js';
export { TaskError, type Pos } from './errors.js';
export type { TaskModule, ModuleContext, Plan, PlanIO, Step, FileDiff, ExecResult, Vars, RunEvent, RecapCounts, HostStatus } from './types.js';
