// What the executor needs from the other parts (loader, variables, connections, facts, modules).
// Injected, so tests can run the executor with thin stand-ins; the CLI wires the real ones.
import type { BecomeSpec, Connection, Handler, RoleRef, TaskModule, TaskNode, Vars } from '../types.js';
import type { ConfigError, Pos } from '../errors.js';
import type { LookupCtx } from '../vars/lookups.js';
import type { GatherOptions } from '../facts/index.js';
import type { TemplateOptions } from '../vars/tplfile.js';
import type { AheadString } from '../jinja/engine.js';

export interface TemplarLike {
  /** Render every string inside a value (a whole-expression string keeps its native type). */
  render(value: unknown, vars: Vars, pos?: Pos): unknown;
  /** A `when:` expression (no braces) -> boolean. */
  evalCondition(expr: string, vars: Vars, pos?: Pos): boolean;
  /** Render a template file's text. */
  renderString(src: string, vars: Vars, file: string, base?: Partial<TemplateOptions>): string;
  /** A bare expression's native value (optional: falls back to render('{{ expr }}')). */
  evalExpr?(expr: string, vars: Vars, pos?: Pos): unknown;
  /** The context of a lookup run by a with_* loop (optional: the task's variables, no template lookup). */
  lookupContext?(vars: Vars, subdir?: string): LookupCtx;
  /** `hosts` run the next task together (optional: its `strings`, for all of them, rendered in one request), until apart(). */
  together?(hosts: string[], varsOf: (host: string) => Vars, strings?: AheadString[]): void;
  /** The variables `host`'s run of that task renders with. */
  taskVars?(host: string, vars: Vars): void;
  apart?(): void;
}

export interface LoadedRole {
  role: RoleRef;
  tasks: TaskNode[];
  handlers: Handler[];
}

/** include_role's choice of files inside the role (tasks_from, ...). */
export interface RoleFiles {
  tasksFrom?: string;
  varsFrom?: string;
  defaultsFrom?: string;
  handlersFrom?: string;
  allowDuplicates?: boolean;
  pos?: Pos;
}

export interface ConnectOpts {
  connectTimeoutMs?: number;
  strictHostKeyChecking?: boolean;
  sshArgs?: string;
  becomePassword?: string;
  /** -k: SSH password when the inventory gives none. */
  password?: string;
  privateKeyFile?: string;
  user?: string;
}

export interface RunDeps {
  templar: TemplarLike;
  findModule(name: string): TaskModule | undefined;
  /** Schema check of templated module arguments; returns the problems (empty = fine). */
  validateModuleArgs(action: string, args: Vars, pos: Pos): ConfigError[] | void;
  loadTaskFile(file: string, opts: { role?: RoleRef; pos?: Pos; collections?: string[] }): TaskNode[] | Promise<TaskNode[]>;
  resolveRole(name: string, fromDir: string, params: Vars, rolesPath: string[], opts?: RoleFiles): LoadedRole | Promise<LoadedRole>;
  /** A vars file's variables (include_vars); throws ConfigError(s) with FILE:LINE:COL. */
  loadVarsFile(file: string, pos?: Pos): Vars | Promise<Vars>;
  createConnection(host: string, hostVars: Vars, opts: ConnectOpts): Connection;
  gatherFacts(conn: Connection, become?: BecomeSpec, opts?: GatherOptions): Promise<Vars>;
}
