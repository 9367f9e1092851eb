// lookup()/query()/q() inside templates and the with_<name> loops: the lookup plugins of Ansible 2.14
// that run on the controller. What a lookup returns is data (unsafe): it is never templated again.
import { randomInt } from 'node:crypto';
import { InventoryData } from '../inventory/model.js';
import { selectHosts } from '../inventory/pattern.js';
import type { Kw } from './filters-util.js';
import { ansibleLookup, ansibleLookupName, varnamesLookup } from '../jinja/engine.js';
import { ctxVar, failureClassOf, lookupFailure, lookupWarn, type LookupCtx, type Plugin } from './lookup-types.js';
import { ansibleWordsOf, isUndefinedError, markUndefined, withAnsibleWords } from './templerr.js';
import { csvPlugins } from './lookup-csv.js';
import { iniPlugins } from './lookup-ini.js';
import { urlPlugins } from './lookup-url.js';
import { filePlugins } from './lookups-files.js';
import { listPlugins } from './lookups-lists.js';
import { isMapping, pyStr, pyType } from './pystr.js';
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
  ...iniPlugins,
  ...csvPlugins,
  ...urlPlugins,
  vars: (terms, kw, ctx) =>
    terms.map((t) => {
      if (typeof t !== 'string') throw new Error(`Invalid setting identifier, "${pyStr(t)}" is not a string, its a <class '${pyType(t)}'>`);
      const r = ctx.vars(t);
      if (r.found) return r.value;
      if ('default' in kw) return kw.default;
      throw lookupFailure(`No variable found with this name: ${String(t)}`, 'AnsibleUndefinedVariable');
    }),
  varnames: (terms, _kw, ctx) => {
    for (const t of terms) if (typeof t !== 'string') throw new Error(`Invalid setting identifier, "${pyStr(t)}" is not a string, it is a <class '${pyType(t)}'>`);
    return varnamesLookup(terms as string[], ctx.names().filter((n) => !n.startsWith('__')));
  },
  env: (terms, kw) => terms.map((t) => process.env[String(t)] ?? kw.default ?? ''),
  inventory_hostnames: inventoryHostnames,
};

const short = (kind: string): string => kind.replace(/^ansible\.(builtin|legacy)\./, '');

const own = (kind: string): boolean => Object.prototype.hasOwnProperty.call(plugins, short(kind));

/**
 * Whether this lookup runs (for `with_<name>` at load and lookup() at run time): lvsplay's own, or
 * one ansible-core on the controller has (`config`, a collection's: run by ansible-core itself).
 */
export function knownLookup(kind: string): boolean {
  return own(kind) || ansibleLookupName(kind) !== null;
}

/** A lookup lvsplay has no port of, run by ansible-core's own plugin (src/jinja/j2lookups.py). */
const ansiblePlugin =
  (kind: string): Plugin =>
  (terms, kw, ctx) => {
    const opts = { ...kw };
    delete opts.errors; // Ansible's templar takes errors= and wantlist= itself
    const basedir = ctxVar<unknown>(ctx, 'playbook_dir', undefined);
    return ansibleLookup(kind, terms, opts, ctx, typeof basedir === 'string' ? basedir : undefined);
  };

export function lookupNames(): string[] {
  return Object.keys(plugins).sort();
}

/**
 * The terms a with_<kind> loop gives its lookup, from the templated value: a list as is, a scalar as
 * a list of one; a mapping is what Python makes of it — its keys, except for `dict` (one mapping)
 * and the lookups that refuse anything but a list.
 */
export function loopTerms(kind: string, v: unknown): unknown[] {
  if (Array.isArray(v)) return v;
  if (!isMapping(v)) return [v];
  const k = short(kind);
  if (k === 'dict') return [v];
  if (k === 'list' || k === 'indexed_items' || k === 'flattened') throw new Error(`with_${k} expects a list`);
  if (k === 'random_choice') throw new Error(`Unable to choose random term: ${randomInt(Object.keys(v).length)}`); // Python's choice() indexing a dict
  return Object.keys(v);
}

