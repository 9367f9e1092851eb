// `lvsplay cluster drain REALSERVER -i INV` / `undrain`: the weight through the roles' own variable
// (host_vars/REALSERVER.yml lvs_weight, so the next site.yml run keeps it), applied by
// playbooks/keepalived-config.yml on every director (keepalived.conf, reload — never restart), then
// for drain: wait until the real server's ActiveConn is 0 in every director's IPVS table.
// Exit: 0 done, 1 the run failed, 2 connections left at --timeout, 4 a host unreachable, 5 bad options.
import { Command } from 'commander';
import { ConfigError, EXIT, errorText } from '../errors.js';
import { fromRoot, version } from '../paths.js';
import { parseIpvsadm, splitAddr } from './ipvsadm.js';
import { applyEdit, drainEdit, hostVarsFile, undrainEdit } from './hostvarsfile.js';
import { prober } from './status.js';
import { clusterInventory, type ClusterInventory } from './topology.js';

const say = (l: string) => void process.stdout.write(`${l}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** ActiveConn of ip:port in each director's IPVS table (in the inventory's order of directors, so a
 *  progress line changes only when a count does); null where the table is unavailable. */
async function activeConns(ci: ClusterInventory, p: ReturnType<typeof prober>, ip: string, port: string): Promise<Map<string, number | null | string>> {
  const out = new Map<string, number | null | string>(ci.topo.directors.map(({ host }) => [host, null]));
  await Promise.all(
    ci.topo.directors.map(async ({ host }) => {
      const r = await p.exec(host, 'PATH="$PATH:/usr/sbin:/sbin"; if [ -e /proc/net/ip_vs ] && command -v ipvsadm >/dev/null 2>&1; then ipvsadm -Ln; else echo unavailable; fi');
      if (!r.ok) return void out.set(host, `unreachable: ${r.error}`);
      if (r.stdout.trim() === 'unavailable') return void out.set(host, null);
      const rs = parseIpvsadm(r.stdout).services.flatMap((s) => s.realServers).filter((x) => { const a = splitAddr(x.addr); return a.ip === ip && a.port === port; });
      out.set(host, rs.reduce((n, x) => n + (x.activeConn ?? 0), 0));
    }),
  );
  return out;
}

export async function drainMain(sub: 'drain' | 'undrain', argv: string[]): Promise<number> {
  const cmd = new Command(`lvsplay cluster ${sub}`)
    .argument('<realserver>', 'inventory name of the real server')
    .requiredOption('-i, --inventory <source>', 'inventory file, directory or "lab"')
    .option('--timeout <s>', 'drain: stop waiting for ActiveConn 0 after this many seconds', '300')
    .option('--no-wait', 'drain: do not wait for connections to end')
    .exitOverride();
  try {
    cmd.parse(argv, { from: 'user' });
  } catch (e) {
    return (e as { exitCode?: number }).exitCode === 0 ? EXIT.ok : EXIT.usage;
  }
  const host = cmd.args[0];
  const o = cmd.opts<{ inventory: string; timeout: string; wait: boolean }>();
  const timeoutS = Number(o.timeout);
  if (!(timeoutS >= 0)) {
    process.stderr.write(`ERROR! --timeout must be a number of seconds, got '${o.timeout}'\n`);
    return EXIT.badOptions;
  }
  let ci: ClusterInventory;
  let file: string;
  try {
    ci = await clusterInventory(o.inventory);
    if (!ci.topo.realServers.some((r) => r.host === host))
      throw new ConfigError(`'${host}' is not in the inventory group '${ci.realServerGroup}' (the real servers)`);
    file = hostVarsFile(o.inventory, host);
    const edit = sub === 'drain' ? drainEdit(file) : undrainEdit(file);
    applyEdit(edit);
    say(`${sub}: ${edit.text === null ? 'removed' : 'wrote'} ${file}: ${edit.summary}`);
    // The weight the directors will render, as a run would see it (inventory + host_vars).
    ci = await clusterInventory(o.inventory);
    const w = ci.topo.realServers.find((r) => r.host === host)!.weight;
    if (sub === 'drain' && w !== 0)
      throw new ConfigError(`after writing ${file}, ${host}'s lvs_weight is still ${w}: a variable of higher precedence sets it (extra vars, playbook host_vars?)`);
    say(`${sub}: ${host} weight ${w} on every director of group '${ci.directorGroup}' (${ci.topo.directors.map((d) => d.host).join(', ')}): keepalived.conf, reload`);
  } catch (e) {
    process.stderr.write(`ERROR! ${errorText(e)}\n`);
    return e instanceof ConfigError ? EXIT.badOptions : EXIT.error;
  }
  const { playbookMain } = await import('../run/cli-main.js');
  const rc = await playbookMain(['-i', o.inventory, fromRoot('playbooks', 'keepalived-config.yml')], version(), { onInterrupt: () => undefined });
  if (rc !== 0) {
    process.stderr.write(`ERROR! the directors' keepalived.conf run failed (exit ${rc}); ${file} keeps the new weight: fix the cause and run 'lvsplay -i ${o.inventory} ${fromRoot('playbooks', 'keepalived-config.yml')}'\n`);
    return rc;
  }
  if (sub === 'undrain' || !o.wait) {
    say(`${sub}: done`);
    return EXIT.ok;
  }
  const rs = ci.topo.realServers.find((r) => r.host === host)!;
  const p = prober(ci);
  try {
    const t0 = Date.now();
    let said = '';
    for (;;) {
      const conns = await activeConns(ci, p, rs.ip, rs.port);
      const waiting: string[] = [];
      const parts: string[] = [];
      for (const [d, n] of conns) {
        if (typeof n === 'string') {
          process.stderr.write(`ERROR! ${d}: ${n}\n`);
          return EXIT.unreachable;
        }
        if (n === null) parts.push(`${d}: IPVS table unavailable on this host (no ip_vs), not waiting`);
        else {
          parts.push(`${d}: ActiveConn ${n}`);
          if (n > 0) waiting.push(d);
        }
      }
      const line = `drain: ${host} ${rs.ip}:${rs.port}: ${parts.join('; ')}`;
      if (line !== said) say(`${line} (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
      said = line;
      if (!waiting.length) {
        say(`drain: done — ${host} gets no new connections${[...conns.values()].every((n) => n === null) ? '' : ' and has no active ones'}`);
        return EXIT.ok;
      }
      if (Date.now() - t0 >= timeoutS * 1000) {
        say(`drain: timeout after ${timeoutS} s: connections still active on ${waiting.join(', ')} (the weight stays 0)`);
        return EXIT.hostFailed;
      }
      await sleep(1000);
    }
  } finally {
    await p.close();
  }
}
