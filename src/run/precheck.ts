// Before the run (and with --syntax-check): every template string and condition of the playbook
// must at least parse. A syntax error is bad input (exit 4) found before any host is touched, not a
// failure half way through a play that has already changed some hosts. Ansible templates these
// same strings when it runs the task (and fails it then, "template error while templating
// string"); lvsplay checks each of them at load, with the FILE:LINE:COL of the value:
// task and play names, module arguments (free-form k=v ones too), conditions, loops, every
// templated keyword (become_user, delegate_to, environment, ...), notify, `vars:` at every level,
// vars_files, role defaults/vars/params, include names and parameters, handlers, and the text of
// template files (src/run/precheck-files.ts).
// Not templates, not checked: `!unsafe` values, register (Ansible does not template it either).
import { isTemplate } from '../vars/unsafe.js';
import { ConfigError, ConfigErrors, type Pos } from '../errors.js';
import { INHERITED } from '../playbook/common.js';
import { argPos, writtenPos } from '../playbook/written.js';
import type { Handler, Play, Playbook, RoleRef, TaskNode, Vars } from '../types.js';
import type { TemplarLike } from './deps.js';
import type { SyntaxItem } from '../jinja/engine.js';
import { templateFileOf } from './precheck-files.js';
import { lookupModule } from '../playbook/modules.js';

export interface SyntaxChecker {
  /** Parse many strings in one round trip to the template engine: each one's error, or undefined.
   *  `wholeFile`: `src` is a template file's text, `where` its start (the error at the line inside). */
  checkSyntaxMany(items: SyntaxItem[]): (Error | undefined)[];
  /** The same strings sent to the engine without waiting (optional): checkSyntaxMany uses its answer. */
  postSyntaxMany?(items: SyntaxItem[]): void;
}

function hasChecker(t: TemplarLike): t is TemplarLike & SyntaxChecker {
  return typeof (t as Partial<SyntaxChecker>).checkSyntaxMany === 'function';
}

type Seg = string | number;
/** Where a value is: the object it was written in (task, play, vars mapping) and its path inside, or a fixed position (computed on an error only). */
type At = { in: object; segs: Seg[]; fallback: At } | Pos;

class Checker {
  readonly errors: ConfigError[] = [];
  private seen = new Set<string>();
  /** The strings to parse, checked together by flush(). */
  private pending: { src: string; expr: boolean; where: () => Pos; wholeFile: boolean; plainFile?: boolean }[] = [];
  private rolesDone = new Set<RoleRef>();
  /** `files`: template files' text is checked too (not when only learning names: prelearnTemplates). */
  constructor(
    private templar: SyntaxChecker,
    private playbookDir: string,
    private files = true,
  ) {}

  private pos(at: At): Pos {
    if (!('in' in at)) return at;
    return writtenPos(at.in, at.segs) ?? this.pos(at.fallback);
  }

