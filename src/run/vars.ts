// The variables of a host for a task, by Ansible's precedence (low to high):
// role defaults < inventory (group < host) < facts < play vars < vars_files < role vars < block vars
// < task vars < set_fact/register < role params < include params < extra vars; then magic variables.
import type { Play, RoleRef, Vars } from '../types.js';
import type { RunState } from './state.js';

export const OMIT = '__omit_place_holder__lvsplay';

/** Facts as variables: `ansible_facts` plus each fact as `ansible_<key>`. */
export function factVars(facts: Vars): Vars {
  const out: Vars = {};
  if (Object.keys(facts).length === 0) return out;
  for (const [k, v] of Object.entries(facts)) out[k.startsWith('ansible_') ? k : `ansible_${k}`] = v;
  out.ansible_facts = facts;
  return out;
}

export interface VarLayers {
  role?: RoleRef;
  blockVars: Vars[]; // outer to inner
  taskVars?: Vars;
  params: Vars; // include params, include loop items, role params of dynamic roles
}

export class VarsBuilder {
  private groupsCache: Record<string, string[]> | undefined;

  constructor(
    private readonly st: RunState,
    private readonly play: Play,
    private readonly playHosts: () => string[],
    private readonly batch: () => string[],
  ) {}

  groups(): Record<string, string[]> {
    if (!this.groupsCache) {
      const inv = this.st.inventory;
      const g: Record<string, string[]> = {};
      for (const name of inv.groups.keys()) g[name] = inv.select(name);
      g.all = [...inv.hosts.keys()];
      this.groupsCache = g;
    }
    return this.groupsCache;
  }

  /** What `hostvars[h]` shows: inventory, facts, set_fact/register, play vars, magic names. */
  hostLevel(host: string): Vars {
    const inv = this.st.inventory;
    const mem = this.st.host(host);
    return {
      ...this.roleLayer('defaults'),
      ...(inv.hosts.has(host) ? inv.hostVars(host) : {}),
      ...factVars(mem.facts),
      ...this.play.vars,
      ...this.play.varsFiles,
      ...this.roleLayer('vars'),
      ...mem.hostFacts,
      ...this.st.opts.extraVars,
      inventory_hostname: host,
      inventory_hostname_short: host.split('.')[0],
      group_names: inv.hosts.has(host) ? inv.groupNames(host) : [],
    };
  }

  private roleLayer(kind: 'defaults' | 'vars', own?: RoleRef): Vars {
    const out: Vars = {};
    for (const r of this.play.roles) Object.assign(out, r[kind]);
    if (own) Object.assign(out, own[kind]);
    return out;
  }

  /** Every variable for `host` at a task. */
  forTask(host: string, l: VarLayers): Vars {
    const inv = this.st.inventory;
    const mem = this.st.host(host);
    const st = this.st;
    const hostvarsProxy = new Proxy(Object.create(null) as Vars, {
      get: (_t, k) => (typeof k === 'string' && (inv.hosts.has(k) || st.mem.has(k)) ? this.hostLevel(k) : undefined),
      has: (_t, k) => typeof k === 'string' && (inv.hosts.has(k) || st.mem.has(k)),
      ownKeys: () => [...inv.hosts.keys()],
      getOwnPropertyDescriptor: (_t, k) =>
        typeof k === 'string' && inv.hosts.has(k) ? { enumerable: true, configurable: true, value: this.hostLevel(k) } : undefined,
    });
    const v: Vars = {
      ...this.roleLayer('defaults', l.role),
      ...(inv.hosts.has(host) ? inv.hostVars(host) : {}),
      ...factVars(mem.facts),
      ...this.play.vars,
      ...this.play.varsFiles,
      ...this.roleLayer('vars', l.role),
      ...Object.assign({}, ...l.blockVars),
      ...(l.taskVars ?? {}),
      ...mem.hostFacts,
      ...(l.role?.params ?? {}),
      ...l.params,
      ...st.opts.extraVars,
    };
    const playHosts = this.playHosts();
    Object.assign(v, {
      inventory_hostname: host,
      inventory_hostname_short: host.split('.')[0],
      group_names: inv.hosts.has(host) ? inv.groupNames(host) : [],
      groups: this.groups(),
      hostvars: hostvarsProxy,
      play_hosts: playHosts,
      ansible_play_hosts: playHosts,
      ansible_play_hosts_all: this.batch(),
      ansible_play_batch: playHosts,
      ansible_play_name: this.play.name,
      playbook_dir: st.playbook.dir,
      inventory_dir: inv.sources[0] ? inv.sources[0].replace(/\/[^/]*$/, '') : undefined,
      ansible_check_mode: st.opts.check,
      ansible_diff_mode: st.opts.diff,
      ansible_verbosity: st.opts.verbosity,
      ansible_run_tags: st.opts.tags.length ? st.opts.tags : ['all'],
      ansible_skip_tags: st.opts.skipTags,
      omit: OMIT,
    });
    if (l.role) {
      v.role_path = l.role.path;
      v.role_name = l.role.name;
      v.ansible_role_name = l.role.name;
    }
    if (v.ansible_facts === undefined) v.ansible_facts = {};
    return v;
  }
}

/** Remove arguments whose value is `omit`. */
export function dropOmitted(args: unknown): unknown {
  if (Array.isArray(args)) return args.filter((x) => x !== OMIT).map(dropOmitted);
  if (args && typeof args === 'object') {
    const out: Vars = {};
    for (const [k, v] of Object.entries(args as Vars)) if (v !== OMIT) out[k] = dropOmitted(v);
    return out;
  }
  return args;
}
