// What a lookup plugin is given: its terms, its keyword options and the context of the task it runs in.
import type { Kw } from './filters-util.js';

export type VarLookup = (name: string) => { found: boolean; value?: unknown };

export interface LookupCtx {
  /** A variable of the task, templated (lookup('vars'), ansible_search_path, playbook_dir, groups). */
  vars: VarLookup;
  /** Every variable name of the task (lookup('varnames')). */
  names: () => string[];
  /** Render a template file with the task's variables (lookup('template')). */
  renderFile?: (path: string, extra: Record<string, unknown>) => string;
  /** The subdirectory searched first in each search path ('files', 'templates', 'vars'), as Ansible sets it for with_* loops. */
  subdir?: string;
}

export type Plugin = (terms: unknown[], kw: Kw, ctx: LookupCtx) => unknown[];

/** A variable of the lookup's context, or a fallback. */
export function ctxVar<T>(ctx: LookupCtx, name: string, dflt: T): T {
  const r = ctx.vars(name);
  return r.found ? (r.value as T) : dflt;
}
