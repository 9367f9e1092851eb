// Which task keys are actions: modules from the registry (tasks/index.ts), extra modules registered
// by tests or plugins, and the control actions the executor handles itself.
import { findModule, moduleNames } from '../../tasks/index.js';
import type { TaskModule } from '../types.js';

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

/** Actions handled by the executor/loader rather than a module (short name -> canonical). */
export const CONTROL_ACTIONS = ['meta', 'include_tasks', 'import_tasks', 'include_role', 'import_role', 'include_vars'];

/** Canonical control action for a written name (`ansible.builtin.include_tasks` -> `include_tasks`). */
export function controlAction(name: string): string | undefined {
  const short = name.startsWith('ansible.builtin.') ? name.slice('ansible.builtin.'.length) : name.startsWith('ansible.legacy.') ? name.slice('ansible.legacy.'.length) : name;
  if (!CONTROL_ACTIONS.includes(short)) return undefined;
  // a real module registered under the name (e.g. tasks/meta.ts) takes over
  if (lookupModule(name)) return undefined;
  return short;
}

export function isAction(name: string): boolean {
  return !!lookupModule(name) || !!controlAction(name);
}

export function actionNames(): string[] {
  return [...new Set([...moduleNames(), ...extra.keys(), ...CONTROL_ACTIONS])];
}

export const META_ACTIONS = [
  'flush_handlers',
  'noop',
  'refresh_inventory',
  'clear_facts',
  'clear_host_errors',
  'end_play',
  'end_host',
  'end_batch',
  'reset_connection',
];
