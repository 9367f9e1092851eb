// `lab down`: remove everything of a lab, from its state file AND by scanning names (works after a
// crash or a half-finished `up`): host processes, the supervisor/proxy, namespaces, links, files.
import { rmSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { ctlLinkName, nameFromDir, nsPrefix, paths } from './config.js';
import { readState } from './state.js';
import { alive, linkExists, listProcs, netnsInode, netnsList, requireRoot, ProcInfo } from './system.js';
import { run, sleep } from './proc.js';
import { withLock } from './lock.js';

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
  if (!existsSync(o.dir)) return labDownLocked(o);
  return withLock(o.dir, 'down', () => labDownLocked(o));
}

/** labDown for a caller already holding the lab dir's lock. */
export async function labDownLocked(o: DownOptions): Promise<DownResult> {
  const st = readState(o.dir);
  const name = o.name ?? st?.name ?? nameFromDir(o.dir);
  const pre = nsPrefix(name);
  const namespaces = [...new Set([...(st ? [st.swNs, ...st.hosts.map((h) => h.ns)] : []), ...(await netnsList()).filter((n) => n.startsWith(pre))])];
  const inodes = new Set(namespaces.map(netnsInode).filter((x): x is number => x !== undefined));
  const hostsDir = paths(o.dir).hostsDir + '/';
  const dirSpec = join(o.dir, 'daemon.json');

  let killed = 0;
  const kill = (pid: number): void => {
    try {
      process.kill(pid, 'SIGKILL');
      killed++;
    } catch {
      /* already gone */
    }
  };
  // Host processes: in the lab's network namespaces, or (not yet entered) started for one of its hosts.
  const inLab = (): ProcInfo[] =>
    listProcs().filter(
      (p) => !p.zombie && p.pid !== process.pid && ((p.netIno !== undefined && inodes.has(p.netIno)) || p.cmdline.some((a) => a.startsWith(hostsDir))),
    );
  // The supervisor (apt proxy, parent of the hosts' inits): recognised by its command line.
  const daemons = (): ProcInfo[] =>
    listProcs().filter((p) => !p.zombie && p.cmdline.includes(dirSpec) && p.cmdline.some((a) => a.endsWith('/lab/daemon.js')));
  const killHosts = async (): Promise<number> => {
    // First each host's PID 1 (the kernel then kills and reaps its whole PID namespace), then the rest.
    let procs = inLab();
    const n = procs.length;
    for (const p of procs.filter((p) => p.nsPid1)) kill(p.pid);
    await waitGone(procs.filter((p) => p.nsPid1).map((p) => p.pid), 2000);
    procs = inLab();
    for (const p of procs) kill(p.pid);
    await waitGone(procs.map((p) => p.pid), 2000);
    // Let the supervisor reap its children before it goes (the machine's PID 1 may not reap orphans).
    await waitReaped(procs.map((p) => p.pid), 500);
    return n;
  };
  const killDaemons = async (): Promise<void> => {
    const ds = daemons();
    for (const p of ds) kill(p.pid);
    await waitGone(ds.map((p) => p.pid), 2000);
  };

  // 1. A supervisor that never reported (a crashed `up`) may still be starting hosts: stop it first.
  if (!st?.proxy?.pid) await killDaemons();
  // 2. Hosts, then the supervisor (it reaps the hosts' wrappers meanwhile).
  await killHosts();
  await killDaemons();

  // 3. Namespaces (their veths go with them) and the controller's link.
  const links = [st?.ctlLink ?? ctlLinkName(name)];
  const batch: string[] = [];
  for (const l of links) if (await linkExists(l)) batch.push(`link del ${l}`);
  const present = new Set(await netnsList());
  for (const n of namespaces) if (present.has(n)) batch.push(`netns del ${n}`);
  if (batch.length) await run('ip', ['-force', '-b', '-'], { input: batch.join('\n') + '\n' });
  // 4. Anything that slipped into a namespace while it was being removed (a crashed `up` only).
  if (inLab().length) await killHosts();

  // 5. Files of this run (the lab's client key stays, so authorised keys elsewhere stay valid).
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
