// The inventory changed during a run: add_host and group_by (Ansible's add_dynamic_host and
// add_dynamic_group). Each returns whether anything changed (the task's `changed`), and leaves the
// inventory reconciled (new top-level groups under all, hosts in no group in ungrouped).
import { isDeepStrictEqual } from 'node:util';
import type { Vars } from '../types.js';
import type { InventoryData } from './model.js';

/** The host (added under all when new) gets the vars (over its own inventory vars) and joins the groups. */
export function addDynamicHost(inv: InventoryData, info: { host_name: string; groups: string[]; host_vars: Vars }): boolean {
  const name = info.host_name;
  let changed = false;
  const known = inv.hosts.get(name);
  if (!known || known.implicit) {
    inv.addHost(name, 'all');
    changed = true;
  }
  const h = inv.hosts.get(name)!;
  const merged = { ...h.layers.inventory, ...info.host_vars };
  if (!isDeepStrictEqual(merged, h.layers.inventory)) {
    inv.setVars('host', name, 'inventory', info.host_vars);
    changed = true;
  }
  for (const g of info.groups) {
    if (!inv.groups.has(g)) changed = true;
    if (!h.groups.includes(g)) {
      inv.addHost(name, g);
      changed = true;
    }
  }
  if (changed) (inv.dynamic = true), inv.reconcile();
  return changed;
}

/** The host joins `group` (created when missing), which becomes a child of each parent (created when missing). */
export function addDynamicGroup(inv: InventoryData, host: string, group: string, parents: string[]): boolean {
  let changed = false;
  inv.addGroup(group);
  for (const p of parents) {
    if (!inv.groups.has(p)) changed = true;
    const parent = inv.addGroup(p);
    if (!parent.children.includes(group) && p !== group) {
      inv.addChild(p, group);
      changed = true;
    }
  }
  const h = inv.hosts.get(host) ?? inv.implicitHost(host);
  if (h?.implicit && !h.groups.includes(group)) {
    // the implicit localhost joins the group and stays implicit (its local connection kept), as Ansible's
    h.groups.push(group);
    inv.groups.get(group)!.hosts.push(host);
    changed = true;
  } else if (h && !h.groups.includes(group)) {
    inv.addHost(host, group);
    changed = true;
  }
  if (changed) (inv.dynamic = true), inv.reconcile();
  return changed;
}
