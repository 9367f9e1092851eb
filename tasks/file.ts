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
    recurse: boolSchema('state=directory: set mode/owner/group on everything under it too (a symlink\'s own owner/group; with follow, what it leads to, linked directories walked into).', false),
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
  // as Ansible: touch sets both times to now unless told otherwise (so it always reports changed)
  const times = state === 'absent' ? timeWish({}, 'preserve') : timeWish(a, state === 'touch' ? 'now' : 'preserve');
  const tp = timeProbe(path, times);
  let probe = `${tp ? `${tp}\n` : ''}${fileProbe(path, { sha1: false })}`; // the file module never reads content (nor bumps atime)
  if (recurse) probe += `\n${treeProbe(path, toBool(a, 'follow', true))}`;
  if (state === 'hard') {
    if (src === undefined) throw new TaskError('src is required for creating new hardlinks');
    probe += `\n${hardProbe(src)}`;
  }
  const wantAttrs = wantedAttributes(a);
  if (wantAttrs) probe += `\n${chattrProbe(path)}`;
  if (state === 'link') probe += `\n${mark('dirempty')}\n[ -d ${q(path)} ] && [ ! -L ${q(path)} ] && [ -z "$(ls -A -- ${q(path)})" ] && echo yes`;
  if (src !== undefined) probe += `\n${mark('srcexists')}\n(if [ -d "$p" ] && [ ! -L "$p" ]; then cd -- "$p"; else cd "$(dirname -- "$p")"; fi 2>/dev/null && [ -e ${q(src)} ] && { echo yes; stat -L -c '%a %u %g %U %G %s %F' -- ${q(src)}; } || echo no)`;
  // a link's target, followed: what mode/owner/group apply to with follow (Ansible's load_file_common_arguments)
  probe += `\n${mark('followed')}\n[ ! -L ${q(path)} ] || [ ! -e ${q(path)} ] || stat -L -c '%a %u %g %U %G %s' -- ${q(path)}`;
  probe += `\n${diffProbe(path, state, str(a, 'owner'), str(a, 'group'))}`;
  const res = await ctx.probe(probe);
  const cur = parseFileProbe(path, res.stdout);
  const follow = toBool(a, 'follow', true);
  const kindF = cur.kind === 'link' && follow ? (cur.follows === 'none' ? 'link' : cur.follows!) : cur.kind;
  state ??= cur.kind === 'absent' ? (recurse ? 'directory' : 'file') : cur.kind === 'directory' || kindF === 'directory' ? 'directory' : cur.kind === 'link' ? 'link' : 'file';

  const isDir = state === 'directory';
  const want = { mode: wantedMode(a.mode, cur.kind === 'absent' ? undefined : cur.mode, isDir), owner: str(a, 'owner'), group: str(a, 'group') };
  const steps: Step[] = [];
  const after: FileState = { ...cur };
  let followedTarget: FileState | undefined;
  // as Ansible: a link without src keeps its target (followed: its current one, also the result's src)
  const linkSrc = src ?? (state === 'link' && cur.kind === 'link' && follow && cur.follows !== 'none' ? cur.linkTarget : undefined);
  // as Ansible in check mode: an owner or group that does not exist (yet) is a warning
  const warnings: string[] = [];
  if (ctx.check && state !== 'absent') {
    const ps = sections(res.stdout);
    const missing = (v: string | undefined, key: string): boolean => v !== undefined && !(ps.get(key) ?? '').trim();
    if (missing(want.owner, 'uid')) warnings.push(/^\d+$/.test(want.owner!) ? `failed to look up user with uid ${Number(want.owner)}. Create user up to this point in real play` : `failed to look up user ${want.owner}. Create user up to this point in real play`);
    if (missing(want.group, 'gid')) warnings.push(/^\d+$/.test(want.group!) ? `failed to look up group with gid ${Number(want.group)}. Create group up to this point in real play` : `failed to look up group ${want.group}. Create group up to this point in real play`);
  }
  const warned = (r: Vars): Vars => (warnings.length ? { ...r, warnings } : r);
  // as Ansible's fail_json: what the path is when it exists (add_path_info)
  const fail = (m: string): Plan => ({ steps: [], failed: m, result: warned({ path, state: cur.kind, ...pathInfo(cur) }) });
  if (recurse && state !== 'directory') return fail("recurse option requires state to be 'directory'");
  if (src !== undefined && state !== 'link' && state !== 'hard') return fail("src option requires state to be 'link' or 'hard'");

  if (state === 'hard') {
    const h = hardPlan(path, src!, cur, res.stdout, toBool(a, 'force', false));
    if (h.failed) return h;
    if (h.steps.length) return { ...h, result: { ...h.result, diff: structuredDiff({ path, state, cur, stdout: res.stdout, changes: {}, initialOnly: true }) } };
    const changes = attrChanges(cur, want);
    const timed = timeSteps(path, times, res.stdout);
    const st = [...attrSteps(path, changes), ...chattrSteps(path, wantAttrs, probedAttributes(res.stdout), false), ...timed];
    return { ...h, steps: st, result: { ...h.result, diff: structuredDiff({ path, state, cur, stdout: res.stdout, changes, timesSet: timed.length > 0, wish: times }) } };
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
      if (recurse) steps.push(...recurseSteps(path, res.stdout, a.mode, want, follow));
      after.kind = 'directory';
      break;
    case 'touch': {
      const set = attrSteps(path, attrChanges(cur.kind === 'absent' ? undefined : cur, want));
      if (cur.kind === 'absent') {
        // as Ansible: a file it created is removed again when its mode or owner cannot be set
        const cmd = set.length ? `touch -- ${q(path)}\nif ! { ${set.map((x) => x.cmd).join(' && ')}; }; then rm -f -- ${q(path)}; exit 1; fi` : sh`touch -- ${path}`;
        steps.push({ describe: [`touch ${path}`, ...set.map((x) => x.describe)].join('; '), cmd });
        after.kind = 'file';
      } else steps.push(...set);
      break;
    }
    case 'link': {
      if (linkSrc === undefined && cur.kind !== 'link') return fail('src is required for creating new symlinks');
      const srcOk = src === undefined || sections(res.stdout).get('srcexists')?.trim().startsWith('yes');
      const force = toBool(a, 'force', false);
      // Ansible's messages and checks, in its order
      const rel = cur.kind === 'directory' ? path : posix.dirname(path);
      if (!srcOk && !force) {
        const f = fail(`src file does not exist, use "force=yes" if you really want to create the link: ${src!.startsWith('/') ? src! : `${rel}/${src}`}`);
        return { ...f, result: { ...f.result, src } };
      }
      const same = cur.kind === 'link' && (linkSrc === undefined || cur.linkTarget === linkSrc);
      if (same && follow && cur.follows !== 'none') {
        // follow: mode, owner and group are the target's (chmod/chown follow the link)
        const target = targetState(cur, `${(sections(res.stdout).get('followed') ?? '').trim()} ${cur.follows}`);
        steps.push(...attrSteps(path, attrChanges(target, want)));
        followedTarget = target;
        after.kind = 'link';
        break;
      }
      if (!same) {
        const nlink = Number((sections(res.stdout).get('nlink') ?? '').trim() || 1);
        if (cur.kind === 'directory' && !force) return fail(`refusing to convert from directory to symlink for ${path}`);
        if (cur.kind === 'directory' && sections(res.stdout).get('dirempty')?.trim() !== 'yes') return fail(`the directory ${path} is not empty, refusing to convert it`);
        if ((cur.kind === 'file' || cur.kind === 'other') && !force) return fail(`refusing to convert from ${nlink > 1 ? 'hard' : 'file'} to symlink for ${path}`);
        if (cur.kind === 'directory') steps.push({ describe: `remove the empty directory ${path}`, cmd: sh`rmdir -- ${path}` });
        if (cur.kind === 'file' || cur.kind === 'other') steps.push({ describe: `remove ${path}`, cmd: sh`rm -f -- ${path}` });
        steps.push({ describe: `link ${path} -> ${linkSrc}`, cmd: sh`ln -sfn -- ${linkSrc} ${path}` });
      }
      const [exists, st = ''] = (sections(res.stdout).get('srcexists') ?? '').trim().split('\n');
      if (follow && src !== undefined && exists === 'yes') {
        // as Ansible: with follow the new link's target gets mode, owner and group
        const target = targetState(cur, st);
        steps.push(...attrSteps(path, attrChanges(target, want)));
        followedTarget = target;
      } else steps.push(...attrSteps(path, attrChanges(same ? cur : undefined, { owner: want.owner, group: want.group }), true));
      after.kind = 'link';
      after.linkTarget = linkSrc;
      break;
    }
    default:
      throw new TaskError(`file: unsupported state ${state}`);
  }
  // as Ansible: the file attributes after mode and owner, on what the path is now
  if (after.kind !== 'absent') steps.push(...chattrSteps(path, wantAttrs, probedAttributes(res.stdout), cur.kind === 'absent'));
  const timed = after.kind === 'absent' ? [] : timeSteps(path, times, res.stdout);
  steps.push(...timed);
  if (want.mode !== undefined && after.kind !== 'absent') after.mode = parseInt(want.mode, 8);
  if (want.owner !== undefined) after.owner = want.owner;
  if (want.group !== undefined) after.group = want.group;
  const diff: FileDiff[] = steps.length ? [{ path, before: describe(cur), after: describe(after) }] : [];
  // as Ansible: touch and link name the path `dest` (a link also its `src`), the others `path`
  const named = state === 'touch' ? { dest: path } : state === 'link' ? { dest: path, src: linkSrc ?? null } : { path };
  const sd = structuredDiff({
    path,
    state,
    cur,
    stdout: res.stdout,
    changes: state === 'absent' ? {} : followedTarget ? attrChanges(followedTarget, want) : state === 'link' ? { owner: want.owner, group: want.group } : attrChanges(cur.kind === 'absent' ? undefined : cur, want),
    followed: followedTarget,
    timesSet: timed.length > 0,
    wish: times,
    src: state === 'link' && cur.kind === 'link' && src !== undefined && cur.linkTarget !== src ? { before: cur.linkTarget!, after: src } : undefined,
    isLink: state === 'link' && !followedTarget,
    // in check mode a path still to be created has only path and state (Ansible returns before setting anything)
    initialOnly: ctx.check && cur.kind === 'absent',
  });
  // as Ansible: no diff when there was nothing to remove, or a file to touch in check mode
  const withDiff = (r: Vars): Vars => warned((state === 'absent' && cur.kind === 'absent') || (ctx.check && state === 'touch' && cur.kind === 'absent') ? r : { ...r, diff: sd });
  if (!steps.length) return { steps, diff, result: withDiff({ ...named, state, ...pathInfo(cur) }) };
  steps.push({ describe: `stat ${path}`, cmd: pathInfoSh(path) });
  return { steps, diff, result: withDiff({ ...named, state }), after: (r) => (failedSteps(r), pathInfoFrom(r.stdout)) };
}

