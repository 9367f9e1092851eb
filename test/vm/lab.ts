// The VM lab from TypeScript: build/add the box, start libvirt in its namespace (lab.sh), run the
// real Vagrantfile there, reach guests over ssh and act as the lab's client. Local commands only;
// every address used is inside the namespace this lab creates.
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../../src/paths.js';
import { promisify } from 'node:util';
import { parseVagrantSshConfig, type VagrantSshHost } from '../../src/inventory/vagrant.js';
import { q } from '../../src/shell.js';

/** Repository root (the package root: works from test/vm, dist/test/vm and the bundled CLI). */
export const repoRoot = packageRoot();
const script = (name: string) => join(repoRoot, 'test/vm', name);

export interface VmLabConfig {
  ns: string;
  cache: string;
  /** Vagrant's machine state (VAGRANT_DOTFILE_PATH) */
  dotDir: string;
  /** VAGRANT_HOME: the locally made box lives here, not in ~/.vagrant.d */
  vagrantHome: string;
  /** first three octets of the cluster network (private_network) */
  subnet: string;
  /** libvirt management network, no NAT */
  mgmtNet: string;
  repoPort: number;
  box: string;
  memory: number;
  /** directory with an `lvsplay` executable, put first on PATH for the Vagrantfile's trigger */
  binDir: string;
}

export function vmLabConfig(env: NodeJS.ProcessEnv = process.env): VmLabConfig {
  const cache = env.LVSPLAY_VM_CACHE || '/var/cache/lvsplay/vm';
  const state = env.LVSPLAY_VM_STATE || '/var/lib/lvsplay/vm';
  return {
    ns: env.LVSPLAY_VM_NS || 'lvsplay-vm',
    cache,
    dotDir: join(state, 'vagrant'),
    vagrantHome: join(cache, 'vagrant.d'),
    subnet: env.LVSPLAY_VM_SUBNET || '10.160.0',
    mgmtNet: env.LVSPLAY_VM_MGMT_NET || '10.160.1.0/24',
    repoPort: Number(env.LVSPLAY_VM_REPO_PORT || 8088),
    box: 'lvsplay/debian12-ipvs',
    memory: Number(env.LVSPLAY_MEMORY || 512),
    binDir: join(state, 'bin'),
  };
}

/** The management network's gateway: the namespace's address there (serves the repository). */
export function mgmtGateway(c: VmLabConfig): string {
  const [a, b, cc] = c.mgmtNet.split('/')[0].split('.');
  return `${a}.${b}.${cc}.1`;
}

/** Environment for every vagrant command of the lab: the real Vagrantfile, lab settings. */
export function vagrantEnv(c: VmLabConfig): NodeJS.ProcessEnv {
  return {
    ...process.env,
    PATH: `${c.binDir}:${process.env.PATH ?? '/usr/bin:/bin'}`,
    VAGRANT_CWD: repoRoot,
    VAGRANT_DOTFILE_PATH: c.dotDir,
    VAGRANT_HOME: c.vagrantHome,
    VAGRANT_CHECKPOINT_DISABLE: '1',
    VAGRANT_NO_COLOR: '1',
    LVSPLAY_PROVIDER: 'libvirt',
    LVSPLAY_BOX: c.box,
    LVSPLAY_SUBNET: c.subnet,
    LVSPLAY_MEMORY: String(c.memory),
    LVSPLAY_CPUS: '1',
    LVSPLAY_LIBVIRT_DRIVER: 'qemu',
    LVSPLAY_MGMT_NET: c.mgmtNet,
    LVSPLAY_MGMT_MODE: 'none',
    LVSPLAY_APT_REPO: `http://${mgmtGateway(c)}:${c.repoPort}/`,
    LVSPLAY_BIN: 'lvsplay',
  };
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Run a command; output goes to `log` line by line as it arrives (progress for slow steps). */
export function run(cmd: string, args: string[], opts: { env?: NodeJS.ProcessEnv; cwd?: string; log?: (line: string) => void; timeoutMs?: number } = {}): Promise<RunResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(cmd, args, { env: opts.env ?? process.env, cwd: opts.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const feed = (buf: string, chunk: Buffer): string => {
      const text = buf + chunk.toString();
      if (!opts.log) return text;
      const lines = text.split('\n');
      lines.slice(0, -1).forEach((l) => opts.log?.(l));
      return lines[lines.length - 1];
    };
    let pendOut = '';
    let pendErr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      pendOut = feed(pendOut, d);
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      pendErr = feed(pendErr, d);
    });
    const timer = opts.timeoutMs ? setTimeout(() => child.kill('SIGTERM'), opts.timeoutMs) : undefined;
    child.on('error', reject);
    child.on('close', (code) => {
      if (timer) clearTimeout(timer);
      if (opts.log && pendOut) opts.log(pendOut);
      if (opts.log && pendErr) opts.log(pendErr);
      resolvePromise({ code: code ?? 128, stdout, stderr });
    });
  });
}

