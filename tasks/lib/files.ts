// Files on the target: one probe snippet for state (+ checksum, + content when needed), and the
// steps of an atomic write (temp file in the same directory, chmod/chown, validate, backup, mv).
import { createHash } from 'node:crypto';
import { posix } from 'node:path';
import type { FileDiff, Step, Vars } from '../../src/types.js';
import { TaskError } from '../../src/errors.js';
import { q, sh } from '../../src/shell.js';
import { mark, sections } from '../../src/probe.js';

export type Kind = 'absent' | 'file' | 'directory' | 'link' | 'other';

/** A path's state on the host, as parseFileProbe() reads it. */
export interface FileState {
  path: string;
  kind: Kind;
  mode?: number;
  uid?: number;
  gid?: number;
  owner?: string;
  group?: string;
  size?: number;
  /** sha1 of the content (of a link's target when it is a link to a file). */
  sha1?: string;
  linkTarget?: string;
  /** What the path is after following links. */
  follows?: 'file' | 'directory' | 'none';
  parentExists: boolean;
  /** Current content, when the probe fetched it. */
  content?: string;
}

/** What fileProbe() fetches besides the state. */
export interface ProbeOpts {
  /** Fetch the content: 'always', never, or only when its sha1 differs from this one (and it is small). */
  content?: 'always' | 'never' | { unlessSha1: string; maxBytes: number };
  /** Hash the content (default true). Off where nothing needs it: reading a file may bump its access time. */
  sha1?: boolean;
}

export function sha1(data: string | Buffer): string {
  return createHash('sha1').update(data).digest('hex');
}

/**
 * Shell printing the state of PATH in sections (content last, if asked for). Few processes (each
 * costs 2-3 ms on a busy host, and a loop probes once per item): the parent directory by
 * parameter expansion, stat and sha1sum once each, their results reused for the content test.
 */
export function fileProbe(path: string, o: ProbeOpts = {}): string {
  const lines = [
    sh`p=${path}`,
    'if [ -L "$p" ]; then k=link; elif [ -d "$p" ]; then k=directory; elif [ -f "$p" ]; then k=file; elif [ -e "$p" ]; then k=other; else k=absent; fi',
    mark('kind'),
    'echo "$k"',
    mark('parent'),
    'case $p in */) d=$(dirname -- "$p") ;; */*) d=${p%/*}; [ -n "$d" ] || d=/ ;; *) d=. ;; esac',
    'if [ -d "$d" ]; then echo yes; else echo no; fi',
    mark('stat'),
    `s=; [ "$k" = absent ] || { s=$(stat -c '%a %u %g %U %G %s' -- "$p") && echo "$s"; }`,
    mark('link'),
    '[ "$k" != link ] || readlink -- "$p"',
    mark('target'),
    'if [ -d "$p" ]; then echo directory; elif [ -f "$p" ]; then echo file; else echo none; fi',
    mark('sha1'),
    o.sha1 === false ? 'h=' : 'h=; [ ! -f "$p" ] || { h=$(sha1sum -- "$p") && h=${h%% *} && echo "$h"; }',
  ];
  const c = o.content ?? 'never';
  if (c === 'always') {
    lines.push(`if [ -f "$p" ]; then ${mark('content')}; cat -- "$p"; fi`);
  } else if (c !== 'never') {
    // ${s##* }: the size stat printed (of the link itself for a link, as before)
    lines.push(
      `if [ -f "$p" ] && [ -n "$h" ] && [ "$h" != ${q(c.unlessSha1)} ] && [ "\${s##* }" -le ${c.maxBytes} ]; then ${mark('content')}; cat -- "$p"; fi`,
    );
  }
  return lines.join('\n');
}

/** The state of `path` from the output of fileProbe(path) (TaskError when it is not one). */
export function parseFileProbe(path: string, stdout: string): FileState {
  const s = sections(stdout);
  const kind = (s.get('kind') ?? '').trim() as Kind;
  if (!['absent', 'file', 'directory', 'link', 'other'].includes(kind)) {
    throw new TaskError(`could not read the state of ${path} on the host: ${stdout.trim().slice(0, 300)}`);
  }
  const st: FileState = { path, kind, parentExists: (s.get('parent') ?? '').trim() === 'yes' };
  const stat = (s.get('stat') ?? '').trim().split(/\s+/);
  if (kind !== 'absent' && stat.length >= 6) {
    st.mode = parseInt(stat[0], 8);
    st.uid = Number(stat[1]);
    st.gid = Number(stat[2]);
    st.owner = stat[3];
    st.group = stat[4];
    st.size = Number(stat[5]);
  }
  if (kind === 'link') st.linkTarget = s.get('link') ?? '';
  const t = (s.get('target') ?? '').trim();
  st.follows = t === 'directory' || t === 'file' ? t : 'none';
  st.sha1 = (s.get('sha1') ?? '').trim() || undefined; // files, and links to files
  if (s.has('content')) st.content = s.get('content');
  return st;
}

