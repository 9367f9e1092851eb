// Shared pieces of the loader: the load context and the keyword conversions used by tasks,
// blocks, includes and plays.
import type { Node } from 'yaml';
import type { ConfigError, Pos } from '../errors.js';
import type { Handler, RoleRef, TaskCommon, Vars } from '../types.js';
import { formatErrors, compile } from './check.js';
import type { YamlFile } from './yamlfile.js';

export interface LoadCtx {
  errors: ConfigError[];
  rolesPath?: string[];
  /** Directory of the top playbook (roles/ beside it, node_modules walk). */
  baseDir: string;
  /** Files being imported (cycle detection). */
  stack: string[];
  /** Where handlers of `import_role` go (the play's handlers); absent at run time. */
  handlers?: Handler[];
  /** Roles already added to the play (path + params), for run-once de-duplication. */
  roleSeen?: Set<string>;
  /** Handler names and listen topics as written, even of handlers with errors (notify check). */
  handlerNames?: Set<string>;
}

/** Where each task's `notify:` is written (load-time handler check). */
export const notifyPos = new WeakMap<object, Pos>();

/** `{{ x }}` -> `x`: conditions are raw Jinja expressions. */
export function stripBraces(s: string): string {
  const m = /^\s*\{\{([\s\S]*)\}\}\s*$/.exec(s);
  return m && !m[1].includes('{{') && !m[1].includes('}}') ? m[1].trim() : s.trim();
}

export function conditions(v: unknown): string[] {
  if (v === undefined || v === null) return [];
  const list = Array.isArray(v) ? v : [v];
  return list.map((c) => (typeof c === 'boolean' ? (c ? 'True' : 'False') : stripBraces(String(c))));
}

export function stringList(v: unknown, splitCommas = false): string[] {
  if (v === undefined || v === null) return [];
  if (Array.isArray(v)) return v.map((x) => String(x));
  const s = String(v);
  return splitCommas ? s.split(',').map((x) => x.trim()).filter(Boolean) : [s];
}

/** Validate the keyword part of a mapping against a schema; errors point at the YAML. */
export function checkKeywords(ctx: LoadCtx, f: YamlFile, node: Node | null, kw: Vars, schema: object, what: string): void {
  const v = compile(schema);
  if (v(kw)) return;
  ctx.errors.push(
    ...formatErrors(v.errors, kw, {
      posFor: (segs, key) => f.pos(f.nodeAt(node, segs, key), f.pos(node)),
      propWord: what,
    }),
  );
}

function opt<T>(v: unknown, guard: (x: unknown) => boolean): T | undefined {
  return v !== undefined && v !== null && guard(v) ? (v as T) : undefined;
}
const isBoolOrTpl = (x: unknown): boolean => typeof x === 'boolean' || typeof x === 'string';
const isStr = (x: unknown): boolean => typeof x === 'string';

/** The keywords every task, block and include shares. Templated booleans stay strings. */
export function commonFields(kw: Vars, pos: Pos, file: string, role?: RoleRef): TaskCommon {
  const c: TaskCommon = {
    when: conditions(kw.when),
    tags: stringList(kw.tags, true),
    vars: kw.vars && typeof kw.vars === 'object' ? (kw.vars as Vars) : {},
    pos,
    file,
  };
  if (typeof kw.name === 'string') c.name = kw.name;
  const set = <K extends keyof TaskCommon>(k: K, v: unknown): void => {
    if (v !== undefined) c[k] = v as TaskCommon[K];
  };
  set('become', opt(kw.become, isBoolOrTpl));
  set('becomeUser', opt(kw.become_user, isStr));
  set('noLog', opt(kw.no_log, isBoolOrTpl));
  set('checkMode', opt(kw.check_mode, isBoolOrTpl));
  set('diff', opt(kw.diff, isBoolOrTpl));
  set('delegateTo', opt(kw.delegate_to, isStr));
  set('runOnce', opt(kw.run_once, isBoolOrTpl));
  set('ignoreErrors', opt(kw.ignore_errors, isBoolOrTpl));
  set('anyErrorsFatal', opt(kw.any_errors_fatal, isBoolOrTpl));
  if (role) c.role = role;
  return c;
}
