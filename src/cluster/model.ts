// The cluster's status from each host's probe output (pure: unit-tested on recorded outputs).
// The shape is `cluster status --json`'s schema (README "cluster status").
import { confView, type ConfView } from './confview.js';
import { mergeIpvs, splitAddr, type IpvsTable } from './ipvsadm.js';
import { parseKeepalivedData, parseKeepalivedJson, type VrrpInstanceView, type VrrpState } from './keepalived.js';
import { splitSections } from './probe.js';

export interface Topology {
  directors: { host: string; priority?: number }[];
  realServers: { host: string; ip: string; port: string; path: string; weight: number }[];
  vips: string[]; // lvs_vip of the directors (address only)
}

export interface ProbeOutput {
  host: string;
  ok: boolean; // reached, the script ran to its end
  error?: string; // why not
  stdout: string;
}

export interface DirectorStatus {
  host: string;
  reachable: boolean;
  error?: string;
  keepalived: { running: boolean; pid?: number; source: 'json' | 'data' | 'none'; note?: string };
  instances: VrrpInstanceView[]; // keepalived's view (empty when not running / no dump)
  vipsHeld: string[]; // topology VIPs found on this host's interfaces (ip addr)
  conf?: ConfView; // keepalived.conf on disk (absent: no file)
  ipvs: IpvsTable | null; // null: unavailable (see ipvsNote)
  ipvsNote?: string;
  http: { host: string; addr: string; code?: string; ok: boolean; via: string }[];
}
export interface RealServerStatus {
  host: string;
  addr: string; // ip:port the directors balance to
  weight: number; // lvs_weight from the inventory
  reachable: boolean;
  error?: string;
  vipOnLo?: boolean;
  sysctls: Record<string, string>;
  perDirector: Record<string, { inConf: boolean; confWeight?: number; inTable?: boolean; tableWeight?: number; activeConn?: number; inactConn?: number; http?: string; httpOk?: boolean }>;
}
export interface InstanceStatus {
  name: string;
  vrid?: number;
  vips: string[];
  master?: string; // the one MASTER (absent when none or several)
  holders: string[]; // directors holding the VIP(s) on an interface
  directors: { host: string; state: VrrpState | 'DOWN' | 'UNREACHABLE'; priority?: number; effectivePriority?: number; advertsReceived?: number }[];
}
export interface Problem {
  severity: 'error' | 'warning';
  host?: string;
  message: string;
}
export interface ClusterStatus {
  time: string; // ISO
  durationMs: number;
  instances: InstanceStatus[];
  directors: DirectorStatus[];
  realServers: RealServerStatus[];
  problems: Problem[];
  exitCode: 0 | 2 | 4;
}

const addrOnly = (a: string): string => a.replace(/\/\d+$/, '');

export function directorStatus(p: ProbeOutput, topo: Topology): DirectorStatus {
  const d: DirectorStatus = { host: p.host, reachable: p.ok, error: p.error, keepalived: { running: false, source: 'none' }, instances: [], vipsHeld: [], ipvs: null, http: [] };
  if (!p.ok) return d;
  const s = splitSections(p.stdout);
  const addr = s.get('addr') ?? '';
  d.vipsHeld = topo.vips.filter((v) => addr.split('\n').some((l) => new RegExp(`\\sinet6? ${v.replace(/[.]/g, '\\.')}/`).test(l)));
  const ka = s.get('keepalived') ?? '';
  const pid = /^pid=(\d+)$/m.exec(ka);
  d.keepalived.running = !!pid;
  if (pid) d.keepalived.pid = Number(pid[1]);
  const file = /^file=(\S+)$/m.exec(ka)?.[1];
  const body = s.get('dumpbody') ?? '';
  if (d.keepalived.running) {
    try {
      if (file?.endsWith('.json')) {
        d.instances = parseKeepalivedJson(body);
        d.keepalived.source = 'json';
      } else {
        d.instances = parseKeepalivedData(body);
        d.keepalived.source = 'data';
      }
      if (!body.trim()) throw new Error(`keepalived wrote no ${file ?? 'dump'} within 2 s`);
    } catch (e) {
      d.instances = [];
      d.keepalived.source = 'none';
      d.keepalived.note = `keepalived's state dump is unreadable (${(e as Error).message}): state taken from the VIP's presence`;
    }
  }
  const conf = s.get('conf');
  if (conf !== undefined && !/^@@lvsplay:noconf@@/m.test(p.stdout)) d.conf = confView(conf);
  const ipvs = (s.get('ipvs') ?? '').trim();
  if (!ipvs || ipvs === 'unavailable') d.ipvsNote = 'IPVS table unavailable on this host (no ip_vs)';
  else d.ipvs = mergeIpvs(ipvs, s.get('ipvsstats'), s.get('ipvsrate'));
  for (const [name, text] of s) {
    const m = /^http (\S+) (\S+)$/.exec(name);
    if (!m) continue;
    const code = /code=(\d*)/.exec(text)?.[1] ?? '';
    const via = /via=(\S+)/.exec(text)?.[1] ?? 'none';
    d.http.push({ host: m[1], addr: m[2], code: code || undefined, ok: /^[23]\d\d$/.test(code), via });
  }
  return d;
}

