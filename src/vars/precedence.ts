// Variable precedence: the variables of one task on one host, layered as Ansible's VariableManager.get_vars.
//
// Lowest to highest (each later layer replaces top-level keys of the earlier ones; hash_behaviour=replace):
//   1. role defaults             (roles/x/defaults/main.yml; outer role first, the task's own role last)
//   2. inventory                 (Inventory.hostVars(host): group vars all < parent groups < child groups,
//                                 group_vars/ files, then host vars and host_vars/ files — already ordered)
//   3. host facts                (gathered facts: `ansible_facts` plus each fact injected as `ansible_<name>`)
//   4. play vars                 (play `vars:`)
//   5. play vars_files
//   6. role vars                 (roles/x/vars/main.yml)
//   7. block vars                (outer block first)
//   8. task vars                 (task `vars:`)
//   9. include_vars              (include_vars results for the host)
//  10. set_fact / register       (per-host facts set during the run)
//  11. role params               (`- role: x` + keys, include_role vars)
//  12. include params            (include_tasks params)
//  13. extra vars                (-e: always win)
//  14. magic variables           (inventory_hostname, groups, hostvars, omit, ...: not overridable)
//  15. loop variables            (item / loop_control.loop_var, index_var, ansible_loop: set last, as Ansible's TaskExecutor)
// Ansible's documented list puts role params and include params above set_fact too (its code does this
// since 2.x: they are merged after the non-persistent fact cache), which is what we follow.
import type { Vars } from '../types.js';

export interface VarLayers {
  roleDefaults?: Vars[];
  inventory?: Vars;
  facts?: Vars;
  playVars?: Vars;
  playVarsFiles?: Vars;
  roleVars?: Vars[];
  blockVars?: Vars[];
  taskVars?: Vars;
  includeVars?: Vars;
  setFacts?: Vars;
  roleParams?: Vars[];
  includeParams?: Vars[];
  extraVars?: Vars;
  magic?: Vars;
  loop?: Vars;
  /** Names in `facts` a module returned without the ansible_ prefix: variables under that name, not ansible_NAME (not a layer). */
  bareFacts?: ReadonlySet<string>;
}

/** The layer names in precedence order (lowest first), for tests and `-vvv` explanations. */
export const LAYER_ORDER: (keyof VarLayers)[] = [
  'roleDefaults',
  'inventory',
  'facts',
  'playVars',
  'playVarsFiles',
  'roleVars',
  'blockVars',
  'taskVars',
  'includeVars',
  'setFacts',
  'roleParams',
  'includeParams',
  'extraVars',
  'magic',
  'loop',
];

/** Facts as variables: `ansible_facts` = the facts, and each `name` also as `ansible_name` (INJECT_FACTS_AS_VARS). */
export function factVars(facts: Vars | undefined, bare?: ReadonlySet<string>): Vars {
  if (!facts) return {};
  // lvsplay's own facts (lvsplay_ipvs, ...) are variables only: ansible_facts holds what Ansible's does
  const own = Object.keys(facts).some((k) => k.startsWith('lvsplay_'));
  const out: Vars = { ansible_facts: own ? Object.fromEntries(Object.entries(facts).filter(([k]) => !k.startsWith('lvsplay_'))) : facts };
  for (const [k, v] of Object.entries(facts)) out[k.startsWith('ansible_') || bare?.has(k) ? k : `ansible_${k}`] = v;
  return out;
}

/** Build a task's variables from its layers (see the order above). Adds `vars` (a copy of the result) as Ansible does. */
export function buildTaskVars(l: VarLayers): Vars {
  const out: Vars = {};
  for (const name of LAYER_ORDER) {
    const layer = l[name];
    if (!layer) continue;
    if (name === 'facts') Object.assign(out, factVars(layer as Vars, l.bareFacts));
    else if (Array.isArray(layer)) for (const v of layer) Object.assign(out, v);
    else Object.assign(out, layer);
  }
  if (!('vars' in out)) Object.defineProperty(out, 'vars', { value: { ...out }, enumerable: false, writable: true, configurable: true });
  return out;
}
