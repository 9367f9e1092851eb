// Which templating errors are undefined-variable errors (Ansible's AnsibleUndefinedVariable): the
// Jinja2 engine (src/jinja/engine.ts) marks them; the executor asks (src/run/hosttask.ts).
import { ConfigError, ConfigErrors, errorText } from '../errors.js';
import { markUnsafe } from './unsafe.js';

const undefinedErrors = new WeakSet<Error>();
/** Whether a templating error is an undefined variable (Ansible's AnsibleUndefinedVariable). */
export function isUndefinedError(e: unknown): boolean {
  return e instanceof Error && undefinedErrors.has(e);
}

/** Marks an error as an undefined-variable error (the Jinja2 engine's). */
export function markUndefined<E extends Error>(e: E): E {
  undefinedErrors.add(e);
  return e;
}

// Ansible's own words for a templating error, where they are known: Jinja2's text for an undefined
// value ("'x' is undefined. 'x' is undefined", as AnsibleUndefinedVariable repeats it), a filter's
// message. Results quote them as ansible-playbook 2.14 does, so content that tests `result.msg`
// reads the same text; lvsplay's FILE:LINE:COL and hint follow where Ansible shows a position.
const ansibleWords = new WeakMap<Error, string>();

/** Records Ansible's words for a templating error. */
export function withAnsibleWords<E extends Error>(e: E, words: string): E {
  ansibleWords.set(e, words);
  return e;
}

// errors raised inside an action plugin (after Ansible's task executor began the action: its
// result then has `changed: false`), as opposed to templating the task's options beforehand
const actionFailures = new WeakSet<Error>();

/** Marks an error as an action plugin's failure (copy/template not finding their source, a template file's render). */
export function asActionFailure<E extends Error>(e: E): E {
  actionFailures.add(e);
  return e;
}

export const isActionFailure = (e: unknown): boolean => e instanceof Error && actionFailures.has(e);

/** Ansible's words for a templating error, if known. */
export function ansibleWordsOf(e: unknown): string | undefined {
  return e instanceof Error ? ansibleWords.get(e) : undefined;
}

// the texts quote templates (the option, the conditional): data in a result, never rendered again
const data = (text: string): string => markUnsafe(text);

/** A failed result's msg for an error while templating a task's options (args, loop items). */
export function optionErrorMsg(e: unknown): string {
  const w = ansibleWordsOf(e);
  if (w === undefined) return data(errorText(e));
  return data(isUndefinedError(e) ? `The task includes an option with an undefined variable. The error was: ${w}\n\n${errorText(e)}` : w);
}

/** A failed result's msg for an error while templating the loop itself (`loop:`, `with_*`). */
export function loopErrorMsg(e: unknown): string {
  return data(ansibleWordsOf(e) ?? errorText(e));
}

/** The text of an error in the conditional `cond` (when, failed_when, changed_when), as Ansible words it; `where`: followed by lvsplay's position (when:). */
export function conditionErrorMsg(cond: string, e: unknown, where: boolean): string {
  const w = ansibleWordsOf(e);
  const text = w === undefined ? errorText(e) : isUndefinedError(e) ? `error while evaluating conditional (${cond}): ${w}` : w;
  return data(`The conditional check '${cond}' failed. The error was: ${text}${where && w !== undefined ? `\n\n${errorText(e)}` : ''}`);
}

// lvsplay's own FILE:LINE:COL text of the error a failed result came from: the console prints it
// under the failure when the result's msg (Ansible's words) does not carry it (a filter's text, a
// loop over an undefined variable, a module's conditional). Kept beside the result, not in it.
const positions = new WeakMap<object, string>();

/** Records, for a failed result, the positioned text of the error behind it (when it has a position). Returns the result. */
export function withPosition<T extends object>(result: T, e: unknown): T {
  // (a ConditionError says where through its cause)
  const cause = e instanceof ConfigError || e instanceof ConfigErrors ? e : (e as { cause?: unknown } | undefined)?.cause;
  if ((cause instanceof ConfigError && cause.pos) || (cause instanceof ConfigErrors && cause.errors.some((x) => x.pos))) positions.set(result, errorText(cause));
  return result;
}

/** The positioned text to show under a failed result whose msg does not already hold it. */
export function positionToShow(result: object): string | undefined {
  const t = positions.get(result);
  const msg = (result as { msg?: unknown }).msg;
  return t !== undefined && !(typeof msg === 'string' && msg.includes(t)) ? t : undefined;
}