/** lvsplay's error for a failed lookup (`lookup('file'): ...`), with the msg Ansible's templar gives it. */
function lookupError(name: string, e: Error): Error {
  const err = new Error(`lookup('${name}'): ${e.message}`);
  const { cls, original = e.message } = failureClassOf(e) ?? { cls: 'AnsibleError' };
  if (isUndefinedError(e)) return withAnsibleWords(markUndefined(err), ansibleWordsOf(e) ?? `${original}. ${original}`);
  if (cls === 'AnsibleUndefinedVariable') return withAnsibleWords(markUndefined(err), `${original}. ${original}`);
  if (cls === 'AnsibleLookupError') return withAnsibleWords(err, original);
  return withAnsibleWords(err, `An unhandled exception occurred while running the lookup plugin '${name}'. Error was a <class '${qualifiedClass(cls)}'>, original message: ${original}. ${original}`);
}

/** Python's name of an exception class as `type(e)` prints it (Ansible's own under ansible.errors). */
const qualifiedClass = (cls: string): string => (cls.includes('.') || !cls.startsWith('Ansible') ? cls : `ansible.errors.${cls}`);


/** The plugin of a lookup name, or the refusal naming what is supported. */
function pluginOf(kind: string): Plugin {
  if (own(kind)) return plugins[short(kind)];
  if (ansibleLookupName(kind) !== null) return ansiblePlugin(kind);
  throw new Error(`lookup plugin '${kind}' is not supported by lvsplay (supported: ${lookupNames().join(', ')}; with ansible-core on the controller, the lookups it has)`);
}

function runPlugin(plugin: Plugin, terms: unknown[], kw: Kw, ctx: LookupCtx): unknown[] {
  noteUnsafeRead();
  const opts = { ...kw };
  delete opts.wantlist;
  return plugin(terms, opts, ctx);
}

/** Run a lookup for its list (a with_* loop's items); its errors are the plugin's own, as Ansible's loops report them. */
export function runLookup(kind: string, terms: unknown[], kw: Kw, ctx: LookupCtx): unknown[] {
  return runPlugin(pluginOf(kind), terms, kw, ctx);
}

/** lookup()/query()/q(): a list for query()/q() and wantlist=True, else Ansible's joined or single value. */
export function lookupPlugin(kind: string, terms: unknown[], kw: Kw, wantList: boolean, ctx: LookupCtx): unknown {
  const plugin = pluginOf(kind); // an unknown lookup fails whatever `errors=` says
  let out: unknown[];
  try {
    out = runPlugin(plugin, terms, kw, ctx);
  } catch (e) {
    const err = lookupError(short(kind), e as Error);
    // as Ansible's templar: an undefined variable or a bad option fails whatever `errors=` says
    const { cls, original = (e as Error).message } = failureClassOf(e as Error) ?? { cls: 'AnsibleError' };
    if (isUndefinedError(err) || cls === 'AnsibleOptionsError' || (kw.errors !== 'ignore' && kw.errors !== 'warn')) throw err;
    if (kw.errors === 'warn') {
      // (errors='ignore' only logs it in Ansible)
      lookupWarn(
        cls === 'AnsibleLookupError'
          ? `Lookup failed but the error is being ignored: ${original}`
          : `An unhandled exception occurred while running the lookup plugin '${short(kind)}'. Error was a <class '${qualifiedClass(cls)}'>, original message: ${original}`,
      );
    }
    return wantList || kw.wantlist === true ? [] : null;
  }
  if (wantList || kw.wantlist === true || out.length === 0) return out; // Ansible: an empty result stays []
  if (out.every((x) => typeof x === 'string')) return out.join(',');
  return out.length === 1 ? out[0] : out;
}
