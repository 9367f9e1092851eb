// One module invocation on one host: template args, validate, plan, then apply (or not, in check mode).
import type { BecomeSpec, FileDiff, Play, Task, Vars } from '../types.js';
import { ConfigError, ConfigErrors, ConnectionError, TaskError } from '../errors.js';
import { applyPlan, planScript } from './apply.js';
import { noLogOf } from './hosttask.js';
import { includeVars } from './includevars.js';
import { moduleContext } from './modctx.js';
import { taskConnection, taskEnvironment } from './taskconn.js';
import type { Scope } from './scope.js';
import type { RunState } from './state.js';
import { dropOmitted, type VarsBuilder } from './vars.js';
import { toBool } from '../vars/filters-text.js';

export interface Invocation {
  result: Vars; // as registered (unmasked)
  unreachable?: boolean;
  diff?: FileDiff[];
  steps?: string[];
  delegatedTo?: string;
  /** planOnly: the plan has steps to apply (nothing was applied). */
  wouldApply?: boolean;
}

export interface TaskEnv {
  st: RunState;
  play: Play;
  builder: VarsBuilder;
}

export function errorText(e: unknown): string {
  if (e instanceof ConfigError) return e.toString();
  if (e instanceof ConfigErrors) return e.message;
  if (e instanceof Error) return e.message;
  return String(e);
}

/** become for a task: task > block > play > -b; ansible_become* variables override keywords. */
export function resolveBecome(env: TaskEnv, task: Task, scope: Scope, v: Vars): BecomeSpec | undefined {
  const o = env.st.opts;
  let on = task.become ?? scope.become ?? env.play.become ?? o.become ?? false;
  let user = task.becomeUser ?? scope.becomeUser ?? env.play.becomeUser ?? o.becomeUser ?? 'root';
  if (v.ansible_become !== undefined) on = toBool(v.ansible_become);
  if (v.ansible_become_user !== undefined) user = String(v.ansible_become_user);
  if (!on) return undefined;
  const pw = v.ansible_become_password ?? v.ansible_become_pass ?? o.becomePassword;
  if (pw !== undefined) env.st.masker.add(pw);
  return { user, password: pw === undefined ? undefined : String(pw) };
}

/** Task/block keywords of the connection (they override the play's; variables override them all). */
export interface ConnKeywords {
  connection?: string;
  remoteUser?: string;
}

/**
 * Variables a connection is made from: the target's inventory vars; `connection:` (task > block >
 * play) and -c as defaults of ansible_connection, `remote_user:` (task > block > play) of ansible_user.
 */
export function connectionVars(env: TaskEnv, target: string, v: Vars, delegated: boolean, kw: ConnKeywords = {}): Vars {
  const base = delegated ? env.builder.hostLevel(target) : v;
  const out: Vars = { ...base };
  const user = kw.remoteUser ?? env.play.remoteUser;
  if (user !== undefined && out.ansible_user === undefined && out.ansible_ssh_user === undefined) out.ansible_user = user;
  if (out.ansible_connection === undefined) {
    const kind = kw.connection ?? env.play.connection ?? env.st.opts.connection;
    if (kind) out.ansible_connection = kind;
    else if (delegated && !env.st.inventory.hosts.has(target) && ['localhost', '127.0.0.1', '::1'].includes(target)) {
      out.ansible_connection = 'local'; // Ansible's implicit localhost
    }
  }
  return out;
}

export async function ensureFacts(env: TaskEnv, host: string, v: Vars, become?: BecomeSpec): Promise<Vars> {
  const mem = env.st.host(host);
  if (!mem.factsGathered) {
    const conn = await env.st.conns.get(host, connectionVars(env, host, v, false));
    mem.facts = { ...(await env.st.deps.gatherFacts(conn, become)), ...mem.facts };
    mem.factsGathered = true;
  }
  return mem.facts;
}

