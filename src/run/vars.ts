// The executor's side of variables: which layers a task on a host has (the run state, the play,
// the blocks/includes around the task). Precedence is src/vars/precedence.ts, magic variables
// src/vars/magic.ts: this file only gathers the layers.
import { dirname } from 'node:path';
import type { Play, RoleRef, Vars } from '../types.js';
import { addConnectionVars, groupsVar, magicVars, OMIT, playMagicVars } from '../vars/magic.js';
import { buildTaskVars } from '../vars/precedence.js';
import { markUnsafe } from '../vars/templar.js';
import type { RunState } from './state.js';
import { LOCALHOST_NAMES } from '../inventory/model.js';
import { hostVarsFiles } from './varsfiles.js';
import { isPyFloat } from '../vars/pyfloat.js';

/** Magic variables of a play or task, absent from hostvars (Ansible builds those without a play). */
const PLAY_ONLY_MAGIC = ['ansible_play_hosts', 'ansible_play_batch', 'ansible_play_hosts_all', 'play_hosts', 'ansible_play_name', 'ansible_search_path', 'role_path', 'role_name', 'ansible_role_name'];

export interface TaskLayers {
  role?: RoleRef;
  blockVars: Vars[]; // outer to inner
  taskVars?: Vars;
  params: Vars; // include params, include loop items, role params of dynamic roles
  /** The file the task is written in: its directory is on ansible_search_path. */
  taskFile?: string;
}

/** Facts and registered results are data, never templates (Ansible's "unsafe"). */
export function unsafeData<T extends Vars>(v: T): T {
  markUnsafe(v);
  for (const x of Object.values(v)) markUnsafe(x);
  return v;
}

export class VarsBuilder {
  private groupsCache: { version: number; groups: Record<string, string[]> } | undefined;
  /** Per host: its vars_files when the play names them by templates (src/run/varsfiles.ts). */
  private readonly hostFiles = new Map<string, Vars>();

  constructor(
    private readonly st: RunState,
    private readonly play: Play,
    private readonly playHosts: () => string[],
    private readonly batch: () => string[],
  ) {}

  groups(): Record<string, string[]> {
    const version = this.st.inventoryVersion;
    if (this.groupsCache?.version !== version) this.groupsCache = { version, groups: groupsVar(this.st.inventory) };
    return this.groupsCache.groups;
  }

  private roleLayer(kind: 'defaults' | 'vars', own?: RoleRef): Vars[] {
    const out = this.play.roles.map((r) => r[kind]);
    for (const p of own?.parents ?? []) out.push(p[kind]); // import_role inside a role: the importing roles' too
    if (own) out.push(own[kind]);
    return out;
  }

  /** The layers that belong to the host (inventory, facts, include_vars, set_fact/register). */
  private hostLayers(host: string) {
    const inv = this.st.inventory;
    const mem = this.st.host(host);
    return {
      inventory: inv.hosts.has(host) || LOCALHOST_NAMES.includes(host) ? inv.hostVars(host) : {}, // the implicit localhost: connection local
      facts: unsafeData(mem.facts),
      bareFacts: mem.bareFacts,
      includeVars: mem.includeVars,
      setFacts: mem.hostFacts,
    };
  }

  /** A host's variables at play level (no task): inventory, facts, set_fact/register, play vars, a few magic names. */
  hostLevel(host: string): Vars {
    return buildTaskVars({
      ...this.scopeLayers({ blockVars: [], params: {} }, host),
      ...this.hostLayers(host),
      magic: this.hostMagic(host),
    });
  }

  /** The magic variables that name the host itself. */
  private hostMagic(host: string): Vars {
    const inv = this.st.inventory;
    return { inventory_hostname: host, inventory_hostname_short: host.split('.')[0], group_names: inv.hosts.has(host) ? inv.groupNames(host) : [] };
  }

  /**
   * What `hostvars[h]` shows, as Ansible's HostVars (a host's variables without a play or task):
   * inventory, facts, include_vars, set_fact/register, extra vars, and the magic variables that need
   * no play — not the play's vars, vars_files or roles' variables.
   */
  hostvarsView(host: string): Vars {
    const magic = playMagicVars(this.magicOptions());
    for (const k of PLAY_ONLY_MAGIC) delete magic[k];
    return buildTaskVars({
      ...this.hostLayers(host),
      extraVars: this.st.opts.extraVars,
      magic: { ...magic, ...this.hostMagic(host) },
    });
  }

  private magicOptions(role?: RoleRef, taskFile?: string) {
    const st = this.st;
    // Ansible's order: the role, the task file's directory, the playbook's directory
    const searchPath = [...new Set([...(role ? [role.path] : []), ...(taskFile ? [dirname(taskFile)] : []), st.playbook.dir])];
    return {
      searchPath,
      inventory: st.inventory,
      playHosts: this.playHosts(),
      playHostsAll: this.batch(),
      playbookDir: st.playbook.dir,
      rolePath: role?.path,
      roleName: role?.name,
      check: st.opts.check,
      diff: st.opts.diff,
      groups: this.groups(),
      playName: this.play.name,
      verbosity: st.opts.verbosity,
      runTags: st.opts.tags,
      skipTags: st.opts.skipTags,
    };
  }

  /** The play's vars_files for a host: chosen by its variables when they are templated. */
  private varsFiles(host?: string): Vars {
    if (!host || !this.play.varsFilesPerHost) return this.play.varsFiles;
    let v = this.hostFiles.get(host);
    if (!v) {
      this.hostFiles.set(host, this.play.varsFiles); // while its names are rendered (no recursion)
      try {
        v = hostVarsFiles(this.play, this.st.deps.templar, this.hostLevel(host));
      } finally {
        this.hostFiles.delete(host);
      }
      this.hostFiles.set(host, v);
    }
    return v;
  }

  private scopeLayers(l: TaskLayers, host?: string) {
    return {
      roleDefaults: this.roleLayer('defaults', l.role),
      playVars: this.play.vars,
      playVarsFiles: this.varsFiles(host),
      roleVars: this.roleLayer('vars', l.role),
      blockVars: l.blockVars,
      taskVars: l.taskVars,
      roleParams: l.role ? [l.role.params] : undefined,
      includeParams: [l.params],
      extraVars: this.st.opts.extraVars,
    };
  }

  /** Every variable for `host` at a task. */
  forTask(host: string, l: TaskLayers): Vars {
    const magic = magicVars({ ...this.magicOptions(l.role, l.taskFile), host, hostvarsOf: (h) => this.hostvarsView(h), templar: this.st.deps.templar });
    return addConnectionVars(buildTaskVars({ ...this.scopeLayers(l, host), ...this.hostLayers(host), magic }), host);
  }

  /** The variables of a task without a host (play, role, block, task, extra vars, play magic): task names in banners. */
  forBanner(l: TaskLayers): Vars {
    return buildTaskVars({ ...this.scopeLayers(l), magic: playMagicVars(this.magicOptions(l.role)) });
  }
}

/** Remove arguments whose value is `omit`. */
export function dropOmitted(args: unknown): unknown {
  if (Array.isArray(args)) return args.filter((x) => x !== OMIT).map(dropOmitted);
  if (args && typeof args === 'object' && !isPyFloat(args)) {
    const out: Vars = {};
    for (const [k, v] of Object.entries(args as Vars)) if (v !== OMIT) out[k] = dropOmitted(v);
    return out;
  }
  return args;
}
