// Helpers for module authors, with stable names (src/index.ts re-exports them): the quoting helper,
// the probe-section protocol, arguments, file writes and facts — the pieces the shipped modules use.
import type { ModuleContext, Plan, Vars } from '../types.js';
import { planPut } from '../../tasks/lib/put.js';

export { sh, q as quote } from '../shell.js';
export { mark as sectionMark, sections as parseSections } from '../probe.js';
export { boolSchema, toBool, str as argString, need as requireArg, list as argList } from '../../tasks/lib/args.js';
export { fileProbe, parseFileProbe, writeSteps, writeAfter, contentDiff, type FileState, type WriteOpts, type AttrWish, type ProbeOpts } from '../../tasks/lib/files.js';

/** What planFile() puts where. */
export interface FileSpec {
  /** Absolute path on the host. */
  dest: string;
  content: string | Buffer;
  /** Octal string ('0644') or symbolic ('u=rw,go=r'); default: the current mode, or 0644 for a new file. */
  mode?: string;
  owner?: string;
  group?: string;
  /** Keep a timestamped copy of the file it replaces (result: backup_file). */
  backup?: boolean;
  /** Shell command checking the new file before it replaces dest; %s is the file. */
  validate?: string;
}

/**
 * The plan of putting `content` at `dest` as the copy and template modules do: one probe, then
 * (when something differs) an atomic replace with attributes, diff of the content, and Ansible's
 * result fields (dest, checksum, size, mode, owner, ...). Unchanged: no steps.
 */
export function planFile(ctx: ModuleContext, spec: FileSpec): Promise<Plan> {
  const args: Vars = { dest: spec.dest, force: true };
  for (const k of ['mode', 'owner', 'group', 'validate'] as const) if (spec[k] !== undefined) args[k] = spec[k];
  if (spec.backup) args.backup = true;
  return planPut({ ...ctx, args }, spec.content, undefined);
}

/** A gathered fact of the host (`os_family` or `ansible_os_family`); gathered on first use. */
export async function getFact(ctx: ModuleContext, name: string): Promise<unknown> {
  const facts = await ctx.facts();
  return facts[name.replace(/^ansible_/, '')];
}

