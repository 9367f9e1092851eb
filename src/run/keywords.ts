// A task's effective keywords, computed in ONE place: the innermost value of task > include/block/
// role > play (Ansible's inheritance), templated with the task's variables on the host (per loop
// item when the variables are an item's), converted as Ansible converts it; the command line's
// -b/--become-user/--check/--diff/-c are the defaults beneath the play. `environment` is the one
// keyword that merges: every level's mapping, inner keys winning. Nothing else in src/run walks
// the scopes for keywords.
import type { BecomeSpec, KeywordLayer, TaskCommon, Vars } from '../types.js';
import { ConfigError, type Pos } from '../errors.js';
import { parseBool } from '../bool.js';
import { MAX_WAIT_SECONDS } from '../playbook/schemas.js';
import { BECOME_METHODS } from '../connection/become.js';
import { pyStr } from '../vars/pystr.js';
import type { TaskEnv } from './invoke.js';
import type { Scope } from './scope.js';
import { taskEnvironment } from './taskconn.js';

export interface Keywords {
  become: boolean;
  becomeUser: string;
  /** sudo or su (not templated further; checked by becomeSpec) */
  becomeMethod: string;
  /** check_mode: the command line's --check unless a play/block/task says otherwise. */
  check: boolean;
  diff: boolean;
  noLog: boolean;
  delegateTo?: string;
  delegateFacts: boolean;
  connection?: string;
  remoteUser?: string;
  /** Seconds (0 or absent: no limit). */
  timeout?: number;
  throttle?: number;
  ignoreErrors: boolean;
  ignoreUnreachable: boolean;
  anyErrorsFatal: boolean;
  runOnce: boolean;
  /** Exported to the task's commands (every level merged, inner wins). */
  environment: Record<string, string>;
}

type Kind = 'bool' | 'str' | 'int';
type Field = Exclude<keyof KeywordLayer, 'environment' | 'moduleDefaults'>;

/** The inherited keywords, their Ansible names (messages) and how their values convert. */
const DEFS: Record<Field, { name: string; kind: Kind }> = {
  become: { name: 'become', kind: 'bool' },
  becomeUser: { name: 'become_user', kind: 'str' },
  becomeMethod: { name: 'become_method', kind: 'str' },
  checkMode: { name: 'check_mode', kind: 'bool' },
  diff: { name: 'diff', kind: 'bool' },
  noLog: { name: 'no_log', kind: 'bool' },
  delegateTo: { name: 'delegate_to', kind: 'str' },
  delegateFacts: { name: 'delegate_facts', kind: 'bool' },
  connection: { name: 'connection', kind: 'str' },
  remoteUser: { name: 'remote_user', kind: 'str' },
  timeout: { name: 'timeout', kind: 'int' },
  throttle: { name: 'throttle', kind: 'int' },
  ignoreErrors: { name: 'ignore_errors', kind: 'bool' },
  ignoreUnreachable: { name: 'ignore_unreachable', kind: 'bool' },
  anyErrorsFatal: { name: 'any_errors_fatal', kind: 'bool' },
  runOnce: { name: 'run_once', kind: 'bool' },
};

/** The levels a node's keywords come from, outer first: the play, then blocks/roles/includes, then the node. */
function levels(scope: Scope, node: TaskCommon | undefined): KeywordLayer[] {
  return node ? [...scope.layers, node] : scope.layers;
}

/** The innermost value written for a keyword, with where it was written. */
function raw(ls: KeywordLayer[], f: Field): { value: unknown; pos?: Pos } | undefined {
  for (let i = ls.length - 1; i >= 0; i--) {
    const v = ls[i][f];
    if (v !== undefined && v !== null) return { value: v, pos: (ls[i] as { pos?: Pos }).pos };
  }
  return undefined;
}

