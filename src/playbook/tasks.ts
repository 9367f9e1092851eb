// Task lists -> TaskNode[]: tasks, blocks, include_tasks/include_role (run time) and
// import_tasks/import_role (expanded here). Every problem is collected, none stops the walk.
import * as path from 'node:path';
import { isMap, isSeq, type Node } from 'yaml';
import { ConfigError, type Pos } from '../errors.js';
import { closest } from '../suggest.js';
import type { Block, Handler, IncludeNode, LoopFields, RoleRef, Task, TaskNode, Vars } from '../types.js';
import { knownLookup, lookupNames } from '../vars/lookups.js';
import { readAction } from './action.js';
import { oldStyleActions } from './oldaction.js';
import { isTemplate } from '../vars/unsafe.js';
import { parseBool } from '../bool.js';
import { copyWritten, isWritten, rememberArgsPos, rememberWritten } from './written.js';
import { checkKeywords, collectionList, commonFields, conditions, notifyPos, stringList, type LoadCtx } from './common.js';
import { actionNames, isAction, markUnknownModule, pythonModule, pythonModuleMessage, routedAt } from './modules.js';
import { INCLUDE_DEPRECATION, INCLUDE_KEYWORDS, INCLUDE_KEYWORDS_UNSUPPORTED } from './control.js';
import { expandRole, withLayer } from './roles.js';
import { BLOCK_KEYWORDS, blockSchema, HANDLER_KEYWORDS, handlerSchema, TASK_KEYWORDS, taskSchema } from './schemas.js';
import { kindOf, readYaml, type Entry, type YamlFile } from './yamlfile.js';
import { keywordValue } from '../vars/pyfloat.js';

export interface ListOpts {
  role?: RoleRef;
  handler?: boolean;
  what?: string; // "tasks", "pre_tasks", ... (messages)
  /** Inside a block whose failures are handled (a rescue, or ignore_errors: true): see readAction. */
  handled?: boolean;
}

export function parseTaskList(ctx: LoadCtx, f: YamlFile, node: Node | null, o: ListOpts = {}): TaskNode[] {
  if (!node || f.js(node) === null) return []; // `tasks:` with nothing after it: no tasks (as Ansible)
  if (!isSeq(node)) {
    // One message per problem: the play schema may already have said this value is not a list.
    const at = f.pos(node);
    if (!ctx.errors.some((e) => e.pos && e.pos.file === at.file && e.pos.line === at.line && e.pos.col === at.col)) {
      ctx.errors.push(new ConfigError(`'${o.what ?? 'tasks'}' must be a list of tasks, got ${kindOf(f.js(node))}`, at));
    }
    return [];
  }
  const out: TaskNode[] = [];
  for (const item of f.items(node)) {
    if (!isMap(item)) {
      ctx.errors.push(new ConfigError(`a task must be a mapping (name, module, keywords), got ${kindOf(f.js(item))}`, f.pos(item, f.pos(node))));
      continue;
    }
    const nodes = parseTaskEntry(ctx, f, item, o);
    // an import's tasks were recorded in their own file
    for (const n of nodes) if (!isWritten(n)) rememberWritten(n, f, item);
    out.push(...nodes);
  }
  return out;
}

/** Load a task file (import_tasks now, include_tasks at run time). */
export function loadTaskFileSync(ctx: LoadCtx, abs: string, from: Pos | undefined, o: ListOpts): TaskNode[] {
  if (ctx.stack.includes(abs)) {
    ctx.errors.push(new ConfigError(`'${path.basename(abs)}' imports itself (import cycle: ${[...ctx.stack, abs].map((p) => path.basename(p)).join(' -> ')})`, from));
    return [];
  }
  const f = readYaml(abs, ctx.errors, from, 'task file');
  if (!f) return [];
  if (f.root === null) return [];
  ctx.stack.push(abs);
  try {
    return parseTaskList(ctx, f, f.root, o);
  } finally {
    ctx.stack.pop();
  }
}

/** `with_<lookup>` of a lookup lvsplay runs through ansible-core (src/vars/lookups.ts): a loop keyword too. */
const ansibleWith = (key: string): boolean => key.startsWith('with_') && key.length > 5 && knownLookup(key.slice(5));

