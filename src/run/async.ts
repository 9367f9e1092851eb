// async/poll: a plan's steps run detached on the host (a wrapper started with nohup/setsid, bounded
// by `timeout`), their output and exit code written under ~/.ansible_async/<jid>.{out,err,rc}; the
// controller keeps the plan, so a finished job's output is interpreted as the module would (its
// `after`). poll > 0 waits (checks every poll seconds, at most async seconds); poll 0 returns the
// started job at once, for async_status (ModuleContext.asyncJob) to look at later.
import { randomInt } from 'node:crypto';
import type { BecomeSpec, Connection, FileDiff, Plan, Vars } from '../types.js';
import type { Pos } from '../errors.js';
import { TaskError, errorText } from '../errors.js';
import { q } from '../shell.js';
import { outcomeFields, planScript } from './apply.js';
import type { RunState } from './state.js';

export interface AsyncJob {
  jid: string;
  host: string;
  plan: Plan;
  base: Vars;
  changed: boolean;
  /** When it started (ms) and its time limit (s): killed after the limit and a grace, as Ansible's wrapper. */
  startedAt: number;
  limit: number;
  /** A plan without steps: its result is known at once. */
  done?: Vars;
}

/**
 * The jobs' directory on the host as shell text: the task's `ansible_async_dir` (Ansible's
 * async_dir, default ~/.ansible_async), a leading ~ being the account's home there.
 */
export function asyncDirSh(st: RunState, v: Vars, pos: Pos): string {
  const given = v.ansible_async_dir === undefined ? undefined : st.deps.templar.render(v.ansible_async_dir, v, pos);
  const d = typeof given === 'string' && given !== '' ? given : '~/.ansible_async';
  if (d === '~') return '"$HOME"';
  return d.startsWith('~/') ? `"$HOME"/${q(d.slice(2))}` : q(d);
}
const DEFAULT_DIR = '"$HOME"/.ansible_async';
/** Ansible's async_wrapper checks every 5 s, so a job is killed up to 5 s after its limit: the controller (poll > 0) gives up first. */
const GRACE = 5;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function wrapper(dir: string, jid: string, limit: number, script: string, hasStdin: boolean): string {
  const job = `if command -v timeout >/dev/null 2>&1; then timeout -s KILL "$2" sh "$1.sh"; else sh "$1.sh"; fi < "$1.in" > "$1.out" 2> "$1.err"; echo $? > "$1.rc.tmp"; mv -f "$1.rc.tmp" "$1.rc"`;
  return [
    `d=${dir}; mkdir -p "$d"; j="$d"/${jid}`,
    hasStdin ? 'cat > "$j.in"' : ': > "$j.in"',
    `printf '%s\\n' ${q(script)} > "$j.sh"`,
    `printf '%s' '{"started": 1, "finished": 0, "ansible_job_id": "${jid}"}' > "$j"`,
    'S=; command -v setsid >/dev/null 2>&1 && S=setsid',
    `nohup $S sh -c ${q(job)} sh "$j" ${limit} > /dev/null 2>&1 < /dev/null &`,
    'printf %s "$j"',
  ].join('\n');
}

/** The job's ids as Ansible's results carry them. */
function ids(jid: string, file: string, finished: 0 | 1): Vars {
  return { ansible_job_id: jid, started: 1, finished, results_file: file };
}

/** A finished job's output as the module's result (a failure as Ansible's failed result). */
function interpret(job: AsyncJob, rc: number, stdout: string, stderr: string): Vars {
  try {
    const fields = job.plan.asyncAfter ? (job.plan.asyncAfter({ rc, stdout, stderr }) ?? {}) : outcomeFields(job.plan, { rc, stdout, stderr });
    // an `after` that reads the outcome may say whether it changed anything (an Ansible module's own `changed`), as in a run without async
    return { ...job.base, ...fields, changed: typeof fields.changed === 'boolean' ? fields.changed : job.changed, failed: false };
  } catch (e) {
    // async_wrapper's own failure (a module's output that is no JSON) says failed: 1, and the result keeps it
    if (e instanceof TaskError) return { ...job.base, changed: job.changed, ...e.result, failed: e.result.failed === 1 ? 1 : true, msg: e.message };
    return { ...job.base, changed: false, failed: true, msg: errorText(e) };
  }
}

