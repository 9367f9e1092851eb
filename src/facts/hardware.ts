// Hardware facts the way Ansible's Linux hardware collector reports them: processors from
// /proc/cpuinfo, memory from /proc/meminfo, mounts from /proc/mounts + statfs, uptime (pure).
import type { Vars } from '../types.js';

/** Ansible's counting: sockets by `physical id` (their `cpu cores`), threads by `siblings` over cores. */
export function cpuFacts(cpuinfo: string, nproc: string, architecture: string): Vars {
  if (!cpuinfo.trim()) return {};
  const processor: string[] = [];
  const sockets = new Map<string, number>();
  const cores = new Map<string, number>();
  let physid = '';
  let coreid = '';
  let entries = 0;
  let vendorIds = 0;
  let modelNames = 0;
  let processors = 0;
  let declaredCores: number | undefined;
  for (const line of cpuinfo.split('\n')) {
    const colon = line.indexOf(':');
    const key = (colon < 0 ? line : line.slice(0, colon)).trim();
    const val = colon < 0 ? '' : line.slice(colon + 1).trim();
    if (['model name', 'Processor', 'vendor_id', 'cpu', 'Vendor', 'processor'].includes(key)) {
      processor.push(val);
      entries++;
      if (key === 'vendor_id') vendorIds++;
      if (key === 'model name') modelNames++;
      if (key === 'processor') processors++;
    } else if (key === 'physical id') {
      physid = val;
      if (!sockets.has(physid)) sockets.set(physid, 1);
    } else if (key === 'core id') {
      coreid = val;
      // Ansible looks the core id up among the sockets here (kept: same numbers on the same host)
      if (!sockets.has(coreid)) cores.set(coreid, 1);
    } else if (key === 'cpu cores') sockets.set(physid, Number(val));
    else if (key === 'siblings') cores.set(coreid, Number(val));
    else if (key === '# processors') declaredCores = Number(val);
    else if (key === 'ncpus active') entries = Number(val);
  }
  let count = entries;
  if (vendorIds > 0 && vendorIds === modelNames) count = vendorIds;
  if (/^(armv|aarch|ppc)/.test(architecture)) count = processors;
  const out: Vars = { processor };
  if (declaredCores !== undefined) out.processor_cores = declaredCores;
  if (architecture === 's390x') return out;
  const socketValues = [...sockets.values()];
  const coreValues = [...cores.values()];
  const perSocket = socketValues[0] ? socketValues[0] : 1;
  const threads = coreValues.length ? Math.floor(coreValues[0] / perSocket) : Math.floor(1 / perSocket);
  const n = Number(nproc.trim());
  return {
    ...out,
    processor_count: sockets.size ? sockets.size : count,
    processor_cores: perSocket,
    processor_threads_per_core: threads,
    processor_vcpus: threads * (sockets.size ? sockets.size : count) * perSocket,
    processor_nproc: Number.isInteger(n) && n > 0 ? n : processors,
  };
}

/** kB values of /proc/meminfo in MB (integer division, as Ansible). */
export function memoryFacts(meminfo: string): Vars {
  const kb: Record<string, number> = {};
  for (const line of meminfo.split('\n')) {
    const m = /^([A-Za-z0-9_()]+):\s+(\d+)/.exec(line);
    if (m) kb[m[1]] = Number(m[2]);
  }
  if (kb.MemTotal === undefined) return {};
  const mb = (k: string) => Math.floor((kb[k] ?? 0) / 1024);
  const nocacheFree = mb('MemFree') + mb('Buffers') + mb('Cached');
  return {
    memtotal_mb: mb('MemTotal'),
    memfree_mb: mb('MemFree'),
    swaptotal_mb: mb('SwapTotal'),
    swapfree_mb: mb('SwapFree'),
    memory_mb: {
      real: { total: mb('MemTotal'), used: mb('MemTotal') - mb('MemFree'), free: mb('MemFree') },
      nocache: { free: nocacheFree, used: mb('MemTotal') - nocacheFree },
      swap: { total: mb('SwapTotal'), free: mb('SwapFree'), used: mb('SwapTotal') - mb('SwapFree'), cached: mb('SwapCached') },
    },
  };
}

/** /proc/mounts escapes space, tab, newline and backslash as octal. */
function unescape(s: string): string {
  return s.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));
}

/**
 * Mounts of real devices (a path or host:/path), each with its statfs numbers; bind mounts get
 * `,bind` in their options and a device's uuid comes from /dev/disk/by-uuid ('N/A' otherwise).
 */
