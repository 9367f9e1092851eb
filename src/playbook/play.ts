// Plays and playbook files: play keywords, vars_files, roles, the task sections, handlers, and
// import_playbook (expanded here).
import * as path from 'node:path';
import { isMap, isSeq, type Node } from 'yaml';
import { ConfigError, type Pos } from '../errors.js';
import { closest } from '../suggest.js';
import type { Handler, Play, RoleRef, TaskNode, Vars, VarsPrompt } from '../types.js';
import { isTemplate } from '../vars/unsafe.js';
import { checkKeywords, collectionList, conditions, keywordFields, notifyPos, stringList, varsMapping, type LoadCtx } from './common.js';
import { isAction } from './modules.js';
import { expandRole, readRoleEntry, roleBlock, withLayer } from './roles.js';
import { IMPORT_PLAYBOOK_KEYWORDS, PLAY_KEYWORDS, playSchema, TASK_KEYWORDS } from './schemas.js';
import { parseHandlerList, parseTaskList } from './tasks.js';
import { rememberMerged, rememberWritten } from './written.js';
import { displayPath, firstExisting, kindOf, readVarsFile, readYaml, type YamlFile } from './yamlfile.js';
import { keywordValue } from '../vars/pyfloat.js';

export function parsePlaybookFile(ctx: LoadCtx, abs: string, from?: Pos): Play[] {
  if (ctx.stack.includes(abs)) {
    ctx.errors.push(new ConfigError(`'${path.basename(abs)}' imports itself (${[...ctx.stack, abs].map((p) => path.basename(p)).join(' -> ')})`, from));
    return [];
  }
  const f = readYaml(abs, ctx.errors, from, 'playbook');
  if (!f) return [];
  const root = f.root;
  if (!isSeq(root)) {
    ctx.errors.push(new ConfigError(`a playbook must be a list of plays, got ${kindOf(f.js(root))}`, f.pos(root)));
    return [];
  }
  ctx.stack.push(abs);
  try {
    const plays: Play[] = [];
    for (const item of f.items(root)) {
      if (!isMap(item)) {
        ctx.errors.push(new ConfigError(`a play must be a mapping (hosts, tasks, ...), got ${kindOf(f.js(item))}`, f.pos(item, f.pos(root))));
        continue;
      }
      const entries = f.entries(item);
      const imp = entries.find((e) => e.key === 'import_playbook' || e.key === 'ansible.builtin.import_playbook');
      if (imp) plays.push(...importPlaybook(ctx, f, item));
      else plays.push(parsePlay(ctx, f, item));
    }
    return plays;
  } finally {
    ctx.stack.pop();
  }
}

function importPlaybook(ctx: LoadCtx, f: YamlFile, node: Node): Play[] {
  const entries = f.entries(node);
  for (const e of entries) {
    if (!IMPORT_PLAYBOOK_KEYWORDS.includes(e.key)) {
      ctx.errors.push(new ConfigError(`'${e.key}' is not allowed beside import_playbook; expected one of: name, vars, tags, when`, f.pos(e.keyNode)));
    }
  }
  const imp = entries.find((e) => e.key.endsWith('import_playbook'))!;
  const target = imp.value;
  if (typeof target !== 'string' || !target) {
    ctx.errors.push(new ConfigError(`import_playbook needs a file name, got ${kindOf(target)}`, f.pos(imp.node ?? imp.keyNode)));
    return [];
  }
  if (isTemplate(target)) {
    ctx.errors.push(new ConfigError(`import_playbook needs a fixed file name, got template '${target}'`, f.pos(imp.node)));
    return [];
  }
  const get = (k: string): unknown => entries.find((e) => e.key === k)?.value;
  const plays = parsePlaybookFile(ctx, path.resolve(path.dirname(f.abs), target), f.pos(imp.node));
  const vars = (get('vars') ?? {}) as Vars;
  rememberWritten(vars, f, entries.find((e) => e.key === 'vars')?.node ?? null);
  const tags = stringList(get('tags'), true);
  // as Ansible: `when` is prepended to the conditions of the plays' fact gathering and of every task outside handlers
  const when = conditions(get('when'));
  for (const p of plays) {
    const own = p.vars;
    p.vars = { ...vars, ...own };
    rememberMerged(p.vars, [vars, own]);
    p.tags = [...tags, ...p.tags];
    if (when.length) p.when = [...when, ...(p.when ?? [])];
  }
  return plays;
}

const PROMPT_KEYS = ['name', 'prompt', 'default', 'private', 'confirm', 'encrypt', 'salt_size', 'salt', 'unsafe'];

