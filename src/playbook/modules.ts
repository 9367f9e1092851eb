// The module registry — the one place a task's action is looked up: the shipped modules
// (tasks/index.ts) by name and alias, then modules registered by tests or plugins; and which task
// keys are actions at all (those, plus the control actions of control.ts).
import { SHIPPED_MODULES } from '../../tasks/index.js';
import type { TaskModule } from '../types.js';
import { controlNames, findControl } from './control.js';

const shipped = new Map<string, TaskModule>();
for (const m of SHIPPED_MODULES) for (const n of [m.name, ...m.aliases]) shipped.set(n, m);
const extra = new Map<string, TaskModule>();

/** Register a module beside the static registry (tests, plugins). Returns an unregister function. */
export function registerModule(m: TaskModule): () => void {
  const names = [m.name, ...m.aliases];
  for (const n of names) extra.set(n, m);
  return () => {
    for (const n of names) if (extra.get(n) === m) extra.delete(n);
  };
}

/** The module a written action names (a shipped module wins over a registered one). */
export function lookupModule(name: string): TaskModule | undefined {
  return shipped.get(name) ?? extra.get(name);
}

/** Every module, shipped then registered (each once). */
export function allModules(): TaskModule[] {
  return [...new Set([...shipped.values(), ...extra.values()])];
}

/** Canonical control action for a written name (`ansible.builtin.include_tasks` -> `include_tasks`); see control.ts. */
export function controlAction(name: string): string | undefined {
  // a module registered under the name (a test's or a plugin's) takes over
  if (lookupModule(name)) return undefined;
  return findControl(name)?.name;
}

export function isAction(name: string): boolean {
  return !!lookupModule(name) || !!controlAction(name);
}

export function actionNames(): string[] {
  return [...new Set([...shipped.keys(), ...extra.keys(), ...controlNames()])];
}