function convert(env: TaskEnv, f: Field, w: { value: unknown; pos?: Pos }, vars: Vars): unknown {
  const def = DEFS[f];
  const v = typeof w.value === 'string' ? env.st.deps.templar.render(w.value, vars, w.pos) : w.value;
  if (def.kind === 'bool') {
    const b = parseBool(typeof v === 'string' ? v.trim() : v);
    if (b === undefined) throw new ConfigError(`the field '${def.name}' has an invalid value ${JSON.stringify(v)}: expected a boolean (true/false, yes/no)`, w.pos);
    return b;
  }
  if (def.kind === 'int') {
    const n = typeof v === 'number' ? v : Number(pyStr(v).trim());
    if (!Number.isInteger(n) || n < 0 || (f === 'timeout' && n > MAX_WAIT_SECONDS)) throw new ConfigError(`the field '${def.name}' has an invalid value ${JSON.stringify(v)}: expected a whole number of ${f === 'timeout' ? 'seconds' : 'hosts'}`, w.pos);
    return n;
  }
  return v === undefined || v === null || v === '' ? undefined : pyStr(v);
}

/** One keyword, effective for `node` (or for the scope itself when node is undefined). */
export function keyword<F extends Field>(env: TaskEnv, scope: Scope, node: TaskCommon | undefined, f: F, vars: Vars): unknown {
  const w = raw(levels(scope, node), f);
  return w === undefined ? undefined : convert(env, f, w, vars);
}

/**
 * Every keyword of a task (or of the scope: fact gathering, includes) on a host. Throws ConfigError
 * (positioned at the keyword) when a value does not template or convert.
 */
export function resolveKeywords(env: TaskEnv, scope: Scope, node: TaskCommon | undefined, vars: Vars): Keywords {
  const o = env.st.opts;
  const get = <T>(f: Field, dflt: T): T => (keyword(env, scope, node, f, vars) as T | undefined) ?? dflt;
  const envLayers = levels(scope, node)
    .map((l) => l.environment)
    .filter((e): e is Vars | string => e !== undefined && e !== null);
  const pos = node?.pos ?? env.play.pos;
  return {
    noLog: get('noLog', false),
    become: get('become', o.become ?? false),
    becomeUser: get('becomeUser', o.becomeUser ?? 'root'),
    becomeMethod: get('becomeMethod', o.becomeMethod ?? 'sudo'),
    check: get('checkMode', o.check),
    diff: get('diff', o.diff),
    delegateTo: get<string | undefined>('delegateTo', undefined),
    delegateFacts: get('delegateFacts', false),
    connection: get<string | undefined>('connection', o.connection),
    remoteUser: get<string | undefined>('remoteUser', undefined),
    timeout: get<number | undefined>('timeout', undefined),
    throttle: get<number | undefined>('throttle', undefined),
    ignoreErrors: get('ignoreErrors', false),
    ignoreUnreachable: get('ignoreUnreachable', false),
    anyErrorsFatal: get('anyErrorsFatal', false),
    runOnce: get('runOnce', false),
    environment: taskEnvironment(env.st.deps.templar, envLayers, vars, pos),
  };
}

/**
 * After a loop, the keywords that decide its outcome (ignore_errors, ignore_unreachable,
 * any_errors_fatal) resolved without an item; one that names the item keeps the last item's value.
 * The others (delegate_to: "{{ item }}") are not templated again, as Ansible does not.
 */
export function outcomeKeywords(env: TaskEnv, scope: Scope, node: TaskCommon, vars: Vars, last: Keywords): Keywords {
  const one = <K extends 'ignoreErrors' | 'ignoreUnreachable' | 'anyErrorsFatal'>(f: K): boolean => {
    try {
      return (keyword(env, scope, node, f, vars) as boolean | undefined) ?? false;
    } catch {
      return last[f];
    }
  };
  return { ...last, ignoreErrors: one('ignoreErrors'), ignoreUnreachable: one('ignoreUnreachable'), anyErrorsFatal: one('anyErrorsFatal') };
}

