// ajv (allErrors) and the translation of its errors into ConfigErrors at FILE:LINE:COL, naming
// what was expected. Values that are templates (`{{ ... }}`) are not type-checked here: the
// executor validates again after templating.
import type { ErrorObject, ValidateFunction } from 'ajv';
import { ConfigError, type Pos } from '../errors.js';
import { didYouMean } from '../suggest.js';
import { kindOf } from './yamlfile.js';
import { cachedCompile } from './ajvcache.js';
import { isTemplate } from '../vars/unsafe.js';

// ajv itself (~200 files) is loaded only when a schema is not in the validator cache.
const opts = (coerceTypes: boolean, useDefaults: boolean) => ({ allErrors: true, verbose: true, strict: false, coerceTypes, useDefaults, code: { source: true } });

const caches = new Map<string, WeakMap<object, ValidateFunction>>();

/** A validator; coerce: convert types as Ansible does; defaults: fill absent arguments with the schema's defaults (run time). */
export function compile(schema: object, coerce = false, defaults = false): ValidateFunction {
  const flavour = defaults ? 'defaults' : coerce ? 'coerce' : 'plain';
  let c = caches.get(flavour);
  if (!c) caches.set(flavour, (c = new WeakMap()));
  let v = c.get(schema);
  if (!v) {
    v = cachedCompile(flavour, schema, opts(coerce || defaults, defaults));
    c.set(schema, v);
  }
  return v;
}

const ARTICLE: Record<string, string> = {
  string: 'a string',
  boolean: 'a boolean (true/false)',
  integer: 'an integer',
  number: 'a number',
  object: 'a mapping',
  array: 'a list',
  null: 'empty',
};

function expected(types: unknown): string {
  const list = (Array.isArray(types) ? types : [types]).map((t) => ARTICLE[String(t)] ?? String(t));
  return list.length > 1 ? `${list.slice(0, -1).join(', ')} or ${list[list.length - 1]}` : list[0];
}

export function shortValue(v: unknown): string {
  const s = JSON.stringify(v) ?? String(v);
  return s.length > 40 ? `${s.slice(0, 37)}...` : s;
}

function valueAt(data: unknown, segs: string[]): unknown {
  let cur = data;
  for (const s of segs) {
    if (cur && typeof cur === 'object') cur = (cur as Record<string, unknown>)[s];
    else return undefined;
  }
  return cur;
}

export interface FormatOpts {
  /** Position of the value at a path (key=true: of the key naming it). */
  posFor: (segs: string[], key: boolean) => Pos | undefined;
  /** Prefix of names in messages, e.g. "sysctl argument " (default: none). */
  prefix?: string;
  /** What an unknown property is called ("argument", "keyword"). */
  propWord?: string;
  /** What the checked mapping is, for 'missing required' messages ("module sysctl"). */
  subject?: string;
}

/** ConfigErrors for ajv errors, one per value, skipping templated values. */
export function formatErrors(errs: ErrorObject[] | null | undefined, data: unknown, o: FormatOpts): ConfigError[] {
  const out: ConfigError[] = [];
  const seen = new Set<string>();
  const prefix = o.prefix ?? '';
  for (const e of errs ?? []) {
    if (['anyOf', 'oneOf', 'if', 'not'].includes(e.keyword)) continue;
    const segs = e.instancePath.split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
    const value = valueAt(data, segs);
    const name = segs.join('.') === '_raw_params' && prefix ? `${prefix.replace(/argument $/, '')}value` : `${prefix}'${segs.join('.')}'`;
    const props = Object.keys((e.parentSchema as { properties?: object } | undefined)?.properties ?? {});
    let msg: string;
    let pos = o.posFor(segs, false);
    if (e.keyword === 'additionalProperties') {
      const extra = String((e.params as { additionalProperty: string }).additionalProperty);
      const dym = didYouMean(extra, props);
      const where = segs.length ? ` in ${name}` : '';
      msg = `unknown ${o.propWord ?? 'key'} '${extra}'${where}${dym ? ` (${dym})` : ''}; expected one of: ${props.join(', ')}`;
      pos = o.posFor([...segs, extra], true) ?? pos;
      segs.push(extra);
    } else if (e.keyword === 'required') {
      const miss = String((e.params as { missingProperty: string }).missingProperty);
      msg = segs.length ? `${name} requires '${miss}'` : `missing required ${o.propWord ?? 'key'} '${miss}'${o.subject ? ` for ${o.subject}` : ''}`;
      segs.push(`?${miss}`);
    } else {
      const says = e.parentSchema as { expected?: string; alsoAccepted?: string; badName?: string; notTemplated?: boolean } | undefined;
      if (isTemplate(value) && !says?.notTemplated) continue;
      if (says?.badName && e.keyword === 'propertyNames') {
        msg = `${name}: '${String((e.params as { propertyName?: string }).propertyName)}' ${says.badName}`;
      } else if (says?.expected && (e.keyword === 'type' || e.keyword === 'pattern')) {
        msg = `${name} must be ${says.expected}, got ${kindOf(value)}${value === null ? '' : ` ${shortValue(value)}`}${says.alsoAccepted ? ` (${says.alsoAccepted})` : ''}`;
      } else if (e.keyword === 'type') {
        msg = `${name} must be ${expected((e.params as { type: unknown }).type)}, got ${kindOf(value)}${value === null ? '' : ` ${shortValue(value)}`}`;
      } else if (e.keyword === 'enum') {
        const allowed = (e.params as { allowedValues: unknown[] }).allowedValues.map(String);
        const dym = typeof value === 'string' ? didYouMean(value, allowed) : '';
        msg = `${name} must be one of ${allowed.join(', ')}, got ${shortValue(value)}${dym ? ` (${dym})` : ''}`;
      } else if (e.keyword === 'pattern' && (e.params as { pattern: string }).pattern === '^[A-Za-z_][A-Za-z0-9_]*$') {
        msg = `${name} must be a valid variable name (letters, digits and _, not starting with a digit), got ${shortValue(value)}`;
      } else if (['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum'].includes(e.keyword)) {
        const p = e.params as { comparison: string; limit: number };
        msg = `${name} must be ${p.comparison} ${p.limit}, got ${shortValue(value)}`;
      } else {
        msg = `${name} ${e.message ?? 'is invalid'}, got ${shortValue(value)}`;
      }
    }
    const k = segs.join('/');
    if (seen.has(k)) continue;
    seen.add(k);
    out.push(new ConfigError(msg, pos));
  }
  return out;
}
