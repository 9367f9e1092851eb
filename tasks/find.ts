// find: files under directories that match names, age, size and content, with Ansible's result
// (files with stat fields, matched, examined, skipped_paths) in os.walk order. Read-only probes:
// one listing (GNU find -printf), one more only for content or checksums.
import { posix } from 'node:path';
import type { ModuleContext, Plan, TaskModule, Vars } from '../src/types.js';
import { TaskError } from '../src/errors.js';
import { q, sh } from '../src/shell.js';
import { boolSchema, list, stringOrList, toBool } from './lib/args.js';
import { fnmatch } from './lib/fnmatch.js';
import { mark, sections } from '../src/probe.js';
import { pyRegExp } from './lib/pyregex.js';

const schema = {
  type: 'object',
  description:
    "Find files (or directories, links, any) under paths by name pattern (glob or Python regexp), age, size and content, as Ansible's find: `files` (each with path and stat fields), `matched`, `examined`, `skipped_paths`. Read-only; one probe exec (two with contains or get_checksum).",
  properties: {
    paths: { ...stringOrList('Directories to search (aliases name, path).') },
    path: { ...stringOrList('Alias of paths.') },
    name: { ...stringOrList('Alias of paths.') },
    patterns: { ...stringOrList("Base-name patterns: globs, or Python regexps with use_regex (alias pattern); default all.") }, // no schema default: it would hide the alias
    pattern: { ...stringOrList('Alias of patterns.') },
    excludes: { ...stringOrList('Base-name patterns to leave out (alias exclude).') },
    exclude: { ...stringOrList('Alias of excludes.') },
    contains: { type: 'string', description: 'Python regexp a line must match at its start (files only).' },
    read_whole_file: boolSchema('Search contains in the whole file instead of line by line.', false),
    file_type: { enum: ['any', 'directory', 'file', 'link'], default: 'file', description: 'What kind of entries to return.' },
    age: { type: ['string', 'integer'], description: 'At least this old (negative: at most), with unit s, m, h, d or w.' },
    age_stamp: { enum: ['atime', 'ctime', 'mtime'], default: 'mtime', description: 'Which time age compares.' },
    size: { type: ['string', 'integer'], description: 'At least this big (negative: at most), with unit b, k, m, g or t.' },
    recurse: boolSchema('Descend into subdirectories.', false),
    hidden: boolSchema('Include names starting with a dot.', false),
    follow: boolSchema('Follow symlinked directories (not supported: true fails).', false),
    get_checksum: boolSchema('sha1 of the matched regular files (`checksum`).', false),
    use_regex: boolSchema('patterns/excludes are Python regexps (matched at the start of the name) instead of globs.', false),
    depth: { type: 'integer', description: 'How deep to descend with recurse (1 = only the given directories).' },
  },
  additionalProperties: false,
  anyOf: [{ required: ['paths'] }, { required: ['path'] }, { required: ['name'] }],
};

// depth, type, type of a link's target, mode, uid, gid, user, group, size, inode, device, links, times, path
const FMT = '%d\\t%y\\t%Y\\t%m\\t%U\\t%G\\t%u\\t%g\\t%s\\t%i\\t%D\\t%n\\t%A@\\t%T@\\t%C@\\t%p\\0';
const KIND: Record<string, number> = { f: 0o100000, d: 0o040000, l: 0o120000, c: 0o020000, b: 0o060000, p: 0o010000, s: 0o140000 };

interface Entry {
  type: string;
  target: string;
  path: string;
  st: Vars;
}

function unit(v: unknown, what: 'age' | 'size'): number | undefined {
  if (v === undefined || v === null) return undefined;
  const units: Record<string, number> = what === 'age' ? { s: 1, m: 60, h: 3600, d: 86400, w: 604800 } : { b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4 };
  const m = new RegExp(`^(-?\\d+)([${Object.keys(units).join('')}])?$`).exec(String(v).toLowerCase());
  if (!m) throw new TaskError(`failed to process ${what}`);
  return Number(m[1]) * (units[m[2] ?? ''] ?? 1);
}

function parseEntry(rec: string): Entry {
  const f = rec.split('\t');
  const path = f.slice(15).join('\t');
  const perm = parseInt(f[3], 8);
  const m = perm | (KIND[f[1]] ?? 0);
  const bit = (b: number): boolean => (m & b) !== 0;
  const num = (s: string): string => (/^\d+$/.test(s) ? '' : s); // find prints the number when there is no name
  const st: Vars = {
    path: posix.normalize(path),
    mode: perm.toString(8).padStart(4, '0'),
    isdir: f[1] === 'd', ischr: f[1] === 'c', isblk: f[1] === 'b', isreg: f[1] === 'f', isfifo: f[1] === 'p', islnk: f[1] === 'l', issock: f[1] === 's',
    uid: Number(f[4]), gid: Number(f[5]), size: Number(f[8]), inode: Number(f[9]), dev: Number(f[10]), nlink: Number(f[11]),
    atime: Number(f[12]), mtime: Number(f[13]), ctime: Number(f[14]),
    gr_name: num(f[7]), pw_name: num(f[6]),
    wusr: bit(0o200), rusr: bit(0o400), xusr: bit(0o100), wgrp: bit(0o020), rgrp: bit(0o040), xgrp: bit(0o010),
    woth: bit(0o002), roth: bit(0o004), xoth: bit(0o001), isuid: bit(0o4000), isgid: bit(0o2000),
  };
  return { type: f[1], target: f[2], path: st.path as string, st };
}

