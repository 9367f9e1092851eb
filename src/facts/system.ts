// System facts: kernel, hostname/fqdn, user, service manager, package manager, IPVS, date (pure).
import type { Vars } from '../types.js';

export function unameFacts(text: string): Vars {
  const [system = 'Linux', kernel = '', machine = '', nodename = '', ...version] = text.split('\n');
  return { system, kernel, kernel_version: version.join(' ').trim(), architecture: machine, machine, nodename };
}

/**
 * fqdn the way Python's socket.getfqdn() finds it on a host without DNS: the first name of the
 * /etc/hosts line that lists the hostname (no resolver query: lab hosts have no route out).
 */
export function hostnameFacts(hostnameOut: string, hosts: string): Vars {
  const full = hostnameOut.trim().split('\n')[0] ?? '';
  const short = full.split('.')[0];
  let fqdn = full;
  for (const line of hosts.split('\n')) {
    const names = line.replace(/#.*/, '').trim().split(/\s+/).slice(1);
    if (names.includes(full) || names.includes(short)) {
      const dotted = [names[0], ...names].find((n) => n.includes('.') && n.split('.')[0] === short);
      fqdn = dotted ?? names[0];
      break;
    }
  }
  if (fqdn.startsWith('localhost') && full && !full.startsWith('localhost')) fqdn = full;
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
 * Ansible's service_mgr detection, with one deliberate difference: a PID 1 whose name is not a known
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

/** `2024-05-01 12:34:56 UTC +0000 1714566896` */
export function dateFacts(text: string): Vars {
  const [date = '', time = '', tz = '', offset = '', epoch = ''] = text.trim().split(/\s+/);
  if (!date) return {};
  const [year, month, day] = date.split('-');
  const [hour, minute, second] = time.split(':');
  return {
    date_time: {
      date,
      time,
      year,
      month,
      day,
      hour,
      minute,
      second,
      tz,
      tz_offset: offset,
      epoch,
      iso8601: /^\d+$/.test(epoch) ? new Date(Number(epoch) * 1000).toISOString().replace(/\.\d+Z$/, 'Z') : '', // UTC, as Ansible
    },
  };
}
