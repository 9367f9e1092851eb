// Day-2 helpers of the VM suite: `lvsplay cluster ...` and playbooks run against the VMs (from the
// lab's namespace, with the inventory the Vagrantfile's trigger generated), and the HTTP clients of
// test/vm/httpclient.ts (a continuous client, a held connection) started there.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import type { ClusterStatus, RealServerStatus } from '../../src/cluster/model.js';
import type { LoopSummary } from './httpclient.js';
import { inLab, repoRoot, type RunResult, type VmLabConfig } from './lab.js';

const CLI = join(repoRoot, 'dist/cli/lvsplay.js');
const CLIENT = join(repoRoot, 'dist/test/vm/httpclient.js');

/** The inventory `lvsplay inventory --vagrant` wrote after `vagrant up`. */
export const inventoryOf = (c: VmLabConfig): string => join(c.dotDir, 'lvsplay.ini');

/** `lvsplay ARGS` inside the namespace (the guests' ssh addresses are there), from the repository root. */
export function lvsplay(c: VmLabConfig, args: string[], log?: (l: string) => void, timeoutMs = 10 * 60 * 1000): Promise<RunResult> {
  return inLab(c, ['node', CLI, ...args], { cwd: repoRoot, log, timeoutMs, env: { ...process.env, NO_COLOR: '1' } });
}

/** `lvsplay cluster status --json`: the parsed document and the exit code (0 healthy, 2 problems, 4 unreachable). */
export async function clusterStatus(c: VmLabConfig): Promise<{ code: number; s: ClusterStatus }> {
  const r = await lvsplay(c, ['cluster', 'status', '-i', inventoryOf(c), '--json'], undefined, 120_000);
  const line = r.stdout.trim().split('\n').pop() ?? '';
  try {
    return { code: r.code, s: JSON.parse(line) as ClusterStatus };
  } catch {
    throw new Error(`cluster status --json exited ${r.code} without a JSON document:\n${r.stdout}\n${r.stderr}`);
  }
}

/** node01's view of a real server in a status (table entry, weight, HTTP check). */
export function seenBy(s: ClusterStatus, rs: string, director: string): RealServerStatus['perDirector'][string] | undefined {
  return s.realServers.find((r) => r.host === rs)?.perDirector[director];
}

/** The one VRRP instance's MASTER and each director's state. */
export function vrrp(s: ClusterStatus): { master?: string; states: Record<string, string>; holders: string[] } {
  const i = s.instances[0];
  return { master: i?.master, holders: i?.holders ?? [], states: Object.fromEntries((i?.directors ?? []).map((d) => [d.host, d.state])) };
}

export interface Loop {
  stop(): Promise<LoopSummary>;
}

/** A continuous HTTP client through the VIP from source address `src`, until stop(). */
export function startLoop(c: VmLabConfig, url: string, src: string, portBase?: number): Loop {
  const child = spawn('ip', ['netns', 'exec', c.ns, 'node', CLIENT, 'loop', url, src, ...(portBase ? [String(portBase)] : [])], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const closed = new Promise<number>((res) => child.on('close', (code) => res(code ?? 128)));
  return {
    async stop() {
      child.kill('SIGTERM');
      const code = await closed;
      try {
        return JSON.parse(out.trim().split('\n').pop() ?? '') as LoopSummary;
      } catch {
        throw new Error(`the HTTP client exited ${code} without a summary: ${out}${err}`);
      }
    },
  };
}

export interface Held {
  /** the real server that answered (its page is its hostname) */
  host: string;
  close(): Promise<void>;
}

/** One keep-alive connection through the VIP from `src`, held open (idle, ESTABLISHED) until close(). */
export function holdConnection(c: VmLabConfig, url: string, src: string): Promise<Held> {
  const child = spawn('ip', ['netns', 'exec', c.ns, 'node', CLIENT, 'hold', url, src], { stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  const closed = new Promise<void>((res) => child.on('close', () => res()));
  return new Promise((resolve, reject) => {
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /^held (\S+)$/m.exec(out);
      if (m) resolve({ host: m[1], close: async () => void (child.stdin.end(), await closed) });
      else if (/^error /m.test(out)) reject(new Error(out.trim()));
    });
    child.on('close', (code) => reject(new Error(`the holding client exited ${code}: ${out}${err}`)));
  });
}

/** The line the closing note quotes. */
export function figures(name: string, s: LoopSummary): string {
  const hosts = Object.entries(s.byHost).map(([h, n]) => `${h} ${n}`).join(', ');
  return `VM-FIGURES ${name}: ${s.requests} requests, ${s.failed} failed, longest gap ${s.longestGapMs} ms (over ${(s.durationMs / 1000).toFixed(1)} s; answered by ${hosts || 'nobody'}${s.switches?.length > 1 ? `; answering host from ${s.switches.join(', then ')}` : ''})`;
}
