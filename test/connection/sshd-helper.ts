// A real OpenSSH server on 127.0.0.1 for tests: its own host key, authorized_keys and config.
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SshSettings } from '../../src/connection/ssh.js';

export const SSHD = '/usr/sbin/sshd';

export interface TestSshd {
  port: number;
  dir: string;
  clientKey: string; // private key file authorized for root (and any user: one authorized_keys file)
  hostKeyLine: string; // "ssh-ed25519 AAAA..." (public host key)
  knownHosts: string; // a known_hosts file with the right entry for [127.0.0.1]:port
  pid: number;
  /** Kill the server and every session process it forked (simulates a host going away). */
  kill(): void;
  stop(): Promise<void>;
}

/** Why an sshd cannot be started here, or undefined when it can. */
export function sshdMissing(): string | undefined {
  if (!existsSync(SSHD)) return `${SSHD} missing (apt-get install openssh-server)`;
  if (process.getuid?.() !== 0) return 'needs root (sshd privilege separation, root login)';
  return undefined;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

export function descendants(pid: number): number[] {
  const kids: Record<number, number[]> = {};
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      (kids[ppid] ??= []).push(Number(d));
    } catch {
      /* gone */
    }
  }
  const out: number[] = [];
  const walk = (p: number) => (kids[p] ?? []).forEach((c) => (out.push(c), walk(c)));
  walk(pid);
  return out;
}

async function waitForBanner(port: number, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = connect(port, '127.0.0.1');
      s.once('data', (d) => (s.destroy(), resolve(d.toString().startsWith('SSH-'))));
      s.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > end) throw new Error(`sshd on port ${port} did not come up`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export async function startSshd(extraConfig = ''): Promise<TestSshd> {
  mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
  const dir = mkdtempSync(join(tmpdir(), 'lvsplay-sshd-'));
  chmodSync(dir, 0o755);
  const keygen = (file: string) => execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', file]);
  keygen(join(dir, 'host_ed25519'));
  keygen(join(dir, 'client_ed25519'));
  const clientPub = readFileSync(join(dir, 'client_ed25519.pub'), 'utf8');
  writeFileSync(join(dir, 'authorized_keys'), clientPub, { mode: 0o644 });
  const hostKeyLine = readFileSync(join(dir, 'host_ed25519.pub'), 'utf8').trim().split(/\s+/).slice(0, 2).join(' ');
  // Sessions get an empty HOME: the machine's own dotfiles (e.g. a pyenv rehash in /root/.bashrc,
  // which bash runs for ssh commands and which serialises on a lock) stay out of the tests.
  const home = join(dir, 'home');
  mkdirSync(home, { mode: 0o755 });
  const port = await freePort();
  const cfg = join(dir, 'sshd_config');
  writeFileSync(
    cfg,
    [
      `HostKey ${join(dir, 'host_ed25519')}`,
      `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
      `PidFile ${join(dir, 'sshd.pid')}`,
      'PermitRootLogin yes',
      'PasswordAuthentication yes',
      'KbdInteractiveAuthentication no',
      'UsePAM no',
      'StrictModes no',
      'MaxSessions 10',
      'LogLevel ERROR',
      `SetEnv HOME=${home}`,
      extraConfig,
    ].join('\n') + '\n',
  );
  const child: ChildProcess = spawn(SSHD, ['-D', '-e', '-f', cfg, '-p', String(port), '-o', 'ListenAddress=127.0.0.1'], {
    stdio: ["ignore", "ignore", "pipe"],
  });
  let log = '';
  child.stderr!.on('data', (d) => {
    log += d;
    if (process.env.LVSPLAY_SSHD_DEBUG) process.stderr.write(d);
  });
  try {
    await waitForBanner(port);
  } catch (e) {
    child.kill('SIGKILL');
    throw new Error(`${(e as Error).message}: ${log}`);
  }
  const knownHosts = join(dir, 'known_hosts');
  writeFileSync(knownHosts, `[127.0.0.1]:${port} ${hostKeyLine}\n`);
  const pid = child.pid!;
  const kill = () => {
    for (const p of [pid, ...descendants(pid)]) {
      try {
        process.kill(p, 'SIGKILL');
      } catch {
        /* already gone */
      }
    }
  };
  return {
    port,
    dir,
    clientKey: join(dir, 'client_ed25519'),
    hostKeyLine,
    knownHosts,
    pid,
    kill,
    async stop() {
      kill();
      await new Promise((r) => (child.exitCode !== null || child.signalCode !== null ? r(null) : child.once('exit', r)));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** For a mocha `before`: skip the suite (saying why) when sshd is missing, else start one. */
export async function startSshdOrSkip(ctx: Mocha.Context): Promise<TestSshd> {
  const why = sshdMissing();
  if (why) {
    console.log(`    skipping: ${why}`);
    ctx.skip();
  }
  return startSshd();
}

/** SSH settings for a connection to this test sshd as root with its client key, host key checked. */
export function sshdSettings(sshd: TestSshd, host: string, over: Partial<SshSettings> = {}): SshSettings {
  return {
    host,
    hostName: '127.0.0.1',
    port: sshd.port,
    user: 'root',
    keyFiles: [sshd.clientKey],
    identitiesOnly: true,
    knownHostsFiles: [sshd.knownHosts],
    strictHostKeyChecking: true,
    connectTimeoutMs: 5000,
    ...over,
  };
}

/** Pids of processes whose command line contains `tag`. */
export function pidsWith(tag: string): number[] {
  const out: number[] = [];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d) || Number(d) === process.pid) continue;
    try {
      if (readFileSync(`/proc/${d}/cmdline`).toString('latin1').replace(/\0/g, ' ').includes(tag)) out.push(Number(d));
    } catch {
      /* gone */
    }
  }
  return out;
}
