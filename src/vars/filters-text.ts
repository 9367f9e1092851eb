// Ansible filters on strings, encodings, regexes, JSON/YAML and paths.
import { createHash } from 'node:crypto';
import path from 'node:path';
import YAML from 'yaml';
import { q } from '../shell.js';
import { pySplit } from './pysplit.js';
import { pyJsonDumps } from './pyjson.js';
import { isMapping, pyStr } from './pystr.js';
import { type Kw, param, pyRegex, pyReplacement, reFlags } from './filters-util.js';
import { toBool } from '../bool.js';
import { anyPyFloats, isPyFloat } from './pyfloat.js';

/** Python's shlex.quote (Ansible's quote filter): 'it'"'"'s'. */
function shlexQuote(s: string): string {
  if (s === '') return "''";
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'"'"'`)}'`;
}

export type FilterFn = (v: unknown, a: unknown[], kw: Kw) => unknown;

export { toBool } from '../bool.js';

/** Python int(): '12' -> 12, 3.9 -> 3, 'x' -> default. */
export function toInt(v: unknown, dflt = 0, base = 10): number {
  if (isPyFloat(v)) v = v.valueOf();
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'number') return Number.isFinite(v) ? Math.trunc(v) : dflt;
  const s = pyStr(v).trim().replace(/_/g, '');
  if (base === 10) {
    if (/^[+-]?\d+$/.test(s)) return parseInt(s, 10);
    if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s)) return Math.trunc(parseFloat(s)); // Jinja's int('3.5') = 3
    return dflt;
  }
  const body = s.replace(/^0[xob]/i, '');
  const n = parseInt(body, base);
  return Number.isNaN(n) || !new RegExp(`^[0-9a-z]+$`, 'i').test(body) ? dflt : n;
}

export function toFloat(v: unknown, dflt = 0): number {
  if (isPyFloat(v)) v = v.valueOf();
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  const s = pyStr(v).trim();
  if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s)) return parseFloat(s);
  return dflt;
}

function yamlDump(v: unknown, nice: boolean, kw: Kw): string {
  const indent = Number(kw.indent ?? (nice ? 4 : 2));
  const FLOAT = '\0lvsplay-float:'; // a whole float through the JSON copy, written back as `2.0` below
  const copy: unknown = v === undefined ? null : JSON.parse(JSON.stringify(v ?? null, (_k, x: unknown) => (isPyFloat(x) ? FLOAT + String(x.valueOf()) : x)));
  const doc = new YAML.Document(copy, { sortMapEntries: kw.sort_keys === undefined ? true : Boolean(kw.sort_keys) });
  if (anyPyFloats()) {
    YAML.visit(doc, {
      Scalar(_k, node) {
        if (typeof node.value === 'string' && node.value.startsWith(FLOAT)) {
          node.value = Number(node.value.slice(FLOAT.length));
          node.minFractionDigits = 1;
        }
      },
    });
  }
  if (!nice) {
    // PyYAML's default_flow_style=None (to_yaml): a list or dict holding only scalars is written inline
    YAML.visit(doc, {
      Collection(_k, node) {
        if (node.items.every((it) => !YAML.isCollection(YAML.isPair(it) ? it.value : it))) node.flow = true;
      },
    });
  }
  return doc.toString({ indent, lineWidth: 0, flowCollectionPadding: false, indentSeq: false }); // PyYAML does not indent a list under its key
}

/** Python codec names Node can do: utf-8, utf-16-le/-be, utf-16 (with a BOM, little-endian), latin-1, ascii. */
function toBytes(s: string, encoding: string): Buffer {
  const e = encoding.toLowerCase().replace(/[-_ ]/g, '');
  if (e === 'utf8') return Buffer.from(s, 'utf8');
  if (e === 'utf16le') return Buffer.from(s, 'utf16le');
  if (e === 'utf16be') return Buffer.from(s, 'utf16le').swap16();
  if (e === 'utf16') return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(s, 'utf16le')]);
  if (e === 'latin1' || e === 'iso88591') return Buffer.from(s, 'latin1');
  if (e === 'ascii' || e === 'usascii') return Buffer.from(s, 'ascii');
  throw new Error(`unknown encoding: ${encoding} (lvsplay knows utf-8, utf-16, utf-16-le, utf-16-be, latin-1, ascii)`);
}

