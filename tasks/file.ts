// file: state of a path (file, directory, absent, touch, link) and its mode/owner/group.
import { posix } from 'node:path';
import type { FileDiff, ModuleContext, Plan, Step, TaskModule, Vars } from '../src/types.js';
import { TaskError } from '../src/errors.js';
import { q, sh } from '../src/shell.js';
import { attrSchema, boolSchema, need, str, toBool } from './lib/args.js';
import { attrChanges, attrSteps, fileProbe, parseFileProbe, pathInfoFrom, pathInfoSh, type FileState } from './lib/files.js';
import { wantedMode } from './lib/mode.js';
import { mark, sections } from '../src/probe.js';
import { hardPlan, hardProbe } from './lib/hardlink.js';
import { recurseSteps, treeProbe } from './lib/recurse.js';
import { timeProbe, timeSchema, timeSteps, timeWish } from './lib/filetimes.js';
import { chattrProbe, chattrSchema, chattrSteps, probedAttributes, wantedAttributes } from './lib/chattr.js';

const schema = {
  type: 'object',
  description:
    'Make a path a file, directory, symlink, or absent, with mode/owner/group. One probe exec when nothing changes. touch creates a missing file and, as Ansible, sets the times of an existing one to now (always changed; modification_time/access_time: preserve to keep them). ',
  properties: {
    path: { type: 'string', description: 'The path on the host (aliases dest, name).' },
    dest: { type: 'string', description: 'Alias of path.' },
    name: { type: 'string', description: 'Alias of path.' },
    state: {
      enum: ['file', 'directory', 'absent', 'touch', 'link', 'hard'],
      description:
        'file: must exist (attributes only); directory: created with parents; absent: removed (recursively); touch: created if missing; link: symlink to src; hard: hard link to src. Default: the current kind, or file.',
    },
    src: { type: 'string', description: 'Link target for state=link (relative targets are relative to the link).' },
    force: boolSchema('state=link: replace an existing file (not a directory) by the link, and allow a target that does not exist.', false),
    recurse: boolSchema('state=directory: set mode/owner/group on everything under it too (symlinks left alone).', false),
    follow: boolSchema('Follow symlinks for state=file/directory (a link to a directory satisfies state=directory).', true),
    ...attrSchema,
    ...chattrSchema,
    ...timeSchema,
    _diff_peek: boolSchema("Ansible's internal argument (its action plugins' diff): only say whether the file looks binary (a NUL in its first 8192 bytes) as appears_binary; nothing else is done."),
  },
  additionalProperties: false,
  anyOf: [{ required: ['path'] }, { required: ['dest'] }, { required: ['name'] }],
};

function describe(st: FileState): string {
  if (st.kind === 'absent') return 'state: absent\n';
  let s = `state: ${st.kind === 'link' ? `link -> ${st.linkTarget}` : st.kind}\n`;
  if (st.mode !== undefined && st.kind !== 'link') s += `mode: ${st.mode.toString(8).padStart(4, '0')}\n`;
  if (st.owner) s += `owner: ${st.owner}\ngroup: ${st.group}\n`;
  return s;
}

