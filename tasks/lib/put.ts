// The shared core of template and copy: put given bytes at dest (atomic replace), with
// mode/owner/group, backup, validate and force; diff of the content.
import { createHash } from 'node:crypto';
import { posix } from 'node:path';
import type { FileDiff, ModuleContext, Plan, Step } from '../../src/types.js';
import { TaskError } from '../../src/errors.js';
import { str, toBool } from './args.js';
import { attrChanges, attrSteps, contentDiff, fileProbe, parseFileProbe, sha1, writeAfter, writeSteps, type FileState } from './files.js';
import { wantedMode } from './mode.js';
import { mark, sections } from '../../src/probe.js';
import { q } from '../../src/shell.js';

const MAX_DIFF = 64 * 1024;

async function probeDest(ctx: ModuleContext, dest: string, sum: string): Promise<FileState> {
  const res = await ctx.probe(fileProbe(dest, { content: ctx.diff ? { unlessSha1: sum, maxBytes: MAX_DIFF } : 'never' }));
  return parseFileProbe(dest, res.stdout);
}

/** Plan putting `data` at args.dest. `srcName` names the source for dest directories (basename). */
export interface PutOptions {
  /** Fields added to the result (copy's and template's `src`). */
  extra?: Record<string, unknown>;
  /** As Ansible's copy action (copy, template): in check mode a content change returns only `changed`. */
  checkChangeOnly?: boolean;
}

export async function planPut(ctx: ModuleContext, data: string | Buffer, srcName: string | undefined, o: PutOptions = {}): Promise<Plan> {
  const a = ctx.args;
  let dest = str(a, 'dest', 'path')!;
  if (dest.endsWith('/')) {
    if (!srcName) throw new TaskError(`dest ${dest} is a directory: give a file name (or use src)`);
    dest = posix.join(dest, posix.basename(srcName));
  }
  const sum = sha1(data);
  let cur = await probeDest(ctx, dest, sum);
  if (cur.kind === 'directory') {
    // Like Ansible: a directory dest gets the source's name inside it (costs one more probe).
    if (!srcName) throw new TaskError(`dest ${dest} is a directory on ${ctx.host}: give a file path`);
    dest = posix.join(dest, posix.basename(srcName));
    cur = await probeDest(ctx, dest, sum);
  }
  if (cur.kind === 'directory' || cur.kind === 'other') throw new TaskError(`dest ${dest} exists and is a ${cur.kind}, not a file`);
  if (cur.kind === 'link' && !cur.sha1) throw new TaskError(`dest ${dest} is a symlink to something that is not a file`);
  // Ansible's copy module (copy and template run it): its words, with the content's checksum
  if (!cur.parentExists) throw new TaskError(`Destination directory ${posix.dirname(dest)} does not exist`, { checksum: sum });

  const force = toBool(a, 'force', true);
  const exists = cur.kind !== 'absent';
  if (!force && exists) return { steps: [], result: { dest, ...o.extra } }; // Ansible leaves an existing dest alone
  const contentChanged = (!exists || force) && (cur.kind !== 'file' || cur.sha1 !== sum);
  const want = {
    mode: wantedMode(a.mode, exists ? cur.mode : undefined, false),
    owner: str(a, 'owner'),
    group: str(a, 'group'),
  };
  const steps: Step[] = [];
  const diff: FileDiff[] = [];
  if (contentChanged) {
    const unsafeWrites = typeof a.unsafe_writes === 'boolean' ? a.unsafe_writes : 'env';
    steps.push(...writeSteps(cur, data, { want, backup: toBool(a, 'backup', false), validate: str(a, 'validate'), unsafeWrites }));
    diff.push(contentDiff(dest, cur.content, data, cur));
  } else {
    steps.push(...attrSteps(dest, attrChanges(cur, want)));
  }
  // Ansible's copy/template also return the file's attributes (after the change) and, when the
  // content changed, its md5sum
  if (contentChanged && ctx.check && o.checkChangeOnly) return { steps, diff, result: {} }; // no dest, checksum, src, ...
  const result: Record<string, unknown> = { dest, checksum: sum, size: Buffer.byteLength(data), ...(contentChanged ? { md5sum: createHash('md5').update(data).digest('hex') } : {}) };
  if (!steps.length) return { steps, diff, result: { ...result, ...attrs(cur), path: dest, ...o.extra } };
  Object.assign(result, o.extra);
  steps.push(attrsStep(dest));
  return { steps, diff, result, after: (res) => ({ ...writeAfter(res), ...attrsAfter(res.stdout) }) };
}

/** The file attributes Ansible's copy/template return. */
export function attrs(st: { uid?: number; gid?: number; owner?: string; group?: string; mode?: number }): Record<string, unknown> {
  return { uid: st.uid, gid: st.gid, owner: st.owner, group: st.group, mode: st.mode?.toString(8).padStart(4, '0'), state: 'file' };
}

/** Last step of a write: print dest's attributes (read back by attrsAfter). */
export function attrsStep(dest: string): Step {
  return { describe: `stat ${dest}`, cmd: `${mark('attrs')}; stat -c '%u %g %U %G %a' -- ${q(dest)}` };
}

export function attrsAfter(stdout: string): Record<string, unknown> {
  const [uid, gid, owner, group, mode] = (sections(stdout).get('attrs') ?? '').trim().split(' ');
  return mode ? attrs({ uid: Number(uid), gid: Number(gid), owner, group, mode: parseInt(mode, 8) }) : {};
}
