// Python methods that Ansible users call in expressions: d.keys(), d.get('k', x), s.split(','), s.startswith('a'), ...
import { splitKw } from './filters-util.js';
import { isMapping, pyStr } from './pystr.js';

type Fn = (...args: unknown[]) => unknown;

/** Python str.split(sep=None, maxsplit=-1). */
export function pySplit(s: string, sep?: unknown, maxsplit?: unknown): string[] {
  const max = typeof maxsplit === 'number' && maxsplit >= 0 ? maxsplit : Infinity;
  if (sep === undefined || sep === null) {
    const out: string[] = [];
    let rest = s.replace(/^\s+/, '');
    while (rest.length) {
      if (out.length >= max) {
        out.push(rest.replace(/\s+$/, ''));
        return out;
      }
      const m = /\s+/.exec(rest);
      if (!m) {
        out.push(rest);
        break;
      }
      out.push(rest.slice(0, m.index));
      rest = rest.slice(m.index + m[0].length);
    }
    return out;
  }
  const sp = String(sep);
  if (sp === '') throw new Error('empty separator');
  const parts = s.split(sp);
  if (parts.length - 1 <= max) return parts;
  return [...parts.slice(0, max), parts.slice(max).join(sp)];
}

function strip(s: string, chars?: unknown, side: 'both' | 'l' | 'r' = 'both'): string {
  const set = chars === undefined || chars === null ? null : String(chars);
  const isStrip = (c: string) => (set === null ? /\s/.test(c) : set.includes(c));
  let a = 0;
  let b = s.length;
  if (side !== 'r') while (a < b && isStrip(s[a])) a++;
  if (side !== 'l') while (b > a && isStrip(s[b - 1])) b--;
  return s.slice(a, b);
}

function strMethods(s: string): Record<string, Fn> {
  return {
    split: (sep, max) => pySplit(s, sep, max),
    rsplit: (sep, max) => {
      if (max === undefined || (max as number) < 0) return pySplit(s, sep);
      const parts = pySplit(s, sep);
      const sp = sep === undefined || sep === null ? ' ' : String(sep);
      const n = max as number;
      if (parts.length - 1 <= n) return parts;
      return [parts.slice(0, parts.length - n).join(sp), ...parts.slice(parts.length - n)];
    },
    splitlines: () => s.split(/\r?\n/).filter((x, i, a) => i < a.length - 1 || x !== ''),
    strip: (c) => strip(s, c),
    lstrip: (c) => strip(s, c, 'l'),
    rstrip: (c) => strip(s, c, 'r'),
    lower: () => s.toLowerCase(),
    upper: () => s.toUpperCase(),
    capitalize: () => s.charAt(0).toUpperCase() + s.slice(1).toLowerCase(),
    title: () => s.replace(/\w\S*/g, (w) => w.charAt(0).toUpperCase() + w.slice(1).toLowerCase()),
    startswith: (p) => (Array.isArray(p) ? p.some((x) => s.startsWith(String(x))) : s.startsWith(String(p))),
    endswith: (p) => (Array.isArray(p) ? p.some((x) => s.endsWith(String(x))) : s.endsWith(String(p))),
    replace: (a, b, count) => {
      const parts = s.split(String(a));
      const n = typeof count === 'number' && count >= 0 ? count : Infinity;
      if (parts.length - 1 <= n) return parts.join(String(b));
      return parts.slice(0, n + 1).join(String(b)) + String(a) + parts.slice(n + 1).join(String(a));
    },
    find: (x) => s.indexOf(String(x)),
    rfind: (x) => s.lastIndexOf(String(x)),
    index: (x) => {
      const i = s.indexOf(String(x));
      if (i < 0) throw new Error('substring not found');
      return i;
    },
    count: (x) => s.split(String(x)).length - 1,
    join: (lst) => (Array.isArray(lst) ? lst.map(pyStr).join(s) : String(lst)),
    format: (...rest) => {
      const [args, kw] = splitKw(rest);
      let i = 0;
      return s.replace(/\{(\w*)\}/g, (_m, n: string) => pyStr(n === '' ? args[i++] : /^\d+$/.test(n) ? args[Number(n)] : kw[n]));
    },
    isdigit: () => /^\d+$/.test(s),
    isalpha: () => /^[A-Za-z]+$/.test(s),
    isalnum: () => /^[A-Za-z0-9]+$/.test(s),
    isspace: () => /^\s+$/.test(s),
    islower: () => s.toLowerCase() === s && /[a-z]/.test(s),
    isupper: () => s.toUpperCase() === s && /[A-Z]/.test(s),
    zfill: (w) => s.padStart(Number(w), '0'),
    center: (w) => {
      const total = Number(w) - s.length;
      if (total <= 0) return s;
      const left = Math.floor(total / 2);
      return ' '.repeat(left) + s + ' '.repeat(total - left);
    },
    ljust: (w, c) => s.padEnd(Number(w), c === undefined ? ' ' : String(c)),
    rjust: (w, c) => s.padStart(Number(w), c === undefined ? ' ' : String(c)),
  };
}

function listMethods(l: unknown[]): Record<string, Fn> {
  return {
    index: (x) => {
      const i = l.findIndex((y) => JSON.stringify(y) === JSON.stringify(x));
      if (i < 0) throw new Error(`${pyStr(x)} is not in list`);
      return i;
    },
    count: (x) => l.filter((y) => JSON.stringify(y) === JSON.stringify(x)).length,
    append: (x) => {
      l.push(x);
      return null;
    },
    extend: (x) => {
      l.push(...(x as unknown[]));
      return null;
    },
    insert: (i, x) => {
      l.splice(Number(i), 0, x);
      return null;
    },
    pop: (i) => (i === undefined ? l.pop() : l.splice(Number(i), 1)[0]),
    copy: () => [...l],
  };
}

function dictMethods(d: Record<string, unknown>): Record<string, Fn> {
  return {
    keys: () => Object.keys(d),
    values: () => Object.values(d),
    items: () => Object.entries(d),
    get: (k, dflt) => (Object.prototype.hasOwnProperty.call(d, String(k)) ? d[String(k)] : dflt ?? null),
    has_key: (k) => Object.prototype.hasOwnProperty.call(d, String(k)),
    copy: () => ({ ...d }),
    update: (o) => {
      Object.assign(d, o);
      return null;
    },
    pop: (k, dflt) => {
      const key = String(k);
      if (!(key in d)) return dflt;
      const v = d[key];
      delete d[key];
      return v;
    },
    setdefault: (k, v) => {
      const key = String(k);
      if (!(key in d)) d[key] = v ?? null;
      return d[key];
    },
  };
}

/** The Python method `name` of `obj`, or undefined. Own keys of a dict win over methods (as Jinja's getattr/getitem). */
export function pyMethod(obj: unknown, name: string): Fn | undefined {
  let table: Record<string, Fn> | undefined;
  if (typeof obj === 'string') table = strMethods(obj);
  else if (Array.isArray(obj)) table = listMethods(obj);
  else if (isMapping(obj)) table = dictMethods(obj);
  return table && Object.prototype.hasOwnProperty.call(table, name) ? table[name] : undefined;
}
