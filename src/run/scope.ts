// What a task inherits from the blocks, roles and includes around it while the play is walked.
import type { Play, RoleRef, TaskCommon, Vars } from '../types.js';

/** Failure tracking of one block section: hosts that failed inside it. */
export interface Frame {
  failed: Set<string>;
  /** This frame is a block section whose block has a rescue: failures in it are "rescued". */
  rescuable: boolean;
  parent?: Frame;
}

/** Keywords a play, block or include passes down to the tasks inside (the innermost given wins). */
const INHERITED = [
  'become',
  'becomeUser',
  'ignoreErrors',
  'noLog',
  'checkMode',
  'diff',
  'delegateTo',
  'runOnce',
  'anyErrorsFatal',
  'remoteUser',
  'connection',
  'ignoreUnreachable',
  'timeout',
  'throttle',
  'delegateFacts',
] as const satisfies readonly (keyof TaskCommon)[];

export interface Scope extends Partial<Pick<TaskCommon, (typeof INHERITED)[number]>> {
  when: string[];
  tags: string[];
  blockVars: Vars[];
  params: Vars;
  /** environment of the play and enclosing blocks/includes, outer first (merged per key). */
  environment: (Vars | string)[];
  role?: RoleRef;
  frame?: Frame;
  handler: boolean;
}

/** The scope of a play's top-level tasks: the play's task keywords are inherited. */
export function rootScope(tags: string[], play?: Play): Scope {
  return {
    when: [],
    tags: [...tags],
    blockVars: [],
    params: {},
    handler: false,
    environment: play?.environment !== undefined ? [play.environment] : [],
    noLog: play?.noLog,
    ignoreErrors: play?.ignoreErrors,
    ignoreUnreachable: play?.ignoreUnreachable,
    runOnce: play?.runOnce,
  };
}

/** The scope inside a block or include node (its keywords apply to everything within). */
export function childScope(s: Scope, n: TaskCommon, params: Vars = {}): Scope {
  const out: Scope = {
    ...s,
    when: [...s.when, ...n.when],
    tags: [...new Set([...s.tags, ...n.tags])],
    blockVars: Object.keys(n.vars ?? {}).length ? [...s.blockVars, n.vars] : s.blockVars,
    params: Object.keys(params).length ? { ...s.params, ...params } : s.params,
    environment: n.environment !== undefined ? [...s.environment, n.environment] : s.environment,
    role: n.role ?? s.role,
  };
  for (const k of INHERITED) if (n[k] !== undefined) (out as unknown as Vars)[k] = n[k];
  return out;
}

/** Is the host out of this frame chain (failed in an enclosing block section)? */
export function failedInFrames(host: string, f: Frame | undefined): boolean {
  for (let x = f; x; x = x.parent) if (x.failed.has(host)) return true;
  return false;
}

/** Will a failure at this frame be rescued by an enclosing block? */
export function willBeRescued(f: Frame | undefined): boolean {
  for (let x = f; x; x = x.parent) if (x.rescuable) return true;
  return false;
}
