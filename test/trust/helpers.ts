// Shared by the trust tests: run the compiled CLI, reach lab hosts over ssh, snapshot hosts.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sshArgs } from '../../src/lab/index.js';
import { skipWithoutLab, useLab, type TestLab } from '../helpers/lab.js';

const here = dirname(fileURLToPath(import.meta.url));
/** dist/test/trust -> the compiled CLI and the repository's source tree. */
export const CLI = resolve(here, '../../cli/lvsplay.js');
export const REPO = resolve(here, '../../..');
export const CORPUS = join(REPO, 'test/fixtures/corpus');

/** The trust lab: its own dir and subnet (other engineers' labs are left alone). */
export const TRUST_LAB = 'trust';
export const TRUST_SUBNET = '10.158.0.0/24';

export interface CliResult {
  rc: number | null;
  out: string;
  err: string;
}

export function cliEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { ...process.env, NO_COLOR: '1', LVSPLAY_LAB_DIR: '/nonexistent', ...extra };
}

/** Run lvsplay synchronously (no TTY): exit code, stdout, stderr. */
export function lvsplay(args: string[], cwd?: string, env: Record<string, string> = {}): CliResult {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', cwd, env: cliEnv(env), timeout: 300000 });
  return { rc: r.status, out: r.stdout, err: r.stderr };
}

/** Run lvsplay asynchronously (for SIGINT and mid-run faults). */
export function lvsplayAsync(args: string[], cwd?: string, env: Record<string, string> = {}) {
  const child = spawn(process.execPath, [CLI, ...args], { cwd, env: cliEnv(env) });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const done = new Promise<CliResult>((res) => child.on('close', (code, sig) => res({ rc: code ?? (sig ? -1 : null), out, err })));
  return { child, done, output: () => out + err };
}

export function tmpDir(prefix = 'lvsplay-trust-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function writeFiles(dir: string, files: Record<string, string>): string {
  for (const [p, t] of Object.entries(files)) {
    const f = join(dir, p);
    spawnSync('mkdir', ['-p', dirname(f)]);
    writeFileSync(f, t);
  }
  return dir;
}

/** Run a shell command on a lab host (strict host keys, the lab key). */
export function labExec(labDir: string, node: string, script: string, stdin?: string): { rc: number | null; out: string; err: string } {
  const r = spawnSync('ssh', sshArgs(labDir, node, ['sh', '-c', shq(script)]), { encoding: 'utf8', input: stdin, timeout: 60000 });
  return { rc: r.status, out: r.stdout, err: r.stderr };
}

function shq(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/**
 * What a run could have changed on a host: every file under /etc /root /usr /var/lib /opt /srv with
 * its size, mode, owner and mtime (directories: no mtime), sha1 of every file in /etc, the host's
 * net sysctls and its addresses.
 */
export const SNAPSHOT_SCRIPT = [
  'LC_ALL=C; export LC_ALL',
  // directories without mtime: a validated write's temp file (created, then removed) touches its directory
  "find /etc /root /usr /var/lib /opt /srv -xdev \\( -path /var/lib/apt/lists -o -path /var/cache \\) -prune -o -type d -printf '%p dir %m %u %g\\n' -o -printf '%p %s %m %u %g %T@\\n' 2>/dev/null | sort",
  "find /etc -xdev -type f -exec sha1sum {} + 2>/dev/null | sort",
  "sysctl -a 2>/dev/null | grep '^net\\.' | grep -v -E 'stable_secret|\\.base_reachable_time|conf\\.all\\.forwarding_flags' | sort",
  'ip -o addr show | sort',
].join('\n');

export function snapshot(labDir: string, node: string): string {
  const r = labExec(labDir, node, SNAPSHOT_SCRIPT);
  if (r.rc !== 0) throw new Error(`snapshot of ${node} failed (rc ${r.rc}): ${r.err}`);
  return r.out;
}

/** The lines that differ between two snapshots (for a readable assertion message). */
export function snapshotDiff(a: string, b: string): string[] {
  const A = new Set(a.split('\n'));
  const B = new Set(b.split('\n'));
  return [...[...A].filter((l) => !B.has(l)).map((l) => `- ${l}`), ...[...B].filter((l) => !A.has(l)).map((l) => `+ ${l}`)];
}

export function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * The trust suites' before(): the shared 4-host trust lab, or skip the suite saying why (no root,
 * no lab rootfs, or `extraReason`, e.g. a missing tool).
 */
export async function trustLabOrSkip(ctx: Mocha.Context, extraReason?: string): Promise<TestLab> {
  skipWithoutLab(ctx, extraReason);
  // LVSPLAY_FAULT_LAB (test/trust/labfaults.ts) names the one lab a session may use, for these suites too
  const own = process.env.LVSPLAY_FAULT_LAB;
  return own ? useLab(own, { hosts: 4 }) : useLab(TRUST_LAB, { hosts: 4, subnet: TRUST_SUBNET });
}