/** Wanted attributes of a file (absent = leave as is). */
export interface AttrWish {
  mode?: string; // octal string, e.g. '644'
  owner?: string;
  group?: string;
}

/** Which of mode/owner/group differ from the current state (all of the wished ones for a new file). */
export function attrChanges(cur: FileState | undefined, want: AttrWish): AttrWish {
  const out: AttrWish = {};
  const exists = cur && cur.kind !== 'absent';
  if (want.mode !== undefined && (!exists || cur.mode?.toString(8) !== want.mode)) out.mode = want.mode;
  if (want.owner !== undefined && (!exists || (want.owner !== cur.owner && want.owner !== String(cur.uid)))) out.owner = want.owner;
  if (want.group !== undefined && (!exists || (want.group !== cur.group && want.group !== String(cur.gid)))) out.group = want.group;
  return out;
}

export function chownSpec(owner?: string, group?: string): string | undefined {
  if (owner !== undefined && group !== undefined) return `${owner}:${group}`;
  if (owner !== undefined) return owner;
  if (group !== undefined) return `:${group}`;
  return undefined;
}

/** chmod/chown steps for an existing path. */
export function attrSteps(path: string, ch: AttrWish, link = false): Step[] {
  const steps: Step[] = [];
  if (ch.mode !== undefined && !link) steps.push({ describe: `chmod ${ch.mode.padStart(4, '0')} ${path}`, cmd: sh`chmod ${ch.mode} -- ${path}` });
  const own = chownSpec(ch.owner, ch.group);
  if (own !== undefined) {
    steps.push({ describe: `chown ${own} ${path}`, cmd: link ? sh`chown -h ${own} -- ${path}` : sh`chown ${own} -- ${path}` });
  }
  return steps;
}

export const VALIDATE_FAILED = 'lvsplay: validation failed, the file was not changed: ';

/** How writeSteps() writes: wanted attributes, backup, a validation command, parent directories. */
export interface WriteOpts {
  want: AttrWish;
  backup: boolean;
  /** Shell command with %s for the temp file; runs before the move. */
  validate?: string;
  mkdirs?: boolean;
  /**
   * Ansible's unsafe_writes (modules that take it: copy, template): true/false as the task gives
   * it; 'env' = the host's ANSIBLE_UNSAFE_WRITES decides (its env fallback). When the file cannot
   * be replaced atomically (its directory takes no new file, or the rename is refused), its content
   * is written in place. Undefined: the module has no such argument (always atomic).
   */
  unsafeWrites?: boolean | 'env';
}

/** The shell test for unsafe_writes on the host (the task's value, else ANSIBLE_UNSAFE_WRITES as Ansible's boolean). */
function unsafeTest(u: boolean | 'env'): string {
  if (u !== 'env') return u ? 'true' : 'false';
  return 'case "${ANSIBLE_UNSAFE_WRITES:-}" in 1|[Yy]|[Yy][Ee][Ss]|[Tt]rue|TRUE|[Oo]n|ON|t) true ;; *) false ;; esac';
}

