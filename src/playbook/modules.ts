// The module registry — the one place a task's action is looked up: the custom modules of the run
// (library/, -M, npm packages: src/playbook/library.ts; they override shipped modules, as Ansible's
// library/ does), the shipped modules (tasks/index.ts) by name and alias, then modules registered
// by tests or plugins; and which task keys are actions at all (those, plus control.ts's actions).
import * as path from 'node:path';
import { SHIPPED_MODULES } from '../../tasks/index.js';
import type { TaskModule } from '../types.js';
import type { Pos } from '../errors.js';
import { controlNames, findControl } from './control.js';
import { coreMissing } from '../pymod/runner.js';

const shipped = new Map<string, TaskModule>();
for (const m of SHIPPED_MODULES) for (const n of [m.name, ...m.aliases]) shipped.set(n, m);
const extra = new Map<string, TaskModule>();

/** The run's custom modules by every name they answer to, and the Ansible Python modules found beside them (refused when a task uses one). */
export interface CustomModules {
  modules: Map<string, { module: TaskModule; file: string }>;
  python: Map<string, string>;
}
let custom: CustomModules | undefined;

/** Make `layer` the custom modules of the run (replacing any); returns a function restoring the previous ones. */
export function setCustomModules(layer: CustomModules | undefined): () => void {
  const prev = custom;
  custom = layer;
  return () => {
    custom = prev;
  };
}

/** The file of the Ansible Python module a name stands for in this run, if any. */
export function pythonModule(name: string): string | undefined {
  return custom?.python.get(name);
}

/** The shipped module of a name (not a custom one). */
export function builtinModule(name: string): TaskModule | undefined {
  return shipped.get(name);
}

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
  const r = routed.get(name);
  if (r) return r;
  if (custom?.python.has(name)) return undefined;
  return custom?.modules.get(name)?.module ?? shipped.get(name) ?? extra.get(name);
}

/** Every module, shipped then registered (each once). */
export function allModules(): TaskModule[] {
  return [...new Set([...[...(custom?.modules.values() ?? [])].map((c) => c.module), ...shipped.values(), ...extra.values()])];
}

/** Canonical control action for a written name (`ansible.builtin.include_tasks` -> `include_tasks`); see control.ts. */
export function controlAction(name: string): string | undefined {
  // a module registered under the name (a test's or a plugin's) takes over
  if (lookupModule(name) || custom?.python.has(name)) return undefined;
  return findControl(name)?.name;
}

export function isAction(name: string): boolean {
  return !!lookupModule(name) || !!controlAction(name);
}

export function actionNames(): string[] {
  return [...new Set([...(custom?.modules.keys() ?? []), ...shipped.keys(), ...extra.keys(), ...controlNames()])];
}

/** Load errors about a module name lvsplay does not know (ansible-core on the controller may have it: withlib.ts). */
const unknownNames = new WeakMap<object, { name: string; collections?: string[]; at?: string }>();
/** Mark `e` as "no module of this name" (an error about `name` as an action); `task`: the task's `collections` in force and where its action key is. */
export function markUnknownModule<E extends object>(e: E, name: string, task?: { collections?: string[]; at: Pos }): E {
  unknownNames.set(e, { name, collections: task?.collections, at: task ? posKey(task.at) : undefined });
  return e;
}
/** The module name an error says lvsplay does not know, if it is such an error. */
export function unknownModuleOf(e: unknown): string | undefined {
  return e && typeof e === 'object' ? unknownNames.get(e)?.name : undefined;
}
/** The same, with the task's `collections` and position (a short name may be a module of those collections). */
export function unknownModuleTask(e: unknown): { name: string; collections?: string[]; at?: string } | undefined {
  return e && typeof e === 'object' ? unknownNames.get(e) : undefined;
}

/** Load errors about an argument a module of lvsplay's does not have (Ansible's module of the name may: withlib.ts). */
const unknownArgs = new WeakMap<object, { arg: string; module?: string; at?: string }>();
export function markUnknownArg<E extends object>(e: E, arg: string): E {
  unknownArgs.set(e, { arg });
  return e;
}
/** The task an unknown-argument error belongs to: the module as written and where the task's action is (readAction). */
export function placeUnknownArg(e: object, module: string, at: Pos): void {
  const u = unknownArgs.get(e);
  if (u) Object.assign(u, { module, at: posKey(at) });
}
export function unknownArgOf(e: unknown): { arg: string; module: string; at: string } | undefined {
  const u = e && typeof e === 'object' ? unknownArgs.get(e) : undefined;
  return u?.module && u.at ? (u as { arg: string; module: string; at: string }) : undefined;
}

/** Argument errors of tasks whose failure is handled (left to the run): withlib.ts may route those tasks too. */
let handledArgErrors: object[] = [];
export function noteHandledArgErrors(errs: object[]): void {
  for (const e of errs) if (unknownArgs.has(e)) handledArgErrors.push(e);
}
/** The errors noted since the last call. */
export function takeHandledArgErrors(): object[] {
  const out = handledArgErrors;
  handledArgErrors = [];
  return out;
}

function posKey(p: Pos): string {
  return `${p.file}:${p.line}:${p.col}`;
}
/** Tasks (by the position of their action) that run Ansible's own module of their name: lvsplay's port lacks an argument they pass. */
const routes = new Map<string, { name: string; module: TaskModule }>();
/** Route the task whose action is at `at` to `module` (registered under the internal name `name`). */
export function routeTask(at: string, name: string, module: TaskModule): void {
  routes.set(at, { name, module });
  routed.set(name, module);
}
const routed = new Map<string, TaskModule>();
/** The module a task at this position is routed to, if any. */
export function routedAt(at: Pos): { name: string; module: TaskModule } | undefined {
  return routes.get(posKey(at));
}

/** The run's custom-module layer, made (empty) when the run has none yet. */
function ensureLayer(): CustomModules {
  custom ??= { modules: new Map(), python: new Map() };
  return custom;
}

/** Add modules ansible-core found for names lvsplay does not have (below every other source: only unknown names). */
export function addFoundModules(found: Map<string, { module: TaskModule; file: string }>): void {
  const layer = ensureLayer();
  for (const [n, m] of found) if (!layer.modules.has(n) && !shipped.has(n)) layer.modules.set(n, m);
}

/** Why a task cannot use the Ansible module `name` found at `file`. */
export function pythonModuleMessage(name: string, file: string): string {
  const plugin = path.basename(path.dirname(file)) === 'action_plugins';
  return (
    `module '${name}' is ${plugin ? 'an Ansible action plugin' : 'an Ansible module'} (${file}): lvsplay runs those with ansible-core${plugin ? '' : "'s module builder"} on the controller, and no python here has ansible-core` +
    `${coreMissing() ? ` (${coreMissing()})` : ''}; install it (Debian/Ubuntu: apt-get install ansible-core; elsewhere: pip install ansible-core, or point LVSPLAY_PYTHON at a python3 that has it), or write the module for lvsplay (NAME.ts or NAME.js with defineModule(), see docs/api.md)`
  );
}
