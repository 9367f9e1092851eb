// `lvsplay cluster status`: one exec per host, all hosts in parallel, through the normal connection
// layer (its host-key checks, become from ansible_become), then the pure model (problems.ts).
// The connections stay open between refreshes of --watch.
import { createConnection } from '../connection/index.js';
import { errorText } from '../errors.js';
import { toBool } from '../bool.js';
import type { BecomeSpec, Connection, Vars } from '../types.js';
import type { ClusterStatus, ProbeOutput } from './model.js';
import { buildStatus } from './problems.js';
import { MARK, probeScript, type ProbeSpec } from './probe.js';
import type { ClusterInventory } from './topology.js';

export interface Prober {
  probe(): Promise<ClusterStatus>;
  /** Run one command on a host (drain uses it to watch ActiveConn). */
  exec(host: string, cmd: string): Promise<{ ok: boolean; stdout: string; error?: string }>;
  close(): Promise<void>;
}

/**
 * Between two refreshes (--watch): a BACKUP whose adverts-received counter did not move for more
 * than three advert intervals hears no MASTER (the one-shot status only sees a counter at 0).
 */
export function stalledBackups(before: ClusterStatus, now: ClusterStatus, seconds: number): void {
  for (const d of now.directors) {
    const old = before.directors.find((x) => x.host === d.host);
    for (const i of d.instances) {
      const o = old?.instances.find((x) => x.name === i.name);
      if (i.state !== 'BACKUP' || o?.state !== 'BACKUP' || i.advertsReceived === undefined || i.advertsReceived !== o.advertsReceived) continue;
      if (seconds <= 3 * (i.advertInt ?? 1) || i.advertsReceived === 0) continue; // 0: already reported
      now.problems.push({ severity: 'warning', host: d.host, message: `${i.name}: BACKUP received no VRRP advert in the last ${seconds.toFixed(0)} s (is the MASTER reachable? multicast/firewall? auth_pass?)` });
      if (now.exitCode === 0) now.exitCode = 2;
    }
  }
}

export function becomeOf(v: Vars): BecomeSpec | undefined {
  return toBool(v.ansible_become) ? { user: String(v.ansible_become_user ?? 'root') } : undefined;
}

export function specs(ci: ClusterInventory): Map<string, ProbeSpec> {
  const m = new Map<string, ProbeSpec>();
  const checks = ci.topo.realServers.map((r) => ({ name: r.host, ip: r.ip, port: r.port, path: r.path }));
  for (const d of ci.topo.directors) m.set(d.host, { director: { conf: ci.directorConf.get(d.host)!, checks } });
  for (const r of ci.topo.realServers) m.set(r.host, { ...m.get(r.host), realServer: { iface: ci.iface.get(r.host) ?? 'eth0' } });
  return m;
}

export function prober(ci: ClusterInventory, connect: (h: string, v: Vars) => Connection = (h, v) => createConnection(h, v)): Prober {
  const conns = new Map<string, { c?: Connection; become?: BecomeSpec; error?: string }>();
  const conn = (h: string) => {
    let e = conns.get(h);
    if (!e) {
      const v = ci.inv.hostVars(h);
      try {
        e = { c: connect(h, v), become: becomeOf(v) };
      } catch (err) {
        e = { error: errorText(err) };
      }
      conns.set(h, e);
    }
    return e;
  };
  const exec = async (h: string, cmd: string): Promise<{ ok: boolean; stdout: string; error?: string }> => {
    const e = conn(h);
    if (!e.c) return { ok: false, stdout: '', error: e.error };
    try {
      await e.c.connect();
      const r = await e.c.exec(cmd, { become: e.become, timeoutMs: 30_000 });
      return { ok: true, stdout: r.stdout, error: r.rc !== 0 ? r.stderr.trim() : undefined };
    } catch (err) {
      // a broken link: reconnect on the next refresh
      conns.delete(h);
      await e.c.close().catch(() => undefined);
      return { ok: false, stdout: '', error: errorText(err) };
    }
  };
  const sp = specs(ci);
  let prev: { at: number; s: ClusterStatus } | undefined;
  return {
    exec,
    async probe() {
      const t0 = Date.now();
      const outputs: ProbeOutput[] = await Promise.all(
        [...sp].map(async ([h, spec]) => {
          const r = await exec(h, probeScript(spec));
          const complete = r.ok && r.stdout.includes(MARK('end'));
          return { host: h, ok: complete, error: complete ? undefined : (r.error ?? 'the probe did not run to its end'), stdout: r.stdout };
        }),
      );
      const s = buildStatus(ci.topo, outputs, Date.now() - t0);
      if (prev) stalledBackups(prev.s, s, (t0 - prev.at) / 1000);
      prev = { at: t0, s };
      return s;
    },
    async close() {
      await Promise.all([...conns.values()].map((e) => e.c?.close().catch(() => undefined)));
      conns.clear();
    },
  };
}