/**
 * What the structured diff needs besides the file's state: the umask (the mode of what gets created),
 * the link count (Ansible's state 'hard'), the ids of a named owner and group, and, when a directory
 * is to be removed, what it holds (type as is and followed, path; GNU find).
 */
function diffProbe(path: string, state: string | undefined, owner?: string, group?: string): string {
  const lines = [mark('umask'), 'umask', mark('me'), 'id -u; id -g', mark('nlink'), `[ -L ${q(path)} ] || stat -c %h -- ${q(path)} 2>/dev/null`];
  if (owner !== undefined) lines.push(mark('uid'), `getent passwd ${q(owner)} | cut -d: -f3`);
  if (group !== undefined) lines.push(mark('gid'), `getent group ${q(group)} | cut -d: -f3`);
  if (state === 'absent') lines.push(mark('walk'), `if [ -d ${q(path)} ] && [ ! -L ${q(path)} ]; then find ${q(path)} -mindepth 1 -printf '%y%Y %p\\n' 2>/dev/null; fi`);
  return lines.join('\n');
}

/** os.walk's listing of a directory as Ansible's file module reports it (directories and files, top-down). */
function walkList(top: string, out: string): { directories: string[]; files: string[] } {
  const children = new Map<string, { real: string; followed: string; path: string }[]>();
  for (const line of out.split('\n')) {
    const m = /^(.)(.) (.*)$/.exec(line);
    if (!m) continue;
    const parent = posix.dirname(m[3]);
    if (!children.has(parent)) children.set(parent, []);
    children.get(parent)!.push({ real: m[1], followed: m[2], path: m[3] });
  }
  const list = { directories: [] as string[], files: [] as string[] };
  const walk = (d: string): void => {
    const es = children.get(d) ?? [];
    const dirs = es.filter((e) => e.followed === 'd');
    list.directories.push(...dirs.map((e) => e.path));
    list.files.push(...es.filter((e) => e.followed !== 'd').map((e) => e.path));
    for (const e of dirs) if (e.real !== 'l') walk(e.path);
  };
  walk(top.length > 1 ? top.replace(/\/+$/, '') : top);
  return list;
}

