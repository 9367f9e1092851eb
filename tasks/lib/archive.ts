// unarchive's archive handlers, as Ansible 2.14 picks them: zip (unzip + zipinfo, or unzip -Z),
// then GNU tar with -z, none (tar's own detection), -j, -J, zstd. One probe script tries them in
// that order and prints the chosen handler's listing and its comparison with dest (tar --diff or
// zipinfo -T -s); the parsers here read that output.
import { mark, sections } from '../../src/probe.js';
import { sh } from '../../src/shell.js';
import { fnmatch } from './fnmatch.js';

export interface ArchiveOpts {
  src: string;
  dest: string;
  exclude: string[];
  include: string[];
  extraOpts: string[];
  owner?: string;
  group?: string;
  keepNewer: boolean;
}

export const TAR_HANDLERS: [string, string][] = [
  ['TgzArchive', '-z'],
  ['TarArchive', ''],
  ['TarBzipArchive', '-j'],
  ['TarXzArchive', '-J'],
  ['TarZstdArchive', '--use-compress-program=zstd'],
];

const C = 'LANG=C LC_ALL=C LC_MESSAGES=C LANGUAGE=C';

/** tar's arguments after `--list|--diff|--extract -C dest` for one compression flag (Ansible's order). */
export function tarArgs(o: ArchiveOpts, flag: string, what: 'list' | 'diff' | 'extract'): string[] {
  const a: string[] = [];
  if (flag) a.push(flag);
  if (o.extraOpts.length) a.push('--show-transformed-names', ...o.extraOpts);
  if (what !== 'list') {
    if (o.owner) a.push(`--owner=${o.owner}`);
    if (o.group) a.push(`--group=${o.group}`);
    if (o.keepNewer) a.push('--keep-newer-files');
  }
  a.push(...tarExcludes(o).map((e) => `--exclude=${e}`), '-f', o.src, ...o.include);
  return a;
}

const tarExcludes = (o: ArchiveOpts): string[] => o.exclude.map((e) => e.replace(/\/+$/, ''));

/** The unzip command extracting the archive (Ansible's: unzip -o OPTS SRC -x EXCL INCL -d DEST). */
export function unzipArgs(o: ArchiveOpts): string[] {
  return ['-o', ...o.extraOpts, o.src, ...(o.exclude.length ? ['-x', ...o.exclude] : []), ...o.include, '-d', o.dest];
}

