// Interface facts from `ip -o link show`, `ip -o -4 addr show` and `ip -4 route show default` (pure).
import type { Vars } from '../types.js';

export interface Ipv4 {
  address: string;
  netmask: string;
  network: string;
  prefix: string; // a string, as in Ansible
  broadcast?: string;
  label?: string; // only for aliases like `lo:2`
}

export interface Iface {
  device: string;
  active: boolean;
  type: string; // ether, loopback, ...
  macaddress?: string;
  mtu?: number;
  promisc: boolean;
  ipv4?: Ipv4;
  ipv4_secondaries?: Ipv4[];
  ipv6?: Ipv6[];
  [more: string]: unknown; // /sys/class/net details: pciid, module, speed, bridge and bonding fields
}

/** /sys/class/net details per device (`dev NAME` then `key value` lines), as Ansible adds them. */
function addSysDetails(ifaces: Map<string, Iface>, text: string): void {
  let dev: Iface | undefined;
  for (const line of text.split('\n')) {
    const sp = line.indexOf(' ');
    const [k, v] = sp < 0 ? [line, ''] : [line.slice(0, sp), line.slice(sp + 1).trim()];
    if (k === 'dev') dev = ifaces.get(v);
    else if (!dev) continue;
    else if (k === 'pciid' || k === 'module') dev[k] = v.split('/').pop();
    else if (k === 'speed' && /^-?\d+$/.test(v)) dev.speed = Number(v);
    else if (k === 'bridge_id') Object.assign(dev, { type: 'bridge', id: v });
    else if (k === 'stp') dev.stp = v === '1';
    else if (k === 'brif') dev.interfaces = v.split(/\s+/).filter(Boolean);
    else if (k === 'bond_slaves') Object.assign(dev, { type: 'bonding', slaves: v.split(/\s+/).filter(Boolean) });
    else if (k.startsWith('bond_')) dev[k.slice(5)] = v.split(/\s+/)[0] ?? '';
  }
}

export interface Ipv6 {
  address: string;
  prefix: string;
  scope: string;
}

/** `ip -o -6 addr` lines: `4: eth0    inet6 fd00::2/64 scope global nodad \ ...` */
function addIpv6(ifaces: Map<string, Iface>, text: string): string[] {
  const all: string[] = [];
  for (const raw of text.split('\n')) {
    const m = /^\d+:\s+([^\s:@]+)\s+inet6\s+([^/\s]+)\/(\d+)(?:.*?\bscope\s+(\S+))?/.exec(raw.split('\\')[0].trim());
    const dev = m && ifaces.get(m[1]);
    if (!m || !dev) continue;
    (dev.ipv6 ??= []).push({ address: m[2], prefix: m[3], scope: m[4] ?? 'global' });
    if (m[2] !== '::1' && !all.includes(m[2])) all.push(m[2]);
  }
  return all;
}

function ipToInt(ip: string): number {
  return ip.split('.').reduce((n, o) => (n * 256 + Number(o)) >>> 0, 0);
}

function intToIp(n: number): string {
  return [24, 16, 8, 0].map((s) => (n >>> s) & 255).join('.');
}

export function ipv4Of(cidr: string): Ipv4 {
  const [address, p = '32'] = cidr.split('/');
  const prefix = Number(p);
  const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
  return {
    address,
    netmask: intToIp(mask),
    network: intToIp((ipToInt(address) & mask) >>> 0),
    prefix: String(prefix),
  };
}

/** `2: eth0@if5: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 ... \    link/ether 52:54:00:.. brd ..` */
export function parseLinks(text: string): Map<string, Iface> {
  const out = new Map<string, Iface>();
  for (const line of text.split('\n')) {
    const m = /^\d+:\s+([^\s:@]+)(?:@\S+)?:\s+<([^>]*)>(.*)$/.exec(line.trim());
    if (!m) continue;
    const [, device, flagText, rest] = m;
    const flags = flagText.split(',');
    const link = /link\/(\S+)(?:\s+([0-9a-f:]{11,}))?/.exec(rest);
    const mtu = /\bmtu (\d+)/.exec(rest);
    out.set(device, {
      device,
      active: flags.includes('UP'),
      type: link ? link[1] : 'unknown',
      macaddress: link?.[2] === '00:00:00:00:00:00' ? undefined : link?.[2], // Ansible leaves out an all-zero address
      mtu: mtu ? Number(mtu[1]) : undefined,
      promisc: flags.includes('PROMISC'),
    });
  }
  return out;
}

