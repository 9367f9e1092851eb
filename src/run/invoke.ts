// One module invocation on one host: template args, validate, plan, then apply (or not, in check mode).
import { expandHostPaths } from './hostpaths.js';
import type { BecomeSpec, Connection, ExecResult, FileDiff, Plan, Play, Task, Vars } from '../types.js';
import type { GatherOptions } from '../facts/index.js';
import { pythonOf } from '../facts/script.js';
import { ConfigError, ConfigErrors, ConnectionError, TaskError, errorText } from '../errors.js';
import { ansibleWordsOf, isActionFailure, optionErrorMsg, withAnsibleWords, withPosition } from '../vars/templerr.js';
import { applyPlan, planScript } from './apply.js';
import { asyncDirSh, runAsync } from './async.js';
import { becomeSpec, moduleDefaultsFor, resolveKeywords, type Keywords } from './keywords.js';
import { moduleContext, taskWarn } from './modctx.js';
import { taskConnection } from './taskconn.js';
import type { Scope } from './scope.js';
import type { RunState } from './state.js';
import { isTemplate } from '../vars/templar.js';
import { pyStr } from '../vars/pystr.js';
import { dropOmitted, type VarsBuilder } from './vars.js';
import { holderText } from './hostlock.js';
import { discover, discoveryProbes, discoveryMode, discoveryScript, fallbackList, parseDiscovery, type Discovered, type DiscoveryProbe } from '../facts/discover.js';
import { batcherFor } from './batch.js';
import { truthy } from '../pymod/module.js';

export interface Invocation {
  result: Vars; // as registered (unmasked)
  unreachable?: boolean;
  diff?: FileDiff[];
  steps?: string[];
  delegatedTo?: string;
  /** planOnly: the plan has steps to apply (nothing was applied). */
  wouldApply?: boolean;
  /** The arguments could not be templated (in a loop, Ansible fails the whole task at that item). */
  templateFailed?: boolean;
}

export interface TaskEnv {
  st: RunState;
  play: Play;
  builder: VarsBuilder;
}

/** The keywords a connection is made from (src/run/keywords.ts resolves them). */
export type ConnKeywords = Pick<Keywords, 'connection' | 'remoteUser'>;

/**
 * Variables a connection is made from: the target's inventory vars; the `connection:` keyword
 * (or -c) as the default of ansible_connection, `remote_user:` of ansible_user.
 */
export function connectionVars(env: TaskEnv, target: string, v: Vars, delegated: boolean, kw: ConnKeywords): Vars {
  const base = delegated ? env.builder.hostLevel(target) : v;
  const out: Vars = { ...base };
  if (kw.remoteUser !== undefined && out.ansible_user === undefined && out.ansible_ssh_user === undefined) out.ansible_user = kw.remoteUser;
  if (out.ansible_connection === undefined) {
    if (kw.connection) out.ansible_connection = kw.connection;
    else if (delegated && !env.st.inventory.hosts.has(target) && ['localhost', '127.0.0.1', '::1'].includes(target)) {
      out.ansible_connection = 'local'; // Ansible's implicit localhost
    }
  }
  return out;
}

/** The play's gather_subset / gather_timeout / fact_path (templated with the host's variables) and the inventory's python. */
function gatherOptions(env: TaskEnv, v: Vars): GatherOptions {
  const g = env.play.gather;
  const r = (x: unknown) => (x === undefined ? undefined : env.st.deps.templar.render(x, v, env.play.pos));
  const subset = r(g?.subset);
  const timeout = r(g?.timeout);
  const factPath = r(g?.factPath);
  return {
    subset: subset === undefined ? undefined : (Array.isArray(subset) ? subset.map(String) : String(subset).split(',')).map((s) => s.trim()).filter(Boolean),
    timeout: timeout === undefined ? undefined : Number(timeout),
    factPath: factPath === undefined ? undefined : String(factPath),
    python: pythonOf(v),
    pythonFallback: fallbackList(v),
  };
}

/** The host's facts, gathered on first use with the connection and become of the keywords given. */
export async function ensureFacts(env: TaskEnv, host: string, v: Vars, kw: Keywords): Promise<Vars> {
  const mem = env.st.host(host);
  if (!mem.factsGathered) {
    const conn = await env.st.conns.get(host, connectionVars(env, host, v, false, kw));
    const got = await env.st.deps.gatherFacts(conn, becomeSpec(env, kw, v), gatherOptions(env, v));
    mem.discoveryProbe ??= discoveryProbes.get(got);
    mem.facts = { ...got, ...mem.facts };
    mem.factsGathered = true;
  }
  return mem.facts;
}