  /** A value that is templated when used: every string inside (not mapping keys) must parse. */
  value(v: unknown, at: At): void {
    if (typeof v === 'string') {
      if (isTemplate(v)) this.run(v, at, false);
    } else if (Array.isArray(v)) v.forEach((x, i) => this.value(x, sub(at, i)));
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) this.value(x, sub(at, k));
  }

  /** Conditions (when, changed_when, failed_when, until): bare expressions unless written with {{ }}. */
  conds(list: string[] | undefined, at: At): void {
    (list ?? []).forEach((c, i) => {
      if (typeof c === 'string' && c.trim()) this.run(c, sub(at, i), !isTemplate(c));
    });
  }

  private run(src: string, at: At, expr: boolean, wholeFile = false, plainFile = false): void {
    this.pending.push({ src, expr, where: () => this.pos(at), wholeFile, ...(plainFile ? { plainFile } : {}) });
  }

  /** Sends every string collected to the engine without waiting (`postSyntaxMany`); flush() reads the answer. */
  post(): void {
    this.templar.postSyntaxMany?.(this.pending);
  }

  /** Parses every string collected, in one request to the engine, keeping each error once. */
  flush(templar: SyntaxChecker = this.templar): void {
    const items = this.pending;
    this.pending = [];
    const errs = templar.checkSyntaxMany(items);
    for (const e of errs) {
      if (e === undefined) continue;
      if (!(e instanceof ConfigError)) throw e;
      const key = e.toString();
      if (!this.seen.has(key)) this.errors.push(e);
      this.seen.add(key);
    }
  }

  /** The keywords a play, block, task or include may template (become_user, environment, ...). */
  keywords(o: object, pos: Pos): void {
    for (const [key, field] of INHERITED) {
      const v = (o as Record<string, unknown>)[field];
      if (v !== undefined && typeof v !== 'boolean' && typeof v !== 'number') this.value(v, { in: o, segs: [key], fallback: pos });
    }
  }

  vars(vars: Vars | undefined, owner: object, pos: Pos): void {
    // the mapping's own file (vars files, role vars), else the owner's `vars:` keyword
    for (const [k, v] of Object.entries(vars ?? {})) this.value(v, { in: vars as object, segs: [k], fallback: { in: owner, segs: ['vars', k], fallback: pos } });
  }

  role(r: RoleRef | undefined, pos: Pos): void {
    if (!r || this.rolesDone.has(r)) return;
    this.rolesDone.add(r);
    for (const part of [r.defaults, r.vars, r.params]) this.vars(part, part, pos);
  }

  nodes(list: TaskNode[]): void {
    for (const n of list) this.node(n);
  }

  private node(n: TaskNode): void {
    const at = (...segs: Seg[]): At => ({ in: n, segs, fallback: n.pos });
    this.value(n.name, at('name'));
    this.conds(n.when, at('when'));
    this.keywords(n, n.pos);
    this.vars(n.vars, n, n.pos);
    this.role(n.role, n.pos);
    if (n.kind === 'block') {
      this.nodes(n.block);
      this.nodes(n.rescue);
      this.nodes(n.always);
      return;
    }
    if (n.loop !== undefined) this.value(n.loop, at(n.loopWith ? `with_${n.loopWith}` : 'loop'));
    this.value(n.loopLabel, at('loop_control', 'label'));
    if (n.kind === 'include') {
      this.value(n.target, argPos(n, n.what === 'tasks' ? 'file' : 'name') ?? n.pos);
      for (const [k, v] of Object.entries(n.params)) this.value(v, argPos(n, k) ?? { in: n, segs: ['vars', k], fallback: n.pos });
      if (n.apply) this.node(n.apply);
      return;
    }
    const mod = lookupModule(n.action);
    mod?.prestart?.(); // the run uses it: what its first use waits for starts now, in the background
    const condArgs = mod?.conditionArgs ?? [];
    for (const [k, v] of Object.entries(n.args)) {
      const where = n.argsPos?.[k] ?? n.pos;
      if (condArgs.includes(k) && typeof v === 'string') this.conds([v], where);
      else if (condArgs.includes(k) && Array.isArray(v)) this.conds(v.map((c) => (typeof c === 'string' ? c : '')), { in: n, segs: [n.actionAs, k], fallback: where });
      else this.value(v, where);
    }
    const tf = this.files ? templateFileOf(n, this.playbookDir) : undefined;
    if (tf) this.run(tf.text, { file: tf.file, line: 1, col: 1 }, false, true, tf.plain);
    this.value(n.argsVar, at('args'));
    n.notify.forEach((h, i) => this.value(h, sub(at('notify'), i)));
    this.conds(n.changedWhen, at('changed_when'));
    this.conds(n.failedWhen, at('failed_when'));
    if (n.until) this.conds([n.until], at('until'));
    for (const k of ['async', 'poll'] as const) this.value(n[k], at(k));
    const inc = (n as Handler).include; // an include_tasks handler
    if (inc) this.node(inc);
  }

  play(play: Play): void {
    const at = (...segs: Seg[]): At => ({ in: play, segs, fallback: play.pos });
    this.conds(play.when, play.pos);
    this.value(play.name, at('name'));
    this.value(play.hosts, at('hosts'));
    this.keywords(play, play.pos);
    this.vars(play.vars, play, play.pos);
    this.vars(play.varsFiles, play.varsFiles, play.pos);
    this.value(play.gatherFacts, at('gather_facts'));
    this.value(play.gather?.subset, at('gather_subset'));
    this.value(play.gather?.timeout, at('gather_timeout'));
    this.value(play.gather?.factPath, at('fact_path'));
    this.value(play.serial, at('serial'));
    for (const r of play.roles) this.role(r, play.pos);
    for (const list of [play.preTasks, play.roleTasks, play.tasks, play.postTasks, play.handlers]) this.nodes(list);
  }
}

