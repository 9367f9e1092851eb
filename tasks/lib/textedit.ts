// The plan shared by the modules that edit a text file on the host (blockinfile, replace): probe the
// file with its content, compute the new content, then an atomic write and/or chmod/chown steps,
// with Ansible's messages ("... and ownership, perms or SE linux context changed").
import type { FileDiff, ModuleContext, Plan } from '../../src/types.js';
import { str, toBool } from './args.js';
import { attrChanges, attrSteps, fileProbe, parseFileProbe, writeAfter, writeSteps, type FileState } from './files.js';
import { wantedMode } from './mode.js';

export const ATTRS_CHANGED = 'ownership, perms or SE linux context changed';

export interface Edit {
  /** The new content, or a finished plan (e.g. nothing to do, a failure). */
  content?: string;
  plan?: Plan;
  msg: string;
  /** Extra result fields. */
  result?: Record<string, unknown>;
}

export async function probeText(ctx: ModuleContext, path: string): Promise<FileState> {
  const res = await ctx.probe(fileProbe(path, { content: 'always' }));
  return parseFileProbe(path, res.stdout);
}

/** Plan writing `edit.content` (when it differs) and the wished mode/owner/group. */
export function textEditPlan(ctx: ModuleContext, cur: FileState, edit: Edit, o: { mkdirs?: boolean } = {}): Plan {
  if (edit.plan) return edit.plan;
  const a = ctx.args;
  const path = cur.path;
  const exists = cur.kind !== 'absent';
  const before = cur.content ?? '';
  const want = { mode: wantedMode(a.mode, exists ? cur.mode : undefined, false), owner: str(a, 'owner'), group: str(a, 'group') };
  const changed = !exists || edit.content !== before;
  let msg = edit.msg;
  const diff: FileDiff[] = [];
  const steps = [];
  if (changed && edit.content !== undefined) {
    steps.push(...writeSteps(cur, edit.content, { want, backup: toBool(a, 'backup', false), validate: str(a, 'validate'), mkdirs: o.mkdirs }));
    diff.push({ path, before, after: edit.content });
    // A new file starts as 0644 (umask 022) owned by the user: Ansible counts a different wished mode as a change.
    const ch = exists ? attrChanges(cur, want) : { mode: want.mode !== undefined && want.mode !== '644' ? want.mode : undefined };
    if (ch.mode !== undefined || ch.owner !== undefined || ch.group !== undefined) msg = `${msg} and ${ATTRS_CHANGED}`;
  } else {
    const attr = attrSteps(path, attrChanges(cur, want));
    if (attr.length) msg = msg ? `${msg} and ${ATTRS_CHANGED}` : ATTRS_CHANGED;
    steps.push(...attr);
  }
  return { steps, diff, msg, result: { msg, ...edit.result }, after: (r) => writeAfter(r) };
}