/** The discovery mode while the host's next module is to bring the fact back (its interpreter not given, the fact not known yet). */
function discoveryDue(env: TaskEnv, host: string, v: Vars): string | undefined {
  const mode = discoveryMode(v, env.st.opts.interpreterPython);
  return mode !== undefined && !('discovered_interpreter_python' in env.st.host(host).facts) ? mode : undefined;
}

/**
 * Ansible's interpreter discovery before a host's module runs (src/facts/discover.ts): when the
 * interpreter is not given and the host has no discovered_interpreter_python fact yet (nor did an
 * earlier item of this loop bring it). The host is asked once per run.
 */
function discoverInterpreter(env: TaskEnv, task: Task, host: string, v: Vars, run: (cmd: string) => Promise<ExecResult>): Promise<Discovered> | undefined {
  const mem = env.st.host(host);
  const mode = discoveryDue(env, host, v);
  if (mode === undefined || mem.discoveredBy === task) return undefined;
  mem.discoveredBy = task; // at once: a loop's items planned together discover once
  const list = fallbackList(v);
  let answer: Promise<DiscoveryProbe | null>;
  if (mem.discoveryProbe !== undefined) answer = Promise.resolve(mem.discoveryProbe);
  else {
    answer = mem.discoveryAsked ??= run(discoveryScript(list)).then(
      (res) => (mem.discoveryProbe = parseDiscovery(res.stdout) ?? null),
      () => {
        mem.discoveryAsked = undefined; // the link failed: the module's own command reports it; asked again later
        return null;
      },
    );
  }
  return answer.then((p) => discover(p ?? undefined, host, mode, list));
}

/**
 * The play's fact gathering is Ansible's first module on the host: the discovered interpreter
 * becomes a fact (from what the facts probe answered: no second round trip); returns discovery's
 * warnings.
 */
export function discoveredAtGathering(env: TaskEnv, host: string, v: Vars): string[] {
  const mem = env.st.host(host);
  const mode = discoveryDue(env, host, v);
  if (mode === undefined || mem.discoveryProbe === undefined) return [];
  const d = discover(mem.discoveryProbe ?? undefined, host, mode, fallbackList(v));
  mem.facts.discovered_interpreter_python = d.python;
  (mem.bareFacts ??= new Set()).add('discovered_interpreter_python');
  return d.warnings;
}

/** planOnly: plan (probes only) and stop before applying anything (loop items planned together, hosttask.ts). */
export async function invoke(env: TaskEnv, task: Task, host: string, scope: Scope, v: Vars, opts: { planOnly?: boolean } = {}): Promise<Invocation> {
  const seen: { discovery?: Promise<Discovered> } = {};
  const inv = await invokeModule(env, task, host, scope, v, opts, seen);
  const discovered = seen.discovery && (await seen.discovery);
  // a loop item planned ahead that is to be run again the usual way (it has something to apply): its
  // result, which brings the discovered interpreter back, is not kept; that run discovers (from the answer kept)
  if (opts.planOnly && inv.wouldApply && discovered && env.st.host(host).discoveredBy === task) env.st.host(host).discoveredBy = undefined;
  if (discovered && !inv.unreachable) {
    // Ansible's module result brings the discovered interpreter (and discovery's warnings) back
    const facts = inv.result.ansible_facts;
    inv.result.ansible_facts = { ...(facts && typeof facts === 'object' ? (facts as Vars) : {}), discovered_interpreter_python: discovered.python };
    if (discovered.warnings.length) inv.result.warnings = [...(Array.isArray(inv.result.warnings) ? inv.result.warnings : []), ...discovered.warnings];
  }
  // in diff mode a module's result carries its diff, as Ansible's (`before`/`after` with headers);
  // an entry showing no change is left out (git resetting local changes at the same commit: none in Ansible)
  const shown = inv.diff?.filter((d) => d.prepared !== undefined || d.before !== d.after) ?? [];
  if (shown.length && !('diff' in inv.result)) {
    // masked as the displayed diff is (secrets, keyed secrets such as auth_pass, old values): a registered
    // or emitted result never carries a secret
    inv.result.diff = env.st.masker.diffs(shown)!.map((d) =>
      d.prepared !== undefined ? { prepared: d.prepared } : { before: d.before, after: d.after, ...(d.path !== undefined ? { before_header: d.path, after_header: d.path } : {}) },
    );
  }
  return inv;
}

