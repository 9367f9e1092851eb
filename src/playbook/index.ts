// The playbook loader: YAML -> Playbook model, validated before anything runs. Every problem is
// collected and thrown at once as ConfigErrors (FILE:LINE:COL: message).
import * as path from 'node:path';
import { ConfigError, ConfigErrors, type Pos } from '../errors.js';
import type { Handler, Playbook, RoleRef, TaskNode, Vars } from '../types.js';
import type { LoadCtx, PlayDefaults } from './common.js';
import { parsePlaybookFile } from './play.js';
import { expandRole, type RoleOpts } from './roles.js';
import { loadTaskFileSync } from './tasks.js';
import { readVarsFile } from './yamlfile.js';
import { addRoleLibraries, foundByAnsibleCore } from './withlib.js';
import { takeHandledArgErrors } from './modules.js';

export { validateModuleArgs, parseFreeForm, splitArgs } from './args.js';
export { registerModule, lookupModule } from './modules.js';
export { roleSearchDirs, shippedRolesDir } from './rolesearch.js';
export { displayPath } from './yamlfile.js';

function sorted(errors: ConfigError[]): ConfigError[] {
  const fileOrder = new Map<string, number>();
  for (const e of errors) if (e.pos && !fileOrder.has(e.pos.file)) fileOrder.set(e.pos.file, fileOrder.size);
  const key = (e: ConfigError): [number, number, number] => (e.pos ? [fileOrder.get(e.pos.file)!, e.pos.line, e.pos.col] : [-1, 0, 0]);
  const seen = new Set<string>();
  return [...errors]
    .sort((a, b) => {
      const ka = key(a);
      const kb = key(b);
      return ka[0] - kb[0] || ka[1] - kb[1] || ka[2] - kb[2];
    })
    .filter((e) => {
      const s = e.toString();
      if (seen.has(s)) return false;
      seen.add(s);
      return true;
    });
}

function fail(ctx: LoadCtx): void {
  if (ctx.errors.length) throw new ConfigErrors(sorted(ctx.errors));
}

/** Load and validate a playbook (import_playbook, import_tasks, import_role and roles expanded). */
export async function loadPlaybook(file: string, opts: { rolesPath?: string[]; playDefaults?: PlayDefaults; deprecations?: Set<string>; roleDirs?: Set<string> } = {}): Promise<Playbook> {
  const abs = path.resolve(file);
  const dir = path.dirname(abs);
  const ctx: LoadCtx = { errors: [], rolesPath: opts.rolesPath, baseDir: dir, stack: [], playDefaults: opts.playDefaults, deprecations: opts.deprecations, roleDirs: opts.roleDirs };
  const plays = parsePlaybookFile(ctx, abs);
  fail(ctx);
  return { file: abs, dir, plays };
}

/**
 * Load a task file at run time (include_tasks). `role` is set on every node; `pos` is where the
 * include was written (for "not found" errors); `collections`: the `collections` in force there. Handlers of import_role inside it are dropped.
 */
export async function loadTaskFile(file: string, c: { role?: RoleRef; pos?: Pos; rolesPath?: string[]; collections?: string[] } = {}): Promise<TaskNode[]> {
  const abs = path.resolve(file);
  const read = () => {
    const ctx: LoadCtx = { errors: [], rolesPath: c.rolesPath, baseDir: path.dirname(abs), stack: [], collections: c.collections };
    return { ctx, nodes: loadTaskFileSync(ctx, abs, c.pos, { role: c.role }) };
  };
  let { ctx, nodes } = read();
  // module names lvsplay does not have that ansible-core on the controller has (withlib.ts): read again with them known
  if (await foundByAnsibleCore([...ctx.errors, ...(takeHandledArgErrors() as ConfigError[])])) ({ ctx, nodes } = read());
  fail(ctx);
  return nodes;
}

/**
 * Resolve a role for include_role/import_role: its tasks (meta dependencies first, each wrapped
 * in a Block with `.role`) and handlers. `params` become role.params.
 */
export async function resolveRole(
  name: string,
  fromDir: string,
  params: Vars,
  rolesPath?: string[],
  opts: Omit<RoleOpts, 'dedup'> & { pos?: Pos } = {},
): Promise<{ role: RoleRef; tasks: TaskNode[]; handlers: Handler[] }> {
  const expand = () => {
    const ctx: LoadCtx = { errors: [], rolesPath, baseDir: path.resolve(fromDir), stack: [], roleSeen: new Set(), roleDirs: new Set() };
    return { ctx, r: expandRole(ctx, name, path.resolve(fromDir), params, opts.pos, { ...opts, dedup: false }) };
  };
  let { ctx, r } = expand();
  // a role with custom modules in its library/ (withlib.ts): read again with them known
  if (await addRoleLibraries(ctx.roleDirs!)) ({ ctx, r } = expand());
  if (await foundByAnsibleCore([...ctx.errors, ...(takeHandledArgErrors() as ConfigError[])])) ({ ctx, r } = expand());
  fail(ctx);
  if (!r) throw new ConfigErrors([new ConfigError(`role '${name}' not found`, opts.pos)]);
  return r;
}

/** Where an include_tasks target is looked up: beside the file the include was written in. */
export function includePath(includingFile: string, target: string): string {
  return path.resolve(path.dirname(includingFile), target);
}

/** Read a vars file at run time (include_vars): its mapping, or ConfigErrors with FILE:LINE:COL. */
export async function loadVarsFile(file: string, pos?: Pos): Promise<Vars> {
  const errors: ConfigError[] = [];
  const v = readVarsFile(path.resolve(file), errors, pos);
  if (errors.length || !v) throw new ConfigErrors(sorted(errors));
  return v;
}