/** vars_prompt: a list of entries (or one mapping), each with a name; Ansible's keys only; `encrypt` is refused. */
function readVarsPrompt(ctx: LoadCtx, f: YamlFile, node: Node | null): VarsPrompt[] {
  const out: VarsPrompt[] = [];
  for (const item of isMap(node) ? [node] : f.items(node)) {
    const pos = f.pos(item);
    const v = f.js(item);
    if (!v || typeof v !== 'object' || Array.isArray(v)) {
      ctx.errors.push(new ConfigError(`a vars_prompt entry must be a mapping, got ${kindOf(v)}`, pos));
      continue;
    }
    const e = v as Vars;
    for (const entry of f.entries(item)) {
      if (!PROMPT_KEYS.includes(entry.key)) ctx.errors.push(new ConfigError(`Invalid vars_prompt data structure, found unsupported key '${entry.key}'`, f.pos(entry.keyNode)));
      if (entry.key === 'encrypt') ctx.errors.push(new ConfigError(`vars_prompt 'encrypt' is not supported (hash the value with the password_hash filter where it is used)`, f.pos(entry.keyNode)));
    }
    if (e.name === undefined || e.name === null) {
      ctx.errors.push(new ConfigError(`Invalid vars_prompt data structure, missing 'name' key`, pos));
      continue;
    }
    out.push({ name: String(e.name), prompt: e.prompt, default: e.default, private: e.private, confirm: e.confirm, unsafe: e.unsafe, pos });
  }
  return out;
}

function loadVarsFiles(ctx: LoadCtx, f: YamlFile, node: Node | null, value: unknown): Pick<Play, 'varsFiles' | 'varsFilesPerHost'> {
  const out: Vars = {};
  const perHost: NonNullable<Play['varsFilesPerHost']> = [];
  const list = Array.isArray(value) ? value : value === undefined || value === null ? [] : [value];
  const nodes = isSeq(node) ? f.items(node) : [node];
  list.forEach((v, i) => {
    const pos = f.pos(nodes[i] ?? node);
    const alternatives = (Array.isArray(v) ? v : [v]).map(String);
    const entry: NonNullable<Play['varsFilesPerHost']>[number] = { alternatives, pos, dir: path.dirname(f.abs) };
    perHost.push(entry);
    if (alternatives.some(isTemplate)) return; // chosen per host at run time
    const file = firstExisting(entry.dir, alternatives);
    if (!file) {
      const what = alternatives.length > 1 ? `none of the vars files exist: ${alternatives.join(', ')}` : `vars file '${alternatives[0]}' not found`;
      ctx.errors.push(new ConfigError(`${what} (relative to ${displayPath(entry.dir)})`, pos));
      return;
    }
    entry.vars = readVarsFile(file, ctx.errors, pos) ?? {};
    Object.assign(out, entry.vars);
  });
  rememberMerged(out, perHost.map((e) => e.vars ?? {}));
  return perHost.some((e) => e.alternatives.some(isTemplate)) ? { varsFiles: out, varsFilesPerHost: perHost } : { varsFiles: out };
}