/** The probe: src checks, who runs, which handler reads the archive, its listing and comparison. */
export function archiveProbe(o: ArchiveOpts): string {
  const zipinfo = sh`-T -s ${o.src}` + (o.exclude.length ? ` ${sh`-x ${o.exclude}`}` : '') + (o.include.length ? ` ${sh`${o.include}`}` : '');
  const tarTry = TAR_HANDLERS.map(([name, flag]) => [
    `if [ -z "$h" ] && [ "$gnu" = yes ]; then`,
    `  if l=$(cd "$d" && ${C} tar --list -C "$d" ${sh`${tarArgs(o, flag, 'list')}`} 2>"$e"); then`,
    `    if [ -n "$l" ]; then h=${name}; ${mark('list')}; printf '%s\\n' "$l"; ${mark('diff')}; (cd "$d" && ${C} tar --diff -C "$d" ${sh`${tarArgs(o, flag, 'diff')}`} 2>&1); ${mark('diffrc')}; echo $?;`,
    `    else printf 'Command "%s" found no files in archive. Empty archive files are not supported.\\036' "$t" >>"$r"; fi`,
    `  else printf 'Command "%s" could not handle archive: Unable to list files in the archive: %s\\036' "$t" "$(cat "$e")" >>"$r"; fi`,
    'fi',
  ].join('\n'));
  return [
    sh`s=${o.src}; d=${o.dest}; e=$(mktemp); r=$(mktemp); h=`,
    mark('src'),
    'if [ ! -e "$s" ]; then echo missing; elif [ ! -r "$s" ]; then echo unreadable; elif [ ! -s "$s" ]; then echo empty; else echo ok; fi',
    mark('user'),
    'id -u; id -un; id -g; id -gn',
    // zip first: unzip -l must read it (zipinfo, or unzip -Z, lists it)
    'u=$(command -v unzip) || u=; z=$(command -v zipinfo) || z=',
    'if [ -z "$u" ] || [ -z "$z" ]; then printf "%s\\036" "Unable to find required \'unzip\' or \'zipinfo\' binary in the path." >>"$r"; fi',
    'if [ -z "$u" ]; then printf "%s\\036" "Unable to find required \'unzip\' or \'unzip\' binary in the path." >>"$r"; fi',
    'if [ -n "$u" ]; then if "$u" -l "$s" >/dev/null 2>"$e"; then if [ -n "$z" ]; then h=ZipArchive; else h=ZipZArchive; z="$u -Z"; fi;',
    '  else printf \'Command "%s" could not handle archive: %s\\036\' "$u" "$(cat "$e")" >>"$r"; fi; fi',
    `if [ -n "$h" ]; then ${mark('zipinfo')}; $z ${zipinfo}; ${mark('ziprc')}; echo $?; ${mark('names')}; $z -1 "$s"; ${mark('crcs')}; "$u" -v "$s"; fi`,
    't=$(command -v gtar || command -v tar) || t=',
    'gnu=no; if [ -z "$t" ]; then printf "%s\\036" "Unable to find required \'gtar\' or \'tar\' binary in the path" >>"$r";',
    'elif "$t" --version 2>/dev/null | head -n1 | grep -q "^tar.*GNU"; then gnu=yes;',
    'else printf "Command \\"%s\\" detected as tar type None. GNU tar required.\\036" "$t" >>"$r"; fi',
    ...tarTry,
    mark('handler'),
    'echo "$h"',
    mark('tools'),
    'echo "$u"; echo "$t"',
    mark('reasons'),
    'cat "$r"; rm -f "$e" "$r"',
  ].join('\n');
}

export interface ArchiveInfo {
  src: 'ok' | 'missing' | 'unreadable' | 'empty';
  uid: number;
  user: string;
  gid: number;
  groupName: string;
  handler: string; // '' = none
  reasons: string[];
  /** tar: the listing; zip: the zipinfo lines. */
  list: string;
  diff: string;
  diffRc: number;
  /** zip: every member name (Python's namelist). */
  names: string[];
  /** Paths of unzip and tar on the host. */
  unzip: string;
  tar: string;
  /** zip: each member's CRC-32 (from unzip -v). */
  crcs: Map<string, number>;
}

export function parseArchiveProbe(stdout: string): ArchiveInfo {
  const s = sections(stdout);
  const [uid, user, gid, groupName] = (s.get('user') ?? '').trim().split('\n');
  const handler = (s.get('handler') ?? '').trim();
  const zip = handler.startsWith('Zip');
  return {
    src: ((s.get('src') ?? '').trim() || 'missing') as ArchiveInfo['src'],
    uid: Number(uid),
    user,
    gid: Number(gid),
    groupName,
    handler,
    // one reason per handler tried (each may span lines), each ended by \036; the same reason once (Ansible's set)
    reasons: [...new Set((s.get('reasons') ?? '').split('\x1e').map((l) => l.replace(/^\n+|\n+$/g, '')).filter((l) => l.trim()))],
    list: (zip ? s.get('zipinfo') : s.get('list')) ?? '',
    diff: s.get('diff') ?? '',
    diffRc: Number((zip ? s.get('ziprc') : s.get('diffrc')) ?? '0'),
    unzip: (s.get('tools') ?? '').split('\n')[0] || 'unzip',
    tar: (s.get('tools') ?? '').split('\n')[1] || 'tar',
    names: (s.get('names') ?? '').split('\n').filter((l) => l !== ''),
    crcs: new Map(
      (s.get('crcs') ?? '').split('\n').slice(3, -2).map((l) => l.trim().split(/\s+/)).filter((f) => f.length >= 8 && /^[0-9a-f]{8}$/.test(f[6]))
        .map((f, _i, _a) => [f.slice(7).join(' '), parseInt(f[6], 16)] as [string, number]),
    ),
  };
}

