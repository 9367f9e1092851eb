// System facts: kernel, hostname/fqdn, user, service manager, package manager, IPVS, date (pure).
import type { Vars } from '../types.js';

export function unameFacts(text: string): Vars {
  const [system = 'Linux', kernel = '', machine = '', nodename = '', ...version] = text.split('\n');
  return { system, kernel, kernel_version: version.join(' ').trim(), architecture: machine, machine, nodename };
}

/**
 * fqdn the way Python's socket.getfqdn() finds it from /etc/hosts (no resolver query: lab hosts
 * have no route out): the hostname's address, the first line for that address, the first of its
 * names with a dot, else its first name.
 */
export function hostnameFacts(hostnameOut: string, hosts: string): Vars {
  const full = hostnameOut.trim().split('\n')[0] ?? '';
  const short = full.split('.')[0];
  const lines = hosts.split('\n').map((l) => l.replace(/#.*/, '').trim().split(/\s+/)).filter((w) => w.length > 1);
  const ip = lines.find((w) => w.slice(1).includes(full))?.[0];
  const names = ip ? lines.find((w) => w[0] === ip)!.slice(1) : [];
  const fqdn = names.find((n) => n.includes('.')) ?? names[0] ?? full;
  const dot = fqdn.indexOf('.');
  return { hostname: short, fqdn, domain: dot > 0 ? fqdn.slice(dot + 1) : '' };
}

export function userFacts(text: string): Vars {
  const [uid = '', name = ''] = text.split('\n');
  return { user_uid: Number(uid), user_id: name.trim() };
}

export interface Paths {
  exists: Set<string>;
  bins: Map<string, string>;
  initLink?: string;
}

export function parsePaths(text: string): Paths {
  const exists = new Set<string>();
  const bins = new Map<string, string>();
  let initLink: string | undefined;
  for (const line of text.split('\n').map((l) => l.trim())) {
    if (line.startsWith('bin:')) {
      const [, name, ...p] = line.split(':');
      bins.set(name, p.join(':'));
    } else if (line.startsWith('init_link:')) initLink = line.slice('init_link:'.length);
    else if (line.startsWith('/')) exists.add(line);
  }
  return { exists, bins, initLink };
}

const PROC1_MAP: Record<string, string> = {
  systemd: 'systemd',
  'openrc-init': 'openrc',
  openrc: 'openrc',
  'runit-init': 'runit',
  runit: 'runit',
  svscan: 'svc',
  's6-svscan': 's6',
  upstart: 'upstart',
  dinit: 'dinit',
};

/**
 * Ansible's service_mgr: PID 1's name (mapped when it is a known init system, itself otherwise),
 * else the file checks below.
 */
export function ansibleServiceMgr(proc1: string, p: Paths): string {
  const comm = proc1.trim().split('\n')[0]?.split('/').pop() ?? '';
  if (comm && comm !== 'init' && !comm.endsWith('sh')) return PROC1_MAP[comm] ?? comm;
  return serviceMgr(proc1, p);
}

/**
 * The manager lvsplay's service module drives (fact lvsplay_service_mgr): Ansible's detection, with one difference: a PID 1 whose name is not a known
 * init system (a container's custom init, the lab's init) falls through to the file checks instead
 * of becoming the answer, and a /sbin/init -> systemd symlink only counts when PID 1 is unknown.
 */
export function serviceMgr(proc1: string, p: Paths): string {
  let comm = proc1.trim().split('\n')[0]?.split('/').pop() ?? '';
  if (comm === 'init' || comm.endsWith('sh') || comm === 'COMMAND') comm = '';
  if (comm && PROC1_MAP[comm]) return PROC1_MAP[comm];
  const has = (f: string) => p.exists.has(f);
  if (has('/run/systemd/system') || has('/dev/.run/systemd') || has('/dev/.systemd')) return 'systemd';
  if (p.bins.has('initctl') && has('/etc/init')) return 'upstart';
  if (has('/sbin/openrc')) return 'openrc';
  if (!proc1.trim() && p.initLink && /systemd$/.test(p.initLink)) return 'systemd';
  if (has('/etc/init.d')) return 'sysvinit';
  if (has('/etc/dinit.d')) return 'dinit';
  return 'service';
}

/** Package manager: by OS family first (as Ansible), then whatever is installed. */
export function pkgMgr(family: string, major: string, distribution: string, p: Paths): string {
  const has = (b: string) => p.bins.has(b);
  if (family === 'Debian' && has('apt-get')) return 'apt';
  if (family === 'RedHat') {
    const oldRhel = distribution !== 'Fedora' && Number(major) > 0 && Number(major) < 8;
    if (has('dnf') && !oldRhel) return 'dnf';
    if (has('yum')) return 'yum';
    if (has('dnf')) return 'dnf';
  }
  if (family === 'Suse' && has('zypper')) return 'zypper';
  if (family === 'Alpine' && has('apk')) return 'apk';
  if (family === 'Archlinux' && has('pacman')) return 'pacman';
  for (const [bin, mgr] of [
    ['apt-get', 'apt'],
    ['dnf', 'dnf'],
    ['yum', 'yum'],
    ['zypper', 'zypper'],
    ['apk', 'apk'],
    ['pacman', 'pacman'],
  ]) {
    if (has(bin)) return mgr;
  }
  return 'unknown';
}

/** IPVS usable: already loaded (/proc/net/ip_vs), loadable (modprobe -n), a module file, or built in. */
export function ipvsFacts(ipvsOut: string, p: Paths): Vars {
  const lines = ipvsOut.split('\n').map((l) => l.trim());
  const loaded = p.exists.has('/proc/net/ip_vs');
  const available = loaded || lines.includes('modprobe') || lines.includes('builtin') || lines.some((l) => l.startsWith('module:'));
  return { lvsplay_ipvs: available, lvsplay_ipvs_loaded: loaded };
}

/** `2024-05-01 12:34:56 UTC +0000 1714566896 Wednesday 3 17 123456789` then the UTC time `2024-05-01T12:34:56` */
export function dateFacts(text: string): Vars {
  const [first = '', utc = ''] = text.trim().split('\n');
  const [date = '', time = '', tz = '', offset = '', epoch = '', weekday, wday, week, nanos] = first.trim().split(/\s+/);
  if (!date) return {};
  const [year, month, day] = date.split('-');
  const [hour, minute, second] = time.split(':');
  const micro = /^\d{9}$/.test(nanos ?? '') ? nanos!.slice(0, 6) : '000000';
  const iso = /^\d{4}-/.test(utc) ? utc.trim() : /^\d+$/.test(epoch) ? new Date(Number(epoch) * 1000).toISOString().slice(0, 19) : '';
  const short = `${year}${month}${day}T${hour}${minute}${second}`;
  const dt: Vars = { date, time, year, month, day, hour, minute, second, tz, tz_offset: offset, epoch };
  if (weekday !== undefined) {
    // Ansible's names; tz_dst is the zone's daylight-saving name (the probe knows only the current one)
    Object.assign(dt, { epoch_int: epoch, weekday, weekday_number: wday, weeknumber: week, tz_dst: tz, iso8601_basic: `${short}${micro}`, iso8601_basic_short: short, iso8601_micro: iso ? `${iso}.${micro}Z` : '' });
  }
  dt.iso8601 = iso ? `${iso}Z` : ''; // UTC, as Ansible
  return { date_time: dt };
}
