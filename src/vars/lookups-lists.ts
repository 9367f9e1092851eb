// Lookups that reshape lists (the with_* loops over data): items, list, flattened, indexed_items,
// dict, together, nested, subelements, sequence, random_choice — items shaped as Ansible 2.14's.
import { randomInt } from 'node:crypto';
import { joinArgs, parseKv, splitArgsLines } from '../playbook/splitlines.js';
import { percentFormat } from './filters-format.js';
import type { Plugin } from './lookup-types.js';
import { isMapping, pyRepr, pyStr } from './pystr.js';

/** One level: list terms are spliced in, others kept (Ansible's LookupBase._flatten). */
export const flatOnce = (terms: unknown[]): unknown[] => terms.flatMap((t) => (Array.isArray(t) ? t : [t]));

/** flattened: every level; the string 'None' or 'null' ends the list it is in (Ansible's "undefined items"). */
function flattenDeep(terms: unknown[]): unknown[] {
  const out: unknown[] = [];
  for (let t of terms) {
    while (Array.isArray(t) && t.length === 1) t = t[0];
    if (t === 'None' || t === 'null') break;
    if (Array.isArray(t)) out.push(...flattenDeep(t));
    else out.push(t);
  }
  return out;
}

function subelements(terms: unknown[]): unknown[] {
  const termsError = (more = '') => new Error(`subelements lookup expects a list of two or three items, ${more}`);
  if (terms.length < 2 || terms.length > 3) throw termsError();
  // as Ansible's listify: a scalar first term is a list of one (whose item then is no dictionary)
  const first = isMapping(terms[0]) || Array.isArray(terms[0]) ? terms[0] : [terms[0]];
  if (typeof terms[1] !== 'string') throw termsError('first a dict or a list, second a string pointing to the subkey');
  const flags = terms[2] ?? {};
  if (!isMapping(flags)) throw termsError('the optional third item must be a dict with flags skip_missing');
  const skipMissing = flags.skip_missing === true || ['yes', 'true', 'on', '1', 'y', 't'].includes(String(flags.skip_missing).toLowerCase());
  if (isMapping(first) && first.skipped !== undefined && first.skipped !== false) return []; // a registered result that was skipped as a whole
  const parents = isMapping(first) ? Object.values(first) : (first as unknown[]);
  const keys = terms[1].split('.');
  const out: unknown[] = [];
  for (const p0 of parents) {
    if (!isMapping(p0)) throw new Error(`subelements lookup expects a dictionary, got '${pyStr(p0)}'`);
    if (p0.skipped !== undefined && p0.skipped !== false) continue;
    const parent: Record<string, unknown> = { ...p0 };
    let holder: Record<string, unknown> = parent;
    let list: unknown[] = [];
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i];
      if (!(k in holder)) {
        if (skipMissing) break;
        throw new Error(`could not find '${k}' key in iterated item '${pyStr(holder)}'`);
      }
      const v = holder[k];
      if (i < keys.length - 1) {
        if (!isMapping(v)) {
          if (skipMissing) break;
          throw new Error(`the key ${k} should point to a dictionary, got '${pyStr(v)}'`);
        }
        holder = holder[k] = { ...v };
      } else {
        if (!Array.isArray(v)) throw new Error(`the key ${k} should point to a list, got '${pyStr(v)}'`);
        list = v;
        delete holder[k]; // Ansible's parent item no longer holds the list it was split on
      }
    }
    for (const sub of list) out.push([parent, sub]);
  }
  return out;
}

// Ansible's shortcut `[start-]end[/stride][:format]`: its numbers are hex-digit words (`A-4` matches and
// then fails as an integer, as in Ansible), no sign
const NUM = '(0?x?[0-9a-f]+)';
const SHORTCUT = new RegExp(`^(?:${NUM}-)?${NUM}(?:/${NUM})?(?::(.+))?$`, 'i');