/** Python's codecs.escape_decode of one line of tar's listing (tar escapes odd bytes as \ooo, \n, \\). */
function escapeDecode(s: string): string {
  const bytes: number[] = [];
  const simple: Record<string, number> = { n: 10, t: 9, r: 13, a: 7, b: 8, f: 12, v: 11, '\\': 92, "'": 39, '"': 34 };
  const raw = Buffer.from(s, 'utf8');
  for (let i = 0; i < raw.length; i++) {
    if (raw[i] !== 92 || i + 1 >= raw.length) { bytes.push(raw[i]); continue; }
    const c = String.fromCharCode(raw[i + 1]);
    const oct = /^[0-7]{1,3}/.exec(raw.subarray(i + 1, i + 4).toString('latin1'));
    if (simple[c] !== undefined) { bytes.push(simple[c]); i++; }
    else if (oct) { bytes.push(parseInt(oct[0], 8) & 0xff); i += oct[0].length; }
    else bytes.push(92);
  }
  return Buffer.from(bytes).toString('utf8');
}

/** tar's files_in_archive: decoded names, leading / dropped, excludes (fnmatch) left out. */
export function tarFiles(o: ArchiveOpts, list: string): string[] {
  const ex = tarExcludes(o);
  return list
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => escapeDecode(l).replace(/^\//, ''))
    .filter((f) => !ex.some((e) => fnmatch(f, e)));
}

const DIFF_RES = {
  owner: /: Uid differs$/, group: /: Gid differs$/, mode: /: Mode differs$/, mtime: /: Mod time differs$/,
  empty: /: : Warning: Cannot stat: No such file or directory$/, missing: /: Warning: Cannot stat: No such file or directory$/,
  badOwner: /: Invalid owner/, badGroup: /: Invalid group/,
};

/** The lines of tar --diff that make Ansible extract again (none: dest is already unarchived). */
export function tarDiffLines(diff: string, o: { uid: number; owner?: string; group?: string; mode?: unknown }): string[] {
  const out: string[] = [];
  for (const line of diff.split('\n')) {
    if (DIFF_RES.empty.test(line)) continue;
    if (o.uid === 0 && !o.owner && DIFF_RES.owner.test(line)) out.push(line);
    if (o.uid === 0 && !o.group && DIFF_RES.group.test(line)) out.push(line);
    if ((o.mode === undefined || o.mode === null || o.mode === '') && DIFF_RES.mode.test(line)) out.push(line);
    if (DIFF_RES.mtime.test(line)) out.push(line);
    if (DIFF_RES.missing.test(line)) out.push(line);
    if (DIFF_RES.badOwner.test(line)) out.push(line);
    if (DIFF_RES.badGroup.test(line)) out.push(line);
  }
  return out;
}

/** zipinfo -T -s lines that describe members: [perms, size, yyyymmdd.hhmmss, path]. */
export interface ZipEntry { ztype: string; perm: string; size: number; time: string; path: string }

export function zipEntries(listing: string): ZipEntry[] {
  const out: ZipEntry[] = [];
  for (const line of listing.split('\n')) {
    const pcs = line.trim().split(/\s+/);
    if (pcs.length < 8) continue;
    const path = line.trim().replace(/^(\S+\s+){7}/, '');
    const [p0, , , size, , , time] = pcs;
    if (p0.length !== 7 && p0.length !== 10) continue;
    if (time.length !== 15) continue;
    if (!'dl-?'.includes(p0[0]) || ![...p0.slice(1)].every((c) => 'rwxstah-'.includes(c))) continue;
    out.push({ ztype: p0[0], perm: p0.slice(1), size: Number(size), time, path });
  }
  return out;
}

/** Zip members that files_in_archive keeps: include patterns (fnmatch), else all but the excluded. */
export function zipFiles(o: ArchiveOpts, names: string[]): string[] {
  if (o.include.length) return names.flatMap((n) => o.include.filter((i) => fnmatch(n, i)).map(() => n));
  return names.filter((n) => !o.exclude.some((e) => fnmatch(n, e)));
}