/**
 * Ansible's file module diff, in every result: before/after with the path; the state when the wished
 * one differs from the current (absent, file, directory, link, hard); a link's old and new target;
 * mode, owner (uid) and group (gid) when they are set; the times when they are; and what a directory
 * to be removed holds (path_content).
 */
function structuredDiff(o: {
  path: string;
  state: string;
  cur: FileState;
  stdout: string;
  changes: { mode?: string; owner?: string; group?: string };
  /** The times are set (timeSteps has a step). */
  timesSet?: boolean;
  wish?: { mtime: string; atime: string };
  src?: { before: string; after: string };
  isLink?: boolean;
  initialOnly?: boolean;
  /** A link followed: the target's mode/owner/group are what is compared. */
  followed?: FileState;
}): Vars {
  const s = sections(o.stdout);
  const cur = o.followed ?? o.cur;
  const nlink = Number((s.get('nlink') ?? '').trim() || 1);
  const k = o.cur.kind;
  const prev = k === 'absent' ? 'absent' : k === 'link' ? 'link' : k === 'directory' ? 'directory' : nlink > 1 ? 'hard' : 'file';
  const before: Vars = { path: o.path };
  const after: Vars = { path: o.path };
  if (prev !== o.state) {
    before.state = prev;
    after.state = o.state;
    if (o.state === 'absent' && prev === 'directory') before.path_content = walkList(o.path, s.get('walk') ?? '');
  }
  if (o.src) {
    before.src = o.src.before;
    after.src = o.src.after;
  }
  if (o.initialOnly) return { before, after };
  const umask = parseInt((s.get('umask') ?? '022').trim(), 8) || 0;
  const created = cur.kind === 'absent';
  if (o.changes.mode !== undefined && !o.isLink) {
    const was = created ? (o.state === 'directory' ? 0o777 : 0o666) & ~umask : cur.mode;
    const want = parseInt(o.changes.mode, 8);
    if (was !== undefined && was !== want) {
      before.mode = `0${was.toString(8).padStart(3, '0')}`;
      after.mode = `0${want.toString(8).padStart(3, '0')}`;
    }
  }
  const id = (v: string | undefined, key: 'uid' | 'gid'): number | undefined => {
    if (v === undefined) return undefined;
    if (/^\d+$/.test(v)) return Number(v);
    const got = (s.get(key) ?? '').trim();
    return /^\d+$/.test(got) ? Number(got) : undefined;
  };
  // what a new path is created with: the connecting (become) user's ids
  const [myUid, myGid] = (s.get('me') ?? '').trim().split('\n').map(Number);
  const uid = id(o.changes.owner, 'uid');
  if (uid !== undefined && uid !== (created ? myUid : cur.uid)) {
    before.owner = created ? myUid : cur.uid;
    after.owner = uid;
  }
  const gid = id(o.changes.group, 'gid');
  if (gid !== undefined && gid !== (created ? myGid : cur.gid)) {
    before.group = created ? myGid : cur.gid;
    after.group = gid;
  }
  if (o.timesSet && o.wish) {
    const t = (s.get('times') ?? '').trim().split('\n');
    const [curA, curM] = (t[0] ?? '- -').trim().split(/\s+/).map((x) => (x === '-' ? undefined : Number(x)));
    const now = Date.now() / 1000;
    const wanted = (w: string, line: string | undefined): number | undefined => (w === 'now' ? now : w === 'preserve' ? undefined : Number((line ?? '').trim()));
    const a = wanted(o.wish.atime, t[1]);
    const m = wanted(o.wish.mtime, t[2]);
    if (m !== undefined && m !== curM) {
      before.mtime = curM ?? now;
      after.mtime = m;
    }
    if (a !== undefined && a !== curA) {
      before.atime = curA ?? now;
      after.atime = a;
    }
  }
  return { before, after };
}

/** What a link points to, from `stat -L -c '%a %u %g %U %G <size> %F'`: the state mode, owner and group apply to with follow. */
function targetState(link: FileState, statLine: string): FileState {
  const t = statLine.split(/\s+/);
  return { ...link, kind: t.slice(6).join(' ') === 'directory' ? 'directory' : 'file', mode: parseInt(t[0], 8), uid: Number(t[1]), gid: Number(t[2]), owner: t[3], group: t[4] };
}

/** A step that failed fails the task (chattr's failure in Ansible's words: msg 'chattr failed' and its details). */
function failedSteps(r: { rc: number; stdout: string; stderr: string }): void {
  if (r.rc === 0) return;
  const text = (r.stderr || r.stdout).trim() || `exit code ${r.rc}`;
  const m = /^chattr failed: ([\s\S]*)$/m.exec(text);
  if (m) throw new TaskError('chattr failed', { details: `${m[1]}\n`, changed: false });
  // as Ansible's fail_json: a failed file task reports no change (a file it created is removed again)
  throw new TaskError(text, { rc: r.rc, stdout: r.stdout, stderr: r.stderr, changed: false });
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
