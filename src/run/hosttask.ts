// A task on one host: loop items, `when` per item, until/retries, changed_when/failed_when,
// then the events for the reporter (masked, or censored under no_log).
import type { FileDiff, HostStatus, Task, TaskCommon, Vars } from '../types.js';
import { censored } from '../report/mask.js';
import { formatPos } from '../errors.js';
import { absorbFacts, errorText, invoke, type Invocation, type TaskEnv } from './invoke.js';
import type { Scope } from './scope.js';
import { isTemplate, markResultUnsafe } from '../vars/templar.js';
import { pyStr } from '../vars/pystr.js';
import { toBool } from '../vars/filters-text.js';

export interface HostOutcome {
  status: HostStatus;
  result: Vars;
  ignored: boolean;
  delegatedTo?: string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function statusOf(r: Vars): HostStatus {
  if (r.unreachable) return 'unreachable';
  if (r.failed) return 'failed';
  if (r.skipped) return 'skipped';
  return r.changed ? 'changed' : 'ok';
}

/** `{{ }}` in a task or include name rendered with the variables known without a host; on any error the raw name. */
export function renderName(env: TaskEnv, name: string, node: TaskCommon, scope: Scope): string {
  if (!isTemplate(name)) return name;
  try {
    const vars = env.builder.forBanner({ role: node.role ?? scope.role, blockVars: scope.blockVars, taskVars: node.vars, params: scope.params });
    return pyStr(env.st.deps.templar.render(name, vars, node.pos));
  } catch {
    return name;
  }
}

/** The task's name as banners and results show it (rendered as Ansible's strategy does when env is given). */
export function displayName(task: Task, scope: Scope, env?: TaskEnv): string {
  const raw = task.name ?? task.actionAs;
  const name = env ? renderName(env, raw, task, scope) : raw;
  const role = task.role ?? scope.role;
  return role ? `${role.name} : ${name}` : name;
}

export function noLogOf(env: TaskEnv, task: Task, scope: Scope, v: Vars): boolean {
  const n = task.noLog ?? scope.noLog;
  if (n === undefined) return false;
  try {
    return toBool(typeof n === 'string' ? env.st.deps.templar.render(n, v, task.pos) : n);
  } catch {
    return true; // cannot tell: hide rather than leak
  }
}

/** Where the facts a task sets go: the delegated host under delegate_facts, else the host. */
function factsHost(task: Task, scope: Scope, host: string, delegatedTo: string | undefined): string {
  return delegatedTo && toBool(task.delegateFacts ?? scope.delegateFacts) ? delegatedTo : host;
}

/** Task `timeout`: the invocation fails when it takes longer (its commands are killed by the connection). */
async function timed(task: Task, scope: Scope, p: Promise<Invocation>): Promise<Invocation> {
  const secs = task.timeout ?? scope.timeout;
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

/** Evaluate `when` conditions; returns the first false one, or undefined when all hold. */
function falseCondition(env: TaskEnv, conds: string[], v: Vars, task: Task): string | undefined {
  for (const c of conds) if (!env.st.deps.templar.evalCondition(c, v, task.pos)) return c;
  return undefined;
}

/** changed_when / failed_when: evaluated with the result available under the register name. */
function applyConditions(env: TaskEnv, task: Task, v: Vars, r: Vars): void {
  markResultUnsafe(task.action, r); // module output is data: `{{` in it is never templated
  if (r.unreachable || r.skipped) return;
  const withResult = task.register ? { ...v, [task.register]: r } : v;
  const all = (conds: string[]) => conds.every((c) => env.st.deps.templar.evalCondition(c, withResult, task.pos));
  if (task.changedWhen?.length) r.changed = all(task.changedWhen);
  if (task.failedWhen?.length) {
    const f = all(task.failedWhen);
    r.failed_when_result = f;
    r.failed = f;
  }
}

function withConditions(env: TaskEnv, task: Task, v: Vars, inv: Invocation): Invocation {
  try {
    applyConditions(env, task, v, inv.result);
  } catch (e) {
    inv.result = { ...inv.result, failed: true, msg: `The conditional check failed: ${errorText(e)}` };
  }
  return inv;
}

// Modules whose plan is not a cheap read-only probe (or has no probe at all): never planned ahead.
const NOT_PLANNED_AHEAD = new Set(['wait_for', 'uri', 'command', 'shell', 'raw', 'script', 'set_fact', 'debug', 'assert', 'fail', 'meta', 'pause', 'include_vars']);

/**
 * Loop items planned together: every item's plan (its probes, merged into one exec by the probe
 * batcher) at once. Items up to the first one that has something to apply (or fails) are final:
 * nothing changed before them, so their plans are what planning them one by one gives. That item
 * and the rest are run one by one as usual (they may depend on what it applies).
 * Returns the final invocations by index (undefined: run it the usual way).
 */
async function planItemsTogether(env: TaskEnv, task: Task, host: string, scope: Scope, v: Vars, list: unknown[], conds: string[]): Promise<(Invocation | undefined)[]> {
  if (list.length < 2 || task.until || NOT_PLANNED_AHEAD.has(env.st.deps.findModule(task.action)?.name ?? task.action)) return [];
  const ivs = list.map((item, i) => loopVars(task, v, item, i, list.length, list));
  let skip: (string | undefined)[];
  try {
    skip = ivs.map((iv) => falseCondition(env, conds, iv, task));
  } catch {
    return []; // the usual path reports the error at its item
  }
  const plans = await Promise.all(ivs.map((iv, i) => (skip[i] !== undefined ? undefined : invoke(env, task, host, scope, iv, { planOnly: true }))));
  const out: (Invocation | undefined)[] = [];
  for (const inv of plans) {
    if (inv && (inv.wouldApply || inv.unreachable || inv.result.failed || inv.result.changed)) break;
    out.push(inv);
  }
  return out;
}

async function attempts(env: TaskEnv, task: Task, host: string, scope: Scope, v: Vars, name: string): Promise<Invocation> {
  return timed(task, scope, retrying(env, task, host, scope, v, name));
}

async function retrying(env: TaskEnv, task: Task, host: string, scope: Scope, v: Vars, name: string): Promise<Invocation> {
  const once = async (): Promise<Invocation> => withConditions(env, task, v, await invoke(env, task, host, scope, v));
  if (!task.until) return once();
  const retries = Math.max(1, task.retries ?? 3);
  const delay = task.delay ?? 5;
  let inv: Invocation | undefined;
  for (let attempt = 1; attempt <= retries; attempt++) {
    inv = await once();
    inv.result.attempts = attempt;
    if (inv.unreachable) return inv;
    const withResult = task.register ? { ...v, [task.register]: inv.result } : { ...v, ...inv.result };
    let done = false;
    try {
      done = env.st.deps.templar.evalCondition(task.until, withResult, task.pos);
    } catch (e) {
      inv.result = { ...inv.result, failed: true, msg: `The conditional check '${task.until}' failed: ${errorText(e)}` };
      return inv;
    }
    if (done) return inv;
    if (attempt < retries) {
      env.st.emit({ type: 'progress', host, task: name, text: `FAILED - RETRYING: [${host}]: ${name} (${retries - attempt} retries left).` });
      if (delay > 0) await sleep(delay * 1000);
    }
  }
  inv!.result.failed = true;
  return inv!;
}

interface Emit {
  host: string;
  name: string;
  noLog: boolean;
  started: number;
}

function emitResult(env: TaskEnv, e: Emit, r: Vars, extra: { item?: unknown; ignored?: boolean; diff?: FileDiff[]; steps?: string[]; delegatedTo?: string }): void {
  const m = env.st.masker;
  const isItem = 'item' in extra;
  const shown = e.noLog ? censored(r) : m.value(r);
  env.st.emit({
    type: 'host_result',
    host: e.host,
    task: e.name,
    status: statusOf(r),
    ignored: extra.ignored || undefined,
    delegatedTo: extra.delegatedTo,
    item: isItem ? (e.noLog ? null : m.value(extra.item)) : undefined,
    msg: typeof shown.msg === 'string' ? shown.msg : undefined,
    result: shown,
    diff: e.noLog ? undefined : m.diffs(extra.diff),
    steps: e.noLog ? undefined : extra.steps?.map((s) => m.text(s)),
    durationMs: Date.now() - e.started,
  });
}

function loopVars(task: Task, v: Vars, item: unknown, i: number, n: number, items: unknown[]): Vars {
  const out: Vars = { ...v, [task.loopVar]: item, ansible_loop_var: task.loopVar };
  if (task.indexVar) {
    out[task.indexVar] = i;
    out.ansible_index_var = task.indexVar;
  }
  out.ansible_loop = {
    index: i + 1,
    index0: i,
    revindex: n - i,
    revindex0: n - i - 1,
    first: i === 0,
    last: i === n - 1,
    length: n,
    allitems: items,
    previtem: i > 0 ? items[i - 1] : undefined,
    nextitem: i < n - 1 ? items[i + 1] : undefined,
  };
  return out;
}

/** Run the task on one host; emits the host's events; returns the outcome (result as registered). */
export async function runOnHost(env: TaskEnv, task: Task, host: string, scope: Scope, v: Vars, ignoreErrors: boolean): Promise<HostOutcome> {
  const name = displayName(task, scope, env);
  const e: Emit = { host, name, noLog: noLogOf(env, task, scope, v), started: Date.now() };
  const conds = [...scope.when, ...task.when];
  const finish = (inv: Invocation): HostOutcome => {
    const status = statusOf(inv.result);
    const ignored = (status === 'failed' && ignoreErrors) || (status === 'unreachable' && toBool(task.ignoreUnreachable ?? scope.ignoreUnreachable));
    emitResult(env, e, inv.result, { ignored, diff: inv.diff, steps: inv.steps, delegatedTo: inv.delegatedTo });
    return { status, result: inv.result, ignored, delegatedTo: inv.delegatedTo };
  };

  if (task.loop === undefined) {
    let skipWhy: string | undefined;
    try {
      skipWhy = falseCondition(env, conds, v, task);
    } catch (err) {
      return finish({ result: { changed: false, failed: true, msg: `The conditional check failed: ${errorText(err)}` } });
    }
    if (skipWhy !== undefined) {
      return finish({ result: { changed: false, skipped: true, skip_reason: 'Conditional result was False', false_condition: skipWhy } });
    }
    const inv = await attempts(env, task, host, scope, v, name);
    absorbFacts(env, task, factsHost(task, scope, host, inv.delegatedTo), inv.result);
    return finish(inv);
  }

  // loop
  let items: unknown;
  try {
    items = env.st.deps.templar.render(task.loop, v, task.pos);
  } catch (err) {
    return finish({ result: { changed: false, failed: true, msg: errorText(err) } });
  }
  if (typeof items === 'string' || !Array.isArray(items)) {
    return finish({
      result: { changed: false, failed: true, msg: `${formatPos(task.pos)}: Invalid data passed to 'loop', it requires a list, got this instead: ${String(items)}.` },
    });
  }
  const list = items as unknown[];
  const results: Vars[] = [];
  let delegatedTo: string | undefined;
  const pre = await planItemsTogether(env, task, host, scope, v, list, conds);
  for (let i = 0; i < list.length; i++) {
    if (i > 0 && task.loopPause) await sleep(task.loopPause * 1000);
    const item = list[i];
    const iv = loopVars(task, v, item, i, list.length, list);
    let r: Vars;
    let inv: Invocation | undefined;
    try {
      const skipWhy = falseCondition(env, conds, iv, task);
      if (skipWhy !== undefined) {
        r = { changed: false, skipped: true, skip_reason: 'Conditional result was False', false_condition: skipWhy };
      } else {
        inv = pre[i] ? withConditions(env, task, iv, pre[i]!) : await attempts(env, task, host, scope, iv, name);
        r = inv.result;
        delegatedTo = inv.delegatedTo;
        absorbFacts(env, task, factsHost(task, scope, host, inv.delegatedTo), r);
      }
    } catch (err) {
      r = { changed: false, failed: true, msg: errorText(err) };
    }
    r = { ...r, [task.loopVar]: item, ansible_loop_var: task.loopVar };
    if (task.indexVar) r[task.indexVar] = i;
    let label: unknown = item;
    if (task.loopLabel) {
      try {
        label = env.st.deps.templar.render(task.loopLabel, iv, task.pos);
      } catch {
        /* keep the item */
      }
    }
    results.push(r);
    emitResult(env, e, task.loopLabel ? { ...r, _ansible_item_label: label } : r, {
      item: label,
      diff: inv?.diff,
      steps: inv?.steps,
      delegatedTo: inv?.delegatedTo,
    });
    if (inv?.unreachable) break;
  }
  const any = (k: string) => results.some((r) => !!r[k]);
  const agg: Vars = { changed: any('changed'), results, msg: 'All items completed' };
  if (any('unreachable')) agg.unreachable = true;
  if (any('failed')) {
    agg.failed = true;
    agg.msg = 'One or more items failed';
  } else agg.failed = false;
  if (results.length === 0 || results.every((r) => r.skipped)) {
    agg.skipped = true;
    if (results.length === 0) agg.skipped_reason = 'No items in the list';
  }
  return finish({ result: agg, delegatedTo });
}
