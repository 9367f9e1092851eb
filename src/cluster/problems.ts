// The problems worth a human's attention, from the assembled status, and the status as a whole
// (exit code: 0 healthy, 2 problems found, 4 a host unreachable).
import {
  directorStatus, instanceStatuses, realServerStatus,
  type ClusterStatus, type DirectorStatus, type InstanceStatus, type Problem, type ProbeOutput, type RealServerStatus, type Topology,
} from './model.js';

const same = (a: unknown, b: unknown): boolean => a === undefined || b === undefined || a === b;

/** keepalived.conf on disk against the running daemon's dump (a config written but not reloaded). */
function confDrift(d: DirectorStatus): string[] {
  if (!d.conf || d.keepalived.source === 'none') return [];
  const out: string[] = [];
  for (const c of d.conf.instances) {
    const r = d.instances.find((i) => i.name === c.name);
    if (!r) {
      out.push(`vrrp_instance ${c.name} is in keepalived.conf but not running`);
      continue;
    }
    const diffs: string[] = [];
    if (!same(c.vrid, r.vrid)) diffs.push(`virtual_router_id ${r.vrid} -> ${c.vrid}`);
    if (!same(c.priority, r.priority)) diffs.push(`priority ${r.priority} -> ${c.priority}`);
    if (!same(c.advertInt, r.advertInt)) diffs.push(`advert_int ${r.advertInt} -> ${c.advertInt}`);
    if (r.authType !== undefined && c.authType !== r.authType) diffs.push(`authentication ${r.authType} -> ${c.authType}`);
    const cv = [...c.vips].sort().join(' ');
    const rv = [...r.vips].sort().join(' ');
    if (rv && cv !== rv) diffs.push(`VIPs ${rv} -> ${cv}`);
    if (diffs.length) out.push(`vrrp_instance ${c.name}: ${diffs.join(', ')}`);
  }
  for (const r of d.instances) if (!d.conf.instances.some((c) => c.name === r.name)) out.push(`vrrp_instance ${r.name} is running but no longer in keepalived.conf`);
  return out;
}

export function findProblems(insts: InstanceStatus[], dirs: DirectorStatus[], rss: RealServerStatus[]): Problem[] {
  const p: Problem[] = [];
  const err = (message: string, host?: string) => p.push({ severity: 'error', host, message });
  const warn = (message: string, host?: string) => p.push({ severity: 'warning', host, message });
  for (const d of dirs) {
    if (!d.reachable) err(`unreachable: ${d.error ?? 'no answer'}`, d.host);
    else if (!d.keepalived.running) err('keepalived is not running', d.host);
    else if (d.keepalived.note) warn(d.keepalived.note, d.host);
    if (d.reachable && !d.conf) err('no keepalived.conf', d.host);
    for (const drift of confDrift(d)) warn(`keepalived.conf on disk differs from the running config (not reloaded?): ${drift}`, d.host);
  }
  for (const i of insts) {
    const masters = i.directors.filter((r) => r.state === 'MASTER').map((r) => r.host);
    if (masters.length > 1) err(`${i.name}: ${masters.length} MASTERs (${masters.join(', ')}): split brain`);
    else if (!masters.length) err(`${i.name}: no MASTER`);
    if (i.holders.length > 1) err(`${i.name}: the VIP ${i.vips.join(' ')} is on ${i.holders.join(' and ')}: split brain`);
    else if (!i.holders.length && dirs.some((d) => d.reachable)) err(`${i.name}: the VIP ${i.vips.join(' ')} is on no director`);
    else if (masters.length === 1 && i.holders[0] !== masters[0]) err(`${i.name}: ${masters[0]} is MASTER but the VIP is on ${i.holders[0]}`);
    for (const r of i.directors) {
      if (r.state === 'FAULT') err(`${i.name}: in FAULT state`, r.host);
      if (r.state === 'BACKUP' && r.advertsReceived === 0) warn(`${i.name}: BACKUP has received no VRRP adverts (is the MASTER reachable? multicast/firewall?)`, r.host);
    }
    const prios = i.directors.map((r) => r.effectivePriority ?? r.priority).filter((x): x is number => x !== undefined);
    if (new Set(prios).size < prios.length) warn(`${i.name}: two directors have the same priority`);
  }
  for (const r of rss) {
    if (!r.reachable) err(`unreachable: ${r.error ?? 'no answer'}`, r.host);
    if (r.weight === 0) warn(`lvs_weight 0 (drained): it gets no new connections — 'lvsplay cluster undrain ${r.host}' restores it`, r.host);
    if (r.reachable && r.vipOnLo === false) err('the VIP is not on lo: it drops the packets the directors forward to it', r.host);
    for (const [k, want] of [['all/arp_ignore', '1'], ['all/arp_announce', '2']] as const)
      if (r.reachable && r.sysctls[k] !== undefined && r.sysctls[k] !== want) err(`${k}=${r.sysctls[k]} (LVS-DR needs ${want})`, r.host);
    for (const [dh, e] of Object.entries(r.perDirector)) {
      if (!e.inConf) err(`not in ${dh}'s keepalived.conf (run site.yml)`, r.host);
      else if (e.confWeight === 0 && r.weight !== 0) warn(`weight 0 in ${dh}'s keepalived.conf but lvs_weight ${r.weight} in the inventory (run site.yml)`, r.host);
      if (e.httpOk === false) err(`HTTP check from ${dh} fails (${e.http})`, r.host);
      if (e.httpOk && e.inConf && e.inTable === false) err(`answers HTTP from ${dh} but is out of ${dh}'s IPVS table`, r.host);
      if (e.inTable && e.tableWeight === 0 && r.weight !== 0) warn(`weight 0 in ${dh}'s IPVS table`, r.host);
    }
  }
  return p;
}

export function buildStatus(topo: Topology, outputs: ProbeOutput[], durationMs: number, now = new Date()): ClusterStatus {
  const by = new Map(outputs.map((o) => [o.host, o]));
  const missing = (host: string): ProbeOutput => ({ host, ok: false, error: 'not probed', stdout: '' });
  const dirs = topo.directors.map((d) => directorStatus(by.get(d.host) ?? missing(d.host), topo));
  const insts = instanceStatuses(dirs, topo);
  const rss = topo.realServers.map((rs) => realServerStatus(by.get(rs.host), rs, topo, dirs));
  const problems = findProblems(insts, dirs, rss);
  const unreachable = outputs.some((o) => !o.ok);
  return {
    time: now.toISOString(),
    durationMs,
    instances: insts,
    directors: dirs,
    realServers: rss,
    problems,
    exitCode: unreachable ? 4 : problems.length ? 2 : 0,
  };
}