/** async_status: the job's state on the host (a job of another run: its raw output). */
export async function jobStatus(st: RunState, host: string, probe: (cmd: string) => Promise<{ stdout: string }>, jid: string, mode: 'status' | 'cleanup', dir = DEFAULT_DIR): Promise<Vars> {
  const job = st.jobs.get(jid);
  const j = `j=${dir}/${q(jid)}`;
  if (mode === 'cleanup') {
    const r = await probe(`${j}; rm -f "$j" "$j".in "$j".sh "$j".out "$j".err "$j".rc; printf %s "$j"`);
    st.jobs.delete(jid);
    return { ansible_job_id: jid, erased: r.stdout, changed: false };
  }
  if (job?.host === host && job.done) return { ...job.done, ...ids(jid, `~/.ansible_async/${jid}`, 1) };
  const r = await probe(`${j}; printf '%s\\0' "$j"; if [ -f "$j.rc" ]; then printf 'done\\0'; cat "$j.rc"; printf '\\0'; cat "$j.out"; printf '\\0'; cat "$j.err"; elif [ -f "$j" ]; then printf running; else printf missing; fi`);
  const [file, state, rc, out, err] = r.stdout.split('\0');
  if (state === 'missing') return { ...ids(jid, file, 1), changed: false, failed: true, msg: 'could not find job' };
  if (state === 'running') return { ...ids(jid, file, 0), changed: false, stdout: '', stderr: '', stdout_lines: [], stderr_lines: [] };
  const code = Number(rc.trim());
  if (!job || job.host !== host) return { ...ids(jid, file, 1), changed: code === 0, failed: code !== 0, rc: code, stdout: out, stderr: err };
  // killed by `timeout -s KILL` at the limit: Ansible's wrapper's result
  if (code === 137 && Date.now() - job.startedAt >= job.limit * 1000) return { ...ids(jid, file, 1), changed: false, failed: true, msg: 'Timeout exceeded' };
  return { ...interpret(job, code, out, err), ...ids(jid, file, 1) };
}

export interface AsyncRun {
  st: RunState;
  host: string;
  plan: Plan;
  base: Vars;
  changed: boolean;
  secs: number;
  poll: number;
  become?: BecomeSpec;
  conn: () => Promise<Connection>;
  probe: (cmd: string) => Promise<{ stdout: string }>;
  /** The jobs' directory (asyncDirSh), default ~/.ansible_async. */
  dir?: string;
}

/** Start the plan as a job on the host; wait for it (poll > 0) or return the started job (poll 0). */
export async function runAsync(a: AsyncRun): Promise<{ result: Vars; diff?: FileDiff[] }> {
  const jid = `j${randomInt(1e11, 1e12 - 1)}.${process.pid}`;
  const job: AsyncJob = { jid, host: a.host, plan: a.plan, base: a.base, changed: a.changed, startedAt: Date.now(), limit: a.secs };
  const dir = a.dir ?? DEFAULT_DIR;
  let file = `~/.ansible_async/${jid}`;
  if (a.plan.steps.length === 0) job.done = { ...a.base, changed: a.changed, failed: false };
  else {
    const { script, stdin } = planScript(a.plan);
    const res = await (await a.conn()).exec(wrapper(dir, jid, a.secs + GRACE, script, stdin !== undefined), { stdin, become: a.become });
    if (res.rc !== 0) return { result: { changed: false, failed: true, msg: `could not start the async job: ${(res.stderr || res.stdout).trim()}` } };
    file = res.stdout.trim();
  }
  a.st.jobs.set(jid, job);
  if (a.poll === 0) return { result: { ...ids(jid, file, 0), changed: true, failed: 0 } }; // Ansible's wrapper says failed: 0
  let last: Vars = ids(jid, file, 0);
  // Ansible's callbacks: ASYNC POLL for each poll that finds the job running, then ASYNC OK or FAILED
  const end = (r: Vars, failed: boolean) => {
    a.st.emit({ type: 'async_end', host: a.host, jid, failed });
    return { result: r };
  };
  for (let left = a.secs; left > 0; left -= a.poll) {
    await sleep(a.poll * 1000);
    last = await jobStatus(a.st, a.host, a.probe, jid, 'status', dir);
    if (last.finished === 1) {
      // as Ansible once the job finished: its files on the host are removed (async_status mode=cleanup)
      await jobStatus(a.st, a.host, a.probe, jid, 'cleanup', dir);
      return end(last, last.failed === true);
    }
    a.st.emit({ type: 'async_poll', host: a.host, jid, started: last.started, finished: last.finished });
  }
  const { changed: _, ...status } = last; // the raw status, as Ansible's
  return end({ changed: false, failed: true, msg: `async task did not complete within the requested time - ${a.secs}s`, async_result: status }, true);
}
