// The cluster as the roles see it, from the inventory alone (controller data): the directors and
// real servers groups (lvs_director_group / lvs_real_server_group), each real server's address,
// port, health-check path and weight, the VIP, each director's keepalived.conf path. Variables are
// the roles' defaults overlaid with the inventory's, templated as a play would (inventory data only).
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { ConfigError } from '../errors.js';
import { loadInventory } from '../inventory/index.js';
import { fromRoot } from '../paths.js';
import type { Inventory, Vars } from '../types.js';
import { Templar } from '../vars/templar.js';
import type { Topology } from './model.js';

export interface ClusterInventory {
  inv: Inventory;
  topo: Topology;
  /** Rendered variable of a host (role defaults < inventory). */
  get(host: string, name: string): unknown;
  directorConf: Map<string, string>;
  iface: Map<string, string>;
  directorGroup: string;
  realServerGroup: string;
}

function defaults(role: string): Vars {
  try {
    return (parse(readFileSync(fromRoot('roles', role, 'defaults', 'main.yml'), 'utf8')) as Vars) ?? {};
  } catch {
    return {};
  }
}

export async function clusterInventory(source: string, limit?: string): Promise<ClusterInventory> {
  const inv = await loadInventory([source]);
  const templar = new Templar();
  const base = { ...defaults('lvs_real_server'), ...defaults('lvs_director') };
  const groups: Record<string, string[]> = {};
  for (const g of inv.groups.keys()) groups[g] = inv.select(g);
  const cache = new Map<string, Vars>();
  const varsOf = (h: string): Vars => {
    let v = cache.get(h);
    if (!v) cache.set(h, (v = { ...base, ansible_os_family: 'Debian', ...inv.hostVars(h), inventory_hostname: h, groups }));
    return v;
  };
  const get = (h: string, name: string): unknown => {
    const v = varsOf(h);
    return name in v ? templar.render(v[name], v) : undefined;
  };
  const first = inv.hosts.keys().next().value as string | undefined;
  const directorGroup = String((first && get(first, 'lvs_director_group')) ?? 'directors');
  const realServerGroup = String((first && get(first, 'lvs_real_server_group')) ?? 'real_servers');
  const limited = limit ? new Set(inv.select(limit)) : undefined;
  if (limit && !limited?.size) throw new ConfigError(`--limit ${limit} matches no host of the inventory`);
  const keep = (hs: string[]) => hs.filter((h) => !limited || limited.has(h));
  const directors = keep(inv.select(directorGroup));
  const realServers = keep(inv.select(realServerGroup));
  if (!directors.length && !realServers.length) throw new ConfigError(`no host in the inventory groups '${directorGroup}' and '${realServerGroup}'${limit ? ` within --limit ${limit}` : ''}`);
  const ref = directors[0] ?? inv.select(directorGroup)[0] ?? realServers[0];
  const vip = String(get(ref, 'lvs_vip') ?? '');
  const topo: Topology = {
    directors: directors.map((h) => ({ host: h, priority: Number(get(h, 'keepalived_priority') ?? 100) })),
    realServers: realServers.map((h) => {
      const ip = String(get(h, 'lvs_rip') ?? get(h, 'ansible_host') ?? h);
      const w = get(h, 'lvs_weight') ?? get(ref, 'lvs_rs_weight') ?? 1;
      return { host: h, ip, port: String(get(ref, 'lvs_rs_port') ?? 80), path: String(get(ref, 'lvs_health_path') ?? '/'), weight: Number(w) };
    }),
    vips: vip ? [vip] : [],
  };
  const directorConf = new Map(directors.map((h) => [h, String(get(h, 'lvs_keepalived_conf') ?? '/etc/keepalived/keepalived.conf')]));
  const iface = new Map([...directors, ...realServers].map((h) => [h, String(get(h, 'lvs_interface') ?? 'eth0')]));
  return { inv, topo, get, directorConf, iface, directorGroup, realServerGroup };
}
