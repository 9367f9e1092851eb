// Python-flavoured conversions: what Jinja2 (and so Ansible) prints for a value, and Python truthiness.
import { floatRepr, PyFloat } from './pyfloat.js';

/** Python repr() of a JSON-like value: ['a', 1, True], {'k': None}. */
export function pyRepr(v: unknown): string {
  if (v === null || v === undefined) return 'None';
  if (v === true) return 'True';
  if (v === false) return 'False';
  if (typeof v === 'string') return reprStr(v);
  if (typeof v === 'number') return numStr(v);
  if (v instanceof PyFloat) return floatRepr(v.valueOf());
  if (Array.isArray(v)) return `[${v.map(pyRepr).join(', ')}]`;
  if (typeof v === 'object') {
    const parts = Object.keys(v as object).map((k) => `${reprStr(k)}: ${pyRepr((v as Record<string, unknown>)[k])}`);
    return `{${parts.join(', ')}}`;
  }
  return String(v);
}

function reprStr(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = '';
  for (const ch of s) {
    if (ch === '\\') out += '\\\\';
    else if (ch === quote) out += `\\${ch}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\r') out += '\\r';
    else out += ch;
  }
  return quote + out + quote;
}

/** Python repr() of a text's UTF-8 bytes: b'/t\\mp', b"it's", b'\xc3\xa9' (paths in Python's OSError messages). */
export function pyBytesRepr(s: string): string {
  const bytes = Buffer.from(s, 'utf8');
  const quote = bytes.includes(0x27) && !bytes.includes(0x22) ? '"' : "'";
  const named: Record<number, string> = { 0x5c: '\\\\', 0x0a: '\\n', 0x09: '\\t', 0x0d: '\\r' };
  let out = '';
  for (const b of bytes) {
    if (named[b]) out += named[b];
    else if (b === quote.charCodeAt(0)) out += `\\${quote}`;
    else if (b < 0x20 || b >= 0x7f) out += `\\x${b.toString(16).padStart(2, '0')}`;
    else out += String.fromCharCode(b);
  }
  return `b${quote}${out}${quote}`;
}

/** A JS number as Python prints it: an int's digits, a float's repr. */
function numStr(n: number): string {
  return Number.isInteger(n) ? String(n) : floatRepr(n);
}

/** Python str(): strings as is, everything else as repr. (None prints as '' in templates, as Ansible's finalize does.) */
export function pyStr(v: unknown): string {
  if (typeof v === 'string') return v;
  return pyRepr(v);
}

/** Python truthiness: empty list/dict/string, 0, None and False are false. */
export function truthy(v: unknown): boolean {
  if (v === null || v === undefined) return false;
  if (Array.isArray(v)) return v.length > 0;
  if (v instanceof PyFloat) return v.valueOf() !== 0;
  if (typeof v === 'object') return Object.keys(v as object).length > 0;
  return Boolean(v);
}

/** Python type name used in messages ('dict object', 'list object', ...). */
export function pyType(v: unknown): string {
  if (v === null || v === undefined) return 'NoneType';
  if (Array.isArray(v)) return 'list';
  if (typeof v === 'string') return 'str';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int' : 'float';
  if (v instanceof PyFloat) return 'float';
  if (typeof v === 'object') return 'dict';
  return typeof v;
}

export function isMapping(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof PyFloat);
}
