// The items of a task's loop and the variables each item runs with, as Ansible 2.14's TaskExecutor:
// `loop:` is a list; `with_<lookup>:` runs the lookup on its terms (templated first) with wantlist=True.
import { formatPos, type Pos } from '../errors.js';
import type { LoopFields, Vars } from '../types.js';
import { loopTerms, runLookup } from '../vars/lookups.js';
import type { TemplarLike as Templar } from './deps.js';
import { toBool } from '../bool.js';
import { markUnsafe } from '../vars/unsafe.js';

type LoopNode = LoopFields & { pos: Pos; actionAs?: string };

/** The subdirectory a with_* lookup searches first, from the action's name (as Ansible: template, var, else file). */
function subdirOf(action: string): string {
  return `${['template', 'var', 'file'].find((s) => action.includes(s)) ?? 'file'}s`;
}

/** The lookup's terms: templated; for first_found, a term that cannot be templated is passed over (as Ansible). */
function terms(templar: Templar, n: LoopNode, v: Vars): unknown[] {
  if (n.loopWith === 'first_found' && Array.isArray(n.loop)) {
    const out: unknown[] = [];
    for (const t of n.loop) {
      try {
        out.push(templar.render(t, v, n.pos));
      } catch {
        /* undefined: the next candidate */
      }
    }
    return out;
  }
  const raw = typeof n.loop === 'string' ? n.loop.trim() : n.loop;
  return loopTerms(n.loopWith!, templar.render(raw, v, n.pos));
}

/** The loop's items (throws with the message the task fails with). */
export function loopItems(templar: Templar, n: LoopNode, v: Vars): unknown[] {
  if (n.loopWith) {
    const sub = subdirOf(n.actionAs ?? '');
    const ctx = templar.lookupContext?.(v, sub) ?? { vars: (k: string) => ({ found: k in v, value: v[k] }), names: () => Object.keys(v), subdir: sub };
    // as Ansible: what a lookup returns is data (wrap_var), never templated again
    return markUnsafe(runLookup(n.loopWith, terms(templar, n, v), {}, ctx));
  }
  const items = templar.render(n.loop, v, n.pos);
  if (!Array.isArray(items)) {
    throw new Error(
      `${formatPos(n.pos)}: Invalid data passed to 'loop', it requires a list, got this instead: ${String(items)}. Hint: If you passed a list/dict of just one element, try adding wantlist=True to your lookup invocation or use q/query instead of lookup.`,
    );
  }
  return items;
}

/**
 * loop_control with its templates rendered with the task's variables, before the first item (as
 * Ansible's post_validate of loop_control: loop_var, index_var, pause, extended, extended_allitems;
 * label is rendered per item). Throws the message the task fails with.
 */
export function loopControl<T extends LoopNode>(templar: Templar, n: T, v: Vars): T {
  const str = (x: string) => String(templar.render(x, v, n.pos));
  const out = { ...n, loopVar: str(n.loopVar) };
  if (n.indexVar !== undefined) out.indexVar = str(n.indexVar);
  if (typeof n.loopPause === 'string') {
    const p = Number(templar.render(n.loopPause, v, n.pos));
    if (!Number.isFinite(p)) throw new Error(`${formatPos(n.pos)}: loop_control.pause must be a number of seconds, got ${JSON.stringify(str(n.loopPause))}`);
    out.loopPause = Math.min(Math.max(p, 0), 2147483);
  }
  if (typeof n.loopExtended === 'string') out.loopExtended = toBool(templar.render(n.loopExtended, v, n.pos));
  if (typeof n.loopAllItems === 'string') out.loopAllItems = toBool(templar.render(n.loopAllItems, v, n.pos));
  return out;
}

/** What an item adds to the task's variables and to its result: the loop variable, index_var, ansible_loop (extended). */
export function itemVars(n: LoopFields, item: unknown, i: number, items: unknown[]): Vars {
  const out: Vars = { [n.loopVar]: item, ansible_loop_var: n.loopVar };
  if (n.indexVar) {
    out[n.indexVar] = i;
    out.ansible_index_var = n.indexVar;
  }
  if (n.loopExtended === true) {
    const len = items.length;
    const l: Vars = { index: i + 1, index0: i, revindex: len - i, revindex0: len - i - 1, first: i === 0, last: i === len - 1, length: len };
    if (n.loopAllItems !== false) l.allitems = items;
    if (i > 0) l.previtem = items[i - 1];
    if (i < len - 1) l.nextitem = items[i + 1];
    out.ansible_loop = l;
  }
  return out;
}