export function realServerStatus(p: ProbeOutput | undefined, rs: Topology['realServers'][number], topo: Topology, dirs: DirectorStatus[]): RealServerStatus {
  const addr = `${rs.ip}:${rs.port}`;
  const r: RealServerStatus = { host: rs.host, addr, weight: rs.weight, reachable: p?.ok ?? false, error: p?.error, sysctls: {}, perDirector: {} };
  if (p?.ok) {
    const s = splitSections(p.stdout);
    const lo = (s.get('addr') ?? '').split('\n').filter((l) => /^\d+:\s+lo\s/.test(l));
    r.vipOnLo = topo.vips.every((v) => lo.some((l) => l.includes(` ${v}/`)));
    for (const l of (s.get('sysctl') ?? '').split('\n')) {
      const kv = /^(\S+)=(.*)$/.exec(l);
      if (kv) r.sysctls[kv[1]] = kv[2];
    }
  }
  for (const d of dirs) {
    if (!d.reachable) continue;
    const confRs = d.conf?.virtualServers.flatMap((vs) => vs.realServers).find((x) => x.ip === rs.ip && x.port === rs.port);
    const e: RealServerStatus['perDirector'][string] = { inConf: !!confRs, confWeight: confRs?.weight };
    if (d.ipvs) {
      const t = d.ipvs.services.flatMap((sv) => sv.realServers).find((x) => { const a = splitAddr(x.addr); return a.ip === rs.ip && a.port === rs.port; });
      e.inTable = !!t;
      e.tableWeight = t?.weight;
      e.activeConn = t?.activeConn;
      e.inactConn = t?.inactConn;
    }
    const h = d.http.find((x) => x.host === rs.host);
    if (h) {
      e.http = h.code ?? (h.via === 'none' ? 'no client' : 'no answer');
      e.httpOk = h.ok;
    }
    r.perDirector[d.host] = e;
  }
  return r;
}

export function instanceStatuses(dirs: DirectorStatus[], topo: Topology): InstanceStatus[] {
  const names = new Set<string>();
  for (const d of dirs) for (const i of d.instances) names.add(i.name);
  for (const d of dirs) for (const i of d.conf?.instances ?? []) names.add(i.name);
  if (!names.size) names.add('(unknown)');
  return [...names].map((name) => {
    const confI = dirs.map((d) => d.conf?.instances.find((i) => i.name === name)).find(Boolean);
    const vips = (confI?.vips ?? topo.vips).map(addrOnly);
    const holders = dirs.filter((d) => d.vipsHeld.some((v) => vips.includes(v))).map((d) => d.host);
    const rows = dirs.map((d) => {
      const topoPrio = topo.directors.find((x) => x.host === d.host)?.priority;
      if (!d.reachable) return { host: d.host, state: 'UNREACHABLE' as const, priority: topoPrio };
      if (!d.keepalived.running) return { host: d.host, state: 'DOWN' as const, priority: d.conf?.instances.find((i) => i.name === name)?.priority ?? topoPrio };
      const v = d.instances.find((i) => i.name === name);
      if (!v) {
        // no dump: MASTER iff it holds the VIP (the fallback `ip addr` view), priority from the config
        const prio = d.conf?.instances.find((i) => i.name === name)?.priority ?? topoPrio;
        return { host: d.host, state: (holders.includes(d.host) ? 'MASTER' : 'BACKUP') as VrrpState, priority: prio };
      }
      return { host: d.host, state: v.state, priority: v.priority, effectivePriority: v.effectivePriority, advertsReceived: v.advertsReceived };
    });
    const masters = rows.filter((r) => r.state === 'MASTER');
    return { name, vrid: confI?.vrid, vips, master: masters.length === 1 ? masters[0].host : undefined, holders, directors: rows };
  });
}
