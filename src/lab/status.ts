// `lab status`: what is recorded for a lab and whether each host really runs and answers.
import { existsSync } from 'node:fs';
import { paths } from './config.js';
import { readState } from './state.js';
import { aliveAs, probe } from './system.js';

export interface HostStatus {
  name: string;
  addr: string;
  pid?: number;
  running: boolean;
  sshd: boolean;
}

export interface LabStatus {
  dir: string;
  name?: string;
  state: 'up' | 'down' | 'partial' | 'starting';
  subnet?: string;
  vip?: string;
  inventory?: string;
  proxy?: { addr: string; port: number; pid?: number; running: boolean; answering: boolean };
  hosts: HostStatus[];
}

export async function labStatus(dir: string): Promise<LabStatus> {
  const st = readState(dir);
  if (!st) return { dir, state: 'down', hosts: [] };
  const hosts = await Promise.all(
    st.hosts.map(async (h) => {
      const running = aliveAs(h.pid, `${paths(dir).hostsDir}/${h.name}`);
      return { name: h.name, addr: h.addr, pid: h.pid, running, sshd: running && (await probe(h.addr, 22, 1000, 'SSH-')) };
    }),
  );
  const proxy = st.proxy
    ? { ...st.proxy, running: aliveAs(st.proxy.pid, 'daemon.js'), answering: aliveAs(st.proxy.pid, 'daemon.js') && (await probe(st.proxy.addr, st.proxy.port, 500)) }
    : undefined;
  const allUp = hosts.every((h) => h.running && h.sshd);
  const state = st.status === 'starting' ? 'starting' : allUp ? 'up' : 'partial';
  const inv = paths(dir).inventory;
  return { dir, name: st.name, state, subnet: st.subnet, vip: st.vip, inventory: existsSync(inv) ? inv : undefined, proxy, hosts };
}

export function formatStatus(s: LabStatus): string {
  if (s.state === 'down') return `lab in ${s.dir}: down (nothing recorded)\n`;
  const lines = [
    `lab '${s.name}' in ${s.dir}: ${s.state} (${s.hosts.length} hosts, subnet ${s.subnet}, VIP ${s.vip}` +
      (s.proxy ? `, apt proxy ${s.proxy.addr}:${s.proxy.port} ${s.proxy.answering ? 'answering' : 'NOT answering'}` : '') +
      ')',
  ];
  const rows = [['HOST', 'STATE', 'PID', 'ADDRESS', 'SSHD'], ...s.hosts.map((h) => [h.name, h.running ? 'up' : 'down', String(h.pid ?? '-'), h.addr, h.sshd ? 'answering' : 'no'])];
  const w = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  for (const r of rows) lines.push(r.map((c, i) => c.padEnd(w[i])).join('  ').trimEnd());
  if (s.state === 'partial' || s.state === 'starting') lines.push('some hosts are not up: `lvsplay lab down` then `lvsplay lab up` to restart the lab');
  return lines.join('\n') + '\n';
}
