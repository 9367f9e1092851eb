// Which task keys are actions: modules from the registry (tasks/index.ts), extra modules registered
// by tests or plugins, and the control actions the executor handles itself.
import { findModule, moduleNames } from '../../tasks/index.js';
import type { TaskModule } from '../types.js';
import { controlNames, findControl } from './control.js';

const extra = new Map<string, TaskModule>();

/** Register a module beside the static registry (tests, plugins). Returns an unregister function. */
export function registerModule(m: TaskModule): () => void {
  const names = [m.name, ...m.aliases];
  for (const n of names) extra.set(n, m);
  return () => {
    for (const n of names) if (extra.get(n) === m) extra.delete(n);
  };
}

export function lookupModule(name: string): TaskModule | undefined {
  return findModule(name) ?? extra.get(name);
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
  return [...new Set([...moduleNames(), ...extra.keys(), ...controlNames()])];
}