function unknownKey(ctx: LoadCtx, f: YamlFile, e: Entry, keywords: string[], hasAction: boolean, what: string): void {
  const kwGuess = closest(e.key, keywords);
  const modGuess = closest(e.key, actionNames());
  const pos = f.pos(e.keyNode);
  if (e.key.startsWith('with_')) {
    const name = e.key.slice('with_'.length);
    ctx.errors.push(new ConfigError(`'${e.key}': lvsplay has no lookup plugin '${name}' (with_<lookup> loops over a lookup's results); supported: ${lookupNames().map((n) => `with_${n}`).join(', ')}`, pos));
    return;
  }
  const py = pythonModule(e.key);
  if (py) {
    ctx.errors.push(new ConfigError(pythonModuleMessage(e.key, py), pos));
  } else if (kwGuess && (hasAction || !modGuess)) {
    const err = new ConfigError(`unknown ${what} keyword '${e.key}' (did you mean '${kwGuess}'?)`, pos);
    ctx.errors.push(hasAction ? err : markUnknownModule(err, e.key, { collections: ctx.collections, at: pos }));
  } else if (!hasAction) {
    ctx.errors.push(markUnknownModule(new ConfigError(`unknown module '${e.key}'${modGuess ? ` (did you mean '${modGuess}'?)` : ' (no such module; check the name or its FQCN)'}`, pos), e.key, { collections: ctx.collections, at: pos }));
  } else {
    ctx.errors.push(new ConfigError(`unknown ${what} keyword '${e.key}'; expected one of: ${keywords.join(', ')}`, pos));
  }
}

/** Arguments of include/import actions that lvsplay does not implement (rejected, never ignored). */
const UNSUPPORTED_INCLUDE_ARGS: Record<string, string> = {
  public: "role variables stay private to the role's tasks",
  rolespec_validate: 'role argument specs are not validated',
};

/** `apply:` of include_tasks/include_role: block keywords for the included tasks (as a block around them). */
function applyKeywords(ctx: LoadCtx, apply: Vars, pos: Pos, file: string, role?: RoleRef): Block | undefined {
  const bad = Object.keys(apply).filter((k) => !BLOCK_KEYWORDS.includes(k) || ['block', 'rescue', 'always'].includes(k));
  if (bad.length) {
    ctx.errors.push(new ConfigError(`'apply' takes block keywords; not one: ${bad.join(', ')}`, pos));
    return undefined;
  }
  return { ...commonFields(apply, pos, file, role), kind: 'block', block: [], rescue: [], always: [] };
}

function parseTaskEntry(ctx: LoadCtx, f: YamlFile, node: Node, o: ListOpts): TaskNode[] {
  const { entries, refused } = oldStyleActions(ctx, f, f.entries(node));
  const pos = f.pos(node);
  if (entries.some((e) => e.key === 'block')) {
    if (o.handler) {
      ctx.errors.push(new ConfigError('a handler cannot be a block; handlers must be tasks', pos));
      return [];
    }
    return [parseBlock(ctx, f, node, entries, o)];
  }
  const keywords = o.handler ? HANDLER_KEYWORDS : TASK_KEYWORDS;
  const kw: Vars = {};
  const actions: Entry[] = [];
  const unknown: Entry[] = [];
  for (const e of entries) {
    // `name:` with no value is no name (Ansible accepts it)
    if (e.key === 'name' && (e.value === null || e.value === undefined)) continue;
    if (keywords.includes(e.key) || ansibleWith(e.key)) kw[e.key] = keywordValue(e.key, e.value);
    else if (isAction(e.key) || routedAt(f.pos(e.keyNode))) actions.push(e); // routed: a short name of the task's `collections` (withlib.ts)
    else unknown.push(e);
  }
  // a task's own `collections` replaces the one in force for its action's name (as Ansible's Task.preprocess_data)
  const outerCollections = ctx.collections;
  if (kw.collections !== undefined) ctx.collections = collectionList(kw.collections);
  try {
    return parseTaskBody(ctx, f, node, o, { entries, refused, pos, kw, actions, unknown, keywords, outerCollections });
  } finally {
    ctx.collections = outerCollections;
  }
}

