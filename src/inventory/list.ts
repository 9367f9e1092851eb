// Printing an inventory: ansible-inventory --list / --graph, and ansible-playbook --list-hosts lines.
import type { Vars } from '../types.js';
import type { InventoryData } from './model.js';

/** ansible-inventory --list: {_meta: {hostvars}, all: {children}, group: {hosts, children}}. */
export function inventoryList(inv: InventoryData): Record<string, unknown> {
  const hostvars: Record<string, Vars> = {};
  for (const h of inv.hosts.values()) if (!h.implicit) hostvars[h.name] = inv.hostVars(h.name);
  const out: Record<string, unknown> = { _meta: { hostvars } };
  for (const g of inv.groups.values()) {
    const entry: Record<string, unknown> = {};
    if (g.hosts.length) entry.hosts = [...g.hosts];
    if (g.children.length) entry.children = g.name === 'all' ? g.children.filter((c) => c !== 'ungrouped' || inv.groups.get('ungrouped')!.hosts.length) : [...g.children];
    if (g.name === 'ungrouped' && !g.hosts.length) continue;
    out[g.name] = entry;
  }
  return out;
}

/** ansible-inventory --graph [GROUP]. */
export function inventoryGraph(inv: InventoryData, group = 'all', withVars = false): string {
  const lines: string[] = [];
  const walk = (name: string, depth: number, seen: Set<string>) => {
    const g = inv.groups.get(name);
    if (!g || seen.has(name)) return;
    const pad = depth === 0 ? '' : `${'  |'.repeat(depth - 1)}  |--`;
    lines.push(`${pad}@${name}:`);
    const inner = `${'  |'.repeat(depth)}  |--`;
    if (withVars) for (const [k, v] of Object.entries(g.vars)) lines.push(`${inner}{${k} = ${JSON.stringify(v)}}`);
    const next = new Set(seen).add(name);
    // ansible-inventory 2.14: `ungrouped` first under all (shown even when empty), then the
    // groups and hosts in the order the inventory defined them.
    const children = name === 'all' ? ['ungrouped', ...g.children.filter((c) => c !== 'ungrouped')] : [...g.children];
    for (const c of children) walk(c, depth + 1, next);
    for (const h of g.hosts) {
      lines.push(`${inner}${h}`);
      if (withVars) {
        const hv = inv.hosts.get(h)?.vars ?? {};
        for (const [k, v] of Object.entries(hv)) lines.push(`${'  |'.repeat(depth + 1)}  |--{${k} = ${JSON.stringify(v)}}`);
      }
    }
  };
  walk(group, 0, new Set());
  return lines.join('\n');
}

/** The `hosts (N):` block of ansible-playbook --list-hosts, indented. */
export function formatHostList(hosts: string[], indent = 4): string {
  const pad = ' '.repeat(indent);
  return [`${pad}hosts (${hosts.length}):`, ...hosts.map((h) => `${pad}  ${h}`)].join('\n');
}
