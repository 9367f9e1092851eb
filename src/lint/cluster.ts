// Rules across the cluster: the directors' VRRP instances agree (router id, VIPs, advert_int, auth_pass), their
// priorities are distinct with the MASTER highest, and every LVS-DR real server holds the VIP
// on lo and does not answer ARP for it — persistently.
import type { Pos } from '../errors.js';
import type { ConfSummary } from './confrules.js';
import type { Finding } from './finding.js';
import type { KaNode } from './kaconf.js';

export interface DirectorModel {
  host: string;
  summary: ConfSummary;
  /** Where a node of this director's config is reported; `about` names the setting (priority, ...). */
  locate(n: KaNode, about?: string): Pos;
}

export interface SettingSource {
  pos: Pos;
  persistent: boolean;
}
export interface RealServerModel {
  host: string;
  address: string;
  pos?: Pos; // the host's inventory line
  sysctls: Map<string, SettingSource & { value: string }>; // net.ipv4.conf.all.arp_ignore -> ...
  loVips: (SettingSource & { addr: string })[];
  interface: string; // the LVS interface (lvs_interface)
}

const DR_SYSCTLS: [string, string][] = [
  ['arp_ignore', '1'],
  ['arp_announce', '2'],
];

export function clusterRules(directors: DirectorModel[], realServers: RealServerModel[]): Finding[] {
  const out: Finding[] = [];
  const add = (pos: Pos, severity: Finding['severity'], rule: string, message: string, host?: string): void => {
    out.push({ pos, severity, rule, message, host });
  };

  // ── VRRP instances, grouped by name across directors ──
  const byName = new Map<string, { d: DirectorModel; i: ConfSummary['instances'][number] }[]>();
  for (const d of directors) for (const i of d.summary.instances) byName.set(i.name, [...(byName.get(i.name) ?? []), { d, i }]);
  for (const [name, members] of byName) {
    const first = members[0];
    for (const m of members.slice(1)) {
      if (m.i.routerId !== first.i.routerId) {
        const n = m.i.node.children?.find((c) => c.key === 'virtual_router_id') ?? m.i.node;
        add(m.d.locate(n, 'virtual_router_id'), 'error', 'router-id',
          `vrrp_instance ${name}: virtual_router_id ${m.i.routerId} differs from ${first.d.host}'s ${first.i.routerId}: the directors would not see each other and both become MASTER`, m.d.host);
      }
      for (const [key, label, mine, theirs] of [
        ['advert_int', 'advert_int', m.i.advertInt ?? '1', first.i.advertInt ?? '1'],
        ['auth_pass', 'auth_pass', m.i.authPass, first.i.authPass],
      ] as const) {
        if (mine === theirs) continue;
        const auth = m.i.node.children?.find((c) => c.key === 'authentication');
        const n = (key === 'auth_pass' ? (auth?.children?.find((c) => c.key === 'auth_pass') ?? auth) : m.i.node.children?.find((c) => c.key === key)) ?? m.i.node;
        // the password itself is never printed
        const what = key === 'auth_pass' ? 'auth_pass differs' : `advert_int ${mine} differs`;
        add(m.d.locate(n, label), 'error', 'shared-setting',
          `vrrp_instance ${name}: ${what} from ${first.d.host}'s${key === 'auth_pass' ? '' : ` ${theirs}`}: directors that disagree on it both become MASTER (split brain)`, m.d.host);
      }
      const a = first.i.vips.map((v) => v.addr).sort().join(' ');
      const b = m.i.vips.map((v) => v.addr).sort().join(' ');
      if (a !== b) {
        const n = m.i.vips[0]?.node ?? m.i.node;
        add(m.d.locate(n, 'vip'), 'error', 'vip-mismatch',
          `vrrp_instance ${name}: VIPs ${b || 'none'} differ from ${first.d.host}'s ${a || 'none'}`, m.d.host);
      }
    }
    const seen = new Map<number, string>();
    for (const m of members) {
      if (m.i.priority === undefined) continue;
      const other = seen.get(m.i.priority);
      const prioNode = m.i.node.children?.find((c) => c.key === 'priority') ?? m.i.node;
      if (other)
        add(m.d.locate(prioNode, 'priority'), 'error', 'priority',
          `vrrp_instance ${name}: priority ${m.i.priority} is also ${other}'s: give every director a distinct priority (the highest is MASTER)`, m.d.host);
      else seen.set(m.i.priority, m.d.host);
    }
    if (members.length > 1) {
      const top = Math.max(...members.map((m) => m.i.priority ?? 0));
      for (const m of members) {
        const stateNode = m.i.node.children?.find((c) => c.key === 'state') ?? m.i.node;
        if (m.i.state === 'MASTER' && (m.i.priority ?? 0) < top) {
          const best = members.find((x) => x.i.priority === top)!;
          add(m.d.locate(stateNode, 'state'), 'error', 'master-priority',
            `vrrp_instance ${name}: state MASTER with priority ${m.i.priority}, but ${best.d.host} has ${top}: the MASTER must have the highest priority`, m.d.host);
        }
      }
      const masters = members.filter((m) => m.i.state === 'MASTER');
      const preempt = members.some((m) => m.i.node.children?.some((c) => c.key === 'nopreempt'));
      if (!masters.length && !preempt)
        add(members[0].d.locate(members[0].i.node, 'state'), 'warning', 'master-priority',
          `vrrp_instance ${name}: no director has state MASTER`, members[0].d.host);
    }
  }

  // ── LVS-DR real servers ──
  const drVips = new Set<string>();
  for (const d of directors) for (const vs of d.summary.virtualServers) if (vs.method === 'DR') drVips.add(vs.addr);
  if (!drVips.size) return out;
  const vipList = [...drVips].join(', ');
  for (const rs of realServers) {
    const where = rs.pos ?? { file: '?', line: 1, col: 1 };
    for (const v of rs.loVips) {
      if (!drVips.has(v.addr))
        add(v.pos, 'error', 'vip-mismatch', `the VIP on lo is ${v.addr} but the directors' LVS-DR virtual_server is ${vipList}`, rs.host);
      if (!v.persistent)
        add(v.pos, 'error', 'not-persistent', `the lo VIP ${v.addr} set by a command does not survive a reboot: use the ip_address module (or role lvs_real_server)`, rs.host);
    }
    for (const vip of drVips)
      if (!rs.loVips.some((v) => v.addr === vip))
        add(where, 'error', 'rs-vip', `LVS-DR real server without the VIP ${vip} on lo: it drops the packets the directors forward to it`, rs.host);
    for (const [key, want] of DR_SYSCTLS) {
      const cands = [`net.ipv4.conf.all.${key}`, `net.ipv4.conf.${rs.interface}.${key}`];
      const found = cands.map((c) => rs.sysctls.get(c)).filter((s) => s !== undefined);
      const good = found.filter((s) => s.value === want);
      for (const s of found) {
        if (s.value !== want)
          add(s.pos, 'error', 'dr-sysctl', `${key}=${s.value}: LVS-DR real servers need ${key}=${want}`, rs.host);
        else if (!s.persistent)
          add(s.pos, 'error', 'not-persistent', `${key}=${want} written to /proc/sys does not survive a reboot: use the sysctl module (or role lvs_real_server)`, rs.host);
      }
      if (!good.length)
        add(where, 'error', 'dr-sysctl',
          `LVS-DR real server without net.ipv4.conf.all.${key}=${want}: it would answer ARP for the VIP and steal the directors' traffic`, rs.host);
    }
  }
  return out;
}
