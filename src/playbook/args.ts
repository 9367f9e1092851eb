// Module arguments: free-form strings (`ls -l chdir=/tmp`, `name=x value="a b"`) and validation of
// arguments against the module's JSON Schema (at load time and again after templating).
import { ConfigError, type Pos } from '../errors.js';
import { didYouMean } from '../suggest.js';
import type { Vars } from '../types.js';
import { compile, formatErrors } from './check.js';
import { isTemplate } from '../vars/unsafe.js';
import { withAnsibleWords } from '../vars/templerr.js';
import { actionNames, controlAction, lookupModule, markUnknownArg, markUnknownModule, pythonModule, pythonModuleMessage } from './modules.js';
import { controlFreeFormArgs, findControl } from './control.js';
import { parseBool } from '../bool.js';
import { joinArgs, parseKvWords } from './splitlines.js';
import { anyPyFloats, floatRepr, isPyFloat, unboxFloats } from '../vars/pyfloat.js';


export interface Token {
  text: string; // as written (quotes kept)
  start: number; // offset in the string
  end: number;
}

/** Split on whitespace outside quotes and outside Jinja `{{ }}`, `{% %}`, `{# #}`. */
export function splitArgs(s: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < s.length) {
    while (i < s.length && /\s/.test(s[i])) i++;
    if (i >= s.length) break;
    const start = i;
    let quote = '';
    let jinja = 0;
    while (i < s.length) {
      const c = s[i];
      const two = s.slice(i, i + 2);
      if (quote) {
        if (c === '\\' && quote === '"') i++;
        else if (c === quote) quote = '';
      } else if (two === '{{' || two === '{%' || two === '{#') {
        jinja++;
        i++;
      } else if (jinja && (two === '}}' || two === '%}' || two === '#}')) {
        jinja--;
        i++;
      } else if (!jinja && (c === '"' || c === "'")) quote = c;
      else if (!jinja && /\s/.test(c)) break;
      i++;
    }
    out.push({ text: s.slice(start, i), start, end: i });
  }
  return out;
}

export interface FreeForm {
  args: Vars;
  offsets: Record<string, number>; // offset of each argument in the string
  bad: Token[]; // tokens that are not k=v (kv mode)
}

/**
 * Parse a free-form argument string. mode 'raw': k=v tokens whose key is in `known` are arguments,
 * the rest is `_raw_params` (command/shell). mode 'kv': every token must be k=v.
 */
export function parseFreeForm(s: string, mode: 'raw' | 'kv', known: string[] = []): FreeForm {
  const kv = parseKvWords(s, mode === 'raw' ? (k) => !known.includes(k) || k === '_raw_params' : undefined);
  const offsets: Record<string, number> = {};
  for (const [k, off] of Object.entries(kv.offsets)) offsets[k] = Math.max(0, off);
  const bad: Token[] = [];
  if (mode === 'raw') {
    kv.args._raw_params = joinArgs(kv.raw.map((r) => r.word));
    offsets._raw_params = Math.max(0, kv.raw[0]?.start ?? 0);
  } else for (const r of kv.raw) bad.push({ text: r.word, start: Math.max(0, r.start), end: Math.max(0, r.start) + r.word.length });
  return { args: kv.args, offsets, bad };
}

/** How a control action's free-form string maps to arguments. */
export function controlFreeForm(action: string, s: string): FreeForm {
  const c = findControl(action)!;
  return { ...controlFreeFormArgs(c, s, (x) => parseFreeForm(x, 'kv')), bad: [] };
}

/**
 * Validate a task's arguments against its module's schema. Converts in place what Ansible
 * converts (yes/no strings to booleans, numbers to strings, ...). Templated values are skipped.
 */
