// json.dumps as Python writes it (Ansible's to_json/to_nice_json): ", " and ": " separators, ensure_ascii.
import { floatRepr, PyFloat } from './pyfloat.js';

export interface DumpOpts {
  indent?: number;
  sortKeys?: boolean;
  ensureAscii?: boolean;
}

function str(s: string, ascii: boolean): string {
  let out = JSON.stringify(s);
  if (ascii) out = out.replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return out;
}

export function pyJsonDumps(v: unknown, o: DumpOpts = {}): string {
  const ascii = o.ensureAscii ?? true;
  const ind = o.indent;
  const walk = (x: unknown, depth: number): string => {
    if (x === null || x === undefined) return 'null';
    if (typeof x === 'string') return str(x, ascii);
    if (x instanceof PyFloat) return floatRepr(x.valueOf());
    if (typeof x === 'number') return Number.isFinite(x) ? (Number.isInteger(x) ? String(x) : floatRepr(x)) : x > 0 ? 'Infinity' : x < 0 ? '-Infinity' : 'NaN';
    if (typeof x === 'boolean') return x ? 'true' : 'false';
    if (Array.isArray(x)) {
      if (!x.length) return '[]';
      const items = x.map((e) => walk(e, depth + 1));
      return wrap('[', ']', items, depth);
    }
    if (typeof x === 'object') {
      let keys = Object.keys(x as object);
      if (!keys.length) return '{}';
      if (o.sortKeys) keys = keys.sort();
      const items = keys.map((k) => `${str(k, ascii)}: ${walk((x as Record<string, unknown>)[k], depth + 1)}`);
      return wrap('{', '}', items, depth);
    }
    return str(String(x), ascii);
  };
  const wrap = (open: string, close: string, items: string[], depth: number): string => {
    if (ind === undefined || ind === null) return open + items.join(', ') + close;
    const pad = ' '.repeat(ind * (depth + 1));
    return `${open}\n${pad}${items.join(`,\n${pad}`)}\n${' '.repeat(ind * depth)}${close}`;
  };
  return walk(v, 0);
}
