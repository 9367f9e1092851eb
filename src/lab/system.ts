// Checks and low-level probes of the machine: root, namespaces, addresses in use, processes.
import { existsSync, readdirSync, readFileSync, readlinkSync, statSync } from 'node:fs';
import net from 'node:net';
import { run } from './proc.js';

export class LabError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LabError';
  }
}

export function requireRoot(): void {
  if (process.getuid?.() !== 0)
    throw new LabError('the lab needs root (network namespaces, mounts, veth links): run `sudo lvsplay lab ...`');
}

/** Clear error when the kernel or the container forbids namespaces. */
export async function requireNamespaces(): Promise<void> {
  for (const ns of ['net', 'mnt', 'uts', 'ipc', 'pid'])
    if (!existsSync(`/proc/self/ns/${ns}`)) throw new LabError(`this kernel has no ${ns} namespaces (/proc/self/ns/${ns} missing)`);
  const r = await run('unshare', ['--net', '--mount', '--uts', '--ipc', '--pid', '--fork', 'true']);
  if (r.code !== 0)
    throw new LabError(`cannot create namespaces here (unshare --net --mount --uts --ipc --pid failed: ${r.stderr.trim() || `exit ${r.code}`}); a container without CAP_SYS_ADMIN?`);
  for (const tool of ['ip', 'nsenter', 'unshare', 'ssh', 'debootstrap'])
    if ((await run('sh', ['-c', `command -v ${tool}`])).code !== 0)
      throw new LabError(`'${tool}' is missing: apt-get install iproute2 util-linux openssh-client debootstrap`);
}

export async function netnsList(): Promise<string[]> {
  const d = '/run/netns';
  return existsSync(d) ? readdirSync(d) : [];
}

export async function linkExists(name: string): Promise<boolean> {
  return existsSync(`/sys/class/net/${name}`);
}

/** IPv4 addresses of the root namespace, with the interface holding them. */
export async function rootAddresses(): Promise<{ dev: string; addr: string }[]> {
  const r = await run('ip', ['-o', '-4', 'addr', 'show']);
  const out: { dev: string; addr: string }[] = [];
  for (const line of r.stdout.split('\n')) {
    const m = /^\d+:\s+(\S+)\s+inet\s+(\d+\.\d+\.\d+\.\d+)\//.exec(line);
    if (m) out.push({ dev: m[1], addr: m[2] });
  }
  return out;
}

export function netnsInode(ns: string): number | undefined {
  try {
    return statSync(`/run/netns/${ns}`).ino;
  } catch {
    return undefined;
  }
}

export interface ProcInfo {
  pid: number;
  netIno?: number;
  cmdline: string[];
  nsPid1: boolean; // PID 1 of its own PID namespace
  zombie: boolean;
  ppid: number;
}

export function listProcs(): ProcInfo[] {
  const out: ProcInfo[] = [];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    const pid = Number(d);
    try {
      const status = readFileSync(`/proc/${d}/status`, 'utf8');
      const zombie = /^State:\s+Z/m.test(status);
      const nspid = /^NSpid:\s+(.*)$/m.exec(status)?.[1].trim().split(/\s+/) ?? [];
      const ppid = Number(/^PPid:\s+(\d+)/m.exec(status)?.[1] ?? 0);
      let netIno: number | undefined;
      try {
        netIno = Number(/\[(\d+)\]/.exec(readlinkSync(`/proc/${d}/ns/net`))?.[1]);
      } catch {
        /* zombie or gone */
      }
      const cmdline = readFileSync(`/proc/${d}/cmdline`, 'utf8').split('\0').filter(Boolean);
      out.push({ pid, netIno, cmdline, nsPid1: nspid.length > 1 && nspid[nspid.length - 1] === '1', zombie, ppid });
    } catch {
      /* gone */
    }
  }
  return out;
}

export function alive(pid: number | undefined): boolean {
  if (!pid || pid <= 0) return false;
  try {
    return !/^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, 'utf8'));
  } catch {
    return false;
  }
}

/** Connect to ADDR:PORT; for sshd also wait for its banner. */
export function probe(addr: string, port: number, timeoutMs: number, banner?: string): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ host: addr, port });
    const done = (ok: boolean): void => {
      clearTimeout(t);
      s.destroy();
      resolve(ok);
    };
    const t = setTimeout(() => done(false), timeoutMs);
    s.on('error', () => done(false));
    s.on('connect', () => {
      if (!banner) done(true);
    });
    let buf = '';
    s.on('data', (d: Buffer) => {
      buf += d.toString();
      if (banner && buf.startsWith(banner)) done(true);
    });
    s.on('close', () => done(false));
  });
}

/** Is PID alive AND still the process we started (its command line mentions MARK)? Guards against pid reuse. */
export function aliveAs(pid: number | undefined, mark: string): boolean {
  if (!alive(pid)) return false;
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(mark);
  } catch {
    return false;
  }
}