async function plan(ctx: ModuleContext): Promise<Plan> {
  const a = ctx.args;
  const path = need(a, 'path', 'dest', 'name');
  if (a._diff_peek !== undefined && a._diff_peek !== null) {
    // as Ansible: any value short-circuits; an unreadable file counts as text
    const peek = await ctx.probe(sh`head -c 8192 -- ${path} 2>/dev/null | tr -dc '\\000' | wc -c`);
    return { steps: [], result: { path, appears_binary: Number(peek.stdout.trim()) > 0 } };
  }
  const recurse = toBool(a, 'recurse', false);
  const src = str(a, 'src');
  let state = str(a, 'state');
  if (state === 'link' && src === undefined) throw new TaskError('file: state=link needs src');
  // as Ansible: touch sets both times to now unless told otherwise (so it always reports changed)
  const times = state === 'absent' ? timeWish({}, 'preserve') : timeWish(a, state === 'touch' ? 'now' : 'preserve');
  const tp = timeProbe(path, times);
  let probe = `${tp ? `${tp}\n` : ''}${fileProbe(path, { sha1: false })}`; // the file module never reads content (nor bumps atime)
  if (recurse) probe += `\n${treeProbe(path)}`;
  if (state === 'hard') {
    if (src === undefined) throw new TaskError('src is required for creating new hardlinks');
    probe += `\n${hardProbe(src)}`;
  }
  const wantAttrs = wantedAttributes(a);
  if (wantAttrs) probe += `\n${chattrProbe(path)}`;
  if (state === 'link') probe += `\n${mark('srcexists')}\n(cd "$(dirname -- "$p")" 2>/dev/null && [ -e ${q(src)} ] && echo yes || echo no)`;
  const res = await ctx.probe(probe);
  const cur = parseFileProbe(path, res.stdout);
  const follow = toBool(a, 'follow', true);
  const kindF = cur.kind === 'link' && follow ? (cur.follows === 'none' ? 'link' : cur.follows!) : cur.kind;
  state ??= cur.kind === 'absent' ? 'file' : cur.kind === 'directory' || kindF === 'directory' ? 'directory' : cur.kind === 'link' ? 'link' : 'file';

  const isDir = state === 'directory';
  const want = { mode: wantedMode(a.mode, cur.kind === 'absent' ? undefined : cur.mode, isDir), owner: str(a, 'owner'), group: str(a, 'group') };
  const steps: Step[] = [];
  const after: FileState = { ...cur };
  // as Ansible's fail_json: what the path is when it exists (add_path_info)
  const fail = (m: string): Plan => ({ steps: [], failed: m, result: { path, state: cur.kind, ...pathInfo(cur) } });
  if (recurse && state !== 'directory') return fail("recurse option requires state to be 'directory'");

  if (state === 'hard') {
    const h = hardPlan(path, src!, cur, res.stdout, toBool(a, 'force', false));
    if (h.failed || h.steps.length) return h;
    return { ...h, steps: [...attrSteps(path, attrChanges(cur, want)), ...chattrSteps(path, wantAttrs, probedAttributes(res.stdout), false), ...timeSteps(path, times, res.stdout)] };
  }
  switch (state) {
    case 'absent':
      if (cur.kind !== 'absent') steps.push({ describe: `remove ${path}`, cmd: sh`rm -rf -- ${path}` });
      after.kind = 'absent';
      break;
    case 'file':
      if (cur.kind === 'absent') return fail(`file ${path} is absent, cannot continue (use state=touch to create it)`);
      if (kindF !== 'file') return fail(`${path} is a ${kindF}, not a file`);
      steps.push(...attrSteps(path, attrChanges(cur, want)));
      break;
    case 'directory':
      if (cur.kind === 'absent' && (want.mode !== undefined || want.owner !== undefined || want.group !== undefined)) {
        // as Ansible: every directory it creates (parents too) gets the wished attributes
        const parts = path.split('/').filter(Boolean);
        const dirs = parts.map((_, i) => `${path.startsWith('/') ? '/' : ''}${parts.slice(0, i + 1).join('/')}`);
        const set = [...attrSteps('"$d"', { mode: want.mode, owner: want.owner, group: want.group })].map((x) => x.cmd.replace(`'"$d"'`, '"$d"'));
        steps.push({ describe: `mkdir -p ${path} (with the attributes)`, cmd: `for d in ${dirs.map((d) => q(d)).join(' ')}; do if [ ! -d "$d" ]; then mkdir -- "$d"; ${set.join('; ')}; fi; done` });
      } else if (cur.kind === 'absent') steps.push({ describe: `mkdir -p ${path}`, cmd: sh`mkdir -p -- ${path}` });
      else if (kindF !== 'directory') return fail(`${path} exists and is a ${kindF}, not a directory`);
      steps.push(...attrSteps(path, attrChanges(cur.kind === 'absent' ? undefined : cur, want)));
      if (recurse) steps.push(...recurseSteps(path, res.stdout, a.mode, want));
      after.kind = 'directory';
      break;
    case 'touch':
      if (cur.kind === 'absent') steps.push({ describe: `touch ${path}`, cmd: sh`touch -- ${path}` });
      steps.push(...attrSteps(path, attrChanges(cur.kind === 'absent' ? undefined : cur, want)));
      if (cur.kind === 'absent') after.kind = 'file';
      break;
    case 'link': {
      const srcOk = sections(res.stdout).get('srcexists')?.trim() === 'yes';
      const force = toBool(a, 'force', false);
      if (!srcOk && !force) return fail(`link target ${src} does not exist (relative to ${posix.dirname(path)}); use force: true to link anyway`);
      const same = cur.kind === 'link' && cur.linkTarget === src;
      if (!same) {
        if (cur.kind === 'directory') return fail(`${path} is a directory; refusing to replace it by a link`);
        if ((cur.kind === 'file' || cur.kind === 'other') && !force) return fail(`${path} exists and is a ${cur.kind}; use force: true to replace it by a link`);
        if (cur.kind === 'file' || cur.kind === 'other') steps.push({ describe: `remove ${path}`, cmd: sh`rm -f -- ${path}` });
        steps.push({ describe: `link ${path} -> ${src}`, cmd: sh`ln -sfn -- ${src} ${path}` });
      }
      steps.push(...attrSteps(path, attrChanges(same ? cur : undefined, { owner: want.owner, group: want.group }), true));
      after.kind = 'link';
      after.linkTarget = src;
      break;
    }
    default:
      throw new TaskError(`file: unsupported state ${state}`);
  }
  // as Ansible: the file attributes after mode and owner, on what the path is now
  if (after.kind !== 'absent') steps.push(...chattrSteps(path, wantAttrs, probedAttributes(res.stdout), cur.kind === 'absent'));
  if (after.kind !== 'absent') steps.push(...timeSteps(path, times, res.stdout));
  if (want.mode !== undefined && after.kind !== 'absent') after.mode = parseInt(want.mode, 8);
  if (want.owner !== undefined) after.owner = want.owner;
  if (want.group !== undefined) after.group = want.group;
  const diff: FileDiff[] = steps.length ? [{ path, before: describe(cur), after: describe(after) }] : [];
  // as Ansible: touch and link name the path `dest` (a link also its `src`), the others `path`
  const named = state === 'touch' ? { dest: path } : state === 'link' ? { dest: path, src } : { path };
  if (!steps.length) return { steps, diff, result: { ...named, state, ...pathInfo(cur) } };
  steps.push({ describe: `stat ${path}`, cmd: pathInfoSh(path) });
  return { steps, diff, result: { ...named, state }, after: (r) => (failedSteps(r), pathInfoFrom(r.stdout)) };
}