export async function mustRun(cmd: string, args: string[], opts: Parameters<typeof run>[2] = {}): Promise<RunResult> {
  const r = await run(cmd, args, opts);
  if (r.code !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.code}\n${r.stderr.slice(-3000)}`);
  return r;
}

/** Build the box (cached by image.sh) and add it to the lab's VAGRANT_HOME if it is not there.
 *  Call with the lab up: a re-added box also drops libvirt's copy of the old one (its base volume). */
export async function ensureBox(c: VmLabConfig, log?: (l: string) => void): Promise<void> {
  const { stdout } = await mustRun(script('image.sh'), [], { env: { ...process.env, LVSPLAY_VM_CACHE: c.cache }, log });
  const boxFile = stdout.trim().split('\n').pop() ?? '';
  const stamp = readFileSync(join(c.cache, 'stamp'), 'utf8').trim();
  const added = join(c.vagrantHome, 'lvsplay-box-stamp');
  if (existsSync(added) && readFileSync(added, 'utf8').trim() === stamp) return;
  mkdirSync(c.vagrantHome, { recursive: true });
  await mustRun('vagrant', ['box', 'add', '--force', '--name', c.box, boxFile], { env: vagrantEnv(c), log });
  const vols = await run('virsh', ['-c', 'qemu:///system', 'vol-list', 'default']);
  const prefix = `${c.box.replace('/', '-VAGRANTSLASH-')}_vagrant_box_image`;
  for (const v of vols.stdout.split('\n').map((l) => l.trim().split(/\s+/)[0]).filter((n) => n?.startsWith(prefix))) {
    await mustRun('virsh', ['-c', 'qemu:///system', 'vol-delete', '--pool', 'default', v], { log });
  }
  writeFileSync(added, stamp + '\n');
}

/** An interrupted earlier run (a killed CI job, a machine snapshot taken mid-run) can leave the
 *  Vagrant state and its libvirt machines behind; `vagrant up` would then resume half-provisioned
 *  machines instead of building fresh ones. Call with the lab up, before `vagrant up`: destroys
 *  what the state knows, then any libvirt domain of the four machines it no longer knows. */
export async function clearStale(c: VmLabConfig, log?: (l: string) => void): Promise<string[]> {
  const cleared: string[] = [];
  if (existsSync(c.dotDir)) {
    await vagrant(c, ['destroy', '-f'], log, 5 * 60 * 1000);
    rmSync(c.dotDir, { recursive: true, force: true });
    cleared.push(`vagrant state ${c.dotDir}`);
  }
  const doms = await run('virsh', ['-c', 'qemu:///system', 'list', '--all', '--name']);
  for (const d of doms.stdout.split('\n').map((l) => l.trim()).filter((n) => /_node0[1-4]$/.test(n))) {
    await run('virsh', ['-c', 'qemu:///system', 'destroy', d], { log });
    await mustRun('virsh', ['-c', 'qemu:///system', 'undefine', d, '--remove-all-storage'], { log });
    cleared.push(`libvirt domain ${d}`);
  }
  return cleared;
}

export const labUp = (c: VmLabConfig, log?: (l: string) => void) => mustRun(script('lab.sh'), ['up'], { env: labShEnv(c), log });
export const labDown = (c: VmLabConfig, log?: (l: string) => void) => mustRun(script('lab.sh'), ['down'], { env: labShEnv(c), log });

function labShEnv(c: VmLabConfig): NodeJS.ProcessEnv {
  return { ...process.env, LVSPLAY_VM_NS: c.ns, LVSPLAY_VM_CACHE: c.cache, LVSPLAY_VM_REPO_PORT: String(c.repoPort) };
}

/** Run a command inside the lab's namespace (where libvirt's bridges are). */
export function inLab(c: VmLabConfig, cmd: string[], opts: Parameters<typeof run>[2] = {}): Promise<RunResult> {
  return run('ip', ['netns', 'exec', c.ns, ...cmd], opts);
}

/** `vagrant ARGS` with the real Vagrantfile, inside the namespace. */
export function vagrant(c: VmLabConfig, args: string[], log?: (l: string) => void, timeoutMs?: number): Promise<RunResult> {
  return inLab(c, ['vagrant', ...args], { env: vagrantEnv(c), cwd: repoRoot, log, timeoutMs });
}

/** ssh targets of the running machines, from `vagrant ssh-config`. */
export async function sshTargets(c: VmLabConfig): Promise<Map<string, VagrantSshHost>> {
  const r = await vagrant(c, ['ssh-config']);
  if (r.code !== 0) throw new Error(`vagrant ssh-config failed: ${r.stderr}`);
  return new Map(parseVagrantSshConfig(r.stdout).map((h) => [h.name, h]));
}

/** Run a shell command as root on a guest (ssh from inside the namespace). */
export function guest(c: VmLabConfig, h: VagrantSshHost, command: string): Promise<RunResult> {
  const args = ['ssh', '-q', '-o', 'BatchMode=yes', '-o', 'StrictHostKeyChecking=no', '-o', 'UserKnownHostsFile=/dev/null', '-o', 'ConnectTimeout=10'];
  if (h.identityFile) args.push('-i', h.identityFile);
  args.push('-p', String(h.port), `${h.user ?? 'vagrant'}@${h.hostName}`, `sudo /bin/sh -c ${q(command)}`);
  return inLab(c, args, { timeoutMs: 60_000 });
}

/** The lab's client: one HTTP GET from source address `src` (on the cluster bridge). */
export async function clientGet(c: VmLabConfig, src: string, url: string): Promise<string | undefined> {
  const r = await inLab(c, ['curl', '-sS', '--max-time', '5', '--interface', src, url]);
  return r.code === 0 ? r.stdout.trim() : undefined;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Poll `probe` until it returns a value (not undefined) or `ms` pass; returns it and the time taken. */
export async function until<T>(ms: number, probe: () => Promise<T | undefined>, everyMs = 1000): Promise<{ value?: T; elapsedMs: number }> {
  const t0 = Date.now();
  for (;;) {
    const value = await probe();
    if (value !== undefined) return { value, elapsedMs: Date.now() - t0 };
    if (Date.now() - t0 > ms) return { elapsedMs: Date.now() - t0 };
    await sleep(everyMs);
  }
}

export const execFileP = promisify(execFile);
