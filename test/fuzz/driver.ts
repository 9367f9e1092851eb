// Drives the fuzzer: forks one worker for all cases (a new one only after a case killed it), a
// watchdog per case, and the verdict of each case — no stack trace, no exit 250, no crash, not over
// the time limit, and every error positioned (FILE:LINE:COL, or the file's path for file-level errors).
import { fork } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CaseDone, CaseStart } from './worker.js';

const WORKER = join(dirname(fileURLToPath(import.meta.url)), 'worker.js');

export interface Failure {
  index: number;
  file: string;
  what: string;
  why: string;
  output: string;
}

export interface FuzzReport {
  cases: number;
  failures: Failure[];
  slowest: { index: number; file: string; what: string; ms: number };
  totalMs: number;
  byExit: Record<string, number>;
}

const STACK = /^\s+at .+:\d+:\d+\)?$|unexpected error/m;
/** FILE:LINE:COL, or a quoted path (a file that cannot be read, a missing role or template). */
const POSITIONED = /[\w./~-]+\.(?:ya?ml|j2|ini|json|conf)?:\d+:\d+|[\w./~-]+:\d+:\d+|'[^']*\/[^']*'|'[\w.-]+\.(?:ya?ml|j2|ini)'/;

/** Why a finished case fails, or undefined when it is fine. */
export function verdict(d: CaseDone, limitMs: number): string | undefined {
  if (d.threw) return `threw: ${d.threw.split('\n').slice(0, 3).join(' | ')}`;
  if (d.rc === 250) return 'exit 250';
  if (STACK.test(d.output)) return 'a stack trace or an unexpected error in the output';
  if (d.ms > limitMs) return `took ${Math.round(d.ms)} ms (limit ${limitMs})`;
  if (d.rc !== 0 && !POSITIONED.test(d.output)) return `exit ${d.rc} without a position in the message`;
  return undefined;
}

export async function runFuzz(o: { seed: number; count: number; from?: number; limitMs?: number; log?: (s: string) => void }): Promise<FuzzReport> {
  const limitMs = o.limitMs ?? 10_000;
  const failures: Failure[] = [];
  const byExit: Record<string, number> = {};
  let slowest = { index: -1, file: '', what: '', ms: 0 };
  let next = o.from ?? 0;
  let seen = 0;
  const t0 = Date.now();
  const end = (o.from ?? 0) + o.count;
  while (next < end) {
    const from = next;
    await new Promise<void>((resolveRun) => {
      const child = fork(WORKER, [String(o.seed), String(from), String(end)], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'], execArgv: ['--max-old-space-size=1024'] });
      let stderr = '';
      child.stderr!.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
      let current: CaseStart | undefined;
      let timer: NodeJS.Timeout | undefined;
      const fail = (why: string) => {
        if (current) failures.push({ index: current.index, file: current.file, what: current.what, why, output: stderr });
      };
      child.on('message', (m: CaseStart | CaseDone) => {
        if (m.kind === 'start') {
          current = m;
          clearTimeout(timer);
          // the hard limit: a case still running after 2x the limit is a hang (killed, reported)
          timer = setTimeout(() => {
            fail(`still running after ${2 * limitMs} ms (killed)`);
            seen++;
            next = current!.index + 1;
            current = undefined;
            child.kill('SIGKILL');
          }, 2 * limitMs);
          return;
        }
        clearTimeout(timer);
        seen++;
        next = m.index + 1;
        byExit[m.rc] = (byExit[m.rc] ?? 0) + 1;
        if (m.ms > slowest.ms && current) slowest = { index: m.index, file: current.file, what: current.what, ms: m.ms };
        const why = verdict(m, limitMs);
        if (why && current) failures.push({ index: m.index, file: current.file, what: current.what, why, output: m.output });
        if (seen % 250 === 0) o.log?.(`${seen}/${o.count} cases, ${failures.length} failing`);
        current = undefined;
      });
      child.on('exit', (code, sig) => {
        clearTimeout(timer);
        if (current) {
          fail(`the worker died (${sig ?? `exit ${code}`}) during the case`);
          seen++;
          next = current.index + 1;
        } else if (next === from && code !== 0) {
          failures.push({ index: from, file: '', what: 'worker start', why: `the worker exited ${code ?? sig} before its first case`, output: stderr });
          next = end; // nothing more can run
        }
        resolveRun();
      });
    });
  }
  return { cases: seen, failures, slowest, totalMs: Date.now() - t0, byExit };
}
