// Helpers shared by the Ansible filters and tests.
import { isMapping } from './pystr.js';
import { isPyFloat } from './pyfloat.js';

export type Kw = Record<string, unknown>;

/** Split call arguments into positional args and keyword args (`x(a, key=1)`, passed as a last `{ ...kw, __keywords: true }`). */
export function splitKw(args: unknown[]): [unknown[], Kw] {
  const last = args[args.length - 1];
  if (last && typeof last === 'object' && (last as Kw).__keywords) {
    const kw = { ...(last as Kw) };
    delete kw.__keywords;
    return [args.slice(0, -1), kw];
  }
  return [args, {}];
}

/** Positional-or-keyword parameter: arg(i) if given, else kw[name], else dflt. */
export function param<T>(args: unknown[], kw: Kw, i: number, name: string, dflt: T): T {
  if (args.length > i && args[i] !== undefined) return args[i] as T;
  if (name in kw) return kw[name] as T;
  return dflt;
}

function canon(v: unknown): string {
  return JSON.stringify(v, (_k, x) => (isMapping(x) ? Object.fromEntries(Object.keys(x).sort().map((k) => [k, x[k]])) : x));
}

/** Python equality for JSON-like values. */
export function pyEq(a: unknown, b: unknown): boolean {
  if (isPyFloat(a)) a = a.valueOf(); // 2.0 == 2 in Python
  if (isPyFloat(b)) b = b.valueOf();
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  return canon(a) === canon(b);
}

export function uniq(list: unknown[]): unknown[] {
  const out: unknown[] = [];
  for (const x of list) if (!out.some((y) => pyEq(x, y))) out.push(x);
  return out;
}

/** Iterate a value as Python would: list, dict keys, string characters. */
export function toList(v: unknown, what = 'value'): unknown[] {
  if (Array.isArray(v)) return v;
  if (typeof v === 'string') return [...v];
  if (isMapping(v)) return Object.keys(v);
  if (v === null || v === undefined) throw new Error(`${what}: expected a list, got None`);
  throw new Error(`${what}: expected a list, got ${typeof v}`);
}

/** Attribute path lookup for map/selectattr/sort (`a.b.0`). Undefined if missing. */
export function attrOf(obj: unknown, path: unknown): unknown {
  let cur: unknown = obj;
  for (const part of String(path).split('.')) {
    if (cur === null || cur === undefined) return undefined;
    if (Array.isArray(cur) && /^-?\d+$/.test(part)) cur = cur[Number(part) < 0 ? cur.length + Number(part) : Number(part)];
    else if (typeof cur === 'object' && Object.prototype.hasOwnProperty.call(cur, part)) cur = (cur as Kw)[part];
    else return undefined;
  }
  return cur;
}

/** Python-ish ordering for sort/min/max. */
export function pyCmp(a: unknown, b: unknown, caseSensitive = false): number {
  if (isPyFloat(a)) a = a.valueOf();
  if (isPyFloat(b)) b = b.valueOf();
  if (typeof a === 'string' && typeof b === 'string') {
    const x = caseSensitive ? a : a.toLowerCase();
    const y = caseSensitive ? b : b.toLowerCase();
    return x < y ? -1 : x > y ? 1 : 0;
  }
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'boolean' || typeof b === 'boolean') return Number(a) - Number(b);
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.min(a.length, b.length); i++) {
      const c = pyCmp(a[i], b[i], caseSensitive);
      if (c) return c;
    }
    return a.length - b.length;
  }
  throw new Error(`cannot compare ${typeof a} with ${typeof b}`);
}

/** Python regex syntax to JavaScript: (?P<n>..) (?P=n), inline (?i) (?m) (?s) flags at the start. */
export function pyRegex(pattern: unknown, flags = ''): RegExp {
  let src = String(pattern);
  let f = flags;
  const m = /^\(\?([aiLmsux]+)\)/.exec(src);
  if (m) {
    src = src.slice(m[0].length);
    for (const c of m[1]) if ('ims'.includes(c) && !f.includes(c)) f += c;
  }
  src = src.replace(/\(\?P<(\w+)>/g, '(?<$1>').replace(/\(\?P=(\w+)\)/g, '\\k<$1>');
  src = src.replace(/\\A/g, '^').replace(/\\Z/g, '$');
  try {
    return new RegExp(src, f);
  } catch (e) {
    throw new Error(`invalid regular expression '${String(pattern)}': ${(e as Error).message}`);
  }
}

/** Python re.sub replacement (\1, \g<1>, \g<name>) to a JS replacement string. */
export function pyReplacement(rep: unknown): string {
  return String(rep)
    .replace(/\$/g, '$$$$')
    .replace(/\\g<(\d+)>/g, '$$$1')
    .replace(/\\g<(\w+)>/g, '$$<$1>')
    .replace(/\\(\d+)/g, '$$$1')
    .replace(/\\n/g, '\n')
    .replace(/\\t/g, '\t')
    .replace(/\\\\/g, '\\');
}

export function reFlags(kw: Kw, base = ''): string {
  let f = base;
  if (kw.ignorecase) f += 'i';
  if (kw.multiline) f += 'm';
  return f;
}
