// `cluster status` on a terminal: VRRP instances (who holds the VIP, each director's state and
// priority), each director's IPVS table, the real servers as each director sees them, the problems.
// Colours through picocolors (on for a TTY or FORCE_COLOR, off for NO_COLOR or a pipe).
import picocolors from 'picocolors';
import type { ClusterStatus } from './model.js';

type Colors = ReturnType<typeof picocolors.createColors>;

export function colorsFor(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): Colors {
  const on = !('NO_COLOR' in env) && (('FORCE_COLOR' in env && env.FORCE_COLOR !== '0') || !!stream.isTTY);
  return picocolors.createColors(on);
}

/** Columns padded to their widest cell (colour escapes are not counted). */
export function table(rows: string[][], indent = '  '): string[] {
  // eslint-disable-next-line no-control-regex
  const width = (s: string) => s.replace(/\x1b\[[0-9;]*m/g, '').length;
  const w: number[] = [];
  for (const r of rows) r.forEach((c, i) => (w[i] = Math.max(w[i] ?? 0, width(c))));
  return rows.map((r) => indent + r.map((c, i) => (i === r.length - 1 ? c : c + ' '.repeat(w[i] - width(c)))).join('  ').trimEnd());
}

const n = (x: number | undefined): string => (x === undefined ? '-' : String(x));

export function renderStatus(s: ClusterStatus, c: Colors): string {
  const out: string[] = [];
  const state = (st: string): string =>
    st === 'MASTER' ? c.green(st) : st === 'BACKUP' ? c.cyan(st) : st === 'FAULT' || st === 'DOWN' || st === 'UNREACHABLE' ? c.red(st) : c.yellow(st);
  out.push(c.bold(`cluster status ${s.time} (${s.durationMs} ms)`));
  for (const i of s.instances) {
    const holder = i.holders.length ? i.holders.join(' + ') : c.red('nobody');
    out.push('', `${c.bold(`VRRP ${i.name}`)}  vrid ${n(i.vrid)}  VIP ${i.vips.join(' ')} held by ${i.holders.length === 1 ? c.green(holder) : c.red(holder)}`);
    out.push(...table([
      ['director', 'state', 'priority', 'adverts in'].map((h) => c.dim(h)),
      ...i.directors.map((d) => [d.host, state(d.state), d.effectivePriority !== undefined && d.effectivePriority !== d.priority ? `${n(d.priority)} (eff. ${d.effectivePriority})` : n(d.priority), n(d.advertsReceived)]),
    ]));
  }
  for (const d of s.directors) {
    if (!d.reachable) continue;
    out.push('', `${c.bold(`IPVS on ${d.host}`)}${d.ipvs ? (d.ipvs.version ? c.dim(`  (IP Virtual Server ${d.ipvs.version})`) : '') : ''}`);
    if (!d.ipvs) {
      out.push(`  ${c.yellow(d.ipvsNote ?? 'IPVS table unavailable')}`);
      continue;
    }
    if (!d.ipvs.services.length) out.push(`  ${c.yellow('no virtual server in the table')}`);
    const rows: string[][] = [['service', 'sched', 'real server', 'fwd', 'weight', 'active', 'inact', 'conns', 'in pkts', 'out pkts', 'cps', 'in pps'].map((h) => c.dim(h))];
    for (const sv of d.ipvs.services) {
      rows.push([`${sv.protocol} ${sv.addr}`, [sv.scheduler, ...sv.flags].filter(Boolean).join(' '), '', '', '', '', '', n(sv.stats?.conns), n(sv.stats?.inPkts), n(sv.stats?.outPkts), n(sv.rate?.conns), n(sv.rate?.inPkts)]);
      for (const rs of sv.realServers)
        rows.push(['', '', rs.addr, rs.forward ?? '', rs.weight === 0 ? c.yellow('0') : n(rs.weight), n(rs.activeConn), n(rs.inactConn), n(rs.stats?.conns), n(rs.stats?.inPkts), n(rs.stats?.outPkts), n(rs.rate?.conns), n(rs.rate?.inPkts)]);
    }
    out.push(...table(rows));
  }
  if (s.realServers.length) {
    out.push('', c.bold('Real servers'));
    const dirs = s.directors.filter((d) => d.reachable).map((d) => d.host);
    const rows: string[][] = [['host', 'address', 'weight', 'lo VIP', ...dirs.map((d) => `from ${d}`)].map((h) => c.dim(h))];
    for (const r of s.realServers) {
      const cells = dirs.map((dh) => {
        const e = r.perDirector[dh];
        if (!e) return '-';
        const http = e.http === undefined ? '' : e.httpOk ? c.green(`HTTP ${e.http}`) : c.red(`HTTP ${e.http}`);
        const tab = e.inTable === undefined ? '' : e.inTable ? `in table w${n(e.tableWeight)} ${n(e.activeConn)}/${n(e.inactConn)} conn` : c.red('not in table');
        const conf = e.inConf ? '' : c.red('not in conf');
        return [http, tab, conf].filter(Boolean).join(', ') || '-';
      });
      const lo = !r.reachable ? c.red('unreachable') : r.vipOnLo ? c.green('yes') : c.red('no');
      rows.push([r.host, r.addr, r.weight === 0 ? c.yellow('0 (drained)') : String(r.weight), lo, ...cells]);
    }
    out.push(...table(rows));
  }
  out.push('');
  if (!s.problems.length) out.push(c.green('no problems found'));
  else {
    out.push(c.bold(`${s.problems.length} problem(s):`));
    for (const p of s.problems) out.push(`  ${p.severity === 'error' ? c.red('ERROR') : c.yellow('WARN ')} ${p.host ? `${p.host}: ` : ''}${p.message}`);
  }
  return out.join('\n') + '\n';
}