async function invokeModule(env: TaskEnv, task: Task, host: string, scope: Scope, v: Vars, opts: { planOnly?: boolean }, seen: { discovery?: Promise<Discovered> }): Promise<Invocation> {
  const { st } = env;
  const mod = st.deps.findModule(task.action);
  if (!mod) return { result: { failed: true, changed: false, msg: `couldn't resolve module/action '${task.actionAs}'` } };
  let delegatedTo: string | undefined;
  const say = (m: string | ((actionAs: string) => string)): Vars => {
    const msg = typeof m === 'function' ? m(task.actionAs) : m;
    return msg ? { msg } : {}; // '' = no message (Ansible's raw)
  };
  try {
    // Each argument is templated at its own position (an undefined variable names its line).
    // module_defaults first; the task's own arguments win
    const rendered: Vars = {};
    try {
      Object.assign(rendered, moduleDefaultsFor(env, scope, task, v));
      if (task.argsVar !== undefined) Object.assign(rendered, argsFromVar(env, task, host, v));
      for (const [k, val] of Object.entries(task.args)) {
        const at = task.argsPos?.[k] ?? task.pos;
        rendered[isTemplate(k) ? pyStr(st.deps.templar.render(k, v, at)) : k] = st.deps.templar.render(val, v, at); // set_fact's templated names
      }
    } catch (e) {
      // arguments that cannot be templated: Ansible's result has no `changed` (nothing ran), and in a loop the task stops there
      return { result: withPosition({ failed: true, msg: optionErrorMsg(e) }, e), templateFailed: true };
    }
    if (task.malformed?.length) {
      // free-form words that are no k=v argument, in a task whose failure is handled: it fails here, as in Ansible
      const word = task.malformed.map((w) => {
        try {
          return pyStr(st.deps.templar.render(w, v, task.pos));
        } catch {
          return w;
        }
      });
      return { result: { failed: true, msg: `invalid or malformed argument: '${word.join(' ')}'` } };
    }
    const args = dropOmitted(rendered) as Vars;
    const early = mod.actionArgsCheck?.(args); // Ansible's action plugin checks these first, in its words
    if (early) return { result: withPosition({ changed: false, failed: true, ...early }, new ConfigError(`${task.actionAs}: ${early.msg}`, task.pos)) };
    const problems = st.deps.validateModuleArgs(task.action, args, task.pos) ?? [];
    if (problems.length) {
      // Ansible's words when every problem has the same (missing required arguments)
      const w = ansibleWordsOf(problems[0]);
      const ce = new ConfigErrors(problems);
      const err = w !== undefined && problems.every((p) => ansibleWordsOf(p) === w) ? withAnsibleWords(ce, w) : ce;
      return { result: withPosition({ changed: false, failed: true, msg: optionErrorMsg(err) }, err) }; // as Ansible's argument checks: not changed
    }
    for (const k of mod.secretArgs ?? []) st.masker.add(args[k]);
    const kw = resolveKeywords(env, scope, task, v); // per loop item: the item may be in a keyword
    if (mod.environmentIgnored && Object.keys(kw.environment).length) taskWarn(st, task, host, mod.environmentIgnored);
    const become = becomeSpec(env, kw, v, task.pos);
    const target = kw.delegateTo ?? host;
    delegatedTo = kw.delegateTo;
    const cvars = connectionVars(env, target, v, target !== host, kw);
    const { check, diff, noLog } = kw; // no_log: not even the -vvv command echo
    if (check && mod.checkModeUnsupported !== undefined) return { result: { changed: false, skipped: true, ...say(mod.checkModeUnsupported) }, delegatedTo };
    const echo = (cmd: string) => {
      if (st.opts.verbosity >= 3 && !noLog) st.emit({ type: 'progress', host, task: task.name ?? task.action, text: `EXEC ${st.masker.text(cmd)}` });
    };
    // the module's first contact with the host is where Ansible's discovery runs (not before: an
    // error found on the controller, such as a template that does not render, comes first); its
    // command joins the module's first probes in one exec (the probe batcher), no round trip of its own
    let discovering = !mod.controllerOnly && !mod.noInterpreterDiscovery && kw.delegateTo === undefined;
    const conn = async () => {
      const c = taskConnection(await st.conns.get(target, cvars), mod.environmentIgnored === undefined ? kw.environment : {}, kw.timeout);
      if (discovering) {
        discovering = false;
        seen.discovery = discoverInterpreter(env, task, host, v, (cmd) => batcherFor(c).exec(cmd));
      }
      return c;
    };
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
      gather: () => ensureFacts(env, host, v, kw),
      noLog,
      echo,
      reconnect: () => st.conns.drop(target),
      delegation: kw.delegateTo !== undefined ? { host: kw.delegateTo, vars: cvars } : undefined,
    });
    const asyncSecs = task.async === undefined ? 0 : Number(st.deps.templar.render(task.async, v, task.pos));
    if (asyncSecs > 0 && (mod.controllerOnly || mod.asyncUnsupported)) return { result: { changed: false, failed: true, msg: 'async is not supported for this task.' }, delegatedTo };
    if (asyncSecs > 0 && check) return { result: { changed: false, failed: true, msg: 'check mode and async cannot be used on same task.' }, delegatedTo };
    // `~` and `$VAR` in path arguments, as Ansible's action plugin and module see them on the host
    await expandHostPaths(ctx, mod.name, { becomeUser: become?.user });
    const plan = await mod.plan(ctx);
    const base: Vars = { ...(plan.result ?? {}) };
    if (plan.msg !== undefined && base.msg === undefined) base.msg = plan.msg;
    const steps = plan.steps.map((s) => s.describe);
    const d = diff ? plan.diff : undefined;
    if (plan.failed !== undefined) return { result: { ...base, ...(plan.raised ? {} : { changed: plan.changed ?? false }), failed: true, ...say(plan.failed) }, delegatedTo };
    if (plan.skipped !== undefined) return { result: { ...base, changed: false, skipped: true, msg: plan.skipped }, delegatedTo };
    if (mod.editsInventory) {
      plan.changed = mod.editsInventory(st.inventory, host, base); // in check mode too, as Ansible
      st.inventoryVersion++;
    }
    if (asyncSecs > 0) {
      const poll = task.poll === undefined ? 15 : Number(st.deps.templar.render(task.poll, v, task.pos));
      const exec = async (cmd: string) => (await conn()).exec(cmd, { become });
      await seen.discovery;
      const r = await runAsync({ st, host, plan, base, changed: plan.changed ?? plan.steps.length > 0, secs: asyncSecs, poll, become, conn, probe: exec, dir: asyncDirSh(st, v, task.pos) });
      return { result: r.result, diff: d, steps, delegatedTo };
    }
    if (plan.perform) {
      await seen.discovery;
      return { ...(await performPlan(env, plan, { host, task, target, cvars, check, diff, become, conn, planOnly: !!opts.planOnly })), steps, delegatedTo };
    }
    if (check && mod.checkModeSkip !== undefined && plan.steps.length > 0) {
      if (plan.checkModeResult) return { result: { ...base, ...plan.checkModeResult, changed: true, failed: false }, delegatedTo };
      return { result: { ...base, changed: false, skipped: true, ...say(mod.checkModeSkip) }, delegatedTo };
    }
    const changed = plan.changed ?? plan.steps.length > 0;
    if (opts.planOnly && !check && plan.steps.length > 0) return { result: { ...base, changed, failed: false }, wouldApply: true, delegatedTo };
    if (check || plan.steps.length === 0) {
      return { result: { ...base, changed, failed: false }, diff: d, steps, delegatedTo };
    }
    // an interrupted run starts no change (src/run/interrupt.ts)
    if (st.interrupted) return { result: { ...base, changed: false, skipped: true, msg: 'not applied: the run was interrupted' }, delegatedTo };
    const c = await conn();
    await seen.discovery; // its question (when it had no probe to go with) before the change: one command at a time on a host
    return await asChange(
      st,
      { host, task, target, cvars, check: false },
      () => ({ result: abandonedResult(true), delegatedTo }),
      async () => {
        echo(planScript(plan).script);
        const onOutput =
          !mod.quietOutput && (st.opts.verbosity >= 2 || (st.opts.progress && !noLog)) ? (chunk: string) => st.emit({ type: 'progress', host, task: task.name ?? task.action, text: st.masker.text(chunk) }) : undefined;
        const { res, fields } = await applyPlan(c, plan, { become, onOutput });
        if (st.abandoned && res.rc !== 0) return { result: abandonedResult(true), delegatedTo };
        // an `after` that reads the outcome may say whether it changed anything (pip, as Ansible: what pip printed)
        // a module that reports its diff once it ran (an Ansible module: src/pymod/module.ts) sets the plan's diff in `after`
        return { result: { ...base, ...fields, changed: typeof fields.changed === 'boolean' ? fields.changed : changed, failed: false }, diff: diff ? plan.diff : undefined, steps, delegatedTo };
      },
      (e) => {
        // A module may say what a failed apply changed (e.g. an atomic write that failed changed nothing);
        // when become (sudo/su) refused, the steps never ran: nothing changed.
        if (!(e instanceof TaskError)) return undefined;
        const none = e.opts.alone || e.result.become === true;
        return { result: { ...(e.opts.alone ? {} : base), changed: none ? false : changed, ...e.result, failed: true, msg: e.message }, diff: d, steps, delegatedTo };
      },
    );
  } catch (e) {
    if (st.abandoned && e instanceof ConnectionError) return { result: abandonedResult(false), delegatedTo };
    if (e instanceof ConnectionError) {
      return { unreachable: true, result: { changed: false, unreachable: true, msg: e.message }, delegatedTo };
    }
    if (e instanceof TaskError) return { result: { ...e.result, changed: false, failed: true, msg: e.message }, delegatedTo };
    // a templating/argument error: Ansible's result has no `changed` (nothing ran)
    if (e instanceof ConfigError || e instanceof ConfigErrors) return { result: withPosition({ ...(isActionFailure(e) ? { changed: false } : {}), failed: true, msg: optionErrorMsg(e) }, e), delegatedTo };
    return { result: { changed: false, failed: true, msg: `internal error in ${task.action}: ${errorText(e)}` }, delegatedTo };
  }
}


