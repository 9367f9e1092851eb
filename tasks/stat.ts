// stat: what a path is on the host (kind, mode, owner, size, times, checksum, mime type,
// attributes), in the shape of Ansible's registered `stat` result. One read-only probe; never changes.
import type { ModuleContext, Plan, TaskModule, Vars } from '../src/types.js';
import { TaskError } from '../src/errors.js';
import { sh } from '../src/shell.js';
import { boolSchema, need, str, toBool } from './lib/args.js';
import { mark, sections } from '../src/probe.js';

const ALGOS = ['md5', 'sha1', 'sha224', 'sha256', 'sha384', 'sha512'];

const schema = {
  type: 'object',
  description:
    "Facts about a file on the host, registered as `stat` (exists, isdir, isreg, islnk, mode '0644', uid/gid, pw_name/gr_name, size, times, checksum, mimetype, attributes, ...), as Ansible's stat. One probe exec; never changes anything.",
  properties: {
    path: { type: 'string', description: 'The path (aliases dest, name).' },
    dest: { type: 'string', description: 'Alias of path.' },
    name: { type: 'string', description: 'Alias of path.' },
    follow: boolSchema('Follow a symlink (describe its target).', false),
    get_checksum: boolSchema('Checksum of a readable regular file (checksum_algorithm).', true),
    get_md5: boolSchema('Also the md5 of a regular file.', false),
    checksum_algorithm: { enum: ALGOS, default: 'sha1', description: 'Algorithm of `checksum` (aliases checksum, checksum_algo).' },
    checksum: { enum: ALGOS, description: 'Alias of checksum_algorithm.' },
    checksum_algo: { enum: ALGOS, description: 'Alias of checksum_algorithm.' },
    get_mime: boolSchema('mimetype and charset from file(1) (`unknown` without it).', true),
    mime: boolSchema('Alias of get_mime.'),
    mime_type: boolSchema('Alias of get_mime.'),
    'mime-type': boolSchema('Alias of get_mime.'),
    get_attributes: boolSchema('attributes, attr_flags and version from lsattr(1).', true),
    attr: boolSchema('Alias of get_attributes.'),
    attributes: boolSchema('Alias of get_attributes.'),
  },
  additionalProperties: false,
  anyOf: [{ required: ['path'] }, { required: ['dest'] }, { required: ['name'] }],
};

// lsattr's letters and the names Ansible reports for them.
const ATTRS: Record<string, string> = {
  A: 'noatime', a: 'append', c: 'compressed', C: 'nocow', d: 'nodump', D: 'dirsync', e: 'extents', E: 'encrypted',
  h: 'blocksize', i: 'immutable', I: 'indexed', j: 'journalled', N: 'inline', s: 'zero', S: 'synchronous',
  t: 'notail', T: 'blockroot', u: 'undelete', X: 'compressedraw', Z: 'compresseddirty',
};

const STAT_FMT = '%f %u %g %s %i %d %h %.9X %.9Y %.9Z %b %o %r %U %G';

export interface StatOpts {
  follow: boolean;
  checksum?: string; // algorithm, or undefined for none
  md5: boolean;
  mime: boolean;
  attributes: boolean;
}

/** The probe: stat(1) of the path, then the optional parts, each in its own section. */
export function statProbe(path: string, o: StatOpts): string {
  const lines = [
    sh`p=${path}`,
    mark('stat'),
    `stat ${o.follow ? '-L ' : ''}-c '${STAT_FMT}' -- "$p" 2>/dev/null || { echo absent; exit 0; }`,
    mark('access'),
    'a=; [ -r "$p" ] && a=r; [ -w "$p" ] && a=${a}w; [ -x "$p" ] && a=${a}x; echo "a$a"',
    mark('link'),
    '[ ! -L "$p" ] || { realpath -m -- "$p"; readlink -- "$p"; }',
  ];
  const regular = '[ -f "$p" ] && [ -r "$p" ]';
  if (o.checksum) lines.push(mark('checksum'), `! ${regular} || ${o.checksum}sum < "$p"`);
  if (o.md5) lines.push(mark('md5'), `! ${regular} || md5sum < "$p"`);
  if (o.mime) lines.push(mark('mime'), 'file --mime-type --mime-encoding -- "$p" 2>/dev/null || true');
  if (o.attributes) lines.push(mark('attr'), 'lsattr -vd -- "$p" 2>/dev/null || true');
  return lines.join('\n');
}