export function validateModuleArgs(
  action: string,
  args: Vars,
  pos: Pos,
  argsPos?: Record<string, Pos>,
  keyPos?: Record<string, Pos>, // where each argument's name is written (unknown-argument errors)
  defaults = true, // absent arguments get their schema defaults, so modules never repeat them (the loader passes false: it keeps args as written)
): ConfigError[] {
  const mod = lookupModule(action);
  const ctl = mod ? undefined : controlAction(action);
  if (!mod && !ctl) {
    const py = pythonModule(action);
    if (py) return [new ConfigError(pythonModuleMessage(action, py), pos)];
    const dym = didYouMean(action, actionNames());
    return [markUnknownModule(new ConfigError(`unknown module '${action}'${dym ? ` (${dym})` : ''}`, pos), action)];
  }
  const name = mod?.name ?? ctl!;
  const schema = (mod ? mod.schema : findControl(ctl!)!.schema) as { properties?: Record<string, { type?: unknown }>; additionalProperties?: unknown };
  const props = schema.properties ?? {};
  const errors: ConfigError[] = [];
  const at = (k: string | undefined): Pos => (k !== undefined && argsPos?.[k]) || pos;
  // unknown arguments, with did-you-mean (also when the schema does not forbid them itself)
  const names = Object.keys(props);
  const data: Vars = { ...args };
  if (anyPyFloats()) {
    for (const [k, v] of Object.entries(data)) {
      const bad: string[] = [];
      data[k] = floatsFor(props[k] as SchemaNode | undefined, v, k, bad);
      for (const name of bad) errors.push(withAnsibleWords(new ConfigError(`${name}: a float cannot be an integer here`, at(k)), `argument '${name}' is of type <class 'float'> and we were unable to convert to int: <class 'float'> cannot be converted to an int`));
    }
  }
  if (mod?.freeForm === 'raw' && !('_raw_params' in props)) delete data._raw_params;
  if (names.length && schema.additionalProperties !== true && typeof schema.additionalProperties !== 'object') {
    for (const k of Object.keys(data)) {
      if (k in props) continue;
      const why = mod?.unsupportedArgs?.[k];
      if (why !== undefined) {
        errors.push(markUnknownArg(new ConfigError(`argument '${k}' of module ${name} is not supported by lvsplay${why ? ` (${why})` : ''}`, keyPos?.[k] ?? at(k)), k));
        delete data[k];
        continue;
      }
      const dym = didYouMean(k, names);
      errors.push(markUnknownArg(new ConfigError(`unknown argument '${k}' for module ${name}${dym ? ` (${dym})` : ''}; expected one of: ${names.join(', ')}`, keyPos?.[k] ?? at(k)), k));
      delete data[k];
    }
  }
  // booleans written as yes/no/on/off (Ansible accepts them in every boolean argument)
  for (const [k, v] of Object.entries(data)) {
    const t = props[k]?.type;
    const isBool = t === 'boolean' || (Array.isArray(t) && t.includes('boolean') && !t.includes('string'));
    const b = isBool && typeof v === 'string' && !isTemplate(v) ? parseBool(v) : undefined;
    if (b !== undefined) data[k] = b;
  }
  const validate = compile(schema, true, defaults);
  validate(data);
  const errs = (validate.errors ?? []).filter((e) => !(e.keyword === 'additionalProperties' && e.instancePath === ''));
  errors.push(
    ...formatErrors(errs, data, {
      posFor: (segs) => at(segs[0]),
      prefix: `${name} argument `,
      propWord: 'argument',
      subject: `module ${name}`,
    }),
  );
  // keep the conversions (ajv coerces in place on `data`)
  for (const k of Object.keys(data)) args[k] = data[k];
  // only required arguments missing: Ansible's words for the task's msg (an alias group by its first name)
  const missing = missingRequired(schema as { required?: string[]; anyOf?: unknown[] }, data);
  if (missing.length && errors.length && errs.every((e) => (e.keyword === 'required' || e.keyword === 'anyOf') && e.instancePath === '') && errors.length === errs.filter((e) => e.keyword === 'required').length) {
    for (const e of errors) withAnsibleWords(e, `missing required arguments: ${missing.sort().join(', ')}`);
  }
  return errors;
}

interface SchemaNode {
  type?: string | string[];
  anyOf?: SchemaNode[];
  oneOf?: SchemaNode[];
  items?: SchemaNode;
  properties?: Record<string, SchemaNode>;
  additionalProperties?: unknown;
}

/** The JSON types a schema node accepts (its own and its anyOf/oneOf branches'), undefined when it says none. */
function typesOf(s: SchemaNode | undefined): string[] | undefined {
  if (!s) return undefined;
  const out = s.type === undefined ? [] : Array.isArray(s.type) ? [...s.type] : [s.type];
  for (const b of [...(s.anyOf ?? []), ...(s.oneOf ?? [])]) out.push(...(typesOf(b) ?? []));
  return out.length ? out : undefined;
}

/**
 * Whole floats (src/vars/pyfloat.ts) as a module's argument `s` takes them, as Ansible's argument
 * spec converts a float: its text where a string is accepted (str(2.0) is '2.0'), the number where
 * a number is, refused where only an integer is (`bad` gets the argument's name); through list items
 * and mapping values. Where the schema says no type (debug's msg) the float stays one.
 */
function floatsFor(s: SchemaNode | undefined, v: unknown, name: string, bad: string[]): unknown {
  if (isPyFloat(v)) {
    const t = typesOf(s);
    if (!t) return v;
    if (t.includes('string')) return floatRepr(v.valueOf());
    if (t.includes('integer') && !t.includes('number')) bad.push(name);
    return v.valueOf();
  }
  if (Array.isArray(v)) return v.map((x) => floatsFor(s?.items, x, name, bad));
  if (v !== null && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
    const extra = typeof s?.additionalProperties === 'object' ? (s.additionalProperties as SchemaNode) : undefined;
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, floatsFor(s?.properties?.[k] ?? extra, x, name, bad)]));
  }
  return unboxFloats(v);
}

/** The required arguments a module's arguments lack, as Ansible names them (an anyOf group of aliases: its first). */
function missingRequired(schema: { required?: string[]; anyOf?: unknown[] }, data: Vars): string[] {
  const out = (schema.required ?? []).filter((k) => !(k in data));
  const groups = (schema.anyOf ?? []).map((x) => (x as { required?: string[] }).required ?? []);
  if (groups.length && groups.every((g) => g.length === 1) && groups.every((g) => !(g[0] in data))) out.push(groups[0][0]);
  return out;
}
