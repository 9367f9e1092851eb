// What a lookup plugin is given: its terms, its keyword options and the context of the task it runs in.
import type { Kw } from './filters-util.js';
import type { TemplateOptions } from './tplfile.js';

/** lookup('template')'s options: delimiters (under the file's own #jinja2: header) and convert_data. */
export type LookupTemplateOptions = Partial<TemplateOptions> & { convertData?: boolean };

export type VarLookup = (name: string) => { found: boolean; value?: unknown };

export interface LookupCtx {
  /** A variable of the task, templated (lookup('vars'), ansible_search_path, playbook_dir, groups). */
  vars: VarLookup;
  /** Every variable name of the task (lookup('varnames')). */
  names: () => string[];
  /** Render a template file with the task's variables (lookup('template')): text, or with convert_data what it looks like. */
  renderFile?: (path: string, extra: Record<string, unknown>, opts?: LookupTemplateOptions) => unknown;
  /** The subdirectory searched first in each search path ('files', 'templates', 'vars'), as Ansible sets it for with_* loops. */
  subdir?: string;
}

export type Plugin = (terms: unknown[], kw: Kw, ctx: LookupCtx) => unknown[];

/**
 * A lookup whose terms each become a step the engine carries out in one request (ini, csvfile): a
 * term that fails while its step is made fails after the steps before it ran, as Ansible reads term
 * by term (their failure comes first).
 */
export function termByTerm<S>(terms: unknown[], step: (term: string) => S, run: (steps: S[]) => unknown[]): unknown[] {
  const steps: S[] = [];
  try {
    for (const t of terms) steps.push(step(String(t)));
  } catch (e) {
    run(steps);
    throw e;
  }
  return run(steps);
}

/** A variable of the lookup's context, or a fallback. */
export function ctxVar<T>(ctx: LookupCtx, name: string, dflt: T): T {
  const r = ctx.vars(name);
  return r.found ? (r.value as T) : dflt;
}

// Ansible's exception class for a lookup's failure where it is not AnsibleError: the failed
// result's msg names it ("Error was a <class '...'>"); an AnsibleLookupError's message is shown as
// is, an AnsibleUndefinedVariable as an undefined variable (src/vars/lookups.ts lookupError).
const failureClass = new WeakMap<Error, { cls: string; original?: string }>();

/**
 * A lookup failure of Ansible's class `cls` (Ansible's own by name, 'AnsibleLookupError'; another
 * module's as module.Name; a builtin's by name); `original`: Ansible's message where lvsplay words it
 * differently (lvsplay's stays in its positioned error).
 */
export function lookupFailure(message: string, cls: string, original?: string): Error {
  const e = new Error(message);
  failureClass.set(e, { cls, original });
  return e;
}

export const failureClassOf = (e: Error): { cls: string; original?: string } | undefined => failureClass.get(e);

/** Warnings lookups give as they run (Ansible's display.warning in a lookup plugin), until the run takes them. */
const lookupWarnings: string[] = [];
export function lookupWarn(msg: string): void {
  lookupWarnings.push(msg);
}
/** The warnings since the last take (the run shows them before its next event, as Ansible shows them when they occur). */
export function takeLookupWarnings(): string[] {
  return lookupWarnings.splice(0);
}
