// Ansible/Jinja filters on lists and dicts.
import { isMapping, pyStr, pyType, truthy } from './pystr.js';
import { pyJsonDumps } from './pyjson.js';
import { attrOf, type Kw, param, pyCmp, pyEq, toList, uniq } from './filters-util.js';

/* eslint-disable @typescript-eslint/no-explicit-any */
export type DataFilterFn = (this: any, v: unknown, a: unknown[], kw: Kw) => unknown;

function needList(v: unknown, name: string): unknown[] {
  if (Array.isArray(v)) return v;
  if (typeof v === 'string' || isMapping(v)) return toList(v, name);
  throw new Error(`${name}: expected a list, got ${v === null ? 'None' : typeof v}`);
}

function needDict(v: unknown, name: string): Record<string, unknown> {
  if (!isMapping(v)) throw new Error(`${name} requires a dictionary, got ${Array.isArray(v) ? 'list' : v === null ? 'None' : typeof v} instead.`);
  return v;
}

/** Both sides of a merge must be mappings (Ansible's _validate_mutable_mappings, with its message). */
function mergeable(a: unknown, b: unknown): [Record<string, unknown>, Record<string, unknown>] {
  if (isMapping(a) && isMapping(b)) return [a, b];
  throw new Error(`failed to combine variables, expected dicts but got a '${pyType(a)}' and a '${pyType(b)}': \n${pyJsonDumps(a)}\n${pyJsonDumps(b)}`);
}

/** Ansible's merge_hash with its defaults (recursive, lists replaced). */
export const mergeHash = (a: Record<string, unknown>, b: Record<string, unknown>): Record<string, unknown> => merge(a, b, true, 'replace');

function merge(a: Record<string, unknown>, b: Record<string, unknown>, recursive: boolean, listMerge: string): Record<string, unknown> {
  const out: Record<string, unknown> = { ...a };
  for (const [k, v] of Object.entries(b)) {
    const cur = out[k];
    if (recursive && isMapping(cur) && isMapping(v)) out[k] = merge(cur, v, true, listMerge);
    else if (Array.isArray(cur) && Array.isArray(v) && listMerge !== 'replace') {
      if (listMerge === 'append') out[k] = [...cur, ...v];
      else if (listMerge === 'prepend') out[k] = [...v, ...cur];
      else if (listMerge === 'append_rp') out[k] = [...cur.filter((x) => !v.some((y) => pyEq(x, y))), ...v];
      else if (listMerge === 'prepend_rp') out[k] = [...v, ...cur.filter((x) => !v.some((y) => pyEq(x, y)))];
      else if (listMerge === 'keep') out[k] = cur;
      else throw new Error(`combine: unknown list_merge '${listMerge}'`);
    } else if (listMerge === 'keep' && Array.isArray(cur) && Array.isArray(v)) out[k] = cur;
    else out[k] = v;
  }
  return out;
}

function flatten(l: unknown[], levels: number | null, skipNulls: boolean): unknown[] {
  const out: unknown[] = [];
  for (const x of l) {
    if (skipNulls && (x === null || x === undefined || x === 'None' || x === 'null')) continue;
    if (Array.isArray(x) && (levels === null || levels > 0)) out.push(...flatten(x, levels === null ? null : levels - 1, skipNulls));
    else out.push(x);
  }
  return out;
}

function sortKey(kw: Kw) {
  const attr = kw.attribute;
  return (x: unknown) => (attr === undefined || attr === null ? x : attrOf(x, attr));
}

function callTest(ctx: any, name: unknown, v: unknown, args: unknown[]): boolean {
  const fn = ctx.env.getTest(String(name));
  return fn.call(ctx, v, ...args) === true;
}

