// The executor's side of variables: which layers a task on a host has (the run state, the play,
// the blocks/includes around the task). Precedence is src/vars/precedence.ts, magic variables
// src/vars/magic.ts: this file only gathers the layers.
import type { Play, RoleRef, Vars } from '../types.js';
import { groupsVar, magicVars, OMIT } from '../vars/magic.js';
import { buildTaskVars } from '../vars/precedence.js';
import { markUnsafe } from '../vars/templar.js';
import type { RunState } from './state.js';

export interface TaskLayers {
  role?: RoleRef;
  blockVars: Vars[]; // outer to inner
  taskVars?: Vars;
  params: Vars; // include params, include loop items, role params of dynamic roles
}

/** Facts and registered results are data, never templates (Ansible's "unsafe"). */
export function unsafeData<T extends Vars>(v: T): T {
  markUnsafe(v);
  for (const x of Object.values(v)) markUnsafe(x);
  return v;
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
    return (this.groupsCache ??= groupsVar(this.st.inventory));
  }

  private roleLayer(kind: 'defaults' | 'vars', own?: RoleRef): Vars[] {
    const out = this.play.roles.map((r) => r[kind]);
    if (own) out.push(own[kind]);
    return out;
  }

  /** The layers every task of the host shares (no block/task/include ones). */
  private hostLayers(host: string, role?: RoleRef) {
    const inv = this.st.inventory;
    const mem = this.st.host(host);
    return {
      roleDefaults: this.roleLayer('defaults', role),
      inventory: inv.hosts.has(host) ? inv.hostVars(host) : {},
      facts: unsafeData(mem.facts),
      playVars: this.play.vars,
      playVarsFiles: this.play.varsFiles,
      roleVars: this.roleLayer('vars', role),
      includeVars: mem.includeVars,
      setFacts: mem.hostFacts,
      extraVars: this.st.opts.extraVars,
    };
  }

  /** What `hostvars[h]` shows: inventory, facts, set_fact/register, play vars, a few magic names. */
  hostLevel(host: string): Vars {
    const inv = this.st.inventory;
    return buildTaskVars({
      ...this.hostLayers(host),
      magic: {
        inventory_hostname: host,
        inventory_hostname_short: host.split('.')[0],
        group_names: inv.hosts.has(host) ? inv.groupNames(host) : [],
      },
    });
  }

  /** Every variable for `host` at a task. */
  forTask(host: string, l: TaskLayers): Vars {
    const st = this.st;
    const magic = magicVars({
      host,
      inventory: st.inventory,
      playHosts: this.playHosts(),
      playHostsAll: this.batch(),
      playbookDir: st.playbook.dir,
      rolePath: l.role?.path,
      roleName: l.role?.name,
      hostvarsOf: (h) => this.hostLevel(h),
      check: st.opts.check,
      diff: st.opts.diff,
      templar: st.deps.templar,
      groups: this.groups(),
      playName: this.play.name,
      verbosity: st.opts.verbosity,
      runTags: st.opts.tags,
      skipTags: st.opts.skipTags,
    });
    return buildTaskVars({
      ...this.hostLayers(host, l.role),
      blockVars: l.blockVars,
      taskVars: l.taskVars,
      roleParams: l.role ? [l.role.params] : undefined,
      includeParams: [l.params],
      magic,
    });
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
