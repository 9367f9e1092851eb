// What a task inherits from the blocks, roles and includes around it while the play is walked.
import type { KeywordLayer, Play, RoleRef, TaskCommon, Vars } from '../types.js';

/** Failure tracking of one block section: hosts that failed inside it. */
export interface Frame {
  failed: Set<string>;
  /** This frame is a block section whose block has a rescue: failures in it are "rescued". */
  rescuable: boolean;
  parent?: Frame;
}

export interface Scope {
  /** The levels whose keywords the tasks inside inherit, outer first: the play, then blocks/roles/includes (src/run/keywords.ts reads them). */
  layers: KeywordLayer[];
  when: string[];
  tags: string[];
  blockVars: Vars[];
  params: Vars;
  role?: RoleRef;
  frame?: Frame;
  handler: boolean;
}

/** The scope of a play's top-level tasks: the play's keywords are inherited. */
export function rootScope(tags: string[], play?: Play): Scope {
  return { layers: play ? [play] : [], when: [], tags: [...tags], blockVars: [], params: {}, handler: false };
}

/** The scope inside a block or include node (its keywords apply to everything within). */
export function childScope(s: Scope, n: TaskCommon, params: Vars = {}): Scope {
  return {
    ...s,
    layers: [...s.layers, n],
    when: [...s.when, ...n.when],
    tags: [...new Set([...s.tags, ...n.tags])],
    blockVars: Object.keys(n.vars ?? {}).length ? [...s.blockVars, n.vars] : s.blockVars,
    params: Object.keys(params).length ? { ...s.params, ...params } : s.params,
    role: n.role ?? s.role,
  };
}

/**
 * The scope of the tasks a dynamic include (include_tasks/include_role) brings in: its `vars` pass
 * down, its keywords do not — `when`, `tags`, `ignore_errors`, ... act on the include itself, as in
 * Ansible (a static import is a block: childScope).
 */
export function includedScope(s: Scope, n: TaskCommon): Scope {
  return {
    ...s,
    blockVars: Object.keys(n.vars ?? {}).length ? [...s.blockVars, n.vars] : s.blockVars,
    role: n.role ?? s.role,
  };
}

/** Is the host out of this frame chain (failed in an enclosing block section)? */
export function failedInFrames(host: string, f: Frame | undefined): boolean {
  for (let x = f; x; x = x.parent) if (x.failed.has(host)) return true;
  return false;
}

/** Will a failure at this frame be rescued by an enclosing block? */
export function willBeRescued(f: Frame | undefined): boolean {
  for (let x = f; x; x = x.parent) if (x.rescuable) return true;
  return false;
}
