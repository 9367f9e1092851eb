// The inventory: hosts, groups, and Ansible's variable layering between them.
import { ConfigError, type Pos } from '../errors.js';
import type { Inventory, InventoryGroup, InventoryHost, Vars } from '../types.js';
import { patternError, selectHosts, unknownTerms } from './pattern.js';
import { addDynamicGroup, addDynamicHost } from './dynamic.js';

/** Where a variable layer came from, lowest first (Ansible's VARIABLE_PRECEDENCE). */
export type VarSource = 'inventory' | 'inventory_files' | 'playbook_files';
type Layers = Record<VarSource, Vars>;
const emptyLayers = (): Layers => ({ inventory: {}, inventory_files: {}, playbook_files: {} });

export interface HostData extends InventoryHost {
  layers: Layers;
  implicit?: boolean;
}
export interface GroupData extends InventoryGroup {
  layers: Layers;
}

export const LOCALHOST_NAMES = ['localhost', '127.0.0.1', '::1'];

export class InventoryData implements Inventory {
  readonly hosts = new Map<string, HostData>();
  readonly groups = new Map<string, GroupData>();
  /** hosts listed directly under 'all' (a set, so that adding N hosts stays linear) */
  private readonly listedInAll = new Set<string>();
  /** group_vars/host_vars files naming a group or host not in the inventory (yet): applied when group_by/add_host creates it, as Ansible reads them by name. */
  private readonly deferred = new Map<string, { source: VarSource; load: () => Vars }[]>();
  constructor(readonly sources: string[] = []) {
    this.addGroup('all');
    this.addGroup('ungrouped');
  }

  addGroup(name: string, pos?: Pos): GroupData {
    let g = this.groups.get(name);
    if (!g) {
      g = { name, hosts: [], children: [], vars: {}, pos, layers: emptyLayers() };
      this.groups.set(name, g);
      this.applyDeferred('group', name);
    } else if (!g.pos && pos) g.pos = pos;
    return g;
  }

  addHost(name: string, group?: string, pos?: Pos): HostData {
    let h = this.hosts.get(name);
    if (!h || h.implicit) {
      h = { name, vars: {}, groups: [], pos, layers: emptyLayers() };
      this.hosts.set(name, h);
      this.applyDeferred('host', name);
    }
    // A host's own group list is short: it says whether the (possibly huge) group already lists the host.
    if (group && group !== 'all') {
      const g = this.addGroup(group);
      if (!h.groups.includes(group)) {
        h.groups.push(group);
        g.hosts.push(name);
      }
    } else if (group === 'all') {
      const g = this.groups.get('all')!;
      if (!this.listedInAll.has(name)) (g.hosts.push(name), this.listedInAll.add(name));
    }
    return h;
  }

  addChild(parent: string, child: string, pos?: Pos): void {
    if (child === 'all') throw new ConfigError(`group 'all' cannot be a child of '${parent}'`, pos);
    if (parent === child || this.ancestors(parent).has(child)) throw new ConfigError(`group '${child}' cannot be a child of '${parent}': that would make a cycle`, pos);
    const p = this.addGroup(parent, pos);
    this.addGroup(child, pos);
    if (!p.children.includes(child)) p.children.push(child);
  }

  setVars(kind: 'host' | 'group', name: string, source: VarSource, vars: Vars): void {
    const target = kind === 'host' ? this.hosts.get(name) : this.groups.get(name);
    if (!target) return;
    Object.assign(target.layers[source], vars);
    target.vars = { ...target.layers.inventory, ...target.layers.inventory_files, ...target.layers.playbook_files };
  }

  /** Keep a group_vars/host_vars file whose group or host does not exist yet (read when it comes to exist). */
  deferVars(kind: 'host' | 'group', name: string, source: VarSource, load: () => Vars): void {
    const k = `${kind}\0${name}`;
    const list = this.deferred.get(k) ?? [];
    list.push({ source, load });
    this.deferred.set(k, list);
  }

  private applyDeferred(kind: 'host' | 'group', name: string): void {
    const k = `${kind}\0${name}`;
    const list = this.deferred.get(k);
    if (!list) return;
    this.deferred.delete(k);
    for (const d of list) this.setVars(kind, name, d.source, d.load());
  }

  /** After loading: ungrouped = hosts in no group; top-level groups become children of all. */
  reconcile(): void {
    const all = this.groups.get('all')!;
    const ungrouped = this.groups.get('ungrouped')!;
    const parented = new Set<string>();
    for (const g of this.groups.values()) for (const c of g.children) parented.add(c);
    for (const g of this.groups.values()) {
      if (g.name !== 'all' && !parented.has(g.name) && !all.children.includes(g.name)) all.children.push(g.name);
    }
    // 'ungrouped' first among all's children, as ansible-inventory lists it
    all.children = ['ungrouped', ...all.children.filter((c) => c !== 'ungrouped')];
    const listed = new Set(ungrouped.hosts);
    const regrouped = new Set<string>();
    for (const h of this.hosts.values()) {
      if (h.implicit) continue;
      const real = h.groups.filter((g) => g !== 'ungrouped');
      if (real.length === 0) {
        if (!listed.has(h.name)) (ungrouped.hosts.push(h.name), listed.add(h.name));
        if (!h.groups.includes('ungrouped')) h.groups.push('ungrouped');
      } else if (h.groups.includes('ungrouped')) {
        h.groups = real;
        regrouped.add(h.name);
      }
    }
    if (regrouped.size) ungrouped.hosts = ungrouped.hosts.filter((x) => !regrouped.has(x));
  }

