// The lab's Ansible INI inventory and known_hosts.
import { writeFileSync } from 'node:fs';
import { LabConfig, paths } from './config.js';

export function inventoryText(cfg: LabConfig): string {
  const p = paths(cfg.dir);
  const line = (h: LabConfig['hosts'][number]): string =>
    [
      h.name,
      `ansible_host=${h.addr}`,
      'ansible_user=root',
      `ansible_ssh_private_key_file=${p.key}`,
      ...Object.entries(h.vars).map(([k, v]) => `${k}=${v}`),
    ].join(' ');
  const group = (g: string): string => {
    const hs = cfg.hosts.filter((h) => h.groups.includes(g));
    return `[${g}]\n${hs.map(line).join('\n')}${hs.length ? '\n' : ''}`;
  };
  return [
    `# lvsplay lab '${cfg.name}' (${cfg.dir}), subnet ${cfg.subnet}: written by \`lvsplay lab up\`, removed by \`lvsplay lab down\`.`,
    `# Usable by lvsplay (-i lab) and by ansible-playbook (-i ${p.inventory}).`,
    '',
    group('directors'),
    group('real_servers'),
    '[all:vars]',
    `ansible_ssh_common_args='-o UserKnownHostsFile=${p.knownHosts} -o StrictHostKeyChecking=yes'`,
    `lvsplay_known_hosts=${p.knownHosts}`,
    `lvsplay_lab=${cfg.name}`,
    `lvs_vip=${cfg.vip}`,
    `lvs_vip_prefix=${cfg.prefix}`,
    'lvs_interface=eth0',
    'lvs_ipvs_available=false',
    '# No IPVS in the lab kernel: keepalived runs VRRP only (--vrrp), the VIP still fails over.',
    'lvs_vrrp_only=true',
    '',
  ].join('\n');
}

export function writeInventory(cfg: LabConfig): void {
  writeFileSync(paths(cfg.dir).inventory, inventoryText(cfg));
}

export function writeKnownHosts(cfg: LabConfig, hostKeys: Record<string, string>): void {
  const lines = cfg.hosts.map((h) => {
    const [type, key] = hostKeys[h.name].split(/\s+/);
    return `${h.name},${h.addr} ${type} ${key}`;
  });
  writeFileSync(paths(cfg.dir).knownHosts, lines.join('\n') + '\n');
}