/**
 * A plan whose work is a conversation with the host (Plan.perform: an Ansible action plugin): run in
 * check mode too (it honours check mode itself); otherwise as a change is (not once the run is
 * interrupted, under the host lock, its handlers kept if the link is lost meanwhile).
 */
async function performPlan(
  env: TaskEnv,
  plan: Plan,
  o: { host: string; task: Task; target: string; cvars: Vars; check: boolean; diff: boolean; become?: BecomeSpec; conn: () => Promise<Connection>; planOnly: boolean },
): Promise<Invocation> {
  const { st } = env;
  if (o.planOnly && !o.check) return { result: { changed: true, failed: false }, wouldApply: true };
  if (st.interrupted) return { result: { changed: false, skipped: true, msg: 'not applied: the run was interrupted' } };
  const c = await o.conn();
  return asChange(
    st,
    o,
    () => ({ result: abandonedResult(!o.check) }),
    async () => {
      const r = await plan.perform!({ become: o.become, exec: (cmd, x = {}) => c.exec(cmd, { stdin: x.stdin, become: x.become ? o.become : undefined }) });
      if (truthy(r.unreachable)) return { unreachable: true, result: { ...r, changed: false, unreachable: true } };
      if (truthy(r.skipped)) return { result: { ...r, changed: false, skipped: true } };
      // as Ansible's task executor: without `failed`, a non-zero `rc` fails the task
      const failed = 'failed' in r ? truthy(r.failed) : r.rc !== undefined && r.rc !== 0 && r.rc !== '0';
      return { result: { ...r, changed: truthy(r.changed), failed }, diff: o.diff || plan.diffShown ? plan.diff : undefined };
    },
  );
}

