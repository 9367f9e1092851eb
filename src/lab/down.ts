// `lab down`: remove everything of a lab, from its state file AND by scanning names (works after a
// crash or a half-finished `up`): host processes, the supervisor/proxy, namespaces, links, files.
import { rmSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { ctlLinkName, nameFromDir, nsPrefix, paths } from './config.js';
import { readState } from './state.js';
import { alive, linkExists, listProcs, netnsInode, netnsList, requireRoot } from './system.js';
import { run, sleep } from './proc.js';

export interface DownOptions {
  dir: string;
  name?: string;
  log?: (s: string) => void;
}

export interface DownResult {
  name: string;
  killed: number;
  namespaces: string[];
  links: string[];
  wasUp: boolean;
}

export async function labDown(o: DownOptions): Promise<DownResult> {
  requireRoot();
  const st = readState(o.dir);
  const name = o.name ?? st?.name ?? nameFromDir(o.dir);
  const pre = nsPrefix(name);
  const namespaces = [...new Set([...(st ? [st.swNs, ...st.hosts.map((h) => h.ns)] : []), ...(await netnsList()).filter((n) => n.startsWith(pre))])];
  const inodes = new Set(namespaces.map(netnsInode).filter((x): x is number => x !== undefined));
  const daemonPid = st?.proxy?.pid;

  // 1. Host processes: first each host's PID 1 (the kernel then kills and reaps its whole PID namespace),
  //    then whatever is left in the lab's network namespaces (the nsenter/unshare wrappers).
  let killed = 0;
  const inLab = (): ReturnType<typeof listProcs> =>
    listProcs().filter((p) => !p.zombie && p.netIno !== undefined && inodes.has(p.netIno) && p.pid !== process.pid);
  const kill = (pid: number): void => {
    try {
      process.kill(pid, 'SIGKILL');
      killed++;
    } catch {
      /* already gone */
    }
  };
  let procs = inLab();
  for (const p of procs.filter((p) => p.nsPid1)) kill(p.pid);
  await waitGone(procs.filter((p) => p.nsPid1).map((p) => p.pid), 2000);
  procs = inLab();
  for (const p of procs) kill(p.pid);
  await waitGone(procs.map((p) => p.pid), 2000);
  // Let the supervisor reap its children before it goes (the machine's PID 1 may not reap orphans).
  await waitReaped([...procs.map((p) => p.pid), ...(st?.hosts.map((h) => h.pid ?? 0) ?? [])], 1000);

  // 2. The supervisor (apt proxy): by recorded pid if it is really ours, and by scanning command lines.
  const dirSpec = join(o.dir, 'daemon.json');
  const daemons = listProcs().filter(
    (p) => !p.zombie && p.cmdline.some((a) => a.endsWith('/lab/daemon.js')) && p.cmdline.includes(dirSpec),
  );
  for (const p of daemons) kill(p.pid);
  if (daemonPid && !daemons.some((p) => p.pid === daemonPid) && alive(daemonPid)) {
    /* pid reused by something else: leave it */
  }
  await waitGone(daemons.map((p) => p.pid), 2000);

  // 3. Namespaces (their veths go with them) and the controller's link.
  const links = [st?.ctlLink ?? ctlLinkName(name)];
  const batch: string[] = [];
  for (const l of links) if (await linkExists(l)) batch.push(`link del ${l}`);
  const present = new Set(await netnsList());
  for (const n of namespaces) if (present.has(n)) batch.push(`netns del ${n}`);
  if (batch.length) await run('ip', ['-force', '-b', '-'], { input: batch.join('\n') + '\n' });

  // 4. Files of this run (the lab's client key stays, so authorised keys elsewhere stay valid).
  const p = paths(o.dir);
  for (const f of [p.hostsDir, p.inventory, p.knownHosts, p.proxyLog, dirSpec, p.state])
    if (existsSync(f)) rmSync(f, { recursive: true, force: true });
  return { name, killed, namespaces: namespaces.filter((n) => present.has(n)), links: links.filter(() => batch.some((b) => b.startsWith('link del'))), wasUp: !!st };
}

async function waitGone(pids: number[], ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (pids.some(alive) && Date.now() < deadline) await sleep(5);
}

async function waitReaped(pids: number[], ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  const exists = (pid: number): boolean => pid > 0 && existsSync(`/proc/${pid}`);
  while (pids.some(exists) && Date.now() < deadline) await sleep(5);
}
