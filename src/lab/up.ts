// `lab up`: namespaces, bridge, veths, the supervisor (apt proxy + host inits), wait for every sshd.
import { mkdirSync, writeFileSync, rmSync, openSync, readFileSync } from 'node:fs';
import { fork } from 'node:child_process';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { fromRoot } from '../paths.js';
import { LabConfig, PROXY_PORT, inSubnet, makeConfig, nsPrefix, paths } from './config.js';
import { readState, writeState, LabState } from './state.js';
import { ensureLabKey, newKey } from './keys.js';
import { ensureRootfs, ROOTFS_DIR } from './rootfs.js';
import { mirrorHosts } from './sources.js';
import { writeInventory, writeKnownHosts } from './inventory.js';
import { LabError, alive, aliveAs, netnsList, probe, requireNamespaces, requireRoot, rootAddresses } from './system.js';
import { runOk, sleep } from './proc.js';
import { labDownLocked } from './down.js';
import { withLock } from './lock.js';
import type { DaemonSpec } from './daemon.js';

const T0 = { t: 0 };
const trace = (what: string): void => {
  if (process.env.LVSPLAY_LAB_TRACE) console.error(`[lab +${Date.now() - T0.t} ms] ${what}`);
};

export const INIT_SCRIPT = fromRoot('src', 'lab', 'init.sh');
// The supervisor runs as its own process from the compiled tree (also when the CLI is the bundle).
const DAEMON_JS = fromRoot('dist', 'src', 'lab', 'daemon.js');

export interface UpOptions {
  dir: string;
  name?: string;
  subnet?: string;
  hosts?: number;
  log?: (s: string) => void;
  timeoutMs?: number;
}

export interface UpResult {
  already: boolean;
  cfg: LabConfig;
  seconds: number;
  rootfsBuildSeconds: number;
}

/** Is the lab recorded in DIR fully up (state 'up' and every host init alive)? */
export function isUp(st: LabState | undefined): st is LabState {
  return !!st && st.status === 'up' && st.hosts.every((h) => aliveAs(h.pid, `${paths(st.dir).hostsDir}/${h.name}`));
}

export async function labUp(o: UpOptions): Promise<UpResult> {
  requireRoot();
  return withLock(o.dir, 'up', () => labUpLocked(o));
}

