// lookup()/query()/q() inside templates and the with_<name> loops: the lookup plugins of Ansible 2.14
// that run on the controller. What a lookup returns is data (unsafe): it is never templated again.
import { InventoryData } from '../inventory/model.js';
import { selectHosts } from '../inventory/pattern.js';
import type { Kw } from './filters-util.js';
import { pyRegex } from './filters-util.js';
import { ctxVar, type LookupCtx, type Plugin } from './lookup-types.js';
import { filePlugins } from './lookups-files.js';
import { listPlugins } from './lookups-lists.js';
import { noteUnsafeRead } from './unsafe.js';

export type { LookupCtx } from './lookup-types.js';

/** inventory_hostnames: a host pattern over the inventory the `groups` variable describes (as Ansible rebuilds it). */
function inventoryHostnames(terms: unknown[], _kw: Kw, ctx: LookupCtx): unknown[] {
  const groups = ctxVar<Record<string, string[]>>(ctx, 'groups', {});
  const inv = new InventoryData();
  for (const [g, hosts] of Object.entries(groups)) for (const h of hosts) inv.addHost(h, g === 'ungrouped' ? undefined : g);
  for (const h of groups.all ?? []) inv.addHost(h, 'all');
  inv.reconcile();
  return selectHosts(inv, terms.map(String).join(':'));
}

const plugins: Record<string, Plugin> = {
  ...listPlugins,
  ...filePlugins,
  vars: (terms, kw, ctx) =>
    terms.map((t) => {
      const r = ctx.vars(String(t));
      if (r.found) return r.value;
      if ('default' in kw) return kw.default;
      throw new Error(`No variable found with this name: ${String(t)}`);
    }),
  varnames: (terms, _kw, ctx) => {
    const names = ctx.names().filter((n) => !n.startsWith('__'));
    return terms.flatMap((t) => {
      const re = pyRegex(String(t));
      return names.filter((n) => re.test(n));
    });
  },
  env: (terms, kw) => terms.map((t) => process.env[String(t)] ?? kw.default ?? ''),
  inventory_hostnames: inventoryHostnames,
};

const short = (kind: string): string => kind.replace(/^ansible\.(builtin|legacy)\./, '');

/** Whether lvsplay has this lookup (for `with_<name>` at load and lookup() at run time). */
export function knownLookup(kind: string): boolean {
  return Object.prototype.hasOwnProperty.call(plugins, short(kind));
}

export function lookupNames(): string[] {
  return Object.keys(plugins).sort();
}

/** A lookup's terms as Ansible's listify_lookup_plugin_terms leaves them: a list (a mapping is one term). */
export function listifyTerms(v: unknown): unknown[] {
  if (Array.isArray(v)) return v;
  return [v];
}

/** Run a lookup: a list for query()/q(), wantlist=True and with_* loops, else Ansible's joined or single value. */
export function lookupPlugin(kind: string, terms: unknown[], kw: Kw, wantList: boolean, ctx: LookupCtx): unknown {
  noteUnsafeRead();
  const plugin = knownLookup(kind) ? plugins[short(kind)] : undefined;
  if (!plugin) throw new Error(`lookup plugin '${kind}' is not supported by lvsplay (supported: ${lookupNames().join(', ')})`);
  const opts = { ...kw };
  delete opts.wantlist;
  let out: unknown[];
  try {
    out = plugin(terms, opts, ctx);
  } catch (e) {
    if (kw.errors === 'ignore' || kw.errors === 'warn') return wantList || kw.wantlist === true ? [] : null;
    throw new Error(`lookup('${short(kind)}'): ${(e as Error).message}`);
  }
  if (wantList || kw.wantlist === true || out.length === 0) return out; // Ansible: an empty result stays []
  if (out.every((x) => typeof x === 'string')) return out.join(',');
  return out.length === 1 ? out[0] : out;
}
