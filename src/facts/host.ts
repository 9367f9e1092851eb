// Facts about the running user, environment, python, LSB and virtualization (pure parsers).
import type { Vars } from '../types.js';

/** `env` output; a line that does not start a NAME= continues the previous value (multi-line values). */
export function envFacts(text: string): Vars {
  const env: Record<string, string> = {};
  let last: string | undefined;
  for (const line of text.split('\n')) {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line);
    if (m) {
      last = m[1];
      env[last] = m[2];
    } else if (last !== undefined) env[last] += `\n${line}`;
  }
  if (env.lvsplay_env !== undefined) delete env.lvsplay_env;
  return Object.keys(env).length ? { env } : {};
}

/** `["/usr/bin/python3", [3, 11, 2, "final", 0], "cpython"]` from the interpreter the probe found. */
export function pythonFacts(text: string): Vars {
  let got: unknown;
  try {
    got = JSON.parse(text.trim().split('\n').pop() ?? '');
  } catch {
    return {};
  }
  if (!Array.isArray(got) || !Array.isArray(got[1])) return {};
  const [executable, vi, type] = got as [string, [number, number, number, string, number], string];
  return {
    python: {
      executable,
      has_sslcontext: true,
      type,
      version: { major: vi[0], minor: vi[1], micro: vi[2], releaselevel: vi[3], serial: vi[4] },
      version_info: vi,
    },
    python_version: `${vi[0]}.${vi[1]}.${vi[2]}`,
  };
}

/** `lsb_release -a` (Distributor ID/Description/Release/Codename), else /etc/lsb-release after `@file`. */
export function lsbFacts(text: string): Vars {
  const lsb: Record<string, string> = {};
  const fromFile = text.startsWith('@file');
  const keys: Record<string, string> = fromFile
    ? { DISTRIB_ID: 'id', DISTRIB_RELEASE: 'release', DISTRIB_DESCRIPTION: 'description', DISTRIB_CODENAME: 'codename' }
    : { 'Distributor ID': 'id', Release: 'release', Description: 'description', Codename: 'codename', 'LSB Version': 'lsb_version' };
  for (const line of text.split('\n')) {
    const i = line.indexOf(fromFile ? '=' : ':');
    if (i < 0) continue;
    const k = keys[line.slice(0, i).trim()];
    if (k) lsb[k] = line.slice(i + 1).trim().replace(/^"(.*)"$/, '$1');
  }
  if (!Object.keys(lsb).length) return {};
  if (lsb.release) lsb.major_release = lsb.release.split('.')[0];
  return { lsb };
}

/** getent passwd line of the user, and the group id from `id`. */
export function passwdFacts(passwd: string, idText: string): Vars {
  const [, , uid, gid, gecos, dir, shell] = passwd.trim().split('\n')[0].split(':');
  const out: Vars = {};
  const g = idText.split('\n')[2]?.trim();
  if (uid !== undefined) Object.assign(out, { user_gid: Number(gid), user_gecos: gecos, user_dir: dir, user_shell: shell });
  const u = Number(idText.split('\n')[0]);
  if (Number.isInteger(u)) Object.assign(out, { real_user_id: u, effective_user_id: u });
  if (g && /^\d+$/.test(g)) Object.assign(out, { real_group_id: Number(g), effective_group_id: Number(g) });
  return out;
}

/** Best effort: containers from PID 1's cgroups/environment and marker files, VMs from DMI names. */
export function virtualFacts(text: string, dmi: Vars, exists: Set<string>): Vars {
  const [cgroup = '', environ = ''] = text.split('\n@environ');
  const host = exists.has('/dev/kvm') ? ['kvm'] : [];
  const guest = (type: string): Vars => ({
    virtualization_type: type,
    virtualization_role: 'guest',
    virtualization_tech_guest: ['docker', 'lxc', 'podman', 'systemd-nspawn', 'openvz'].includes(type) ? ['container', type] : [type],
    virtualization_tech_host: host,
  });
  if (/\/docker\/|docker-/.test(cgroup)) return guest('docker');
  if (/\/lxc\//.test(cgroup)) return guest('lxc');
  const container = /^container=(.*)$/m.exec(environ)?.[1];
  if (container === 'lxc' || container === 'podman' || container === 'systemd-nspawn') return guest(container);
  if (exists.has('/.dockerenv') || exists.has('/.dockerinit')) return guest('docker');
  if (exists.has('/run/.containerenv')) return guest('podman');
  if (exists.has('/proc/vz') && !exists.has('/proc/bc')) return guest('openvz');
  const names = [dmi.product_name, dmi.system_vendor, dmi.bios_vendor].filter((n) => n !== 'NA').join(' ');
  for (const [re, type] of [
    [/KVM|QEMU|Bochs/, 'kvm'],
    [/VMware/, 'VMware'],
    [/VirtualBox/, 'virtualbox'],
    [/Xen|HVM domU/, 'xen'],
    [/Virtual Machine|Microsoft/, 'VirtualPC'],
    [/Amazon EC2/, 'kvm'],
    [/OpenStack/, 'openstack'],
  ] as const) {
    if (re.test(names)) return guest(type);
  }
  if (exists.has('/proc/xen')) return guest('xen');
  if (host.length) return { virtualization_type: 'kvm', virtualization_role: 'host', virtualization_tech_guest: [], virtualization_tech_host: host };
  return { virtualization_type: 'NA', virtualization_role: 'NA', virtualization_tech_guest: [], virtualization_tech_host: [] };
}