export function parsePlay(ctx: LoadCtx, f: YamlFile, node: Node): Play {
  const entries = f.entries(node);
  const pos = f.pos(node);
  const kw: Vars = {};
  for (const e of entries) {
    if (PLAY_KEYWORDS.includes(e.key)) {
      kw[e.key] = keywordValue(e.key, e.value);
      continue;
    }
    const g = closest(e.key, PLAY_KEYWORDS);
    const hint = g ? ` (did you mean '${g}'?)` : isAction(e.key) || TASK_KEYWORDS.includes(e.key) ? ` ('${e.key}' belongs to a task: put it in a task under 'tasks:')` : `; expected one of: ${PLAY_KEYWORDS.join(', ')}`;
    ctx.errors.push(new ConfigError(`unknown play keyword '${e.key}'${hint}`, f.pos(e.keyNode)));
  }
  checkKeywords(ctx, f, node, kw, playSchema, 'play keyword');
  const nodeOf = (k: string): Node | null => entries.find((e) => e.key === k)?.node ?? null;
  const hosts = Array.isArray(kw.hosts) ? kw.hosts.map(String).join(':') : typeof kw.hosts === 'string' ? kw.hosts : '';
  const play: Play = {
    name: typeof kw.name === 'string' ? kw.name : hosts,
    hosts,
    pos,
    file: f.abs,
    vars: varsMapping(kw.vars),
    ...loadVarsFiles(ctx, f, nodeOf('vars_files'), kw.vars_files),
    roles: [],
    preTasks: [],
    roleTasks: [],
    tasks: [],
    postTasks: [],
    handlers: [],
    // ansible.cfg gathering / any_errors_fatal are the defaults beneath the play's own keywords
    gatherFacts: kw.gather_facts === undefined ? ctx.playDefaults?.gatherFacts ?? true : typeof kw.gather_facts === 'string' ? kw.gather_facts : kw.gather_facts !== false,
    forceHandlers: kw.force_handlers === true,
    tags: stringList(kw.tags, true),
  };
  rememberWritten(play, f, node);
  rememberWritten(play.vars, f, nodeOf('vars'));
  const put = <K extends keyof Play>(k: K, v: unknown, ok: boolean): void => {
    if (v !== undefined && ok) play[k] = v as Play[K];
  };
  keywordFields(kw, play);
  if (kw.any_errors_fatal === undefined && ctx.playDefaults?.anyErrorsFatal) play.anyErrorsFatal = true;
  put('serial', kw.serial, typeof kw.serial === 'number' || typeof kw.serial === 'string');
  if (Array.isArray(kw.serial) && kw.serial.length) play.serial = kw.serial as (number | string)[];
  put('maxFailPercentage', kw.max_fail_percentage, typeof kw.max_fail_percentage === 'number');
  put('order', kw.order, typeof kw.order === 'string');
  const strategy = kw.strategy ?? ctx.playDefaults?.strategy;
  put('strategy', typeof strategy === 'string' ? strategy.replace(/^ansible\.builtin\./, '') : undefined, true);
  if (kw.gather_subset !== undefined || kw.gather_timeout !== undefined || kw.fact_path !== undefined) {
    play.gather = { subset: kw.gather_subset as string | string[] | undefined, timeout: kw.gather_timeout as number | string | undefined, factPath: kw.fact_path as string | undefined };
  }

  if (kw.vars_prompt !== undefined) play.varsPrompt = readVarsPrompt(ctx, f, nodeOf('vars_prompt'));

  const roleHandlers: Handler[] = [];
  ctx.moduleDefaults = play.moduleDefaults !== undefined ? [play.moduleDefaults] : [];
  ctx.collections = collectionList(kw.collections);
  ctx.roleSeen = new Set();
  ctx.handlers = roleHandlers;
  ctx.handlerNames = new Set();
  const dir = path.dirname(f.abs);
  for (const item of f.items(nodeOf('roles'))) {
    const re = readRoleEntry(ctx, f, item);
    if (!re) continue;
    const ex = expandRole(ctx, re.name, dir, re.params, re.pos, { dedup: true });
    if (!ex) continue;
    play.roles.push(ex.role);
    const blk = roleBlock(ex, re.kw, re.pos, f.abs);
    roleHandlers.push(...withLayer(ex.handlers, blk));
    if (ex.tasks.length) play.roleTasks.push(blk);
  }
  // The handlers in Ansible's load order (the last loaded of a name is the one a notify selects, and
  // flushing runs them in this order): the roles: section's, the play's own, then those of roles
  // imported in pre_tasks, post_tasks and tasks (Ansible loads those sections in that order).
  const fromRoles = roleHandlers.splice(0);
  play.preTasks = parseTaskList(ctx, f, nodeOf('pre_tasks'), { what: 'pre_tasks' });
  const fromPre = roleHandlers.splice(0);
  play.tasks = parseTaskList(ctx, f, nodeOf('tasks'), { what: 'tasks' });
  const fromTasks = roleHandlers.splice(0);
  play.postTasks = parseTaskList(ctx, f, nodeOf('post_tasks'), { what: 'post_tasks' });
  const fromPost = roleHandlers.splice(0);
  const own = parseHandlerList(ctx, f, nodeOf('handlers'));
  play.handlers = [...fromRoles, ...own, ...fromPre, ...fromPost, ...fromTasks, ...roleHandlers];
  ctx.handlers = undefined;
  ctx.roleSeen = undefined;
  ctx.moduleDefaults = undefined;
  ctx.collections = undefined;
  checkNotify(ctx, play, ctx.handlerNames);
  ctx.handlerNames = undefined;
  return play;
}

/** Every literal `notify:` must name a handler (or a `listen` topic) of the play. */
function checkNotify(ctx: LoadCtx, play: Play, written: Set<string>): void {
  const names = new Set<string>(written);
  for (const h of play.handlers) {
    if (h.name) names.add(h.name);
    if (h.name && h.role) names.add(`${h.role.name} : ${h.name}`);
    for (const l of h.listen) names.add(l);
  }
  const walk = (nodes: TaskNode[]): void => {
    for (const n of nodes) {
      if (n.kind === 'block') {
        walk(n.block);
        walk(n.rescue);
        walk(n.always);
      } else if (n.kind === 'task') {
        for (const h of n.notify) {
          if (names.has(h) || isTemplate(h)) continue;
          const g = closest(h, names);
          ctx.errors.push(new ConfigError(`notify: no handler named '${h}' in this play${g ? ` (did you mean '${g}'?)` : names.size ? `; handlers: ${[...names].join(', ')}` : ' (the play has no handlers)'}`, notifyPos.get(n) ?? n.pos));
        }
      }
    }
  };
  walk([...play.preTasks, ...play.roleTasks, ...play.tasks, ...play.postTasks, ...play.handlers]);
}

export type { RoleRef };
