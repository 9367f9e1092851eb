// Run one command, timed: wall clock from spawn to exit, and the CPU time (user+sys) of the
// command and all its children (ansible's forks and ssh processes, lvsplay's node), from
// /usr/bin/time when present, with the peak resident set size.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
  wall: number; // seconds
  cpu?: number; // seconds, user+sys of the whole process tree (waited-for children)
  rss?: number; // KB, the largest resident set of the process or of any one of its waited-for children (GNU time %M)
}

export interface RunOpts {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  timeoutMs?: number;
}

const TIME = '/usr/bin/time';

/** Process groups of the commands running now (each command is started in its own group). */
const live = new Set<number>();

/** Stop every command still running (their whole process groups: ansible's forks, ssh masters). */
export function killAll(): void {
  for (const pgid of live) {
    try {
      process.kill(-pgid, 'SIGTERM');
    } catch {
      /* already gone */
    }
  }
}

export function run(cmd: string, args: string[], o: RunOpts = {}): Promise<RunResult> {
  const dir = existsSync(TIME) ? mkdtempSync(join(tmpdir(), 'lvsbench-')) : undefined;
  const timeFile = dir ? join(dir, 'time') : undefined;
  const [c, a] = timeFile ? [TIME, ['-f', '%U %S %M', '-o', timeFile, cmd, ...args]] : [cmd, args];
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const p = spawn(c, a, { env: o.env ?? process.env, cwd: o.cwd, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    if (p.pid) live.add(p.pid);
    let stdout = '';
    let stderr = '';
    p.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    p.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = o.timeoutMs ? setTimeout(() => p.pid && process.kill(-p.pid, 'SIGTERM'), o.timeoutMs) : undefined;
    p.on('error', reject);
    p.on('close', (code) => {
      const wall = (performance.now() - t0) / 1000;
      if (p.pid) live.delete(p.pid);
      if (timer) clearTimeout(timer);
      let cpu: number | undefined;
      let rss: number | undefined;
      if (timeFile) {
        try {
          const last = readFileSync(timeFile, 'utf8').trim().split('\n').pop() ?? '';
          const [u, s, m] = last.split(/\s+/).map(Number);
          if (Number.isFinite(u) && Number.isFinite(s)) cpu = u + s;
          if (Number.isFinite(m)) rss = m;
        } catch {
          /* no timing file: the command could not start */
        }
        rmSync(dir!, { recursive: true, force: true });
      }
      resolve({ code: code ?? 1, stdout, stderr, wall, cpu, rss });
    });
  });
}

/** Whether a program is on PATH. */
export function onPath(prog: string): boolean {
  return (process.env.PATH ?? '').split(':').some((d) => d && existsSync(join(d, prog)));
}
