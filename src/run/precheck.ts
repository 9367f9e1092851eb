// Before the run: every template string and condition of the playbook must at least parse. A
// syntax error is bad input (exit 4) found before any host is touched, not a failure half way
// through a play that has already changed some hosts.
import { isTemplate } from '../vars/unsafe.js';
import { ConfigError, ConfigErrors, type Pos } from '../errors.js';
import type { Playbook, TaskNode } from '../types.js';
import type { TemplarLike } from './deps.js';

export interface SyntaxChecker {
  checkSyntax(src: string, where?: Pos, expr?: boolean): void;
}

function hasChecker(t: TemplarLike): t is TemplarLike & SyntaxChecker {
  return typeof (t as Partial<SyntaxChecker>).checkSyntax === 'function';
}

/** Throws ConfigErrors listing every template syntax error in the playbook (nothing when the templar cannot check). */
export function precheckTemplates(pb: Playbook, templar: TemplarLike): void {
  if (!hasChecker(templar)) return;
  const errors: ConfigError[] = [];
  const seen = new Set<string>();
  const check = (src: unknown, pos: Pos, expr = false): void => {
    if (typeof src === 'string') {
      try {
        templar.checkSyntax(src, pos, expr);
      } catch (e) {
        if (!(e instanceof ConfigError)) throw e;
        const key = e.toString();
        if (!seen.has(key)) errors.push(e);
        seen.add(key);
      }
    } else if (Array.isArray(src)) for (const x of src) check(x, pos);
    else if (src && typeof src === 'object') for (const v of Object.values(src)) check(v, pos);
  };
  const conds = (list: string[] | undefined, pos: Pos): void => {
    for (const c of list ?? []) if (typeof c === 'string' && c.trim()) check(c, pos, !isTemplate(c));
  };
  const walk = (nodes: TaskNode[]): void => {
    for (const n of nodes) {
      conds(n.when, n.pos);
      if (n.kind === 'block') {
        walk(n.block);
        walk(n.rescue);
        walk(n.always);
      } else if (n.kind === 'include') {
        check(n.target, n.pos);
        check(n.params, n.pos);
        if (n.loop !== undefined) check(n.loop, n.pos);
      } else {
        for (const [k, v] of Object.entries(n.args)) check(v, n.argsPos?.[k] ?? n.pos);
        if (n.loop !== undefined) check(n.loop, n.pos);
        conds(n.changedWhen, n.pos);
        conds(n.failedWhen, n.pos);
        if (n.until) conds([n.until], n.pos);
      }
    }
  };
  for (const play of pb.plays) {
    conds(play.when, play.pos);
    walk(play.preTasks);
    walk(play.roleTasks);
    walk(play.tasks);
    walk(play.postTasks);
    walk(play.handlers);
  }
  if (errors.length === 1) throw errors[0];
  if (errors.length) throw new ConfigErrors(errors);
}