/** Ansible's `stat` dictionary from the probe output. */
export function parseStat(path: string, stdout: string, o: StatOpts): Vars {
  const s = sections(stdout);
  const raw = (s.get('stat') ?? '').trim();
  if (raw === 'absent') return { exists: false };
  const f = raw.split(' ');
  if (f.length < 15) throw new TaskError(`could not stat ${path} on the host: ${stdout.trim().slice(0, 300)}`);
  const m = parseInt(f[0], 16);
  const fmt = m & 0o170000;
  const bit = (b: number): boolean => (m & b) !== 0;
  const out: Vars = {
    exists: true,
    path,
    mode: (m & 0o7777).toString(8).padStart(4, '0'),
    isdir: fmt === 0o040000,
    ischr: fmt === 0o020000,
    isblk: fmt === 0o060000,
    isreg: fmt === 0o100000,
    isfifo: fmt === 0o010000,
    islnk: fmt === 0o120000,
    issock: fmt === 0o140000,
    uid: Number(f[1]),
    gid: Number(f[2]),
    size: Number(f[3]),
    inode: Number(f[4]),
    dev: Number(f[5]),
    nlink: Number(f[6]),
    atime: Number(f[7]),
    mtime: Number(f[8]),
    ctime: Number(f[9]),
    wusr: bit(0o200), rusr: bit(0o400), xusr: bit(0o100),
    wgrp: bit(0o020), rgrp: bit(0o040), xgrp: bit(0o010),
    woth: bit(0o002), roth: bit(0o004), xoth: bit(0o001),
    isuid: bit(0o4000), isgid: bit(0o2000),
    blocks: Number(f[10]),
    block_size: Number(f[11]),
    device_type: Number(f[12]),
  };
  const access = (s.get('access') ?? '').trim();
  out.readable = access.includes('r');
  out.writeable = access.includes('w');
  out.executable = access.includes('x');
  if (out.islnk) {
    const [source, target] = (s.get('link') ?? '').split('\n');
    out.lnk_source = source;
    out.lnk_target = target;
  }
  if (f[13] !== 'UNKNOWN') out.pw_name = f[13];
  if (f[14] !== 'UNKNOWN') out.gr_name = f[14];
  const sum = (k: string): string | undefined => (s.get(k) ?? '').trim().split(/\s+/)[0] || undefined;
  if (o.md5 && out.isreg && out.readable) out.md5 = sum('md5') ?? null;
  if (o.checksum && out.isreg && out.readable) out.checksum = sum('checksum');
  if (o.mime) {
    out.mimetype = out.charset = 'unknown';
    const mm = /:\s*([^;:]+);\s*charset=(\S+)\s*$/.exec((s.get('mime') ?? '').trim());
    if (mm) {
      out.mimetype = mm[1].trim();
      out.charset = mm[2];
    }
  }
  if (o.attributes) {
    out.version = null;
    out.attributes = [];
    out.attr_flags = '';
    const words = (s.get('attr') ?? '').trim().split(/\s+/);
    if (words.length >= 3) {
      out.version = words[0];
      out.attr_flags = words[1].replace(/-/g, '');
      out.attributes = [...(out.attr_flags as string)].filter((c) => c in ATTRS).map((c) => ATTRS[c]);
    }
  }
  return out;
}

const pickBool = (a: Vars, dflt: boolean, ...keys: string[]): boolean => {
  const k = keys.find((x) => a[x] !== undefined && a[x] !== null);
  return k === undefined ? dflt : toBool(a, k, dflt);
};

async function plan(ctx: ModuleContext): Promise<Plan> {
  const a = ctx.args;
  const path = need(a, 'path', 'dest', 'name');
  const o: StatOpts = {
    follow: toBool(a, 'follow', false),
    checksum: pickBool(a, true, 'get_checksum') ? (str(a, 'checksum_algorithm', 'checksum', 'checksum_algo') ?? 'sha1') : undefined,
    md5: toBool(a, 'get_md5', false),
    mime: pickBool(a, true, 'get_mime', 'mime', 'mime_type', 'mime-type'),
    attributes: pickBool(a, true, 'get_attributes', 'attr', 'attributes'),
  };
  const res = await ctx.probe(statProbe(path, o));
  return { steps: [], result: { stat: parseStat(path, res.stdout, o) } };
}

export const stat: TaskModule = {
  name: 'stat',
  aliases: ['ansible.builtin.stat', 'ansible.legacy.stat'],
  plansAhead: true,
  schema,
  freeForm: 'kv',
  plan,
};
