// The one place a plan touches a host: all steps of a plan go in ONE exec (a `set -e` script).
import type { BecomeSpec, Connection, ExecResult, Plan } from '../types.js';
import { ConnectionError, TaskError } from '../errors.js';

/**
 * A plan stopped by a signal (an abandoned run: the host's lifeline, src/connection/lifeline.ts)
 * exits instead of dying, so the EXIT traps of its steps run (a write's temp file is removed).
 */
export const PLAN_SIGNAL_TRAPS = "trap 'exit 129' HUP; trap 'exit 130' INT; trap 'exit 141' PIPE; trap 'exit 143' TERM";

/** Build the script that applies a plan's steps (exported for --check/-vvv display and tests). */
export function planScript(plan: Plan): { script: string; stdin?: string | Buffer } {
  const withStdin = plan.steps.filter((s) => s.stdin !== undefined);
  if (withStdin.length > 1) throw new Error('internal: a plan may have at most one step with stdin');
  const script = ['set -e', PLAN_SIGNAL_TRAPS, ...plan.steps.map((s) => s.cmd)].join('\n');
  return { script, stdin: withStdin[0]?.stdin };
}

/**
 * Apply a plan (the caller has checked check-mode and that steps is non-empty).
 * Returns the raw output and the fields `after` derived from it. Throws TaskError on rc != 0
 * unless the plan has an `after` hook that decides.
 */
export async function applyPlan(
  conn: Connection,
  plan: Plan,
  opts: { become?: BecomeSpec; onOutput?: (chunk: string) => void } = {},
): Promise<{ res: ExecResult; fields: Record<string, unknown> }> {
  const { script, stdin } = planScript(plan);
  if (plan.awaitHost) {
    // a reboot: the host may close the connection before the command's exit status comes back
    const res = await conn.exec(script, { stdin, become: opts.become, onOutput: opts.onOutput }).catch((e: unknown) => {
      if (e instanceof ConnectionError) return { rc: 0, stdout: '', stderr: '' };
      throw e;
    });
    return { res, fields: await plan.awaitHost(res) };
  }
  const res = await conn.exec(script, { stdin, become: opts.become, onOutput: opts.onOutput });
  return { res, fields: outcomeFields(plan, res) };
}

/** What the applied steps' output means: the plan's `after`, or a TaskError on rc != 0 (also for async jobs, src/run/async.ts). */
export function outcomeFields(plan: Plan, res: ExecResult): Record<string, unknown> {
  if (plan.after) return plan.after(res) ?? {};
  if (res.rc !== 0) {
    const msg = (res.stderr || res.stdout).trim() || `exit code ${res.rc}`;
    throw new TaskError(msg, { rc: res.rc, stdout: res.stdout, stderr: res.stderr });
  }
  return {};
}
