// Python floats with a whole value. JS has one number type, so the float 2.0 that YAML's `2.0`
// gives Ansible (or a template's `4 / 2` inside a list) would be the int 2 and print `2`. Such a
// value is a PyFloat: a Number object (arithmetic, Number(), comparisons with < work on it) that the
// printers (repr, str, JSON) write as Python does, `2.0`, and the Jinja2 engine's wire carries as
// a Python float. Floats with a fraction stay plain numbers: JS prints those as Python does.
//
// A module's typed arguments get it as Ansible's argument spec converts a float (src/playbook/args.ts
// floatsFor: its text where a string is taken, else the number); numeric keywords get the number (keywordValue).

import * as YAML from 'yaml';

export class PyFloat extends Number {}

let made = 0;

/** The float `n` as Python holds it: a PyFloat when its value is whole, else the number itself. */
export function pyFloat(n: number): number {
  if (!Number.isInteger(n)) return n;
  made++;
  return new PyFloat(n) as unknown as number;
}

export function isPyFloat(v: unknown): v is PyFloat {
  return v instanceof PyFloat;
}

/** Whether this run has made any PyFloat (walks that only unbox can be skipped while none exists). */
export function anyPyFloats(): boolean {
  return made > 0;
}

/** Python's repr() of a float (also what str(), json.dumps and Jinja2 print): `2.0`, `0.5`, `1e+16`, `1.5e-05`. */
export function floatRepr(n: number): string {
  if (Number.isNaN(n)) return 'nan';
  if (!Number.isFinite(n)) return n > 0 ? 'inf' : '-inf';
  if (n === 0) return Object.is(n, -0) ? '-0.0' : '0.0';
  const [mant, exp] = n.toExponential().split('e'); // the shortest digits that read back as n, as Python's repr
  const e = Number(exp);
  if (e < -4 || e >= 16) return `${mant}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
  const s = String(n); // positional in this range, as Python's
  return s.includes('.') ? s : `${s}.0`;
}

/** A copy of `v` with every PyFloat a plain number (the same object when it holds none). */
export function unboxFloats<T>(v: T, depth = 0): T {
  if (!made || v === null || typeof v !== 'object' || depth > 100) return v;
  if (v instanceof PyFloat) return v.valueOf() as T;
  if (Array.isArray(v)) {
    let out: unknown[] | undefined;
    v.forEach((x, i) => {
      const y = unboxFloats(x, depth + 1);
      if (y !== x) (out ??= v.slice())[i] = y;
    });
    return (out ?? v) as T;
  }
  if (Object.getPrototypeOf(v) !== Object.prototype) return v;
  let out: Record<string, unknown> | undefined;
  for (const [k, x] of Object.entries(v)) {
    const y = unboxFloats(x, depth + 1);
    if (y !== x) (out ??= { ...(v as Record<string, unknown>) })[k] = y;
  }
  return (out ?? v) as T;
}

/** A deep copy of a JSON-like value that keeps PyFloats (structuredClone makes them plain Number objects). */
export function cloneValue<T>(v: T): T {
  if (!made) return structuredClone(v);
  const walk = (x: unknown): unknown => {
    if (x === null || typeof x !== 'object') return x;
    if (x instanceof PyFloat) return x; // immutable
    if (Array.isArray(x)) return x.map(walk);
    if (Object.getPrototypeOf(x) !== Object.prototype) return structuredClone(x);
    const o: Record<string, unknown> = {};
    for (const [k, y] of Object.entries(x)) o[k] = walk(y);
    return o;
  };
  return walk(v) as T;
}

/** A JSON.stringify replacer for a Python reader: a PyFloat as `{"__lvs_float": n}` (the reader's object hook makes it float(n)). */
export function floatTagged(_k: string, v: unknown): unknown {
  return v instanceof PyFloat ? { __lvs_float: v.valueOf() } : v;
}

/** The reverse of floatTagged, for JSON.parse: `{"__lvs_float": n}` (a Python float written by a Python writer) as a PyFloat. */
export function floatFromTag(v: unknown): unknown {
  return v !== null && typeof v === 'object' && typeof (v as { __lvs_float?: unknown }).__lvs_float === 'number' ? pyFloat((v as { __lvs_float: number }).__lvs_float) : v;
}

// Keywords that take numbers (a whole float is the number there: Ansible's int/float fields convert it)
const NUMERIC_KEYWORDS = new Set(['timeout', 'retries', 'delay', 'async', 'poll', 'serial', 'max_fail_percentage', 'throttle', 'port', 'loop_control']);

/** A play/block/task keyword's value as the loader keeps it: numbers plain in the numeric keywords. */
export function keywordValue(key: string, v: unknown): unknown {
  return NUMERIC_KEYWORDS.has(key) ? unboxFloats(v) : v;
}

// A number token of JSON text that Python reads as a float (a fraction or an exponent)
const JSON_FLOAT = /-?\d+\.\d*(?:[eE][-+]?\d+)?|-?\d+[eE][-+]?\d+/g;

/** Whether JSON text holds a float with a whole value outside its strings (`2.0`, `1e3`). */
function hasWholeFloat(text: string): boolean {
  if (!/\d[.eE]/.test(text)) return false;
  const bare = text.replace(/"(?:[^"\\]|\\.)*"/g, '""');
  for (const m of bare.matchAll(JSON_FLOAT)) if (Number.isInteger(parseFloat(m[0]))) return true;
  return false;
}

/**
 * JSON as Python's json.loads reads it: a number with a fraction or an exponent is a float, so a
 * whole one (`2.0`, `1e3`) stays one. JSON.parse, and the yaml library's JSON schema again only
 * when the text holds such a number (extra vars, a module's result, a JSON response body).
 */
export function pyJsonLoads(text: string): unknown {
  const v: unknown = JSON.parse(text);
  if (!hasWholeFloat(text)) return v;
  const floatTag = 'tag:yaml.org,2002:float';
  const tags = (all: YAML.Tags): YAML.Tags => all.map((t) => (typeof t === 'object' && t.tag === floatTag ? ({ ...t, resolve: (x: string) => pyFloat(parseFloat(x)) } as YAML.ScalarTag) : t));
  try {
    return YAML.parse(text, { schema: 'json', customTags: tags, uniqueKeys: false, maxAliasCount: -1 }) as unknown;
  } catch {
    return v; // what the yaml library will not read as JSON: JSON.parse's value
  }
}