function parseTaskBody(
  ctx: LoadCtx,
  f: YamlFile,
  node: Node,
  o: ListOpts,
  parts: { entries: Entry[]; refused: boolean; pos: Pos; kw: Vars; actions: Entry[]; unknown: Entry[]; keywords: string[]; outerCollections?: string[] },
): TaskNode[] {
  const { entries, refused, pos, kw, actions, unknown, keywords } = parts;
  for (const e of unknown) unknownKey(ctx, f, e, keywords, actions.length > 0, o.handler ? 'handler' : 'task');
  // a with_<lookup> of ansible-core's (not in the schema's fixed list) takes any terms, as lvsplay's own
  const fixed = Object.fromEntries(Object.entries(kw).filter(([k]) => !ansibleWith(k) || keywords.includes(k)));
  checkKeywords(ctx, f, node, fixed, o.handler ? handlerSchema : taskSchema, o.handler ? 'handler keyword' : 'task keyword');
  if (actions.length > 1) {
    ctx.errors.push(new ConfigError(`conflicting action statements: ${actions.map((a) => a.key).join(', ')} (a task runs exactly one module)`, f.pos(actions[1].keyNode)));
  }
  if (actions.length === 0) {
    if (!unknown.length && !refused) ctx.errors.push(new ConfigError(`no module/action in task; expected exactly one module such as command, shell, copy`, pos));
    return [];
  }
  const loops = Object.keys(kw).filter((k) => k === 'loop' || k.startsWith('with_'));
  if (loops.length > 1) ctx.errors.push(new ConfigError(`conflicting loops: ${loops.join(', ')} (a task has one loop)`, f.pos(f.nodeAt(node, [loops[1]], true))));
  const common = commonFields(kw, pos, f.abs, o.role);
  const outerDefaults = ctx.moduleDefaults;
  if (common.moduleDefaults !== undefined) ctx.moduleDefaults = [...(outerDefaults ?? []), common.moduleDefaults];
  const handled = !o.handler && (o.handled || parseBool(kw.ignore_errors) === true);
  const act = readAction(ctx, f, actions[0], entries.find((e) => e.key === 'args'), handled);
  ctx.moduleDefaults = outerDefaults;
  for (const [k, why] of Object.entries(UNSUPPORTED_INCLUDE_ARGS)) {
    if (act.control && k in act.args) ctx.errors.push(new ConfigError(`'${k}' is not supported by lvsplay`, act.argsPos[k] ?? act.pos, why));
  }
  const lf = loopFields(kw, loops[0]);
  const loop = lf.loop;
  const dir = path.dirname(f.abs);
  if (act.control === 'include') {
    // the deprecated `include`: Ansible 2.14 makes it static unless it loops or names its file by a template
    ctx.deprecations?.add(INCLUDE_DEPRECATION);
    act.control = loop === undefined && !isTemplate(String(act.args.file ?? '')) ? 'import_tasks' : 'include_tasks';
  }
  switch (act.control) {
    case 'include_tasks':
    case 'include_role': {
      for (const k of Object.keys(kw)) {
        const at = f.pos(f.nodeAt(node, [k], true));
        if (!INCLUDE_KEYWORDS.includes(k) && !ansibleWith(k) && !(o.handler && k === 'listen')) ctx.errors.push(new ConfigError(`'${k}' is not a valid keyword for ${act.control} (Ansible refuses it too: its keywords do not pass to the included tasks); put it on a block around the include, or on the included tasks`, at));
        else if (k in INCLUDE_KEYWORDS_UNSUPPORTED) ctx.errors.push(new ConfigError(`'${k}' on ${act.control} is not supported by lvsplay`, at, INCLUDE_KEYWORDS_UNSUPPORTED[k]));
      }
      const inc: IncludeNode = { ...common, ...lf, kind: 'include', what: act.control === 'include_tasks' ? 'tasks' : 'role', target: '', params: {} };
      // the included file's short module names resolve in the collections in force around the include — not in the
      // include's own `collections` (Ansible 2.14 ignores that one; import_tasks' own applies); a role's own meta decides inside it
      if (act.control === 'include_tasks' && parts.outerCollections) inc.collections = parts.outerCollections;
      const { file, name, apply, ...rest } = act.args;
      if (o.handler) listenOf.set(inc, stringList(kw.listen));
      inc.target = String((act.control === 'include_tasks' ? file : name) ?? '');
      inc.params = act.control === 'include_tasks' ? rest : { name, ...rest };
      rememberArgsPos(inc, act.argsPos);
      if (apply !== undefined) inc.apply = applyKeywords(ctx, apply as Vars, act.argsPos.apply ?? act.pos, f.abs, o.role);
      return [inc];
    }
    case 'import_tasks':
    case 'import_role': {
      const target = String((act.control === 'import_tasks' ? act.args.file : act.args.name) ?? '');
      if (loop !== undefined) ctx.errors.push(new ConfigError(`${act.control} cannot be used with a loop (it is static); use ${act.control.replace('import', 'include')}`, f.pos(f.nodeAt(node, [loops[0]], true))));
      if (isTemplate(target)) {
        ctx.errors.push(new ConfigError(`${act.control} needs a fixed ${act.control === 'import_tasks' ? 'file' : 'role'} name, got template '${target}' (use ${act.control.replace('import', 'include')} for names computed at run time)`, act.argsPos.file ?? act.argsPos.name ?? act.pos));
        return [];
      }
      if (!target) return [];
      let inner: TaskNode[];
      let role = o.role;
      let imported: Handler[] = [];
      if (act.control === 'import_tasks') {
        inner = loadTaskFileSync(ctx, path.resolve(dir, target), act.argsPos.file ?? act.pos, { role: o.role, handler: o.handler });
      } else {
        const r = expandRole(ctx, target, dir, common.vars, act.argsPos.name ?? act.pos, {
          tasksFrom: act.args.tasks_from as string | undefined,
          handlersFrom: act.args.handlers_from as string | undefined,
          varsFrom: act.args.vars_from as string | undefined,
          defaultsFrom: act.args.defaults_from as string | undefined,
          allowDuplicates: act.args.allow_duplicates === true,
          dedup: false,
          parent: o.role,
        });
        if (!r) return [];
        ctx.handlers?.push(...r.handlers);
        imported = r.handlers;
        inner = r.tasks;
        role = r.role;
        common.vars = {}; // they are the role's params now
      }
      if (kw.notify !== undefined) notifyAll(inner, stringList(kw.notify), f.pos(f.nodeAt(node, ['notify'])));
      const plain = !common.when.length && !common.tags.length && !Object.keys(common.vars).length && Object.keys(kw).every((k) => k === 'name');
      if (plain && act.control === 'import_tasks') return inner;
      const b: Block = { ...common, kind: 'block', block: inner, rescue: [], always: [] };
      if (role) b.role = role;
      withLayer(imported, b); // import_role's keywords reach the role's handlers too
      return [b];
    }
  }
  const t: Task = {
    ...common,
    ...lf,
    kind: 'task',
    action: act.action,
    actionAs: act.actionAs,
    args: act.args,
    argsPos: act.argsPos,
    notify: stringList(kw.notify),
  };
  if (act.control === 'meta') t.control = 'meta';
  if (act.argsVar !== undefined) t.argsVar = act.argsVar;
  if (act.malformed) t.malformed = act.malformed;
  if (kw.notify !== undefined) notifyPos.set(t, f.pos(f.nodeAt(node, ['notify'])));
  if (typeof kw.register === 'string') t.register = kw.register;
  if (kw.changed_when !== undefined) t.changedWhen = conditions(kw.changed_when);
  if (kw.failed_when !== undefined) t.failedWhen = conditions(kw.failed_when);
  if (kw.until !== undefined) t.until = conditions(kw.until)[0];
  if (kw.retries !== undefined) t.retries = kw.retries as number;
  if (kw.delay !== undefined) t.delay = kw.delay as number;
  if (kw.async !== undefined) t.async = kw.async as number | string;
  if (kw.poll !== undefined) t.poll = kw.poll as number | string;
  if (o.handler) (t as Handler).listen = stringList(kw.listen);
  return [t];
}