/** Add `ip -o -4 addr` lines to the interfaces; returns alias entries (`lo:2`) keyed by label. */
export function addAddresses(ifaces: Map<string, Iface>, text: string): Map<string, Iface> {
  const aliases = new Map<string, Iface>();
  for (const raw of text.split('\n')) {
    const line = raw.split('\\')[0].trim();
    const m = /^\d+:\s+([^\s:@]+)\s+inet\s+(\S+)(.*)$/.exec(line);
    if (!m) continue;
    const [, device, cidr, rest] = m;
    const words = rest.trim().split(/\s+/);
    const addr = ipv4Of(cidr);
    const brd = words.indexOf('brd');
    addr.broadcast = brd >= 0 ? words[brd + 1] : ''; // '' without one (loopback), as Ansible
    const last = words[words.length - 1];
    const label = last && (last === device || last.startsWith(device + ':')) ? last : device;
    if (label !== device) addr.label = label;
    const secondary = words.includes('secondary');
    const dev = ifaces.get(device) ?? { device, active: true, type: 'unknown', promisc: false };
    ifaces.set(device, dev);
    if (!dev.ipv4 && !secondary && label === device) dev.ipv4 = addr;
    else (dev.ipv4_secondaries ??= []).push(addr);
    if (label !== device) {
      const alias = aliases.get(label) ?? { ...dev, device: label, ipv4: undefined, ipv4_secondaries: undefined };
      if (!alias.ipv4) alias.ipv4 = addr;
      else (alias.ipv4_secondaries ??= []).push(addr);
      aliases.set(label, alias);
    }
  }
  // a device whose only addresses are labelled: its first address is still its ipv4
  for (const dev of ifaces.values()) {
    if (!dev.ipv4 && dev.ipv4_secondaries?.length) dev.ipv4 = dev.ipv4_secondaries.shift();
    if (dev.ipv4_secondaries?.length === 0) delete dev.ipv4_secondaries;
  }
  return aliases;
}

/** Ansible exposes each interface as a fact named after it, with `-` and `:` turned into `_`. */
export function ifaceKey(name: string): string {
  return name.replace(/[-:.]/g, '_');
}

function clean<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

export function networkFacts(sec: { link: string; addr: string; route: string; addr6?: string; route6?: string; netsys?: string }): Vars {
  const ifaces = parseLinks(sec.link);
  const aliases = addAddresses(ifaces, sec.addr);
  const all6 = addIpv6(ifaces, sec.addr6 ?? '');
  addSysDetails(ifaces, sec.netsys ?? '');
  const facts: Vars = { interfaces: [...ifaces.keys()] }; // Ansible's order is a hash order: compare as a set
  for (const [name, i] of [...ifaces, ...aliases]) facts[ifaceKey(name)] = clean(i);
  // Ansible walks the devices in /sys/class/net's directory order (the netsys section's order)
  const order = [...(sec.netsys ?? '').matchAll(/^dev (\S+)$/gm)].map((m) => m[1]);
  const rank = (name: string): number => (order.includes(name) ? order.indexOf(name) : order.length);
  const devices = [...ifaces.values()].sort((a, b) => rank(a.device) - rank(b.device));
  const all: string[] = [];
  for (const i of devices) {
    for (const a of [i.ipv4, ...(i.ipv4_secondaries ?? [])]) {
      if (a && !a.address.startsWith('127.') && !all.includes(a.address)) all.push(a.address);
    }
  }
  facts.all_ipv4_addresses = all;
  if (sec.addr6 !== undefined) {
    const devOf = new Map<string, string>();
    for (const i of devices) for (const a of i.ipv6 ?? []) if (!devOf.has(a.address)) devOf.set(a.address, i.device);
    facts.all_ipv6_addresses = [...all6].sort((a, b) => rank(devOf.get(a) ?? '') - rank(devOf.get(b) ?? ''));
  }
  facts.default_ipv4 = defaultRoute(sec.route, ifaces, (d, src) => {
    const addrs = [d.ipv4, ...(d.ipv4_secondaries ?? [])].filter((a): a is Ipv4 => !!a);
    const a = addrs.find((x) => x.address === src) ?? addrs[0];
    return a ? { address: a.address, netmask: a.netmask, network: a.network, prefix: a.prefix, broadcast: a.broadcast, alias: d.device } : { alias: d.device };
  });
  if (sec.route6 !== undefined) {
    facts.default_ipv6 = defaultRoute(sec.route6, ifaces, (d, src) => {
      const a = d.ipv6?.find((x) => x.address === src) ?? d.ipv6?.find((x) => x.scope === 'global') ?? d.ipv6?.[0];
      return a ? { address: a.address, prefix: a.prefix, scope: a.scope } : {};
    });
  }
  return facts;
}

/** The default route with the lowest metric, as Ansible's default_ipv4/default_ipv6; no default route (as in the lab) -> {}. */
function defaultRoute(routes: string, ifaces: Map<string, Iface>, addr: (d: Iface, src?: string) => Vars): Vars {
  let best: { dev: string; via?: string; src?: string; metric: number } | undefined;
  for (const line of routes.split('\n')) {
    const w = line.trim().split(/\s+/);
    if (w[0] !== 'default') continue;
    const get = (k: string) => (w.indexOf(k) >= 0 ? w[w.indexOf(k) + 1] : undefined);
    const dev = get('dev');
    if (!dev) continue;
    const metric = Number(get('metric') ?? 0);
    if (!best || metric < best.metric) best = { dev, via: get('via'), src: get('src'), metric };
  }
  const d = best && ifaces.get(best.dev);
  if (!best || !d) return {};
  return clean({ ...addr(d, best.src), gateway: best.via, interface: d.device, macaddress: d.macaddress, mtu: d.mtu, type: d.type });
}