async function labUpLocked(o: UpOptions): Promise<UpResult> {
  const log = o.log ?? ((s: string) => console.error(s));
  const t0 = Date.now();
  T0.t = t0;
  const prev = readState(o.dir);
  if (isUp(prev)) {
    const cfg = makeConfig({ dir: o.dir, name: prev.name, subnet: prev.subnet, hosts: prev.hosts.length });
    const clash =
      (o.hosts !== undefined && o.hosts !== prev.hosts.length) ||
      (o.subnet !== undefined && makeConfig({ dir: o.dir, subnet: o.subnet }).subnet !== prev.subnet) ||
      (o.name !== undefined && o.name !== prev.name);
    if (clash)
      throw new LabError(`lab '${prev.name}' in ${o.dir} is already up with ${prev.hosts.length} hosts on ${prev.subnet}; run \`lvsplay lab down\` first to change it`);
    return { already: true, cfg, seconds: 0, rootfsBuildSeconds: 0 };
  }
  await requireNamespaces();
  trace('checks');
  mkdirSync(o.dir, { recursive: true });
  if (prev) {
    log(`lab: cleaning up a previous lab in ${o.dir} that is not fully up`);
    await labDownLocked({ dir: o.dir, log });
  }
  const cfg = makeConfig(o);
  await checkFree(cfg);
  const rootfs = await ensureRootfs(log);
  const t1 = Date.now();
  const p = paths(cfg.dir);
  const pub = ensureLabKey(cfg.dir);

  // Record everything before creating it.
  const st: LabState = {
    version: 1,
    name: cfg.name,
    dir: cfg.dir,
    subnet: cfg.subnet,
    controller: cfg.controller,
    vip: cfg.vip,
    status: 'starting',
    swNs: cfg.swNs,
    ctlLink: cfg.ctlLink,
    hosts: cfg.hosts.map((h) => ({ name: h.name, ns: h.ns, addr: h.addr })),
    proxy: { addr: cfg.controller, port: PROXY_PORT },
    startedAt: new Date().toISOString(),
  };
  writeState(cfg.dir, st);
  try {
    const hostKeys = prepareHostDirs(cfg, pub);
    trace('host dirs');
    await makeNetwork(cfg);
    trace('network');
    const spec: DaemonSpec = {
      name: cfg.name,
      rootfs: ROOTFS_DIR,
      init: INIT_SCRIPT,
      proxy: { host: cfg.controller, port: PROXY_PORT, allow: mirrorHosts() },
      hosts: cfg.hosts.map((h) => ({ name: h.name, ns: h.ns, cidr: `${h.addr}/${cfg.prefix}`, hostDir: join(p.hostsDir, h.name) })),
    };
    const specFile = join(cfg.dir, 'daemon.json');
    writeFileSync(specFile, JSON.stringify(spec, null, 2));
    const { pid, pids, proxyError } = await startDaemon(specFile, p.proxyLog, 15_000 + 100 * cfg.hosts.length);
    trace('daemon reported');
    if (proxyError) log(`lab: warning: apt proxy not started: ${proxyError}`);
    st.proxy = { pid, addr: cfg.controller, port: PROXY_PORT };
    for (const h of st.hosts) h.pid = pids[h.name];
    writeState(cfg.dir, st);
    writeKnownHosts(cfg, hostKeys);
    await waitSshd(cfg, st, o.timeoutMs ?? 20_000 + 400 * cfg.hosts.length);
    trace('sshd answering');
    writeInventory(cfg);
    st.status = 'up';
    writeState(cfg.dir, st);
  } catch (e) {
    log(`lab: up failed, removing what was created: ${(e as Error).message}`);
    await labDownLocked({ dir: cfg.dir, log: () => undefined }).catch(() => undefined);
    throw e;
  }
  return { already: false, cfg, seconds: (Date.now() - t1) / 1000, rootfsBuildSeconds: rootfs.seconds };
}

/** Refuse a name or subnet another lab (or interface) already uses. */
async function checkFree(cfg: LabConfig): Promise<void> {
  const pre = nsPrefix(cfg.name);
  const taken = (await netnsList()).filter((n) => n.startsWith(pre));
  if (taken.length)
    throw new LabError(`lab name '${cfg.name}' is in use by namespaces not recorded in ${cfg.dir} (${taken[0]}, ...): another lab dir with the same name? use --name, or \`lvsplay lab down --name ${cfg.name}\``);
  const clash = (await rootAddresses()).find((a) => inSubnet(a.addr, cfg.subnet));
  if (clash)
    throw new LabError(`subnet ${cfg.subnet} is already in use on this machine (${clash.addr} on ${clash.dev}); choose another with --subnet`);
}

function prepareHostDirs(cfg: LabConfig, labPub: string): Record<string, string> {
  const p = paths(cfg.dir);
  rmSync(p.hostsDir, { recursive: true, force: true });
  const etcHosts =
    '127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n' +
    `${cfg.controller}\tcontroller\n` +
    cfg.hosts.map((h) => `${h.addr}\t${h.name}`).join('\n') +
    '\n';
  const aptProxy = `// lvsplay lab: packages come through the controller's caching proxy (the hosts have no route out)\nAcquire::http::Proxy "http://${cfg.controller}:${PROXY_PORT}/";\n`;
  const keys: Record<string, string> = {};
  for (const h of cfg.hosts) {
    const d = join(p.hostsDir, h.name);
    const r = join(d, 'root');
    mkdirSync(join(d, 'mnt'), { recursive: true });
    mkdirSync(join(r, 'etc/ssh'), { recursive: true });
    mkdirSync(join(r, 'etc/apt/apt.conf.d'), { recursive: true });
    mkdirSync(join(r, 'root/.ssh'), { recursive: true, mode: 0o700 });
    const k = newKey(`root@${h.name}`);
    keys[h.name] = k.public;
    writeFileSync(join(r, 'etc/hostname'), `${h.name}\n`);
    writeFileSync(join(r, 'etc/hosts'), etcHosts);
    writeFileSync(join(r, 'etc/machine-id'), randomBytes(16).toString('hex') + '\n', { mode: 0o444 });
    writeFileSync(join(r, 'etc/ssh/ssh_host_ed25519_key'), k.private, { mode: 0o600 });
    writeFileSync(join(r, 'etc/ssh/ssh_host_ed25519_key.pub'), k.public + '\n');
    writeFileSync(join(r, 'etc/apt/apt.conf.d/01lvsplay-proxy'), aptProxy);
    writeFileSync(join(r, 'root/.ssh/authorized_keys'), labPub + '\n', { mode: 0o600 });
  }
  return keys;
}

