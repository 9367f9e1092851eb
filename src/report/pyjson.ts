// Python-style JSON and repr, as ansible-playbook prints results: json.dumps(sort_keys=True),
// separators ', ' and ': ' on one line, or indent=4 across lines; repr() for loop items.
import { floatRepr, PyFloat } from '../vars/pyfloat.js';

function sortKeys(o: Record<string, unknown>): string[] {
  return Object.keys(o).filter((k) => o[k] !== undefined).sort();
}

/** json.dumps(value, sort_keys=True, ensure_ascii=False, indent=indent). */
export function pyJson(value: unknown, indent?: number, level = 0): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') return Number.isFinite(value) ? (Number.isInteger(value) ? String(value) : floatRepr(value)) : 'null';
  if (value instanceof PyFloat) return floatRepr(value.valueOf());
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  const pad = indent === undefined ? '' : '\n' + ' '.repeat(indent * (level + 1));
  const end = indent === undefined ? '' : '\n' + ' '.repeat(indent * level);
  const sep = indent === undefined ? ', ' : ',';
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    return `[${value.map((v) => pad + pyJson(v, indent, level + 1)).join(sep)}${end}]`;
  }
  if (typeof value === 'object') {
    const o = value as Record<string, unknown>;
    const keys = sortKeys(o);
    if (keys.length === 0) return '{}';
    return `{${keys.map((k) => `${pad}${JSON.stringify(k)}: ${pyJson(o[k], indent, level + 1)}`).join(sep)}${end}}`;
  }
  return JSON.stringify(String(value));
}

function pyStr(s: string): string {
  if (!s.includes("'") || s.includes('"')) return `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n')}'`;
  return `"${s.replace(/\\/g, '\\\\').replace(/\n/g, '\\n')}"`;
}

/** Python repr() of a decoded YAML/JSON value (dict keys in insertion order, like Python 3.7+). */
export function pyRepr(value: unknown): string {
  if (value === null || value === undefined) return 'None';
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : floatRepr(value);
  if (value instanceof PyFloat) return floatRepr(value.valueOf());
  if (typeof value === 'string') return pyStr(value);
  if (Array.isArray(value)) return `[${value.map(pyRepr).join(', ')}]`;
  if (typeof value === 'object') {
    return `{${Object.entries(value as Record<string, unknown>)
      .map(([k, v]) => `${pyStr(k)}: ${pyRepr(v)}`)
      .join(', ')}}`;
  }
  return String(value);
}

/** How a loop item is shown in `(item=...)`: strings as is, the rest as Python repr. */
export function itemLabel(item: unknown): string {
  return typeof item === 'string' ? item : pyRepr(item);
}