/** `notify` on an import: every imported task that notifies nothing itself notifies these (as Ansible passes it down). */
function notifyAll(nodes: TaskNode[], notify: string[], at: Pos): void {
  for (const n of nodes) {
    if (n.kind === 'block') for (const part of [n.block, n.rescue, n.always]) notifyAll(part, notify, at);
    else if (n.kind === 'task' && !n.notify.length) {
      n.notify = notify;
      notifyPos.set(n, at);
    }
  }
}

/** `loop:` or `with_<lookup>:` and loop_control, as the model keeps them (absent fields left out). */
function loopFields(kw: Vars, key: string | undefined): LoopFields {
  const lc = (kw.loop_control ?? {}) as Vars;
  const out: LoopFields = { loopVar: typeof lc.loop_var === 'string' ? lc.loop_var : 'item' };
  if (key !== undefined) out.loop = kw[key];
  if (key?.startsWith('with_')) out.loopWith = key.slice('with_'.length);
  if (typeof lc.index_var === 'string') out.indexVar = lc.index_var;
  if (typeof lc.label === 'string') out.loopLabel = lc.label;
  if ((typeof lc.pause === 'number' && lc.pause > 0) || isTemplate(lc.pause)) out.loopPause = lc.pause as number | string;
  if (lc.extended === true || isTemplate(lc.extended)) out.loopExtended = lc.extended as boolean | string;
  if (lc.extended_allitems === false || isTemplate(lc.extended_allitems)) out.loopAllItems = lc.extended_allitems as boolean | string;
  return out;
}