export const dataFilters: Record<string, DataFilterFn> = {
  default: (v, a) => (v === undefined || (a[1] === true && !truthy(v)) ? (a[0] === undefined ? '' : a[0]) : v),
  ternary: (v, a) => (v === null && a.length > 2 ? a[2] : truthy(v) ? a[0] : a[1]),
  join: (v, a, kw) => {
    const sep = pyStr(param(a, kw, 0, 'd', ''));
    const attr = param<unknown>(a, kw, 1, 'attribute', undefined);
    return needList(v, 'join').map((x) => pyStr(attr === undefined ? x : attrOf(x, attr))).join(sep);
  },
  length: (v) => (v === null || v === undefined ? 0 : isMapping(v) ? Object.keys(v).length : (v as { length?: number }).length ?? 0),
  list: (v) => (v === null || v === undefined ? [] : [...toList(v, 'list')]),
  dict: (v) => (isMapping(v) ? { ...v } : Object.fromEntries(needList(v, 'dict').map((p) => [pyStr((p as unknown[])[0]), (p as unknown[])[1]]))),
  first: (v) => (typeof v === 'string' ? v[0] : needList(v, 'first')[0]),
  last: (v) => (typeof v === 'string' ? v[v.length - 1] : needList(v, 'last').slice(-1)[0]),
  reverse: (v) => (typeof v === 'string' ? [...v].reverse().join('') : [...needList(v, 'reverse')].reverse()),
  min: (v, a, kw) => {
    const key = sortKey(kw);
    const l = needList(v, 'min');
    return l.reduce((m, x) => (pyCmp(key(x), key(m), Boolean(kw.case_sensitive)) < 0 ? x : m), l[0]);
  },
  max: (v, a, kw) => {
    const key = sortKey(kw);
    const l = needList(v, 'max');
    return l.reduce((m, x) => (pyCmp(key(x), key(m), Boolean(kw.case_sensitive)) > 0 ? x : m), l[0]);
  },
  sum: (v, a, kw) => needList(v, 'sum').reduce((s: number, x) => s + Number(kw.attribute ? attrOf(x, kw.attribute) : x), Number(kw.start ?? a[1] ?? 0)),
  sort: (v, a, kw) => {
    const reverse = Boolean(param(a, kw, 0, 'reverse', false));
    const cs = Boolean(param(a, kw, 1, 'case_sensitive', false));
    const key = sortKey({ attribute: param(a, kw, 2, 'attribute', undefined) });
    const out = [...needList(v, 'sort')].sort((x, y) => pyCmp(key(x), key(y), cs));
    return reverse ? out.reverse() : out;
  },
  unique: (v, a, kw) => {
    const l = needList(v, 'unique');
    if (!kw.attribute) return uniq(l);
    const seen: unknown[] = [];
    return l.filter((x) => {
      const k = attrOf(x, kw.attribute);
      if (seen.some((s) => pyEq(s, k))) return false;
      seen.push(k);
      return true;
    });
  },
  union: (v, a) => uniq([...needList(v, 'union'), ...needList(a[0], 'union')]),
  intersect: (v, a) => uniq(needList(v, 'intersect').filter((x) => needList(a[0], 'intersect').some((y) => pyEq(x, y)))),
  difference: (v, a) => uniq(needList(v, 'difference').filter((x) => !needList(a[0], 'difference').some((y) => pyEq(x, y)))),
  symmetric_difference: (v, a) => {
    const x = needList(v, 'symmetric_difference');
    const y = needList(a[0], 'symmetric_difference');
    return uniq([...x.filter((e) => !y.some((f) => pyEq(e, f))), ...y.filter((e) => !x.some((f) => pyEq(e, f)))]);
  },
  flatten: (v, a, kw) => flatten(needList(v, 'flatten'), (param(a, kw, 0, 'levels', null) as number | null) ?? null, Boolean(param(a, kw, 1, 'skip_nulls', true))),
  // Ansible's combine: the terms flattened one level (None, 'None' and 'null' left out); none is {},
  // one is returned as it is, more are merged left to right
  combine: (v, a, kw) => {
    if (Object.keys(kw).some((k) => k !== 'recursive' && k !== 'list_merge')) throw new Error("'recursive' and 'list_merge' are the only valid keyword arguments");
    const dicts = flatten([v, ...a], 1, true);
    if (dicts.length === 0) return {};
    if (dicts.length === 1) return dicts[0];
    return dicts.slice(1).reduce((acc: unknown, d) => merge(...mergeable(acc, d), Boolean(kw.recursive), String(kw.list_merge ?? 'replace')), dicts[0]);
  },
  zip: (v, a) => {
    const lists = [needList(v, 'zip'), ...a.map((x) => needList(x, 'zip'))];
    const n = Math.min(...lists.map((l) => l.length));
    return Array.from({ length: n }, (_, i) => lists.map((l) => l[i]));
  },
  zip_longest: (v, a, kw) => {
    const lists = [needList(v, 'zip_longest'), ...a.map((x) => needList(x, 'zip_longest'))];
    const n = Math.max(...lists.map((l) => l.length));
    return Array.from({ length: n }, (_, i) => lists.map((l) => (i < l.length ? l[i] : kw.fillvalue ?? null)));
  },
  map: function (v, a, kw) {
    const l = needList(v, 'map');
    if (kw.attribute !== undefined) return l.map((x) => attrOf(x, kw.attribute) ?? ('default' in kw ? kw.default : undefined));
    if (a[0] === undefined) throw new Error("map: expected a filter name or attribute='...'");
    const f = this.env.getFilter(String(a[0]));
    return l.map((x) => f.call(this, x, ...a.slice(1), ...(Object.keys(kw).length ? [{ ...kw, __keywords: true }] : [])));
  },
  select: function (v, a) {
    return needList(v, 'select').filter((x) => (a[0] === undefined ? truthy(x) : callTest(this, a[0], x, a.slice(1))));
  },
  reject: function (v, a) {
    return needList(v, 'reject').filter((x) => !(a[0] === undefined ? truthy(x) : callTest(this, a[0], x, a.slice(1))));
  },
  selectattr: function (v, a) {
    return needList(v, 'selectattr').filter((x) => (a[1] === undefined ? truthy(attrOf(x, a[0])) : callTest(this, a[1], attrOf(x, a[0]), a.slice(2))));
  },
  rejectattr: function (v, a) {
    return needList(v, 'rejectattr').filter((x) => !(a[1] === undefined ? truthy(attrOf(x, a[0])) : callTest(this, a[1], attrOf(x, a[0]), a.slice(2))));
  },
};
dataFilters.d = dataFilters.default;
dataFilters.count = dataFilters.length;