function sub(at: At, seg: Seg): At {
  return 'in' in at ? { in: at.in, segs: [...at.segs, seg], fallback: sub(at.fallback, seg) } : at;
}

/** Playbooks whose strings were collected and sent to the engine ahead of their precheck (postPrecheck); those prechecked already. */
const posted = new WeakMap<Playbook, Checker>();
const prechecked = new WeakSet<Playbook>();

/**
 * The precheck's strings collected and sent to the engine now, without waiting (as soon as the engine
 * serves: it parses them while lvsplay loads the inventory and its modules); precheckTemplates then
 * reads its answer. Nothing here fails: the precheck reports what it finds.
 */
export function postPrecheck(pb: Playbook, templar: TemplarLike): void {
  if (!hasChecker(templar) || posted.has(pb) || prechecked.has(pb)) return;
  try {
    const c = new Checker(templar, pb.dir);
    for (const play of pb.plays) c.play(play);
    c.post();
    posted.set(pb, c);
  } catch {
    /* the precheck itself reports it */
  }
}

/** Throws ConfigErrors listing every template syntax error in the playbook (nothing when the templar cannot check). */
export function precheckTemplates(pb: Playbook, templar: TemplarLike): void {
  if (!hasChecker(templar)) return;
  prechecked.add(pb);
  let c = posted.get(pb);
  posted.delete(pb);
  if (!c) {
    c = new Checker(templar, pb.dir);
    for (const play of pb.plays) c.play(play);
  }
  c.flush(templar);
  if (c.errors.length === 1) throw c.errors[0];
  if (c.errors.length) throw new ConfigErrors(inFileOrder(c.errors));
}

/**
 * The strings of the tasks an include brought in at run time (include_tasks, include_role), parsed in
 * one request: the engine then knows the variables each reads, and their first renders send them
 * with the request (no question back per string). Their errors are left for the run to report, as
 * Ansible reports them: when a host runs the task.
 */
export function prelearnTemplates(nodes: TaskNode[], role: RoleRef | undefined, templar: TemplarLike, playbookDir: string): void {
  if (!hasChecker(templar)) return;
  const c = new Checker(templar, playbookDir, false);
  const pos = nodes[0]?.pos;
  if (pos) c.role(role, pos);
  c.nodes(nodes);
  try {
    c.flush();
  } catch {
    /* the engine's failure: the renders report it */
  }
}

/** Errors by file (in the order files were first met), then by line and column. */
function inFileOrder(errors: ConfigError[]): ConfigError[] {
  const files = [...new Set(errors.map((e) => e.pos?.file ?? ''))];
  const rank = (e: ConfigError) => files.indexOf(e.pos?.file ?? '');
  return [...errors].sort((a, b) => rank(a) - rank(b) || (a.pos?.line ?? 0) - (b.pos?.line ?? 0) || (a.pos?.col ?? 0) - (b.pos?.col ?? 0));
}
