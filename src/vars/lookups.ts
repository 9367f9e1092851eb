// lookup()/query()/q() inside templates: the lookup plugins that need no host, as Ansible 2.14's.
// What a lookup returns is data (unsafe): it is never templated again.
import fs from 'node:fs';
import path from 'node:path';
import { noteUnsafeRead } from './unsafe.js';
import type { Kw } from './filters-util.js';
import { isMapping } from './pystr.js';

type VarLookup = (name: string) => { found: boolean; value?: unknown };
type Plugin = (terms: unknown[], kw: Kw, vars: VarLookup) => unknown[];

function readFile(name: string, kw: Kw): string | undefined {
  try {
    return fs.readFileSync(name, 'utf8').replace(/\n$/, '');
  } catch {
    if (kw.errors === 'ignore' || kw.errors === 'warn') return undefined;
    throw new Error(`lookup('file'): could not read '${name}'`);
  }
}

/** key=value terms of `sequence` (start, end, count, stride, format). */
function sequence(term: string): string[] {
  const o: Record<string, string> = {};
  for (const part of term.trim().split(/\s+/)) {
    const [k, v] = part.split('=');
    if (v === undefined) throw new Error(`lookup('sequence'): expected key=value, got '${part}'`);
    o[k] = v;
  }
  const start = Number(o.start ?? 1);
  const stride = Number(o.stride ?? 1);
  const end = o.end !== undefined ? Number(o.end) : start + (Number(o.count) - 1) * stride;
  const out: string[] = [];
  for (let n = start; stride > 0 ? n <= end : n >= end; n += stride) out.push(o.format ? o.format.replace(/%(0?\d*)d/, (_m, w: string) => String(n).padStart(Number(w) || 0, w.startsWith('0') ? '0' : ' ')) : String(n));
  return out;
}

const plugins: Record<string, Plugin> = {
  vars: (terms, kw, vars) =>
    terms.map((t) => {
      const r = vars(String(t));
      if (r.found) return r.value;
      if ('default' in kw) return kw.default;
      throw new Error(`lookup('vars'): no variable found with this name: ${String(t)}`);
    }),
  env: (terms) => terms.map((t) => process.env[String(t)] ?? ''),
  file: (terms, kw) => terms.map((t) => readFile(String(t), kw)).filter((x) => x !== undefined),
  items: (terms) => terms.flat(),
  list: (terms) => terms,
  indexed_items: (terms) => terms.flat().map((x, i) => [i, x]),
  dict: (terms) => terms.flatMap((d) => (isMapping(d) ? Object.entries(d).map(([key, value]) => ({ key, value })) : [])),
  together: (terms) => {
    const lists = terms.map((t) => (Array.isArray(t) ? t : [t]));
    const n = Math.max(0, ...lists.map((l) => l.length));
    return Array.from({ length: n }, (_x, i) => lists.map((l) => (i < l.length ? l[i] : null)));
  },
  sequence: (terms) => terms.flatMap((t) => sequence(String(t))),
  first_found: (terms, kw) => {
    const names = terms.flat().map(String);
    const found = names.map((n) => path.resolve(n)).find((p) => fs.existsSync(p));
    if (found) return [found];
    if (kw.skip) return [];
    throw new Error(`lookup('first_found'): no file found among ${names.join(', ')}`);
  },
};

/** Run a lookup: a list for query()/q() and wantlist=True, else Ansible's joined or single value. */
export function lookupPlugin(kind: string, terms: unknown[], kw: Kw, wantList: boolean, vars: VarLookup = () => ({ found: false })): unknown {
  noteUnsafeRead();
  const plugin = plugins[kind.replace(/^ansible\.builtin\./, '')];
  if (!plugin) throw new Error(`unsupported lookup plugin '${kind}' (supported: ${Object.keys(plugins).join(', ')})`);
  const out = plugin(terms, kw, vars);
  if (wantList || kw.wantlist === true) return out;
  if (out.every((x) => typeof x === 'string')) return out.join(',');
  return out.length === 1 ? out[0] : out;
}