function fromBytes(b: Buffer, encoding: string): string {
  const e = encoding.toLowerCase().replace(/[-_ ]/g, '');
  if (e === 'utf8') return b.toString('utf8');
  if (e === 'utf16le') return b.toString('utf16le');
  if (e === 'utf16be') return Buffer.from(b).swap16().toString('utf16le');
  if (e === 'utf16') {
    if (b[0] === 0xfe && b[1] === 0xff) return Buffer.from(b.subarray(2)).swap16().toString('utf16le');
    return b.subarray(b[0] === 0xff && b[1] === 0xfe ? 2 : 0).toString('utf16le');
  }
  if (e === 'latin1' || e === 'iso88591') return b.toString('latin1');
  if (e === 'ascii' || e === 'usascii') return b.toString('ascii');
  throw new Error(`unknown encoding: ${encoding} (lvsplay knows utf-8, utf-16, utf-16-le, utf-16-be, latin-1, ascii)`);
}

function b64decode(s: string, encoding: string): string {
  if (!/^[A-Za-z0-9+/=\s_-]*$/.test(s)) throw new Error('b64decode: invalid base64 input');
  return fromBytes(Buffer.from(s, 'base64'), encoding);
}

export const textFilters: Record<string, FilterFn> = {
  bool: (v) => toBool(v),
  int: (v, a, kw) => toInt(v, Number(param(a, kw, 0, 'default', 0)), Number(param(a, kw, 1, 'base', 10))),
  float: (v, a, kw) => toFloat(v, Number(param(a, kw, 0, 'default', 0))),
  string: (v) => pyStr(v),
  lower: (v) => pyStr(v).toLowerCase(),
  upper: (v) => pyStr(v).toUpperCase(),
  capitalize: (v) => {
    const s = pyStr(v);
    return s.charAt(0).toUpperCase() + s.slice(1).toLowerCase();
  },
  title: (v) => pyStr(v).replace(/\w\S*/g, (w) => w.charAt(0).toUpperCase() + w.slice(1).toLowerCase()),
  trim: (v, a) => {
    const s = pyStr(v);
    if (a[0] === undefined || a[0] === null) return s.trim();
    const set = String(a[0]);
    let i = 0;
    let j = s.length;
    while (i < j && set.includes(s[i])) i++;
    while (j > i && set.includes(s[j - 1])) j--;
    return s.slice(i, j);
  },
  replace: (v, a) => {
    const s = pyStr(v);
    const parts = s.split(pyStr(a[0]));
    const n = typeof a[2] === 'number' && a[2] >= 0 ? a[2] : Infinity;
    if (parts.length - 1 <= n) return parts.join(pyStr(a[1]));
    return parts.slice(0, n + 1).join(pyStr(a[1])) + pyStr(a[0]) + parts.slice(n + 1).join(pyStr(a[0]));
  },
  split: (v, a) => pySplit(pyStr(v), a[0], a[1]),
  quote: (v) => shlexQuote(v === null || v === undefined ? '' : pyStr(v)),
  basename: (v) => path.posix.basename(pyStr(v)),
  dirname: (v) => path.posix.dirname(pyStr(v)),
  // os.path.join: an absolute part starts over, nothing is normalised
  splitext: (v) => {
    const s = pyStr(v);
    const ext = path.posix.extname(s);
    return [s.slice(0, s.length - ext.length), ext];
  },
  b64encode: (v, a, kw) => toBytes(pyStr(v), String(param(a, kw, 0, 'encoding', 'utf-8'))).toString('base64'),
  b64decode: (v, a, kw) => b64decode(pyStr(v), String(param(a, kw, 0, 'encoding', 'utf-8'))),
  hash: (v, a) => {
    const algo = String(a[0] ?? 'sha1');
    try {
      return createHash(algo).update(pyStr(v)).digest('hex');
    } catch {
      throw new Error(`unsupported hash type ${algo}`); // Ansible's text
    }
  },
  checksum: (v) => createHash('sha1').update(pyStr(v)).digest('hex'),
  md5: (v) => createHash('md5').update(pyStr(v)).digest('hex'),
  sha1: (v) => createHash('sha1').update(pyStr(v)).digest('hex'),
  to_json: (v, a, kw) => pyJsonDumps(v, { indent: kw.indent as number | undefined, sortKeys: Boolean(kw.sort_keys), ensureAscii: kw.ensure_ascii === undefined ? true : Boolean(kw.ensure_ascii) }),
  to_nice_json: (v, a, kw) => pyJsonDumps(v, { indent: Number(kw.indent ?? a[0] ?? 4), sortKeys: kw.sort_keys === undefined ? true : Boolean(kw.sort_keys), ensureAscii: kw.ensure_ascii === undefined ? true : Boolean(kw.ensure_ascii) }),
  from_json: (v) => {
    try {
      return JSON.parse(pyStr(v));
    } catch (e) {
      throw new Error((e as Error).message);
    }
  },
  to_yaml: (v, a, kw) => yamlDump(v, false, kw),
  to_nice_yaml: (v, a, kw) => yamlDump(v, true, kw),
  from_yaml: (v) => {
    if (typeof v !== 'string') return v;
    try {
      return YAML.parse(v);
    } catch (e) {
      throw new Error((e as Error).message.split('\n')[0]);
    }
  },
  from_yaml_all: (v) => {
    if (typeof v !== 'string') return v; // not text: as it is (Ansible)
    const docs = YAML.parseAllDocuments(v);
    // a document the parser had to repair is an error, as PyYAML's (YAML.parse throws on those too)
    const bad = docs.find((d) => d.errors.length);
    if (bad) throw new Error(bad.errors[0].message.split('\n')[0]);
    return docs.map((d) => d.toJSON());
  },
  regex_replace: (v, a, kw) => {
    // ansible-core 2.14's regex_replace has no `count` (a later release added it): the same error as 2.14
    if ('count' in kw || a.length > 4) throw new Error("regex_replace() got an unexpected keyword argument 'count'");
    const re = pyRegex(param(a, kw, 0, 'pattern', ''), reFlags({ ignorecase: param(a, kw, 2, 'ignorecase', false), multiline: param(a, kw, 3, 'multiline', false) }, 'g'));
    const rep = pyReplacement(param(a, kw, 1, 'replacement', ''));
    return pyStr(v).replace(re, (...m: unknown[]) => {
      const hasGroups = typeof m[m.length - 1] === 'object' && m[m.length - 1] !== null;
      const groups = (hasGroups ? m[m.length - 1] : {}) as Record<string, string | undefined>;
      const caps = m.slice(0, hasGroups ? -3 : -2) as (string | undefined)[];
      return rep.replace(/\$(\$|&|\d+|<\w+>)/g, (_x, g: string) => {
        if (g === '$') return '$';
        if (g === '&') return caps[0] ?? '';
        if (g.startsWith('<')) return groups[g.slice(1, -1)] ?? '';
        return caps[Number(g)] ?? '';
      });
    });
  },
  regex_search: (v, a, kw) => {
    // group references are read before searching (a bad one fails even when nothing matches, as in Ansible)
    const groups = a.slice(1).map((g) => {
      const s = String(g);
      const num = /^\\(\d+)/.exec(s);
      if (num) return (m: RegExpExecArray) => m[Number(num[1])] ?? null;
      const named = /^\\g<(\S+)>/.exec(s);
      if (named) return (m: RegExpExecArray) => m.groups?.[named[1]] ?? null;
      throw new Error(`regex_search: invalid group reference '${s}' (use '\\1' or '\\g<name>')`);
    });
    const re = pyRegex(a[0], reFlags(kw));
    const m = re.exec(pyStr(v));
    if (!m) return null;
    if (!groups.length) return m[0];
    return groups.map((g) => g(m));
  },
  regex_findall: (v, a, kw) => {
    const re = pyRegex(a[0], reFlags(kw, 'g'));
    const out: unknown[] = [];
    for (const m of pyStr(v).matchAll(re)) out.push(m.length > 2 ? m.slice(1) : m.length === 2 ? m[1] : m[0]);
    return out;
  },
  indent: (v, a, kw) => {
    const w = param(a, kw, 0, 'width', 4);
    const pad = typeof w === 'number' ? ' '.repeat(w) : String(w);
    const first = Boolean(param(a, kw, 1, 'first', false));
    const blank = Boolean(param(a, kw, 2, 'blank', false));
    const lines = pyStr(v).split('\n');
    return lines.map((l, i) => (i === 0 && !first) || (!blank && l === '') ? l : pad + l).join('\n');
  },
  center: (v, a) => {
    const s = pyStr(v);
    const total = Number(a[0] ?? 80) - s.length;
    if (total <= 0) return s;
    return ' '.repeat(Math.floor(total / 2)) + s + ' '.repeat(total - Math.floor(total / 2));
  },
  wordcount: (v) => (pyStr(v).match(/\w+/g) ?? []).length,
  type_debug: (v) => (v === null ? 'NoneType' : Array.isArray(v) ? 'list' : isMapping(v) ? 'dict' : typeof v === 'string' ? 'str' : typeof v === 'boolean' ? 'bool' : Number.isInteger(v) ? 'int' : 'float'),
};