/**
 * A change on a host (a plan applied, an action plugin's work outside check mode): under this run's
 * lock on the host and registered as being applied (src/run/interrupt.ts waits for it or records
 * it). When it throws: the abandoned result if the run was stopped for good; else, the link lost
 * meanwhile, the task's handlers are kept for the next run like those of a change that was made (the
 * host may still complete it: only a closed connection stops a command there,
 * src/connection/lifeline.ts; pending.ts 'unreachable'); then `failed` may say what the error means
 * for the task, or it goes on.
 */
async function asChange(
  st: TaskEnv['st'],
  on: { host: string; task: Task; target: string; cvars: Vars; check: boolean },
  abandoned: () => Invocation,
  apply: () => Promise<Invocation>,
  failed: (e: unknown) => Invocation | undefined = () => undefined,
): Promise<Invocation> {
  if (!on.check) await lockHost(st, on.target, await st.conns.get(on.target, on.cvars)); // the raw connection: no task timeout or environment
  const applying = {};
  if (!on.check) st.applying.set(applying, { host: on.host, task: on.task });
  try {
    return await apply();
  } catch (e) {
    if (st.abandoned) return abandoned();
    if (e instanceof ConnectionError && on.task.notify.length && !on.check) st.currentPlay?.notes.notify(on.task, on.host);
    const r = failed(e);
    if (r) return r;
    throw e;
  } finally {
    st.applying.delete(applying);
  }
}