/** A step that failed fails the task (chattr's failure in Ansible's words: msg 'chattr failed' and its details). */
function failedSteps(r: { rc: number; stdout: string; stderr: string }): void {
  if (r.rc === 0) return;
  const text = (r.stderr || r.stdout).trim() || `exit code ${r.rc}`;
  const m = /^chattr failed: ([\s\S]*)$/m.exec(text);
  if (m) throw new TaskError('chattr failed', { details: `${m[1]}\n`, changed: false });
  throw new TaskError(text, { rc: r.rc, stdout: r.stdout, stderr: r.stderr });
}

/** Ansible's add_path_info: what the path is (uid, gid, owner, group, mode, state, size), when it exists (a link: its target). */
function pathInfo(st: FileState): Vars {
  if (st.kind === 'absent' || (st.kind === 'link' && st.follows === 'none') || st.mode === undefined) return {};
  const state = st.kind === 'link' ? 'link' : st.kind === 'directory' ? 'directory' : 'file';
  return { uid: st.uid, gid: st.gid, owner: st.owner, group: st.group, mode: `0${(st.mode & 0o7777).toString(8).padStart(3, '0')}`, state, size: st.size };
}

export const file: TaskModule = {
  name: 'file',
  aliases: ['ansible.builtin.file', 'ansible.legacy.file'],
  plansAhead: true,
  schema,
  freeForm: 'kv',
  plan,
};