  parentsOf(group: string): string[] {
    const out: string[] = [];
    for (const g of this.groups.values()) if (g.children.includes(group)) out.push(g.name);
    return out;
  }

  ancestors(group: string): Set<string> {
    const out = new Set<string>();
    const todo = [group];
    while (todo.length) {
      const g = todo.pop()!;
      for (const p of this.parentsOf(g)) if (!out.has(p)) (out.add(p), todo.push(p));
    }
    return out;
  }

  /** Ansible's group depth: the longest path from 'all'. */
  depth(group: string, seen = new Set<string>()): number {
    if (group === 'all') return 0;
    if (seen.has(group)) return 0;
    seen.add(group);
    const parents = this.parentsOf(group).filter((p) => p !== 'all');
    return parents.length ? Math.max(...parents.map((p) => this.depth(p, seen) + 1)) : 1;
  }

  /** Every host of a group, its descendants' included, in definition order. */
  groupHosts(group: string): string[] {
    if (group === 'all') return this.dynamic ? this.allByLevels() : [...this.hosts.values()].filter((h) => !h.implicit).map((h) => h.name);
    const out = new Set<string>(); // insertion order = definition order
    const seen = new Set<string>();
    const walk = (name: string) => {
      if (seen.has(name)) return;
      seen.add(name);
      const g = this.groups.get(name);
      if (!g) return;
      for (const h of g.hosts) out.add(h);
      for (const c of g.children) walk(c);
    };
    walk(group);
    return [...out];
  }

  /** add_host/group_by changed the inventory during the run (the order of `all` is then Ansible's walk). */
  dynamic = false;

  /** Ansible's order of `all`: its own hosts, then its children's, level by level (as its Group.get_hosts). */
  private allByLevels(): string[] {
    const out = new Set<string>();
    const seen = new Set<string>(['all']);
    let level = ['all'];
    while (level.length) {
      const next: string[] = [];
      for (const name of level) {
        const g = this.groups.get(name)!;
        for (const h of g.hosts) if (!this.hosts.get(h)?.implicit) out.add(h);
        for (const c of g.children) if (!seen.has(c)) (seen.add(c), next.push(c));
      }
      level = next;
    }
    return [...out];
  }

  /** Every group of a host, transitively, 'all' included (unless implicit). */
  allGroupsOf(host: string): string[] {
    const h = this.hosts.get(host);
    if (!h) return [];
    const out = new Set<string>();
    for (const g of h.groups) {
      out.add(g);
      for (const a of this.ancestors(g)) out.add(a);
    }
    if (!h.implicit) out.add('all');
    return [...out];
  }

  groupNames(host: string): string[] {
    return this.allGroupsOf(host)
      .filter((g) => g !== 'all')
      .sort();
  }

  hostVars(host: string): Vars {
    const h = this.hosts.get(host) ?? this.implicitHost(host);
    if (!h) return {};
    const all = this.groups.get('all')!;
    const sorted = this.allGroupsOf(host)
      .filter((g) => g !== 'all')
      .map((g) => this.groups.get(g)!)
      .sort((a, b) => this.depth(a.name) - this.depth(b.name) || priority(a) - priority(b) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const out: Vars = { ...all.layers.inventory };
    for (const g of sorted) Object.assign(out, g.layers.inventory);
    Object.assign(out, all.layers.inventory_files, all.layers.playbook_files);
    for (const g of sorted) Object.assign(out, g.layers.inventory_files);
    for (const g of sorted) Object.assign(out, g.layers.playbook_files);
    Object.assign(out, h.layers.inventory, h.layers.inventory_files, h.layers.playbook_files);
    return out;
  }

  /** localhost (127.0.0.1, ::1) exists implicitly with connection local when the inventory does not define it. */
  implicitHost(name: string): HostData | undefined {
    if (!LOCALHOST_NAMES.includes(name)) return undefined;
    const existing = this.hosts.get(name);
    if (existing) return existing;
    const h: HostData = { name, vars: { ansible_connection: 'local' }, groups: [], implicit: true, layers: emptyLayers() };
    h.layers.inventory = { ...h.vars };
    this.hosts.set(name, h);
    return h;
  }

  select(pattern: string): string[] {
    return selectHosts(this, pattern);
  }

  /** Terms of a pattern that match no host or group (the caller warns "Could not match supplied host pattern"). */
  unknownPatterns(pattern: string): string[] {
    return unknownTerms(this, pattern);
  }

  /** Why a pattern is invalid (unbalanced brackets, bad ~regex), or undefined. */
  patternError(pattern: string): string | undefined {
    return patternError(pattern);
  }

  addDynamicHost(info: { host_name: string; groups: string[]; host_vars: Vars }): boolean {
    return addDynamicHost(this, info);
  }

  addDynamicGroup(host: string, group: string, parents: string[]): boolean {
    return addDynamicGroup(this, host, group, parents);
  }
}

function priority(g: GroupData): number {
  const p = Number(g.vars.ansible_group_priority ?? 1);
  return Number.isFinite(p) ? p : 1;
}