/**
 * The result of a task cut short because the run was stopped for good (a second signal, or the
 * grace ran out: src/run/interrupt.ts) — shown as interrupted, not as the module's failure (the
 * exit code of the module's command is the signal's). `applying`: its change was under way; it
 * was stopped on the host (src/connection/lifeline.ts) and its handlers are recorded as if it
 * had been made.
 */
function abandonedResult(applying: boolean): Vars {
  return {
    abandoned: true,
    msg: applying
      ? 'the run was interrupted while this change was being applied: abandoned and stopped on the host (it may be partly made; the next run applies it and runs its handlers)'
      : 'the run was interrupted before this task changed anything',
  };
}

const CONTROLLER_NAMES = new Set(['localhost', '127.0.0.1', '::1']);

/** Before the first change on a host: this run's lock on it (src/run/hostlock.ts). */
async function lockHost(st: TaskEnv['st'], host: string, c: Connection): Promise<void> {
  // the controller itself is not locked: runs against different clusters often change local files
  // (delegate_to: localhost) at the same time, and holding it for a whole run would stall them
  if (!c.lock || CONTROLLER_NAMES.has(host)) return;
  const w = Number(process.env.LVSPLAY_LOCK_WAIT ?? 10);
  const wait = Number.isFinite(w) && w >= 0 ? w : 10;
  const got = await st.conns.hostLock(host, () =>
    c.lock!(host, holderText(st.playbook.file), wait, (who) =>
      st.emit({ type: 'warning', msg: `${host}: another lvsplay run is changing this host (${who}); waiting up to ${wait} s for its lock` }),
    ),
  );
  if (got.note) st.warnOnce(got.note);
}

/** `args: "{{ a_dict }}"`: its mapping (Ansible's warning once per task and host); the task's own arguments are applied over it. */
function argsFromVar(env: TaskEnv, task: Task, host: string, v: Vars): Vars {
  const d = env.st.deps.templar.render(task.argsVar, v, task.pos);
  if (!d || typeof d !== 'object' || Array.isArray(d)) throw new ConfigError(`'args' must give a mapping, got ${pyStr(d)}`, task.pos);
  const msg = "Using a variable for a task's 'args' is unsafe in some situations (see https://docs.ansible.com/ansible/devel/reference_appendices/faq.html#argsplat-unsafe)";
  env.st.warnOnce(msg, `${task.pos.file}:${task.pos.line}:${task.pos.col}\0${host}\0${msg}`);
  return { ...(d as Vars) };
}

/** Facts a result brings, into the layer the module declares (set_fact's, include_vars', or the gathered facts); returns them, or undefined when the result brings none. */
export function absorbFacts(env: TaskEnv, task: Task, host: string, result: Vars): Vars | undefined {
  const f = result.ansible_facts;
  if (!f || typeof f !== 'object' || result.failed || result.skipped) return undefined;
  const mem = env.st.host(host);
  const to = env.st.deps.findModule(task.action)?.factsTo ?? 'facts';
  if (to === 'facts') {
    // gathered facts are kept without Ansible's `ansible_` prefix (factVars adds it back)
    for (const [k, v] of Object.entries(f as Vars)) {
      if (k.startsWith('ansible_') && k !== 'ansible_local') mem.facts[k.slice('ansible_'.length)] = v;
      else {
        mem.facts[k] = v;
        if (k !== 'ansible_local') (mem.bareFacts ??= new Set()).add(k);
      }
    }
  } else Object.assign(to === 'set_fact' ? mem.hostFacts : mem.includeVars, f);
  return f as Vars;
}
