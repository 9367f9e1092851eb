// The module registry: every task module, by its name and its aliases (FQCNs).
// One line per module below; keep them sorted.
import type { TaskModule } from '../src/types.js';

const modules: TaskModule[] = [
  // (modules are added here, one import each)
];

const byName = new Map<string, TaskModule>();
for (const m of modules) for (const n of [m.name, ...m.aliases]) byName.set(n, m);

export function findModule(name: string): TaskModule | undefined {
  return byName.get(name);
}
export function moduleNames(): string[] {
  return [...byName.keys()];
}
export function allModules(): TaskModule[] {
  return modules;
}