/** Atomic replace: write a temp file beside dest, set attributes, validate, back up, move. */
export function writeSteps(cur: FileState, data: string | Buffer, o: WriteOpts): Step[] {
  const dest = cur.path;
  const dir = posix.dirname(dest);
  const exists = cur.kind === 'file';
  const steps: Step[] = [];
  if (o.mkdirs && !cur.parentExists) steps.push({ describe: `mkdir -p ${dir}`, cmd: sh`mkdir -p -- ${dir}` });
  steps.push({
    describe: `write ${dest} (${Buffer.byteLength(data)} bytes)`,
    // A connection lost mid-upload (Ctrl-C, a dead controller) ends stdin early and `cat` exits 0:
    // only a temp file of the full size may go on to replace dest.
    cmd: [
      // unsafe_writes: a directory that takes no new file (immutable, read-only bind mount) gets the content written in place
      o.unsafeWrites === undefined || o.unsafeWrites === false
        ? sh`tmp=$(mktemp ${`${dir}/.${posix.basename(dest)}.lvsplay.XXXXXX`})`
        : `inplace=; tmp=$(mktemp ${q(`${dir}/.${posix.basename(dest)}.lvsplay.XXXXXX`)}) || { { ${unsafeTest(o.unsafeWrites)}; } && tmp=$(mktemp) && inplace=1; } || exit 1`,
      `trap 'rm -f "$tmp"' EXIT`,
      'cat > "$tmp"',
      `[ $(wc -c < "$tmp") -eq ${Buffer.byteLength(data)} ] || { echo ${q(`lvsplay: incomplete upload of ${dest} (connection lost?): the file was not changed`)} >&2; exit 1; }`,
    ].join('\n'),
    stdin: data,
  });
  // The temp file is 0600 and owned by us: give it the wished or the current attributes.
  const mode = o.want.mode ?? (exists && cur.mode !== undefined ? cur.mode.toString(8) : '644');
  steps.push({ describe: `chmod ${mode.padStart(4, '0')}`, cmd: `chmod ${q(mode)} "$tmp"` });
  const own = chownSpec(o.want.owner ?? (exists ? String(cur.uid) : undefined), o.want.group ?? (exists ? String(cur.gid) : undefined));
  if (own !== undefined) steps.push({ describe: `chown ${own}`, cmd: `chown ${q(own)} "$tmp"` });
  if (o.validate) {
    if (!o.validate.includes('%s')) throw new TaskError(`validate must contain %s: ${o.validate}`);
    // The validator is the user's shell command (like Ansible's); %s becomes the temp file.
    const cmd = o.validate.split('%s').join('"$tmp"');
    steps.push({
      describe: `validate: ${o.validate}`,
      cmd: `( ${cmd} ) >&2 || { echo ${q(`${VALIDATE_FAILED}${o.validate}`)} >&2; exit 3; }`,
    });
  }
  if (o.backup && exists) {
    steps.push({
      describe: `back up ${dest}`,
      cmd: `b=${q(dest)}."$$.$(date +%Y-%m-%d@%H:%M:%S)~"; cp -p -- ${q(dest)} "$b"; ${mark('backup')}; echo "$b"`,
    });
  }
  // unsafe_writes: a refused rename (EBUSY, EPERM...) writes the content in place, keeping the wished mode
  const inPlace = `{ cat -- "$tmp" > ${q(dest)} && chmod ${q(mode)} ${q(dest)} && rm -f -- "$tmp"; }`;
  const u = o.unsafeWrites;
  steps.push({
    describe: `move into place: ${dest}`,
    cmd:
      u === undefined || u === false
        ? `mv -f -- "$tmp" ${q(dest)}`
        : `if [ -n "$inplace" ]; then ${inPlace}; else mv -f -- "$tmp" ${q(dest)} 2>/dev/null || { { ${unsafeTest(u)}; } && ${inPlace}; } || mv -f -- "$tmp" ${q(dest)}; fi`,
  });
  return steps;
}

/** A text diff entry, or a note when the content is binary or was not fetched. */
export function contentDiff(path: string, before: string | undefined, after: string | Buffer, cur: FileState): FileDiff {
  const a = typeof after === 'string' ? after : isText(after) ? after.toString('utf8') : `(binary, ${after.length} bytes)\n`;
  let b: string;
  if (cur.kind === 'absent') b = '';
  else if (before !== undefined) b = before;
  else b = `(not shown: ${cur.size ?? '?'} bytes, sha1 ${cur.sha1 ?? '?'})\n`;
  return { path, before: b, after: a };
}

export function isText(b: Buffer): boolean {
  return !b.subarray(0, 8000).includes(0);
}

/** `after` of a plan that wrote a file: rc check (validation output included) and backup_file. */
export function writeAfter(res: { stdout: string; stderr: string; rc: number }): Record<string, unknown> {
  if (res.rc !== 0) {
    const err = res.stderr.trim() || res.stdout.trim() || `exit code ${res.rc}`;
    throw new TaskError(err.includes(VALIDATE_FAILED) ? err : `failed to write the file: ${err}`, {
      rc: res.rc, stderr: res.stderr, stdout: res.stdout,
      changed: false, // writes are atomic (temp file, validate, mv): a failure leaves dest as it was
    });
  }
  const b = sections(res.stdout).get('backup');
  return b ? { backup_file: b.trim() } : {};
}

/**
 * Ansible's add_path_info (every module result with a `path` or `dest` that exists): uid, gid,
 * owner, group, mode and size of the path itself (lstat), state link/directory/hard/file. The shell
 * prints a `pathinfo` section; pathInfoFrom reads it ({} when the path does not exist).
 */
export function pathInfoSh(path: string): string {
  return `${mark('pathinfo')}; [ ! -e ${q(path)} ] || stat -c '%u %g %U %G %a %h %s %F' -- ${q(path)}`;
}

export function pathInfoFrom(stdout: string): Vars {
  const f = (sections(stdout).get('pathinfo') ?? '').trim().split(' ');
  if (f.length < 8) return {};
  const [uid, gid, owner, group, mode, links, size] = f;
  const type = f.slice(7).join(' ');
  const state = type === 'symbolic link' ? 'link' : type === 'directory' ? 'directory' : Number(links) > 1 ? 'hard' : 'file';
  return { uid: Number(uid), gid: Number(gid), owner, group, mode: `0${parseInt(mode, 8).toString(8).padStart(3, '0')}`, state, size: Number(size) };
}
