// include_tasks / include_role at run time: per host `when` and loop, the file or role resolved with
// the host's variables; hosts that include the same file with the same parameters run it together.
import { existsSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import type { Handler, IncludeNode, RoleRef, TaskNode, Vars } from '../types.js';
import { errorText } from '../errors.js';
import type { PlayRunner } from './play.js';
import type { Scope } from './scope.js';
import { childScope } from './scope.js';
import { keyword } from './keywords.js';
import { itemVars, loopControl, loopItems } from './loopitems.js';
import { prelearnTemplates } from './precheck.js';

export interface IncludeGroup {
  hosts: string[];
  nodes: TaskNode[];
  params: Vars;
  role?: RoleRef;
}

/** Includes nested deeper than this are an error (a file or role that includes itself, directly or not). */
export const MAX_INCLUDE_DEPTH = 64;

/** The chain of includes (FILE:LINE of each include_*, outermost first) that loaded an include node. */
const chainOf = new WeakMap<TaskNode, string[]>();

function markChain(nodes: TaskNode[], chain: string[]): void {
  for (const node of nodes) {
    if (node.kind === 'include') chainOf.set(node, chain);
    else if (node.kind === 'block') for (const part of [node.block, node.rescue, node.always]) markChain(part, chain);
  }
}

function includePath(r: PlayRunner, n: IncludeNode, scope: Scope, target: string): string {
  if (isAbsolute(target)) return target;
  const role = n.role ?? scope.role;
  const candidates = [
    ...(role ? [join(role.path, 'tasks', target)] : []),
    join(dirname(n.file), target),
    join(r.st.playbook.dir, target),
  ];
  return candidates.find((c) => existsSync(c)) ?? resolve(dirname(n.file), target);
}

/** Handlers of a role included with `vars:` (the same copies each time the include runs): they see those vars, as in Ansible. */
const varied = new WeakMap<IncludeNode, Map<Handler, Handler>>();
function handlersWithVars(n: IncludeNode, handlers: Handler[]): Handler[] {
  if (!Object.keys(n.vars).length) return handlers;
  let m = varied.get(n);
  if (!m) varied.set(n, (m = new Map()));
  return handlers.map((h) => {
    let c = m!.get(h);
    if (!c) m!.set(h, (c = { ...h, vars: { ...n.vars, ...h.vars } }));
    return c;
  });
}

export async function includeTargets(r: PlayRunner, n: IncludeNode, hosts: string[], scope: Scope): Promise<IncludeGroup[]> {
  const st = r.st;
  const templar = st.deps.templar;
  const is = childScope(scope, n);
  const byKey = new Map<string, IncludeGroup & { key: string; file: string }>();
  const pending: { key: string; host: string; file: string; params: Vars }[] = [];
  const name = n.name ?? (n.what === 'tasks' ? 'include_tasks' : 'include_role');
  const started = Date.now();
  const fail = (h: string, msg: string) => {
    let ignored = false; // the include's own ignore_errors (it does not pass to the included tasks)
    try {
      ignored = keyword(r.env, scope, n, 'ignoreErrors', r.env.builder.forTask(h, { role: is.role, blockVars: is.blockVars, params: is.params })) === true;
    } catch {
      /* a broken ignore_errors ignores nothing */
    }
    st.emit({ type: 'host_result', host: h, task: name, status: 'failed', ignored: ignored || undefined, msg, result: st.masker.value({ failed: true, msg }), durationMs: Date.now() - started });
    r.account(h, { status: 'failed', result: { failed: true, msg }, ignored }, scope, undefined);
  };
  const chain = [...(chainOf.get(n) ?? []), `${n.pos.file}:${n.pos.line}:${n.pos.col}`];
  if (chain.length > MAX_INCLUDE_DEPTH) {
    const msg = `includes nested more than ${MAX_INCLUDE_DEPTH} deep (does a file or role include itself?): ${chain.slice(0, 3).join(' -> ')} -> ... -> ${chain.slice(-3).join(' -> ')}`;
    for (const h of hosts) fail(h, msg);
    return [];
  }
  for (const h of hosts) {
    const v = r.env.builder.forTask(h, { role: is.role, blockVars: is.blockVars, params: is.params, taskFile: n.file });
    try {
      const looped = n.loop !== undefined;
      const items = looped ? loopItems(templar, n, v) : [undefined];
      const lc = looped ? loopControl(templar, n, v) : n;
      let included = false;
      for (const [i, item] of items.entries()) {
        const iv = looped ? { ...v, ...itemVars(lc, item, i, items) } : v;
        const conds = [...scope.when, ...n.when];
        if (!conds.every((c) => templar.evalCondition(c, iv, n.pos))) continue;
        const target = String(templar.render(n.target, iv, n.pos));
        const params: Vars = { ...((templar.render(n.params ?? {}, iv, n.pos) as Vars) ?? {}) };
        if (looped) {
          // the item, index_var and ansible_loop reach the included tasks; ansible_loop_var and ansible_index_var do not (as Ansible)
          const { ansible_loop_var: _lv, ansible_index_var: _iv, ...passed } = itemVars(lc, item, i, items);
          Object.assign(params, passed);
        }
        const file = n.what === 'tasks' ? includePath(r, n, scope, target) : target;
        const key = `${file}\u0000${JSON.stringify(params)}`;
        pending.push({ key, host: h, file, params });
        included = true;
      }
      if (!included) {
        const res = { changed: false, skipped: true, skip_reason: 'Conditional result was False' };
        st.emit({ type: 'host_result', host: h, task: name, status: 'skipped', result: res, durationMs: Date.now() - started });
        r.account(h, { status: 'skipped', result: res, ignored: false }, scope, undefined);
      }
    } catch (e) {
      fail(h, errorText(e));
    }
  }
  for (const p of pending) {
    let g = byKey.get(p.key);
    if (!g) {
      g = { key: p.key, file: p.file, hosts: [], nodes: [], params: p.params };
      byKey.set(p.key, g);
    }
    if (!g.hosts.includes(p.host)) g.hosts.push(p.host);
  }
  const out: IncludeGroup[] = [];
  for (const g of byKey.values()) {
    try {
      if (n.what === 'tasks') {
        g.nodes = await st.deps.loadTaskFile(g.file, { role: n.role ?? scope.role, pos: n.pos, collections: n.collections });
      } else {
        const fromDir = dirname(n.file);
        const { name: _n, tasks_from, vars_from, defaults_from, handlers_from, allow_duplicates, ...params } = g.params;
        const str = (x: unknown): string | undefined => (x === undefined || x === null ? undefined : String(x));
        const loaded = await st.deps.resolveRole(g.file, fromDir, params, st.opts.rolesPath, {
          tasksFrom: str(tasks_from),
          varsFrom: str(vars_from),
          defaultsFrom: str(defaults_from),
          handlersFrom: str(handlers_from),
          allowDuplicates: allow_duplicates === true,
          pos: n.pos,
        });
        g.nodes = loaded.tasks;
        g.role = loaded.role;
        r.notes.add(handlersWithVars(n, loaded.handlers));
        g.params = {};
      }
      markChain(g.nodes, chain);
      prelearnTemplates(g.nodes, g.role ?? n.role ?? scope.role, templar, st.playbook.dir);
      // as Ansible 2.14: an included task file is an `included:` line counted ok; an included role neither
      for (const h of n.what === 'tasks' ? g.hosts : []) {
        const res = { changed: false, _include: g.file };
        st.emit({ type: 'host_result', host: h, task: name, status: 'ok', result: res, durationMs: Date.now() - started });
        r.account(h, { status: 'ok', result: { changed: false }, ignored: false }, scope, undefined);
      }
      out.push(g);
    } catch (e) {
      for (const h of g.hosts) fail(h, errorText(e));
    }
  }
  return out;
}
