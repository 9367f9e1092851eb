// A task on one host: loop items, `when` per item, until/retries, changed_when/failed_when,
// then the events for the reporter (masked, or censored under no_log).
import type { FileDiff, HostStatus, Task, TaskCommon, Vars } from '../types.js';
import { censored } from '../report/mask.js';
import { errorText } from '../errors.js';
import { absorbFacts, invoke, type Invocation, type TaskEnv } from './invoke.js';
import { attempts, ConditionError, falseCondition, withConditions } from './attempt.js';
import type { Scope } from './scope.js';
import { isTemplate } from '../vars/templar.js';
import { pyStr } from '../vars/pystr.js';
import { noLogOf, outcomeKeywords, resolveKeywords, type Keywords } from './keywords.js';
import { itemVars, loopControl, loopItems } from './loopitems.js';
import { isUndefinedError, loopErrorMsg, optionErrorMsg, positionToShow, withPosition } from '../vars/templerr.js';

export interface HostOutcome {
  status: HostStatus;
  result: Vars;
  ignored: boolean;
  delegatedTo?: string;
  /** any_errors_fatal as resolved for the task on this host (absent: the scope's). */
  anyErrorsFatal?: boolean;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Ansible's TaskResult.is_failed: with failed_when, its result decides (an until that ran out sets `failed` but does not fail it). */
function isFailed(r: Vars): boolean {
  if ('failed_when_result' in r) return !!r.failed_when_result;
  const items = Array.isArray(r.results) ? (r.results as Vars[]) : [];
  if (items.some((x) => x && typeof x === 'object' && 'failed_when_result' in x)) return items.some((x) => !!x?.failed_when_result);
  return !!r.failed;
}

export function statusOf(r: Vars): HostStatus {
  if (r.abandoned === true) return 'interrupted';
  if (r.unreachable) return 'unreachable';
  if (isFailed(r)) return 'failed';
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

/** Where the facts a task sets go: the delegated host under delegate_facts, else the host. */
function factsHost(kw: Keywords, host: string, delegatedTo: string | undefined): string {
  return delegatedTo && kw.delegateFacts ? delegatedTo : host;
}

/**
 * Loop items planned together: every item's plan (its probes, merged into one exec by the probe
 * batcher) at once. Items up to the first one that has something to apply (or fails) are final:
 * nothing changed before them, so their plans are what planning them one by one gives. That item
 * and the rest are run one by one as usual (they may depend on what it applies).
 * Returns the final invocations by index (undefined: run it the usual way).
 */
async function planItemsTogether(env: TaskEnv, task: Task, lc: Task, host: string, scope: Scope, v: Vars, list: unknown[], conds: string[]): Promise<(Invocation | undefined)[]> {
  if (list.length < 2 || task.until || !env.st.deps.findModule(task.action)?.plansAhead) return [];
  const ivs = list.map((item, i) => loopVars(lc, v, item, i, list));
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
    where: e.noLog ? undefined : positionToShow(r),
    result: shown,
    diff: e.noLog ? undefined : m.diffs(extra.diff),
    steps: e.noLog ? undefined : extra.steps?.map((s) => m.text(s)),
    durationMs: Date.now() - e.started,
  });
}

function loopVars(task: Task, v: Vars, item: unknown, i: number, items: unknown[]): Vars {
  return { ...v, ...itemVars(task, item, i, items) };
}

