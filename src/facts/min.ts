// The rest of Ansible's `min` facts: kernel command line, DNS, AppArmor/SELinux/FIPS, ssh host
// keys, capabilities, userspace bits, distribution file (pure parsers of probe sections).
import type { Vars } from '../types.js';
import { pyFloat } from '../vars/pyfloat.js';

/** Words of /proc/cmdline: `key=value` or a bare key (true); proc_cmdline keeps repeated keys as lists. */
export function cmdlineFacts(text: string): Vars {
  if (!text.trim()) return {};
  const cmdline: Vars = {};
  const proc: Vars = {};
  for (const w of text.trim().split(/\s+/)) {
    const i = w.indexOf('=');
    const k = i < 0 ? w : w.slice(0, i);
    const v: unknown = i < 0 ? true : w.slice(i + 1);
    cmdline[k] = v;
    if (!(k in proc)) proc[k] = v;
    else proc[k] = Array.isArray(proc[k]) ? [...(proc[k] as unknown[]), v] : [proc[k], v];
  }
  return { cmdline, proc_cmdline: proc };
}

export function dnsFacts(text: string): Vars {
  const dns: Vars = {};
  for (const raw of text.split('\n')) {
    const w = raw.replace(/[#;].*/, '').trim().split(/\s+/);
    if (!w[0] || w.length < 2) continue;
    const [k, ...rest] = w;
    if (k === 'nameserver') ((dns.nameservers ??= []) as string[]).push(rest[0]);
    else if (k === 'domain') dns.domain = rest[0];
    else if (k === 'search' || k === 'sortlist') dns[k] = rest;
    else if (k === 'options') {
      const o = (dns.options ??= {}) as Vars;
      for (const opt of rest) {
        const i = opt.indexOf(':');
        o[i < 0 ? opt : opt.slice(0, i)] = i < 0 ? true : opt.slice(i + 1);
      }
    }
  }
  return { dns };
}

/** `selinux 1` (enforce file), `fips 1`, `libselinux` (Ansible reads SELinux through it); AppArmor from the paths section. */
export function securityFacts(text: string, apparmor: boolean): Vars {
  const selinuxLib = /^libselinux$/m.test(text);
  const get = (k: string) => new RegExp(`^${k} (\\S*)`, 'm').exec(text)?.[1];
  const enforce = get('selinux');
  const selinux = !selinuxLib ? { status: 'Missing selinux Python library' } : enforce === undefined ? { status: 'disabled' } : { status: 'enabled', mode: enforce === '1' ? 'enforcing' : 'permissive' };
  return {
    apparmor: { status: apparmor ? 'enabled' : 'disabled' },
    selinux,
    selinux_python_present: selinuxLib,
    fips: get('fips') === '1',
  };
}

/** `ssh_host_ed25519_key.pub ssh-ed25519 AAAA... comment` lines. */
export function sshKeyFacts(text: string): Vars {
  const out: Vars = {};
  for (const line of text.split('\n')) {
    const m = /^ssh_host_(\w+)_key\.pub\s+(\S+)\s+(\S+)/.exec(line);
    if (!m) continue;
    out[`ssh_host_key_${m[1]}_public`] = m[3];
    out[`ssh_host_key_${m[1]}_public_keytype`] = m[2];
  }
  return out;
}

/** capsh's `Current:` line: `=ep` is no restriction. */
export function capsFacts(text: string): Vars {
  const m = /^Current:(.*)$/m.exec(text);
  if (!m) return {};
  const cur = m[1].trim();
  if (cur === '=ep') return { system_capabilities_enforced: 'False', system_capabilities: [] };
  return { system_capabilities_enforced: 'True', system_capabilities: (cur.split('=')[1] ?? '').split(',').map((s) => s.trim()) };
}

export function userspaceFacts(bits: string, machine: string): Vars {
  const b = bits.trim();
  if (!/^\d+$/.test(b)) return {};
  return { userspace_bits: b, userspace_architecture: machine === 'x86_64' && b === '32' ? 'i386' : machine };
}

/** Which file the distribution came from, for the families whose answer Ansible takes from a known file. */
export function distributionFileFacts(family: string, hasOsRelease: boolean, hasRedhatRelease: boolean): Vars {
  if (family === 'Debian' && hasOsRelease) return { distribution_file_parsed: true, distribution_file_path: '/etc/os-release', distribution_file_variety: 'Debian' };
  if (family === 'RedHat' && hasRedhatRelease) return { distribution_file_parsed: true, distribution_file_path: '/etc/redhat-release', distribution_file_variety: 'RedHat' };
  return {};
}

export function loadavgFacts(text: string): Vars {
  const [a, b, c] = text.trim().split(/\s+/).map(Number);
  return Number.isFinite(c) ? { loadavg: { '1m': pyFloat(a), '5m': pyFloat(b), '15m': pyFloat(c) } } : {}; // floats in Ansible's setup (0.0, not 0)
}

/** A chroot when / is not PID 1's root; without access to /proc/1/root, when / is not the file system's root inode. */
export function chrootFacts(text: string): Vars {
  if (!text.trim()) return {};
  if (/^debian_chroot=\S/m.test(text)) return { is_chroot: true };
  const stats = text.split('\n').filter((l) => /^\d+ \d+$/.test(l));
  if (stats.length >= 2) return { is_chroot: stats[0] !== stats[1] };
  const fs = /^fs (\S+)/m.exec(text)?.[1];
  const rootIno = fs === 'btrfs' ? '256' : fs === 'xfs' ? '128' : '2';
  return stats.length ? { is_chroot: stats[0].split(' ')[1] !== rootIno } : {};
}

/** iSCSI initiator name, NVMe host NQN, Fibre Channel port WWNs ('' / [] when absent, as Ansible). */
export function storageIdFacts(text: string): Vars {
  const [iscsi = '', rest = ''] = text.split('@nvme');
  const [nvme = '', fc = ''] = rest.split('@fc');
  const iqn = /^InitiatorName=(.*)$/m.exec(iscsi)?.[1]?.trim() ?? '';
  const wwn = fc.split('\n').map((l) => l.trim().replace(/^0x/, '')).filter(Boolean);
  return { iscsi_iqn: iqn, hostnqn: nvme.trim(), fibre_channel_wwn: wwn };
}
