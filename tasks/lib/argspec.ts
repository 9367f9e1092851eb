// Ansible's role argument validation (ArgumentSpecValidator as validate_argument_spec uses it):
// required, type (with Ansible's conversions), elements, choices, options of dicts, unknown
// parameters; the messages Ansible prints (its list of valid booleans is in a random order there). Values are only checked: Ansible 2.14 sets no variable (not even defaults).
import type { Vars } from '../../src/types.js';
import { floatRepr, isPyFloat } from '../../src/vars/pyfloat.js';

const BOOLS_TRUE = ['y', 'yes', 'on', '1', 'true', 't', '1.0'];
const BOOLS_FALSE = ['n', 'no', 'off', '0', 'false', 'f', '0.0'];
const VALID_BOOLS = "0, 1, '1', 'yes', 'on', 'true', 't', 'f', 'no', 'false', 'y', 'n', '0', 'off'";

/** Python's class of a value as Ansible's messages print it (strings read from YAML are AnsibleUnicode there: not told apart here). */
function pyClass(v: unknown): string {
  if (isPyFloat(v)) return "<class 'float'>";
  if (typeof v === 'string') return "<class 'str'>";
  if (typeof v === 'boolean') return "<class 'bool'>";
  if (typeof v === 'number') return Number.isInteger(v) ? "<class 'int'>" : "<class 'float'>";
  if (v === null || v === undefined) return "<class 'NoneType'>";
  return Array.isArray(v) ? "<class 'list'>" : "<class 'dict'>";
}

/** The converted value, or throws the reason Ansible gives. */
function convert(v: unknown, type: string): unknown {
  const cannot = (what: string): never => { throw new Error(`${pyClass(v)} cannot be converted to ${what}`); };
  if (isPyFloat(v)) {
    // a float with a whole value (YAML's 2.0): a float to Ansible, its text 2.0
    if (type === 'str' || type === 'path') return floatRepr(v.valueOf());
    if (type === 'float' || type === 'raw') return v;
    if (type === 'bool') return convert(floatRepr(v.valueOf()), type);
    if (type === 'int') return cannot('an int');
  }
  switch (type) {
    case 'raw': return v;
    case 'str': case 'path': return typeof v === 'string' ? v : v !== null && typeof v === 'object' ? JSON.stringify(v) : String(v);
    case 'int':
      if (typeof v === 'number' && Number.isInteger(v)) return v;
      if (typeof v === 'boolean') return v ? 1 : 0;
      if (typeof v === 'string' && /^\s*[-+]?\d+\s*$/.test(v)) return parseInt(v, 10);
      return cannot('an int');
    case 'float':
      if (typeof v === 'number') return v;
      if (typeof v === 'string' && v.trim() !== '' && !Number.isNaN(Number(v))) return Number(v);
      return cannot('a float');
    case 'bool': {
      if (typeof v === 'boolean') return v;
      if (typeof v === 'string' || typeof v === 'number') {
        const s = String(v).toLowerCase();
        if (BOOLS_TRUE.includes(s)) return true;
        if (BOOLS_FALSE.includes(s)) return false;
        throw new Error(`The value '${v}' is not a valid boolean.  Valid booleans include: ${VALID_BOOLS}`);
      }
      return cannot('a bool');
    }
    case 'list':
      if (Array.isArray(v)) return v;
      if (typeof v === 'string') return v.split(',');
      if (typeof v === 'number') return [String(v)];
      return cannot('a list');
    case 'dict':
      if (v !== null && typeof v === 'object' && !Array.isArray(v)) return v;
      return cannot('a dict');
    default:
      throw new Error(`type '${type}' is not supported by lvsplay's argument validation`);
  }
}

type Spec = Record<string, Vars>;

/** Ansible's error messages for `params` against `spec`; parameters the spec lacks are named last. */
export function validateArgs(spec: Spec, params: Vars): string[] {
  const un = { names: [] as string[], supported: [] as string[] };
  const errs = check(spec, params, [], un);
  if (un.names.length) errs.push(`${un.names.sort().join(', ')}. Supported parameters include: ${un.supported.join(', ')}.`);
  return errs;
}

function check(spec: Spec, params: Vars, context: string[], un: { names: string[]; supported: string[] }): string[] {
  const errs: string[] = [];
  const extra = Object.keys(params).filter((k) => !(k in spec));
  if (extra.length) {
    un.names.push(...extra.map((k) => [...context, k].join('.')));
    un.supported = Object.keys(spec).sort();
  }
  const where = context.length ? ` found in ${context.join(' -> ')}` : '';
  const missing = Object.keys(spec).filter((k) => spec[k]?.required === true && params[k] === undefined).sort();
  if (missing.length) errs.push(`missing required arguments: ${missing.join(', ')}${where}`);
  const values: Vars = {};
  for (const [k, s] of Object.entries(spec)) {
    if (params[k] === undefined || params[k] === null) continue;
    const type = String(s?.type ?? 'str');
    try {
      values[k] = convert(params[k], type);
    } catch (e) {
      errs.push(`argument '${k}' is of type ${pyClass(params[k])}${where} and we were unable to convert to ${type}: ${(e as Error).message}`);
      continue;
    }
    if (type === 'list' && s.elements !== undefined) {
      const et = String(s.elements);
      values[k] = (values[k] as unknown[]).map((x) => {
        try {
          return convert(x, et);
        } catch (e) {
          errs.push(`Elements value for option '${k}'${where} is of type ${pyClass(x)} and we were unable to convert to ${et}: ${(e as Error).message}`);
          return x;
        }
      });
    }
  }
  for (const [k, s] of Object.entries(spec)) {
    if (!Array.isArray(s?.choices) || values[k] === undefined) continue;
    const vals = Array.isArray(values[k]) ? (values[k] as unknown[]) : [values[k]];
    const bad = vals.filter((x) => !(s.choices as unknown[]).some((c) => String(c) === String(x)));
    if (!bad.length) continue;
    const choices = (s.choices as unknown[]).map(String).join(', ');
    errs.push(Array.isArray(values[k])
      ? `value of ${k} must be one or more of: ${choices}. Got no match for: ${bad.map(String).join(', ')}${where}`
      : `value of ${k} must be one of: ${choices}, got: ${String(params[k])}${where}`);
  }
  for (const [k, s] of Object.entries(spec)) {
    if (!s?.options || values[k] === undefined) continue;
    const subs = s.type === 'list' ? (values[k] as unknown[]) : [values[k]];
    for (const sub of subs) if (sub && typeof sub === 'object') errs.push(...check(s.options as Spec, sub as Vars, [...context, k], un));
  }
  return errs;
}