async function plan(ctx: ModuleContext): Promise<Plan> {
  const a = ctx.args;
  if (toBool(a, 'follow', false)) throw new TaskError('find: follow=true is not supported by lvsplay');
  const paths = list(a.paths ?? a.path ?? a.name);
  const useRegex = toBool(a, 'use_regex', false);
  let patterns = list(a.patterns ?? a.pattern);
  if (!patterns.length) patterns = [useRegex ? '.*' : '*'];
  const excludes = list(a.excludes ?? a.exclude);
  const fileType = String(a.file_type ?? 'file');
  const age = unit(a.age, 'age');
  const size = unit(a.size, 'size');
  const ageStamp = String(a.age_stamp ?? 'mtime');
  const recurse = toBool(a, 'recurse', false);
  const hidden = toBool(a, 'hidden', false);
  const depth = typeof a.depth === 'number' && a.depth > 0 ? a.depth : undefined;
  const maxdepth = !recurse ? 1 : depth !== undefined ? depth + 1 : undefined;

  const match = (name: string, pats: string[]): boolean => pats.some((p) => (useRegex ? pyRegExp(p, 'y', 'patterns').test(name) : fnmatch(name, p)));
  const pfilter = (name: string): boolean => match(name, patterns) && !(excludes.length && match(name, excludes));

  const script = ['date +%s.%N'];
  paths.forEach((p, i) => {
    const dir = p.startsWith('~/') || p === '~' ? `"$HOME"${q(p.slice(1))}` : q(p);
    script.push(mark(`p${i}`), `if [ -d ${dir} ]; then find ${dir} -mindepth 1 ${maxdepth ? `-maxdepth ${maxdepth} ` : ''}-printf '${FMT}' 2>&1; else echo notdir; fi`);
  });
  const res = await ctx.probe(script.join('\n'));
  const s = sections(res.stdout);
  const now = parseFloat(res.stdout);
  const files: Vars[] = [];
  const skipped: Record<string, string> = {};
  let looked = 0;
  for (let i = 0; i < paths.length; i++) {
    const body = s.get(`p${i}`) ?? '';
    if (body.trim() === 'notdir') {
      skipped[paths[i]] = `'${paths[i]}' is not a directory`;
      continue;
    }
    const entries = body.split('\0').filter((r) => r.includes('\t')).map(parseEntry);
    const children = new Map<string, Entry[]>();
    for (const e of entries) children.set(posix.dirname(e.path), [...(children.get(posix.dirname(e.path)) ?? []), e]);
    const root = posix.normalize(paths[i]).replace(/(.)\/$/, '$1');
    const walk = (dir: string, level: number): void => {
      const kids = children.get(dir) ?? [];
      const isDir = (e: Entry): boolean => e.type === 'd' || (e.type === 'l' && e.target === 'd');
      const order = [...kids.filter((e) => !isDir(e)), ...kids.filter(isDir)];
      looked += order.length;
      if (depth !== undefined && level + 1 > depth) return;
      for (const e of order) {
        const name = posix.basename(e.path);
        if (name.startsWith('.') && !hidden) continue;
        const st = e.st;
        const old = age === undefined || (age >= 0 ? now - (st[ageStamp] as number) >= age : now - (st[ageStamp] as number) <= -age);
        const big = size === undefined || (size >= 0 ? (st.size as number) >= size : (st.size as number) <= -size);
        if (!pfilter(name) || !old) continue;
        if (fileType === 'any' ? !st.isreg || big : fileType === 'directory' ? st.isdir : fileType === 'file' ? st.isreg && big : st.islnk) files.push(st);
      }
      if (recurse) for (const e of order) if (e.type === 'd') walk(e.path, level + 1);
    };
    walk(root, 0);
  }
  const contains = a.contains === undefined || a.contains === null ? undefined : String(a.contains);
  const checksum = toBool(a, 'get_checksum', false);
  let out = files;
  if ((contains !== undefined && fileType === 'file') || (checksum && files.some((f) => f.isreg))) {
    const regs = files.filter((f) => f.isreg);
    const more = regs.map((f, i) => [mark(`f${i}`), sh`f=${f.path as string}`, `${checksum ? 'sha1sum < "$f" | cut -c1-40; ' : ''}${contains !== undefined ? 'base64 -w0 < "$f"' : ''}`].join('\n'));
    const s2 = sections((await ctx.probe(more.join('\n'))).stdout);
    const keep = new Set<Vars>(files.filter((f) => !f.isreg));
    regs.forEach((f, i) => {
      const [sum, b64] = checksum ? [(s2.get(`f${i}`) ?? '').split('\n')[0], (s2.get(`f${i}`) ?? '').split('\n')[1] ?? ''] : ['', s2.get(`f${i}`) ?? ''];
      if (checksum) f.checksum = sum;
      if (contains !== undefined && fileType === 'file') {
        const text = Buffer.from(b64.trim(), 'base64').toString('utf8');
        const re = pyRegExp(contains, toBool(a, 'read_whole_file', false) ? '' : 'y', 'contains');
        const hit = toBool(a, 'read_whole_file', false) ? re.test(text) : (text.match(/[^\n]*\n|[^\n]+$/g) ?? []).some((l) => ((re.lastIndex = 0), re.test(l)));
        if (!hit) return;
      }
      keep.add(f);
    });
    out = files.filter((f) => keep.has(f));
  }
  const msg = Object.keys(skipped).length ? 'Not all paths examined, check warnings for details' : 'All paths examined';
  return { steps: [], result: { files: out, matched: out.length, examined: looked, skipped_paths: skipped, msg } };
}

export const find: TaskModule = {
  name: 'find',
  aliases: ['ansible.builtin.find', 'ansible.legacy.find'],
  plansAhead: true,
  schema,
  freeForm: 'kv',
  plan,
};