function parseBlock(ctx: LoadCtx, f: YamlFile, node: Node, entries: Entry[], o: ListOpts): Block {
  const kw: Vars = {};
  for (const e of entries) {
    if (e.key === 'name' && (e.value === null || e.value === undefined)) continue;
    if (BLOCK_KEYWORDS.includes(e.key)) kw[e.key] = keywordValue(e.key, e.value);
    else if (TASK_KEYWORDS.includes(e.key) || isAction(e.key)) {
      const what = isAction(e.key) ? `a module ('${e.key}')` : `'${e.key}'`;
      ctx.errors.push(new ConfigError(`a block cannot have ${what}; put it on the tasks inside the block`, f.pos(e.keyNode)));
    } else {
      const g = closest(e.key, BLOCK_KEYWORDS);
      ctx.errors.push(new ConfigError(`unknown block keyword '${e.key}'${g ? ` (did you mean '${g}'?)` : `; expected one of: ${BLOCK_KEYWORDS.join(', ')}`}`, f.pos(e.keyNode)));
    }
  }
  checkKeywords(ctx, f, node, kw, blockSchema, 'block keyword');
  const common = commonFields(kw, f.pos(node), f.abs, o.role);
  const outer = ctx.moduleDefaults;
  const outerCollections = ctx.collections;
  if (kw.collections !== undefined) ctx.collections = collectionList(kw.collections);
  if (common.moduleDefaults !== undefined) ctx.moduleDefaults = [...(outer ?? []), common.moduleDefaults];
  const sub = (k: string): TaskNode[] => {
    const e = entries.find((x) => x.key === k);
    // the block's own tasks: a rescue section, or ignore_errors: true, handles their failures
    const rescued = k === 'block' && entries.some((x) => x.key === 'rescue' && isSeq(x.node) && x.node.items.length > 0);
    const handled = o.handled || rescued || parseBool(kw.ignore_errors) === true;
    return e && isSeq(e.node) ? parseTaskList(ctx, f, e.node, { ...o, what: k, handled }) : [];
  };
  try {
    return { ...common, kind: 'block', block: sub('block'), rescue: sub('rescue'), always: sub('always') };
  } finally {
    ctx.moduleDefaults = outer;
    ctx.collections = outerCollections;
  }
}

/** `listen` of include nodes in a handlers list (an include has no field for it). */
const listenOf = new WeakMap<IncludeNode, string[]>();

/** An include_tasks/include_role handler: a Handler whose running is the include (src/run/play.ts flush). */
function includeHandler(n: IncludeNode, listen: string[]): Handler {
  const action = n.what === 'tasks' ? 'include_tasks' : 'include_role';
  const h: Handler = { ...n, kind: 'task', action, actionAs: action, args: {}, argsPos: {}, notify: [], listen, include: n };
  copyWritten(h, n);
  return h;
}

/** A handlers list: tasks with `listen`; `import_tasks` entries are expanded in place. */
export function parseHandlerList(ctx: LoadCtx, f: YamlFile, node: Node | null, role?: RoleRef): Handler[] {
  const out: Handler[] = [];
  const flat = (nodes: TaskNode[]): void => {
    for (const n of nodes) {
      if (n.kind === 'task') out.push(n as Handler);
      else if (n.kind === 'block') flat(n.block);
      else out.push(includeHandler(n, listenOf.get(n) ?? []));
    }
  };
  for (const item of f.items(node)) {
    for (const e of f.entries(item)) {
      if (e.key !== 'name' && e.key !== 'listen') continue;
      for (const n of stringList(e.value)) {
        ctx.handlerNames?.add(n);
        if (role && e.key === 'name') ctx.handlerNames?.add(`${role.name} : ${n}`);
      }
    }
  }
  flat(parseTaskList(ctx, f, node, { role, handler: true, what: 'handlers' }));
  return out;
}
