// Lab settings and every name derived from them (namespaces, links, addresses), so labs never collide.
import { createHash } from 'node:crypto';
import { basename, join } from 'node:path';
import { UsageError } from '../errors.js';

export const DEFAULT_LAB_DIR = '/var/lib/lvsplay/labs/default';
export const DEFAULT_SUBNET = '10.150.0.0/24';
export const DEFAULT_HOSTS = 4;
export const PROXY_PORT = 3142;
/** Host N's address is .10+N of the subnet, skipping the VIP (.100): a /24 holds 80 hosts below
 *  it (the historical limit, and what a /24 still gives), a larger subnet more (a /22: 1000). */
export const MAX_HOSTS_PER_24 = 80;
export const MAX_HOSTS = 1000;

/** How many lab hosts fit in a subnet of this prefix: below the VIP in a /24; in a larger one every
 *  address from .11 up except the VIP and the subnet's broadcast address. */
export function maxHosts(prefix: number): number {
  if (prefix >= 24) return MAX_HOSTS_PER_24;
  return Math.min(MAX_HOSTS, 2 ** (32 - prefix) - 1 - 11 - 1);
}

/** Offset of host i (1-based) from the subnet's base: .11, .12, ... skipping .100 (the VIP). */
function hostOffset(i: number): number {
  return 10 + i < 100 ? 10 + i : 11 + i;
}

export interface LabHost {
  name: string; // node01
  ns: string; // network namespace name
  addr: string; // 10.150.0.11
  groups: string[];
  vars: Record<string, string | number | boolean>;
}

export interface LabConfig {
  dir: string;
  name: string;
  subnet: string; // network/prefix, normalised
  prefix: number;
  controller: string; // .1
  vip: string; // .100
  swNs: string; // namespace holding the bridge
  ctlLink: string; // controller's veth in the root namespace (<= 15 chars)
  hosts: LabHost[];
}

/** The lab directory: --lab-dir, else $LVSPLAY_LAB_DIR, else the default (the one definition; `-i lab` uses it too). */
export function labDirFrom(opt?: string): string {
  return opt || process.env.LVSPLAY_LAB_DIR || DEFAULT_LAB_DIR;
}

/** The inventory `-i lab` stands for. */
export function labInventoryFile(opt?: string): string {
  return join(labDirFrom(opt), 'inventory.ini');
}

function ipToInt(ip: string): number {
  const p = ip.split('.').map(Number);
  if (p.length !== 4 || p.some((x) => !Number.isInteger(x) || x < 0 || x > 255)) throw new UsageError(`bad IPv4 address '${ip}'`);
  return ((p[0] << 24) | (p[1] << 16) | (p[2] << 8) | p[3]) >>> 0;
}
export function intToIp(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

export function parseSubnet(cidr: string): { base: number; prefix: number } {
  const m = /^(\d+\.\d+\.\d+\.\d+)\/(\d+)$/.exec(cidr);
  if (!m) throw new UsageError(`--subnet: expected an IPv4 CIDR like 10.150.0.0/24, got '${cidr}'`);
  const prefix = Number(m[2]);
  if (prefix < 8 || prefix > 24) throw new UsageError(`--subnet: prefix must be between /8 and /24, got /${prefix}`);
  const mask = prefix === 0 ? 0 : (~0 << (32 - prefix)) >>> 0;
  return { base: (ipToInt(m[1]) & mask) >>> 0, prefix };
}

/** Addresses inside a subnet overlap check (for refusing a subnet another lab or interface uses). */
export function inSubnet(ip: string, cidr: string): boolean {
  const { base, prefix } = parseSubnet(cidr);
  const mask = (~0 << (32 - prefix)) >>> 0;
  return ((ipToInt(ip) & mask) >>> 0) === base;
}

export function validName(name: string): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$/.test(name))
    throw new UsageError(`lab name '${name}': expected letters, digits, '_', '.', '-' (max 40, starting with a letter or digit)`);
  return name;
}

/** Lab name from the dir: its basename, made a valid name. */
export function nameFromDir(dir: string): string {
  const b = basename(dir).replace(/[^A-Za-z0-9_.-]/g, '-').replace(/^[^A-Za-z0-9]+/, '');
  return b.slice(0, 40) || 'lab';
}

export function nsPrefix(name: string): string {
  return `lvsplay-${name}-`;
}

/** Root-namespace link name: Linux allows 15 characters. */
export function ctlLinkName(name: string): string {
  if (/^[a-z0-9]{1,10}$/.test(name)) return `lvp-${name}`;
  return `lvp-${createHash('sha1').update(name).digest('hex').slice(0, 10)}`;
}

export function makeConfig(o: { dir: string; name?: string; subnet?: string; hosts?: number }): LabConfig {
  const name = validName(o.name ?? nameFromDir(o.dir));
  const n = o.hosts ?? DEFAULT_HOSTS;
  const { base, prefix } = parseSubnet(o.subnet ?? DEFAULT_SUBNET);
  const max = maxHosts(prefix);
  if (!Number.isInteger(n) || n < 1 || n > max)
    throw new UsageError(`--hosts: expected 1..${max} on a /${prefix} subnet, got ${o.hosts}` + (prefix >= 24 && n > max ? ` (more hosts need a larger subnet: --subnet with /22 gives up to ${maxHosts(22)})` : ''));
  const subnet = `${intToIp(base)}/${prefix}`;
  const pre = nsPrefix(name);
  const hosts: LabHost[] = [];
  for (let i = 1; i <= n; i++) {
    const hn = `node${String(i).padStart(2, '0')}`;
    hosts.push({ name: hn, ns: pre + hn, addr: intToIp(base + hostOffset(i)), groups: [], vars: {} });
  }
  if (n === 4) {
    // The default topology: two directors (MASTER/BACKUP) around two real servers.
    hosts[0].groups.push('directors');
    hosts[0].vars.keepalived_priority = 100;
    hosts[1].groups.push('real_servers');
    hosts[2].groups.push('real_servers');
    hosts[3].groups.push('directors');
    hosts[3].vars.keepalived_priority = 50;
  } else {
    // Any other size: every host is a real server (no host is special).
    for (const h of hosts) h.groups.push('real_servers');
  }
  return {
    dir: o.dir,
    name,
    subnet,
    prefix,
    controller: intToIp(base + 1),
    vip: intToIp(base + 100),
    swNs: pre + 'sw',
    ctlLink: ctlLinkName(name),
    hosts,
  };
}

export const paths = (dir: string) => ({
  state: join(dir, 'state.json'),
  inventory: join(dir, 'inventory.ini'),
  key: join(dir, 'id_ed25519'),
  pub: join(dir, 'id_ed25519.pub'),
  knownHosts: join(dir, 'known_hosts'),
  hostsDir: join(dir, 'hosts'),
  proxyLog: join(dir, 'apt-proxy.log'),
});
