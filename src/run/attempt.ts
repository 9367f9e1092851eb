// One attempt chain of a task on a host (or one loop item): `when` evaluated, the module invoked
// under the task's timeout, retried per until/retries/delay, changed_when/failed_when applied to
// the result.
import type { Task, Vars } from '../types.js';
import { errorText, formatPos } from '../errors.js';
import { invoke, type Invocation, type TaskEnv } from './invoke.js';
import type { Keywords } from './keywords.js';
import type { Scope } from './scope.js';
import { markResultUnsafe } from '../vars/templar.js';
import { markUnsafe } from '../vars/unsafe.js';
import { conditionErrorMsg, withPosition } from '../vars/templerr.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Task `timeout`: the invocation fails when it takes longer (its commands are killed by the connection). */
async function timed(task: Task, secs: number | undefined, p: Promise<Invocation>): Promise<Invocation> {
  if (!secs) return p;
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<Invocation>((resolve) => {
    timer = setTimeout(
      () => resolve({ result: { changed: false, failed: true, timedout: { period: secs }, msg: `The ${task.action} action failed to execute in the expected time frame (${secs}) and was terminated` } }),
      secs * 1000,
    );
  });
  try {
    return await Promise.race([p, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** A conditional (when, changed_when, failed_when) that could not be evaluated: the conditional and why. */
export class ConditionError extends Error {
  constructor(
    readonly cond: string,
    readonly cause: unknown,
  ) {
    super(conditionErrorMsg(cond, cause, true)); // the `when:` text: Ansible's words, then lvsplay's position
    this.name = 'ConditionError';
  }
}

function evalCond(env: TaskEnv, c: string, v: Vars, task: Task): boolean {
  warnDelimiters(env, c, task, v);
  try {
    return env.st.deps.templar.evalCondition(c, v, task.pos);
  } catch (e) {
    throw new ConditionError(c, e);
  }
}

/** Evaluate `when` conditions; returns the first false one, or undefined when all hold. */
export function falseCondition(env: TaskEnv, conds: string[], v: Vars, task: Task): string | undefined {
  for (const c of conds) if (!evalCond(env, c, v, task)) return c;
  return undefined;
}

/** Ansible's warning for `{{ }}` or `{% %}` in a conditional: its text, once per task and host (Ansible's worker for the task shows each text once). */
function warnDelimiters(env: TaskEnv, cond: string, task: Task, v: Vars): void {
  if (typeof cond === 'string' && /\{\{|\{%/.test(cond)) {
    const msg = `conditional statements should not include jinja2 templating delimiters such as {{ }} or {% %}. Found: ${cond}`;
    env.st.warnOnce(msg, `${formatPos(task.pos)}\0${String(v.inventory_hostname)}\0${msg}`);
  }
}

/** changed_when / failed_when: evaluated with the result available under the register name. */
function applyConditions(env: TaskEnv, task: Task, v: Vars, r: Vars): void {
  markResultUnsafe(r, !!env.st.deps.findModule(task.action)?.controllerOnly); // host output is data: `{{` in it is never templated
  if (r.unreachable || r.skipped) return;
  const withResult = task.register ? { ...v, [task.register]: r } : v;
  const all = (conds: string[]) => conds.every((c) => evalCond(env, c, withResult, task));
  let which = 'changed'; // Ansible records which condition could not be evaluated as <which>_when_result
  try {
    if (task.changedWhen?.length) r.changed = all(task.changedWhen);
    which = 'failed';
    if (task.failedWhen?.length) r.failed_when_result = r.failed = all(task.failedWhen);
  } catch (e) {
    // as Ansible: the text (no position) under <which>_when_result; the result fails, its msg kept
    // (data, never templated again: it quotes the conditional, as Ansible's registered copy keeps it)
    r[`${which}_when_result`] = markUnsafe(e instanceof ConditionError ? conditionErrorMsg(e.cond, e.cause, false) : errorText(e));
    throw e;
  }
}

export function withConditions(env: TaskEnv, task: Task, v: Vars, inv: Invocation): Invocation {
  try {
    applyConditions(env, task, v, inv.result);
  } catch (e) {
    inv.result = withPosition(e instanceof ConditionError ? { ...inv.result, failed: true } : { ...inv.result, failed: true, msg: errorText(e) }, e);
  }
  return inv;
}

export async function attempts(env: TaskEnv, task: Task, host: string, scope: Scope, v: Vars, name: string, kw: Keywords): Promise<Invocation> {
  return timed(task, kw.timeout, retrying(env, task, host, scope, v, name));
}

/** A retries/delay keyword: a number, or a template giving one (rendered with the item's variables). */
function numberOf(env: TaskEnv, task: Task, v: Vars, x: number | string | undefined): number | undefined {
  if (x === undefined || x === null) return undefined;
  const n = Number(typeof x === 'string' ? env.st.deps.templar.render(x, v, task.pos) : x);
  if (!Number.isFinite(n)) throw new Error(`retries/delay must be a number, got '${String(x)}'`);
  return n;
}

async function retrying(env: TaskEnv, task: Task, host: string, scope: Scope, v: Vars, name: string): Promise<Invocation> {
  if (!task.until) return withConditions(env, task, v, await invoke(env, task, host, scope, v));
  // as Ansible 2.14: `retries: N` (default 3) is N retries after the first attempt (N+1 runs)
  let total: number;
  let delay: number;
  try {
    const r = numberOf(env, task, v, task.retries) ?? 3;
    total = r <= 0 ? 1 : Math.floor(r) + 1;
    const d = numberOf(env, task, v, task.delay) ?? 5;
    delay = d < 0 ? 1 : d;
  } catch (e) {
    return { result: { changed: false, failed: true, msg: errorText(e) } };
  }
  let inv: Invocation | undefined;
  for (let attempt = 1; attempt <= total; attempt++) {
    inv = await invoke(env, task, host, scope, v);
    if (inv.unreachable) return inv;
    inv.result.attempts = attempt; // changed_when/failed_when may read it
    withConditions(env, task, v, inv);
    if (total === 1) return inv;
    const withResult = task.register ? { ...v, [task.register]: inv.result } : { ...v, ...inv.result };
    let done = false;
    try {
      done = env.st.deps.templar.evalCondition(task.until, withResult, task.pos);
    } catch (e) {
      inv.result = withPosition({ failed: true, msg: conditionErrorMsg(task.until, e, false) }, e); // as Ansible: only these
      return inv;
    }
    if (done) return inv;
    if (attempt < total) {
      env.st.emit({ type: 'progress', host, task: name, text: `FAILED - RETRYING: [${host}]: ${name} (${total - attempt} retries left).` });
      if (delay > 0) await sleep(delay * 1000);
    }
  }
  inv!.result.attempts = total - 1;
  inv!.result.failed = true;
  return inv!;
}