async function makeNetwork(cfg: LabConfig): Promise<void> {
  const root = [`netns add ${cfg.swNs}`, ...cfg.hosts.map((h) => `netns add ${h.ns}`)];
  root.push(`link add ${cfg.ctlLink} type veth peer name ctl netns ${cfg.swNs}`);
  for (const h of cfg.hosts) root.push(`link add ${h.name} netns ${cfg.swNs} type veth peer name eth0 netns ${h.ns}`);
  root.push(`addr add ${cfg.controller}/${cfg.prefix} dev ${cfg.ctlLink}`, `link set ${cfg.ctlLink} up`);
  await runOk('ip', ['-b', '-'], { input: root.join('\n') + '\n' }).catch((e: Error) => {
    throw new LabError(`creating the lab network failed (network namespaces need real root with CAP_SYS_ADMIN): ${e.message}`);
  });
  const sw = ['link add br0 type bridge', 'link set br0 up', 'link set lo up', 'link set ctl master br0 up'];
  for (const h of cfg.hosts) sw.push(`link set ${h.name} master br0 up`);
  await runOk('ip', ['-n', cfg.swNs, '-b', '-'], { input: sw.join('\n') + '\n' });
}

/** Starts the lab supervisor; it reports once every host's init runs (about 50 ms a host on 2 busy cores). */
function startDaemon(specFile: string, logFile: string, timeoutMs: number): Promise<{ pid: number; pids: Record<string, number>; proxyError?: string }> {
  return new Promise((resolve, reject) => {
    const logFd = openSync(logFile, 'a');
    const child = fork(DAEMON_JS, ['--spec', specFile], { detached: true, stdio: ['ignore', logFd, logFd, 'ipc'] });
    const timer = setTimeout(() => reject(new LabError(`the lab supervisor did not start within ${timeoutMs / 1000} s (see ${logFile})`)), timeoutMs);
    child.once('message', (m: { pids: Record<string, number>; proxyError?: string }) => {
      clearTimeout(timer);
      child.disconnect();
      child.unref();
      resolve({ pid: child.pid ?? -1, ...m });
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new LabError(`the lab supervisor exited (code ${code}); see ${logFile}`));
    });
  });
}

async function waitSshd(cfg: LabConfig, st: LabState, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const pending = new Set(cfg.hosts.map((h) => h.name));
  while (pending.size) {
    await Promise.all(
      cfg.hosts
        .filter((h) => pending.has(h.name))
        .map(async (h) => {
          // The init says when sshd is started (probing earlier would wait on ARP for an address not up yet).
          if (!initSaysUp(join(paths(cfg.dir).hostsDir, h.name, 'init.log'))) return;
          if (await probe(h.addr, 22, 1000, 'SSH-')) pending.delete(h.name);
        }),
    );
    if (!pending.size) break;
    for (const h of st.hosts)
      if (pending.has(h.name) && !alive(h.pid))
        throw new LabError(`host ${h.name} stopped while starting: ${tail(join(paths(cfg.dir).hostsDir, h.name, 'init.log'))}`);
    if (Date.now() > deadline) throw new LabError(`sshd did not answer on ${[...pending].join(', ')} within ${timeoutMs / 1000} s`);
    await sleep(15);
  }
}

function tail(f: string): string {
  try {
    return readFileSync(f, 'utf8').trim().split('\n').slice(-5).join(' | ') || '(init.log empty)';
  } catch {
    return '(no init.log)';
  }
}

function initSaysUp(f: string): boolean {
  try {
    return readFileSync(f, 'utf8').includes('sshd started');
  } catch {
    return false;
  }
}