/** Python's int(s, 0): a sign, 0x/0o/0b prefixes, `_` between digits, no leading zero in decimals. */
function pyInt(s: string, what: string): number {
  const t = s.trim().toLowerCase();
  const neg = t.startsWith('-');
  const body = t.replace(/^[-+]/, '');
  const digits = (d: string) => `[${d}](?:_?[${d}])*`;
  let n: number;
  if (new RegExp(`^0x_?${digits('0-9a-f')}$`).test(body)) n = parseInt(body.slice(2).replace(/_/g, ''), 16);
  else if (new RegExp(`^0o_?${digits('0-7')}$`).test(body)) n = parseInt(body.slice(2).replace(/_/g, ''), 8);
  else if (new RegExp(`^0b_?${digits('01')}$`).test(body)) n = parseInt(body.slice(2).replace(/_/g, ''), 2);
  else if (/^(?:0(?:_?0)*|[1-9](?:_?\d)*)$/.test(body)) n = parseInt(body.replace(/_/g, ''), 10);
  else throw new Error(`can't parse ${what}=${s} as integer`);
  return neg ? -n : n;
}

/** One `sequence` term: `start=1 end=5 stride=1 format=%d`, `count=N`, or the shortcut `[start-]end[/stride][:format]`. */
function sequence(term: string): string[] {
  const o: Record<string, string> = {};
  const m = SHORTCUT.exec(term);
  if (m) [, o.start, o.end, o.stride, o.format] = m;
  else Object.assign(o, parseKv(term)); // k=v words are options, the other words `_raw_params`; unknown ones are refused after the numbers
  let start = o.start !== undefined ? pyInt(o.start, 'start') : 1;
  let end = o.end !== undefined ? pyInt(o.end, 'end') : undefined;
  const count = o.count !== undefined && !m ? pyInt(o.count, 'count') : undefined;
  let stride = o.stride !== undefined ? pyInt(o.stride, 'stride') : 1;
  const extra = m ? [] : Object.keys(o).filter((k) => !['start', 'end', 'count', 'stride', 'format'].includes(k));
  if (extra.length) throw new Error(`unrecognized arguments to with_sequence: ${pyRepr(extra)}`);
  const format = o.format ?? '%d';
  if (count === undefined && end === undefined) throw new Error('must specify count or end in with_sequence');
  if (count !== undefined && end !== undefined) throw new Error("can't specify both count and end in with_sequence");
  if (count !== undefined) {
    if (count !== 0) end = start + count * stride - 1;
    else start = end = stride = 0;
  }
  if (stride > 0 && end! < start) throw new Error('to count backwards make stride negative');
  if (stride < 0 && end! > start) throw new Error("to count forward don't make stride negative");
  if ((format.match(/%/g) ?? []).length !== 1) throw new Error(`bad formatting string: ${format}`);
  if (stride === 0) return [];
  const out: string[] = [];
  const stop = end! + (stride > 0 ? 1 : -1);
  for (let n = start; stride > 0 ? n < stop : n > stop; n += stride) out.push(percentFormat(format, [n]));
  return out;
}

function nested(terms: unknown[]): unknown[] {
  const lists = terms.map((t) => (Array.isArray(t) ? t : [t]));
  if (lists.length === 0) throw new Error('with_nested requires at least one element in the nested list');
  let acc: unknown[] = lists[0];
  for (const next of lists.slice(1)) acc = acc.flatMap((x) => next.map((y) => flatOnce([x, y])));
  return acc.map((x) => flatOnce(Array.isArray(x) ? x : [x]));
}

export const listPlugins: Record<string, Plugin> = {
  items: (terms) => flatOnce(terms),
  list: (terms) => terms,
  flattened: (terms) => flattenDeep(terms),
  indexed_items: (terms) => flatOnce(terms).map((x, i) => [i, x]),
  dict: (terms) =>
    terms.flatMap((d) => {
      if (!isMapping(d)) throw new Error(`with_dict expects a dict`);
      return Object.entries(d).map(([key, value]) => ({ key, value }));
    }),
  together: (terms) => {
    const lists = terms.map((t) => (Array.isArray(t) ? t : [t]));
    if (lists.length === 0) throw new Error('with_together requires at least one element in each list');
    const n = Math.max(0, ...lists.map((l) => l.length));
    return Array.from({ length: n }, (_x, i) => flatOnce(lists.map((l) => (i < l.length ? l[i] : null))));
  },
  nested,
  subelements,
  sequence: (terms) => terms.flatMap((t) => sequence(String(t))),
  random_choice: (terms) => (terms.length ? [terms[randomInt(terms.length)]] : terms),
};