export function mountFacts(text: string): Vars {
  const [mounts = '', rest1 = ''] = text.split('\n@statfs\n');
  const [statfs = '', rest2 = ''] = rest1.split('\n@bind\n');
  const [bind = '', uuids = ''] = rest2.split('\n@uuid');
  const binds = new Set(bind.split('\n').filter(Boolean).map(unescape));
  const uuidOf = new Map<string, string>();
  for (const line of uuids.split('\n')) {
    const [u, dev] = line.trim().split(/\s+/);
    if (u && dev) uuidOf.set(dev, u);
  }
  const stats = new Map<string, number[]>();
  for (const line of statfs.split('\n')) {
    const w = line.split(' ');
    if (w.length >= 8) stats.set(w.slice(7).join(' '), w.slice(0, 7).map(Number));
  }
  const out: Vars[] = [];
  for (const line of mounts.split('\n')) {
    const [dev, mnt, fstype, options] = line.trim().split(/\s+/);
    if (!dev || !mnt || !(dev.startsWith('/') || dev.includes(':/'))) continue;
    const mount = unescape(mnt);
    const device = unescape(dev);
    const entry: Vars = { mount, device, fstype, options: binds.has(mount) ? `${options},bind` : options };
    const s = stats.get(mount);
    if (s) {
      const [frsize, bsize, blocks, bfree, bavail, files, ffree] = s;
      Object.assign(entry, {
        size_total: frsize * blocks,
        size_available: frsize * bavail,
        block_size: bsize,
        block_total: blocks,
        block_available: bavail,
        block_used: blocks - bfree,
        inode_total: files,
        inode_available: ffree,
        inode_used: files - ffree,
      });
    }
    entry.uuid = uuidOf.get(device) ?? 'N/A';
    out.push(entry);
  }
  return { mounts: out };
}

export function uptimeFacts(text: string): Vars {
  const s = Number(text.trim().split(/\s+/)[0]);
  return Number.isFinite(s) && text.trim() ? { uptime_seconds: Math.floor(s) } : {};
}

// SMBIOS chassis types (the number in chassis_type) by name; index 0 and 2 are unknown
const CHASSIS = ['Unknown', 'Other', 'Unknown', 'Desktop', 'Low Profile Desktop', 'Pizza Box', 'Mini Tower', 'Tower', 'Portable', 'Laptop',
  'Notebook', 'Hand Held', 'Docking Station', 'All In One', 'Sub Notebook', 'Space-saving', 'Lunch Box', 'Main Server Chassis',
  'Expansion Chassis', 'Sub Chassis', 'Bus Expansion Chassis', 'Peripheral Chassis', 'RAID Chassis', 'Rack Mount Chassis', 'Sealed-case PC',
  'Multi-system', 'CompactPCI', 'AdvancedTCA', 'Blade', 'Blade Enclosure', 'Tablet', 'Convertible', 'Detachable', 'IoT Gateway',
  'Embedded PC', 'Mini PC', 'Stick PC'];

/** `name=value` lines of the DMI files; an unreadable or missing one is 'NA', as in Ansible. */
export function dmiFacts(text: string): Vars {
  const v: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const i = line.indexOf('=');
    if (i > 0 && line.slice(i + 1).trim()) v[line.slice(0, i)] = line.slice(i + 1).trim();
  }
  const out: Vars = {};
  for (const k of ['bios_date', 'bios_vendor', 'bios_version', 'board_asset_tag', 'board_name', 'board_serial', 'board_vendor', 'board_version',
    'chassis_asset_tag', 'chassis_serial', 'chassis_vendor', 'chassis_version', 'product_name', 'product_serial', 'product_uuid', 'product_version']) {
    out[k] = v[k] ?? 'NA';
  }
  out.system_vendor = v.sys_vendor ?? 'NA';
  out.form_factor = v.chassis_type !== undefined ? CHASSIS[Number(v.chassis_type)] ?? 'unknown' : 'NA';
  return out;
}

/** LVM as `vgs`/`lvs`/`pvs` list it (root with LVM tools only, else 'N/A', as Ansible). */
export function lvmFacts(text: string): Vars {
  if (!text.includes('@vgs')) return { lvm: 'N/A' };
  const part = (name: string) => (text.split(`@${name}\n`)[1] ?? '').split(/\n@/)[0].split('\n').map((l) => l.trim().split(',')).filter((w) => w.length > 2);
  const vgs = Object.fromEntries(part('vgs').map((w) => [w[0], { size_g: w[w.length - 2], free_g: w[w.length - 1], num_lvs: w[2], num_pvs: w[1] }]));
  const lvs = Object.fromEntries(part('lvs').map((w) => [w[0], { size_g: w[3], vg: w[1] }]));
  const pvs = Object.fromEntries(part('pvs').map((w) => [w[0], { size_g: w[4], free_g: w[5], vg: w[1] }]));
  return { lvm: { lvs, vgs, pvs } };
}

/** /dev/disk/by-{id,uuid,label} (`ls -l` lines) by target device, and each device's masters from /sys/block/X/slaves (sorted, as Ansible). */
export function deviceLinkFacts(text: string): Vars {
  const out: Record<string, Record<string, string[]>> = { ids: {}, uuids: {}, labels: {}, masters: {} };
  const add = (kind: string, dev: string, name: string) => {
    const list = (out[kind][dev] ??= []);
    if (!list.includes(name)) list.push(name);
  };
  let kind = '';
  for (const line of text.split('\n')) {
    const head = /^@(id|uuid|label|masters)$/.exec(line.trim());
    if (head) kind = head[1] === 'masters' ? 'masters' : `${head[1]}s`;
    else if (kind === 'masters') {
      const p = line.trim().split('/'); // /sys/block/dm-0/slaves/sda2
      if (p.length >= 6) add('masters', p[5], p[3]);
    } else if (kind) {
      const m = / (\S+) -> (\S+)$/.exec(line);
      if (m) add(kind, m[2].split('/').pop()!, m[1]);
    }
  }
  for (const group of Object.values(out)) for (const list of Object.values(group)) list.sort();
  return { device_links: out };
}
