// Roles: tasks/, handlers/, defaults/, vars/, meta/ (dependencies run first, once unless
// allow_duplicates). A role application becomes one Block with `.role` set, carrying the
// keywords it was applied with (when, tags, become, ...).
import { existsSync, readdirSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { isMap, type Node } from 'yaml';
import { ConfigError, type Pos } from '../errors.js';
import { didYouMean } from '../suggest.js';
import type { Block, Handler, RoleRef, TaskNode, Vars } from '../types.js';
import { checkKeywords, collectionList, commonFields, type LoadCtx } from './common.js';
import { rememberMerged } from './written.js';
import { findRoleDir } from './rolesearch.js';
import { argSpecTask } from './argspecs.js';
import { ROLE_ENTRY_KEYWORDS, ROLE_ENTRY_UNSUPPORTED, roleEntrySchema } from './schemas.js';
import { loadTaskFileSync, parseHandlerList } from './tasks.js';
import { displayPath, kindOf, readVarsFile, readYaml, type YamlFile } from './yamlfile.js';

export interface RoleOpts {
  tasksFrom?: string;
  handlersFrom?: string;
  varsFrom?: string;
  defaultsFrom?: string;
  allowDuplicates?: boolean;
  /** Skip a role already applied with the same params in this play (roles:, meta dependencies). */
  dedup?: boolean;
  /** Extra directories to search first (the depending role's siblings). */
  near?: string[];
  /** The role whose tasks import this one. */
  parent?: RoleRef;
}

export interface Expanded {
  role: RoleRef;
  tasks: TaskNode[];
  handlers: Handler[];
}

function mainFile(dir: string, sub: string, name = 'main'): string | undefined {
  for (const n of [`${name}.yml`, `${name}.yaml`]) {
    const p = path.join(dir, sub, n);
    if (existsSync(p)) return p;
  }
  return undefined;
}

function loadVarsFile(ctx: LoadCtx, abs: string | undefined, from?: Pos): Vars {
  if (!abs) return {};
  return readVarsFile(abs, ctx.errors, from) ?? {};
}

/** A role's vars/ or defaults/ NAME: NAME.yml (or .yaml), or as Ansible, every file of the directory NAME/ (sorted, nested ones too) merged in order. */
function loadRoleVars(ctx: LoadCtx, dir: string, sub: string, name: string | undefined, from?: Pos): Vars {
  const base = name?.replace(/\.ya?ml$/, '') ?? 'main';
  const file = mainFile(dir, sub, base);
  if (file) return loadVarsFile(ctx, file, from);
  const d = path.join(dir, sub, base);
  if (!existsSync(d) || !statSync(d).isDirectory()) return {};
  const wanted = (n: string) => !path.basename(n).startsWith('.') && /^[^.]*$|\.(ya?ml|json)$/.test(path.basename(n));
  const files = (readdirSync(d, { recursive: true }) as string[])
    .filter(wanted)
    .map((n) => path.join(d, n))
    .filter((p) => statSync(p).isFile())
    .sort();
  const parts = files.map((p) => loadVarsFile(ctx, p, from));
  const merged = Object.assign({}, ...parts) as Vars;
  rememberMerged(merged, parts);
  return merged;
}

/** A `roles:` or `dependencies:` entry: name, params, and the keywords applied to the role. */
export interface RoleEntry {
  name: string;
  params: Vars;
  kw: Vars;
  pos: Pos;
}


export function readRoleEntry(ctx: LoadCtx, f: YamlFile, node: Node | null): RoleEntry | undefined {
  const pos = f.pos(node);
  const v = f.js(node);
  if (typeof v === 'string') return { name: v, params: {}, kw: {}, pos };
  if (!isMap(node)) {
    ctx.errors.push(new ConfigError(`a role must be a name or a mapping with 'role:', got ${kindOf(v)}`, pos));
    return undefined;
  }
  const m = v as Vars;
  checkKeywords(ctx, f, node, m, roleEntrySchema, 'role keyword');
  const name = m.role ?? m.name;
  if (typeof name !== 'string' || !name) {
    ctx.errors.push(new ConfigError(`a role entry needs 'role: NAME'`, pos));
    return undefined;
  }
  const params: Vars = {};
  const kw: Vars = {};
  for (const [k, val] of Object.entries(m)) {
    if (k === 'role' || k === 'name') continue;
    if (ROLE_ENTRY_UNSUPPORTED.includes(k)) {
      ctx.errors.push(new ConfigError(`'${k}' on a role entry is a keyword of the role in Ansible, not a parameter; lvsplay does not support it`, f.pos(f.nodeAt(node, [k], true))));
    } else if (ROLE_ENTRY_KEYWORDS.includes(k)) kw[k] = val;
    else if (k === 'vars' && val && typeof val === 'object') Object.assign(params, val);
    else params[k] = val;
  }
  return { name, params, kw, pos };
}

/** Wrap a role application in a Block carrying the role and its keywords. */
export function roleBlock(e: Expanded, kw: Vars, pos: Pos, file: string): Block {
  return { ...commonFields(kw, pos, file, e.role), kind: 'block', block: e.tasks, rescue: [], always: [] };
}

/** A role's handlers inherit the keywords of its application (`block`), outside those they had. */
export function withLayer(handlers: Handler[], block: Block): Handler[] {
  for (const h of handlers) h.layers = [block, ...(h.layers ?? [])];
  return handlers;
}

/** Resolve and load a role with its dependencies. Problems go to ctx.errors (undefined if not found). */
export function expandRole(ctx: LoadCtx, name: string, fromDir: string, params: Vars, from: Pos | undefined, o: RoleOpts = {}): Expanded | undefined {
  const found = findRoleDir(name, [...(o.near ?? []), fromDir, ctx.baseDir], ctx.rolesPath);
  if (!found.dir) {
    const dym = didYouMean(name, found.candidates);
    ctx.errors.push(new ConfigError(`role '${name}' not found${dym ? ` (${dym})` : ''}; searched: ${found.searched.map(displayPath).join(', ')}`, from));
    return undefined;
  }
  const dir = found.dir;
  ctx.roleDirs?.add(dir);
  // a role importing its own task file (tasks_from) is not a dependency cycle (file cycles are caught by the task loader)
  if (ctx.stack.includes(dir) && !o.tasksFrom) {
    ctx.errors.push(new ConfigError(`role '${name}' depends on itself (${[...ctx.stack.filter((s) => !/\.ya?ml$/.test(s)), dir].map((d) => path.basename(d)).join(' -> ')})`, from));
    return undefined;
  }
  // meta: dependencies and allow_duplicates
  const metaFile = mainFile(dir, 'meta');
  const meta = metaFile ? readYaml(metaFile, ctx.errors, from, 'role meta file') : undefined;
  const metaRoot = meta?.root ?? null;
  const metaEntries = meta ? meta.entries(metaRoot) : [];
  const allowDup = o.allowDuplicates || metaEntries.find((e) => e.key === 'allow_duplicates')?.value === true;
  const role: RoleRef = {
    // as Ansible: a role given by path is named by that path (`/srv/roles/x : task`, role_name too)
    name: found.inPackage ? path.basename(name) : name,
    path: dir,
    defaults: loadRoleVars(ctx, dir, 'defaults', o.defaultsFrom, from),
    vars: loadRoleVars(ctx, dir, 'vars', o.varsFrom, from),
    params,
  };
  if (o.parent) role.parents = [...(o.parent.parents ?? []), o.parent];
  const key = `${role.name}\0${dir}\0${JSON.stringify(params)}\0${o.tasksFrom ?? ''}`; // another name for the same directory is another role, as in Ansible
  if (o.dedup && ctx.roleSeen?.has(key) && !allowDup) return { role, tasks: [], handlers: [] };
  ctx.roleSeen?.add(key);
  ctx.stack.push(dir);
  try {
    const tasks: TaskNode[] = [];
    const handlers: Handler[] = [];
    const depsEntry = metaEntries.find((e) => e.key === 'dependencies');
    if (meta && depsEntry && depsEntry.value !== null) {
      if (!Array.isArray(depsEntry.value)) {
        ctx.errors.push(new ConfigError(`'dependencies' must be a list of roles, got ${kindOf(depsEntry.value)}`, meta.pos(depsEntry.node)));
      } else {
        for (const item of meta.items(depsEntry.node)) {
          const de = readRoleEntry(ctx, meta, item);
          if (!de) continue;
          const sub = expandRole(ctx, de.name, ctx.baseDir, de.params, de.pos, { dedup: true, near: [path.dirname(dir), dir] });
          if (!sub) continue;
          const blk = roleBlock(sub, de.kw, de.pos, meta.abs);
          if (sub.tasks.length) tasks.push(blk);
          handlers.push(...withLayer(sub.handlers, blk));
        }
      }
    }
    const META_KEYS = ['dependencies', 'allow_duplicates', 'galaxy_info', 'argument_specs', 'collections'];
    for (const e of metaEntries) {
      if (META_KEYS.includes(e.key)) continue;
      const dym = didYouMean(e.key, META_KEYS);
      ctx.errors.push(new ConfigError(`unknown key '${e.key}' in role meta${dym ? ` (${dym})` : `; expected one of: ${META_KEYS.join(', ')}`}`, meta!.pos(e.keyNode)));
    }
    const tasksFile = mainFile(dir, 'tasks', o.tasksFrom?.replace(/\.ya?ml$/, '') ?? 'main');
    if (o.tasksFrom && !tasksFile) ctx.errors.push(new ConfigError(`role '${name}' has no tasks file '${o.tasksFrom}'`, from));
    const saved = ctx.handlers;
    const savedCollections = ctx.collections;
    ctx.handlers = handlers; // import_role inside the role: handlers join this role's
    // a role's tasks resolve short module names in its own meta `collections`, not the play's (as Ansible)
    ctx.collections = collectionList(metaEntries.find((e) => e.key === 'collections')?.value);
    const check = argSpecTask(ctx, dir, metaEntries, o.tasksFrom ?? 'main', role, from);
    if (check) tasks.push(check);
    if (tasksFile) tasks.push(...loadTaskFileSync(ctx, tasksFile, from, { role }));
    ctx.handlers = saved;
    ctx.collections = savedCollections;
    const hFile = mainFile(dir, 'handlers', o.handlersFrom?.replace(/\.ya?ml$/, '') ?? 'main');
    if (hFile) {
      const hf = readYaml(hFile, ctx.errors, from, 'handlers file');
      if (hf) handlers.push(...parseHandlerList(ctx, hf, hf.root, role));
    }
    return { role, tasks, handlers };
  } finally {
    ctx.stack.pop();
  }
}
