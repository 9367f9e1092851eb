// Magic variables: inventory_hostname, groups, group_names, hostvars, ansible_play_hosts, playbook_dir, role_path, omit, ...
import type { Inventory, Vars } from '../types.js';
import { LOCALHOST_NAMES } from '../inventory/model.js';
import { Templar } from './templar.js';
import { noteRead } from './unsafe.js';
import { isUndefinedError } from './templerr.js';
import { isMapping } from './pystr.js';

/** The value of `omit`: modules drop an argument whose value is exactly this token. */
/**
 * The Ansible release whose behaviour lvsplay follows, as `ansible_version` reports it (Debian
 * bookworm's ansible-core, the oracle of the differential tests): content that branches on
 * `ansible_version.full is version(...)` takes the 2.14 path it was tested with.
 */
export const ANSIBLE_VERSION = { string: '2.14.18', full: '2.14.18', major: 2, minor: 14, revision: 18 } as const;

export const OMIT = '__omit_place_holder__lvsplay';

/** What hostvars needs of a templar (the executor passes its injected one). */
export type RenderLike = Pick<Templar, 'render'>;

export interface MagicOptions {
  host: string;
  inventory: Inventory;
  /** Hosts of the play still active (ansible_play_hosts, play_hosts). */
  playHosts: string[];
  /** Every host the play targeted (ansible_play_hosts_all); defaults to playHosts. */
  playHostsAll?: string[];
  playbookDir: string;
  /** ansible_search_path: where lookups and modules look for relative files. */
  searchPath?: string[];
  rolePath?: string;
  roleName?: string;
  /** Full variables of another host (inventory + facts + set_fact), for hostvars[h]. Raw: templated on access. */
  hostvarsOf: (host: string) => Vars;
  check?: boolean;
  diff?: boolean;
  /** Templar used to render templated values read through hostvars (default: a shared one). */
  templar?: RenderLike;
  /** `groups` computed once by the caller (it is the same for every host of a play). */
  groups?: Record<string, string[]>;
  playName?: string;
  verbosity?: number;
  /** --tags / --skip-tags (ansible_run_tags is ['all'] without --tags). */
  runTags?: string[];
  skipTags?: string[];
}

let shared: Templar | undefined;

/** groups: every group -> its hosts (descendants included), with 'all' and 'ungrouped'. */
export function groupsVar(inv: Inventory): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const g of inv.groups.keys()) out[g] = inv.select(g);
  return out;
}

/** A lazy mapping host -> that host's variables, templated with that host's variables on access. */
// Class instances (not plain objects) so that deep walks (templating, copying) do not trigger every getter.
class HostVars {}
class HostVarsView {}

export function hostvarsProxy(inv: Inventory, hostvarsOf: (h: string) => Vars, templar: RenderLike): Record<string, Vars> {
  const out = new HostVars() as Record<string, Vars>;
  const define = (h: string, enumerable: boolean): void => {
    let cached: Vars | undefined;
    Object.defineProperty(out, h, { enumerable, get: () => (cached ??= lazyVars(hostvarsOf(h), templar)) });
  };
  const implicit = (h: string) => (inv.hosts.get(h) as { implicit?: boolean } | undefined)?.implicit === true;
  for (const h of inv.hosts.keys()) if (!implicit(h)) define(h, true); // an implicit localhost made when it was named: below
  // as Ansible's HostVars: hostvars['localhost'] (or '127.0.0.1', '::1') is the implicit localhost
  // when the inventory has none, found by name; listing hostvars gives the inventory's hosts and
  // 'localhost' (ansible-core 2.14 lists the implicit localhost by that name, always)
  for (const h of LOCALHOST_NAMES) if (!inv.hosts.has(h) || implicit(h)) define(h, h === 'localhost');
  return out;
}

function lazyVars(raw: Vars, templar: RenderLike): Vars {
  const out = new HostVarsView() as Vars;
  for (const k of Object.keys(raw)) {
    let done = false;
    let val: unknown;
    Object.defineProperty(out, k, {
      enumerable: true,
      get: () => {
        if (!done) {
          val = renderLenient(templar, raw[k], raw, 0);
          done = true;
        }
        noteRead(val); // another host's data read inside a render taints its result
        return val;
      },
    });
  }
  return out;
}

/**
 * A hostvars value rendered as Ansible's HostVarsVars does (fail_on_undefined=False): a string whose
 * template reads an undefined variable stays as written, element by element in lists and mappings.
 */
function renderLenient(templar: RenderLike, v: unknown, vars: Vars, depth: number): unknown {
  try {
    return templar.render(v, vars);
  } catch (e) {
    if (!isUndefinedError(e) || depth > 50) throw e;
    if (typeof v === 'string') return v;
    if (Array.isArray(v)) return v.map((x) => renderLenient(templar, x, vars, depth + 1));
    if (isMapping(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, renderLenient(templar, x, vars, depth + 1)]));
    throw e;
  }
}

/** The magic variables of a play that do not depend on a host (task names in banners are rendered with these). */
export function playMagicVars(o: Omit<MagicOptions, 'host' | 'hostvarsOf' | 'templar'>): Vars {
  const inv = o.inventory;
  const vars: Vars = {
    groups: o.groups ?? groupsVar(inv),
    ansible_play_hosts: [...o.playHosts],
    ansible_play_batch: [...o.playHosts],
    ansible_play_hosts_all: [...(o.playHostsAll ?? o.playHosts)],
    play_hosts: [...o.playHosts],
    playbook_dir: o.playbookDir,
    ansible_search_path: o.searchPath ?? [o.playbookDir],
    inventory_dir: inventoryDir(inv),
    omit: OMIT,
    ansible_check_mode: Boolean(o.check),
    ansible_diff_mode: Boolean(o.diff),
    ansible_version: { ...ANSIBLE_VERSION },
    ansible_verbosity: o.verbosity ?? 0,
    ansible_run_tags: o.runTags?.length ? [...o.runTags] : ['all'],
    ansible_skip_tags: [...(o.skipTags ?? [])],
  };
  if (o.playName !== undefined) vars.ansible_play_name = o.playName;
  if (o.rolePath !== undefined) vars.role_path = o.rolePath;
  if (o.roleName !== undefined) vars.role_name = vars.ansible_role_name = o.roleName;
  return vars;
}

/** Every magic variable of a host: the play's plus inventory_hostname, group_names, hostvars. */
export function magicVars(o: MagicOptions): Vars {
  const templar = o.templar ?? (shared ??= new Templar());
  const name = o.host;
  return {
    inventory_hostname: name,
    inventory_hostname_short: name.split('.')[0],
    group_names: o.inventory.groupNames(name),
    hostvars: hostvarsProxy(o.inventory, o.hostvarsOf, templar),
    ...playMagicVars(o),
  };
}

function inventoryDir(inv: Inventory): string | null {
  const src = inv.sources.find((s) => s.includes('/') || s.endsWith('.ini') || s.endsWith('.yml'));
  if (!src) return null;
  const i = src.lastIndexOf('/');
  return i > 0 ? src.slice(0, i) : '.';
}

/**
 * The connection's address as Ansible's PlayContext.update_vars adds it to a task's variables when
 * the inventory does not set it: ansible_host and ansible_ssh_host (not in `vars`, not in hostvars).
 */
export function addConnectionVars(vars: Vars, host: string): Vars {
  const addr = vars.ansible_host ?? vars.ansible_ssh_host ?? host;
  for (const k of ['ansible_ssh_host', 'ansible_host']) if (!(k in vars)) vars[k] = addr;
  return vars;
}