/** Run the task on one host; emits the host's events; returns the outcome (result as registered). */
export async function runOnHost(env: TaskEnv, task: Task, host: string, scope: Scope, v: Vars): Promise<HostOutcome> {
  const name = displayName(task, scope, env);
  const e: Emit = { host, name, noLog: noLogOf(env, scope, task, v), started: Date.now() };
  const conds = [...scope.when, ...task.when];
  // The keywords are resolved after `when` (as Ansible: a skipped task's keywords are never templated), per item in a loop.
  let kw: Keywords | undefined;
  const finish = (inv: Invocation): HostOutcome => {
    const status = statusOf(inv.result);
    if (!kw && status === 'failed') {
      try {
        kw = resolveKeywords(env, scope, task, v); // a failed `when` or loop: ignore_errors still applies, as in Ansible
      } catch {
        /* no keywords: nothing ignored */
      }
    }
    const ignored = (status === 'failed' && !!kw?.ignoreErrors) || (status === 'unreachable' && !!kw?.ignoreUnreachable);
    emitResult(env, e, inv.result, { ignored, diff: inv.diff, steps: inv.steps, delegatedTo: inv.delegatedTo });
    return { status, result: inv.result, ignored, delegatedTo: inv.delegatedTo, anyErrorsFatal: kw?.anyErrorsFatal };
  };

  if (task.loop === undefined) {
    let skipWhy: string | undefined;
    try {
      skipWhy = falseCondition(env, conds, v, task);
    } catch (err) {
      return finish({ result: withPosition({ failed: true, msg: errorText(err) }, err) }); // Ansible's result has no `changed` (nothing ran)
    }
    if (skipWhy !== undefined) {
      return finish({ result: { changed: false, skipped: true, skip_reason: 'Conditional result was False', false_condition: skipWhy } });
    }
    try {
      kw = resolveKeywords(env, scope, task, v);
    } catch (err) {
      return finish({ result: { changed: false, failed: true, msg: optionErrorMsg(err) } });
    }
    const inv = await attempts(env, task, host, scope, v, name, kw);
    absorbFacts(env, task, factsHost(kw, host, inv.delegatedTo), inv.result);
    return finish(inv);
  }

  // loop
  let list: unknown[];
  let lc: Task;
  try {
    list = loopItems(env.st.deps.templar, task, v);
    lc = loopControl(env.st.deps.templar, task, v);
  } catch (err) {
    // as Ansible: a loop over an undefined variable is an error only when the task's `when` holds
    let skipWhy: string | undefined;
    if (isUndefinedError(err)) {
      try {
        skipWhy = falseCondition(env, conds, v, task);
      } catch {
        /* the loop's error is the one reported */
      }
    }
    if (skipWhy !== undefined) return finish({ result: { changed: false, skipped: true, skip_reason: 'Conditional result was False', false_condition: skipWhy } });
    return finish({ result: withPosition({ failed: true, msg: loopErrorMsg(err) }, err) }); // as Ansible: no `changed`
  }
  const results: Vars[] = [];
  let delegatedTo: string | undefined;
  const pre = await planItemsTogether(env, task, lc, host, scope, v, list, conds);
  let lv = v; // as Ansible: facts an item sets are variables of the items after it
  for (let i = 0; i < list.length; i++) {
    if (i > 0 && typeof lc.loopPause === 'number' && lc.loopPause > 0) await sleep(lc.loopPause * 1000);
    const item = list[i];
    const iv = loopVars(lc, lv, item, i, list);
    let r: Vars;
    let inv: Invocation | undefined;
    try {
      const skipWhy = falseCondition(env, conds, iv, task);
      if (skipWhy !== undefined) {
        r = { changed: false, skipped: true, skip_reason: 'Conditional result was False', false_condition: skipWhy };
      } else {
        const ikw = (kw = resolveKeywords(env, scope, task, iv));
        inv = pre[i] ? withConditions(env, task, iv, pre[i]!) : await attempts(env, task, host, scope, iv, name, ikw);
        if (inv.templateFailed) return finish({ result: inv.result, delegatedTo });
        r = inv.result;
        delegatedTo = inv.delegatedTo;
        const to = factsHost(ikw, host, inv.delegatedTo);
        const facts = absorbFacts(env, task, to, r);
        if (facts && to === host) lv = { ...lv, ...facts };
      }
    } catch (err) {
      // as Ansible: an item's condition or arguments that cannot be templated fail the whole task
      // there (no results list); the items after it do not run
      return finish({ result: withPosition({ failed: true, msg: err instanceof ConditionError ? err.message : optionErrorMsg(err) }, err), delegatedTo });
    }
    r = { ...r, ...itemVars(lc, item, i, list) };
    let label: unknown = item;
    if (task.loopLabel) {
      try {
        label = env.st.deps.templar.render(task.loopLabel, iv, task.pos);
      } catch {
        /* keep the item */
      }
    }
    // as Ansible: an item's warnings are shown, not kept in the registered results
    const { warnings: _w, deprecations: _d, ...kept } = r;
    results.push(kept);
    emitResult(env, e, task.loopLabel ? { ...r, _ansible_item_label: label } : r, {
      item: label,
      diff: inv?.diff,
      steps: inv?.steps,
      delegatedTo: inv?.delegatedTo,
    });
    if (inv?.unreachable) break;
  }
  if (kw) kw = outcomeKeywords(env, scope, task, v, kw); // the task's own ignore_errors, any_errors_fatal (no item: the last item's stand)
  const any = (k: string) => results.some((r) => !!r[k]);
  // Ansible's aggregate: `skipped` always there, `failed` only when an item failed
  const agg: Vars = { changed: any('changed'), results, msg: 'All items completed', skipped: false };
  if (any('unreachable')) agg.unreachable = true;
  if (any('failed')) {
    agg.failed = true;
    agg.msg = 'One or more items failed';
  }
  if (results.length === 0 || results.every((r) => r.skipped)) {
    agg.skipped = true;
    if (results.length === 0) agg.skipped_reason = 'No items in the list';
    else if (!agg.failed) agg.msg = 'All items skipped';
  }
  return finish({ result: agg, delegatedTo });
}