/** no_log alone, for what is shown before (or instead of) a full resolution: true when it cannot be told (hide rather than leak). */
export function noLogOf(env: TaskEnv, scope: Scope, node: TaskCommon | undefined, vars: Vars): boolean {
  try {
    return (keyword(env, scope, node, 'noLog', vars) as boolean | undefined) ?? false;
  } catch {
    return true;
  }
}

/** become for a task: the keywords, overridden by the ansible_become* variables (as Ansible's connection variables do). */
export function becomeSpec(env: TaskEnv, kw: Pick<Keywords, 'become' | 'becomeUser' | 'becomeMethod'>, v: Vars, pos?: Pos): BecomeSpec | undefined {
  let on = kw.become;
  let user = kw.becomeUser;
  let method = kw.becomeMethod;
  // the connection variables may be templates (`vars: {ansible_become_user: "{{ name }}"}`), as in Ansible
  const t = (x: unknown): unknown => env.st.deps.templar.render(x, v, pos);
  if (v.ansible_become !== undefined) on = parseBool(t(v.ansible_become)) ?? false;
  if (v.ansible_become_user !== undefined) user = String(t(v.ansible_become_user));
  if (v.ansible_become_method !== undefined) method = pyStr(t(v.ansible_become_method));
  if (!on) return undefined;
  if (method !== 'sudo' && method !== 'su') {
    throw new ConfigError(`become_method '${method}' is not supported by lvsplay (supported: ${BECOME_METHODS.join(', ')})`, pos);
  }
  const given = v.ansible_become_password ?? v.ansible_become_pass;
  const pw = given !== undefined ? t(given) : env.st.opts.becomePassword;
  if (pw !== undefined) env.st.masker.add(pw);
  return { user, method, password: pw === undefined ? undefined : String(pw) };
}

/** gather_facts: a play keyword, templated with the play's variables (no host yet, as Ansible). */
export function gathersFacts(env: TaskEnv): boolean {
  const g = env.play.gatherFacts;
  if (typeof g !== 'string') return g;
  const v = env.st.deps.templar.render(g, env.builder.forBanner({ blockVars: [], params: {} }), env.play.pos);
  const b = parseBool(typeof v === 'string' ? v.trim() : v);
  if (b === undefined) throw new ConfigError(`the field 'gather_facts' has an invalid value ${JSON.stringify(v)}: expected a boolean (true/false, yes/no)`, env.play.pos);
  return b;
}

/**
 * The module_defaults that apply to a task's module: every level's mapping (outer first, templated
 * with the task's variables), each key naming the module by any of its names; inner levels win per
 * argument. The task's own arguments win over all of them (invoke.ts).
 */
export function moduleDefaultsFor(env: TaskEnv, scope: Scope, task: TaskCommon & { action: string; actionAs?: string }, vars: Vars): Vars {
  const out: Vars = {};
  const mod = env.st.deps.findModule(task.action);
  if (!mod) return out;
  // a task routed to Ansible's module of its name (withlib.ts) takes the defaults written for that name
  const written = task.actionAs !== undefined ? env.st.deps.findModule(task.actionAs) : undefined;
  for (const l of levels(scope, task)) {
    if (l.moduleDefaults === undefined || l.moduleDefaults === null) continue;
    const pos = (l as { pos?: Pos }).pos;
    const m = env.st.deps.templar.render(l.moduleDefaults, vars, pos);
    if (!m || typeof m !== 'object' || Array.isArray(m)) throw new ConfigError(`module_defaults must be a mapping of module names to arguments, got ${JSON.stringify(m)}`, pos);
    for (const [name, args] of Object.entries(m as Vars)) {
      const named = env.st.deps.findModule(name);
      if (named !== mod && (written === undefined || named !== written)) continue;
      if (!args || typeof args !== 'object' || Array.isArray(args)) throw new ConfigError(`module_defaults for ${name} must be a mapping of arguments, got ${JSON.stringify(args)}`, pos);
      Object.assign(out, args);
    }
  }
  return out;
}