/** planOnly: plan (probes only) and stop before applying anything (loop items planned together, hosttask.ts). */
export async function invoke(env: TaskEnv, task: Task, host: string, scope: Scope, v: Vars, opts: { planOnly?: boolean } = {}): Promise<Invocation> {
  const { st } = env;
  if (task.action === 'include_vars') return includeVars(env, task, v);
  const mod = st.deps.findModule(task.action);
  if (!mod) return { result: { failed: true, changed: false, msg: `couldn't resolve module/action '${task.actionAs}'` } };
  let delegatedTo: string | undefined;
  try {
    // Each argument is templated at its own position (an undefined variable names its line).
    const rendered: Vars = {};
    for (const [k, val] of Object.entries(task.args)) rendered[k] = st.deps.templar.render(val, v, task.argsPos?.[k] ?? task.pos);
    const args = dropOmitted(rendered) as Vars;
    const problems = st.deps.validateModuleArgs(task.action, args, task.pos) ?? [];
    if (problems.length) throw new ConfigErrors(problems);
    for (const k of mod.secretArgs ?? []) st.masker.add(args[k]);
    const become = resolveBecome(env, task, scope, v);
    const dTo = task.delegateTo ?? scope.delegateTo;
    const target = dTo ? String(st.deps.templar.render(dTo, v, task.pos)) : host;
    delegatedTo = dTo ? target : undefined;
    const cvars = connectionVars(env, target, v, !!dTo && target !== host, { connection: task.connection ?? scope.connection, remoteUser: task.remoteUser ?? scope.remoteUser });
    const environment = taskEnvironment(st.deps.templar, task.environment !== undefined ? [...scope.environment, task.environment] : scope.environment, v, task.pos);
    const checkTask = task.checkMode ?? scope.checkMode;
    const check = checkTask === undefined ? st.opts.check : checkTask;
    const diff = task.diff ?? scope.diff ?? env.play.diff ?? st.opts.diff;
    const noLog = noLogOf(env, task, scope, v); // no_log: not even the -vvv command echo
    const echo = (cmd: string) => {
      if (st.opts.verbosity >= 3 && !noLog) st.emit({ type: 'progress', host, task: task.name ?? task.action, text: `EXEC ${st.masker.text(cmd)}` });
    };
    const conn = async () => taskConnection(await st.conns.get(target, cvars), environment, task.timeout ?? scope.timeout);
    const ctx = moduleContext({
      st,
      task,
      host,
      args,
      vars: v,
      check,
      diff,
      become,
      conn,
      gather: () => ensureFacts(env, host, v, become),
      echo,
    });
    const plan = await mod.plan(ctx);
    const base: Vars = { ...(plan.result ?? {}) };
    if (plan.msg !== undefined && base.msg === undefined) base.msg = plan.msg;
    const steps = plan.steps.map((s) => s.describe);
    const d = diff ? plan.diff : undefined;
    if (plan.failed !== undefined) return { result: { ...base, changed: false, failed: true, msg: plan.failed }, delegatedTo };
    if (plan.skipped !== undefined) return { result: { ...base, changed: false, skipped: true, ...(plan.skipped ? { msg: plan.skipped } : {}) }, delegatedTo }; // '' = no message (Ansible's raw)
    const changed = plan.changed ?? plan.steps.length > 0;
    if (opts.planOnly && !check && plan.steps.length > 0) return { result: { ...base, changed, failed: false }, wouldApply: true, delegatedTo };
    if (check || plan.steps.length === 0) {
      return { result: { ...base, changed, failed: false }, diff: d, steps, delegatedTo };
    }
    const c = await conn();
    echo(planScript(plan).script);
    try {
      const onOutput =
        st.opts.verbosity >= 2 || (st.opts.progress && !noLog) ? (chunk: string) => st.emit({ type: 'progress', host, task: task.name ?? task.action, text: st.masker.text(chunk) }) : undefined;
      const { fields } = await applyPlan(c, plan, { become, onOutput });
      return { result: { ...base, ...fields, changed, failed: false }, diff: d, steps, delegatedTo };
    } catch (e) {
      // A module may say what a failed apply changed (e.g. an atomic write that failed changed nothing).
      if (e instanceof TaskError) return { result: { ...base, changed, ...e.result, failed: true, msg: e.message }, diff: d, steps, delegatedTo };
      throw e;
    }
  } catch (e) {
    if (e instanceof ConnectionError) {
      return { unreachable: true, result: { changed: false, unreachable: true, msg: e.message }, delegatedTo };
    }
    if (e instanceof TaskError) return { result: { ...e.result, changed: false, failed: true, msg: e.message }, delegatedTo };
    if (e instanceof ConfigError || e instanceof ConfigErrors) return { result: { changed: false, failed: true, msg: errorText(e) }, delegatedTo };
    return { result: { changed: false, failed: true, msg: `internal error in ${task.action}: ${errorText(e)}` }, delegatedTo };
  }
}

/** Facts a result brings: set_fact's keys become host variables; other modules' ansible_facts are facts. */
export function absorbFacts(env: TaskEnv, task: Task, host: string, result: Vars): void {
  const f = result.ansible_facts;
  if (!f || typeof f !== 'object' || result.failed || result.skipped) return;
  const mem = env.st.host(host);
  if (task.action === 'set_fact') Object.assign(mem.hostFacts, f);
  else if (task.action === 'include_vars') Object.assign(mem.includeVars, f);
  else Object.assign(mem.facts, f);
}
