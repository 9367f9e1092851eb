// Shared pieces of the loader: the load context and the keyword conversions used by tasks,
// blocks, includes and plays.
import type { Node } from 'yaml';
import type { ConfigError, Pos } from '../errors.js';
import type { Handler, KeywordLayer, RoleRef, TaskCommon, Vars } from '../types.js';
import { formatErrors, compile } from './check.js';
import type { YamlFile } from './yamlfile.js';

export interface PlayDefaults {
  gatherFacts?: boolean;
  anyErrorsFatal?: boolean;
  strategy?: 'linear' | 'free' | 'host_pinned';
}

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
  /** Play keyword defaults from ansible.cfg (gathering, any_errors_fatal). */
  playDefaults?: PlayDefaults;
  /** Handler names and listen topics as written, even of handlers with errors (notify check). */
  handlerNames?: Set<string>;
  /** module_defaults of the play and blocks being parsed (outer first): arguments they give are not "missing". */
  moduleDefaults?: (Vars | string)[];
  /** Deprecation warnings found while loading (each text once; the CLI prints them). */
  deprecations?: Set<string>;
  /** Every role directory the load reached (their library/ dirs hold custom modules: library.ts). */
  roleDirs?: Set<string>;
  /** The `collections` keyword in force (the play's; a role's meta/main.yml's inside the role): short module names resolve in them (withlib.ts). */
  collections?: string[];
}

/** A `collections` value: its names (anything else: none; the schema reports a wrong type). */
export function collectionList(v: unknown): string[] | undefined {
  return Array.isArray(v) && v.every((x) => typeof x === 'string') && v.length ? (v as string[]) : undefined;
}

/** Where each task's `notify:` is written (load-time handler check). */
export const notifyPos = new WeakMap<object, Pos>();

export function conditions(v: unknown): string[] {
  if (v === undefined || v === null) return [];
  const list = Array.isArray(v) ? v : [v];
  return list.map((c) => (typeof c === 'boolean' ? (c ? 'True' : 'False') : String(c).trim()));
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

const isBoolOrTpl = (x: unknown): boolean => typeof x === 'boolean' || typeof x === 'string';
const isStr = (x: unknown): boolean => typeof x === 'string';
const isNumOrTpl = (x: unknown): boolean => typeof x === 'number' || typeof x === 'string';
const isEnv = (x: unknown): boolean => typeof x === 'string' || (!!x && typeof x === 'object' && !Array.isArray(x));

/** Keyword -> model field, and the values kept (the schema has reported the others); src/run/keywords.ts resolves them. */
export const INHERITED: [string, keyof KeywordLayer, (x: unknown) => boolean][] = [
  ['become', 'become', isBoolOrTpl],
  ['become_user', 'becomeUser', isStr],
  ['become_method', 'becomeMethod', isStr],
  ['no_log', 'noLog', isBoolOrTpl],
  ['check_mode', 'checkMode', isBoolOrTpl],
  ['diff', 'diff', isBoolOrTpl],
  ['delegate_to', 'delegateTo', isStr],
  ['run_once', 'runOnce', isBoolOrTpl],
  ['ignore_errors', 'ignoreErrors', isBoolOrTpl],
  ['any_errors_fatal', 'anyErrorsFatal', isBoolOrTpl],
  ['environment', 'environment', isEnv],
  ['remote_user', 'remoteUser', isStr],
  ['connection', 'connection', isStr],
  ['ignore_unreachable', 'ignoreUnreachable', isBoolOrTpl],
  ['timeout', 'timeout', isNumOrTpl],
  ['throttle', 'throttle', isNumOrTpl],
  ['delegate_facts', 'delegateFacts', isBoolOrTpl],
  ['module_defaults', 'moduleDefaults', isEnv],
];

/** The inherited keywords of a play, block, task or include, as written (templates stay strings). */
export function keywordFields<T extends KeywordLayer>(kw: Vars, into: T): T {
  for (const [key, field, ok] of INHERITED) {
    const v = kw[key];
    if (v !== undefined && v !== null && ok(v)) (into as unknown as Vars)[field] = v;
  }
  return into;
}

/** A `vars:` keyword's variables: a mapping, or a list of mappings merged in order (as Ansible). */
export function varsMapping(v: unknown): Vars {
  if (Array.isArray(v)) return Object.assign({}, ...v.filter((x) => x && typeof x === 'object' && !Array.isArray(x))) as Vars;
  return v && typeof v === 'object' ? (v as Vars) : {};
}

/** The keywords every task, block and include shares. Templated booleans stay strings. */
export function commonFields(kw: Vars, pos: Pos, file: string, role?: RoleRef): TaskCommon {
  const c: TaskCommon = {
    when: conditions(kw.when),
    tags: stringList(kw.tags, true),
    vars: varsMapping(kw.vars),
    pos,
    file,
  };
  if (typeof kw.name === 'string') c.name = kw.name;
  keywordFields(kw, c);
  if (role) c.role = role;
  return c;
}
