// Loading playbooks together with their custom modules (library.ts): the modules must be known
// before the tasks are validated, so that errors keep their positions and unknown names still get
// suggestions. The modules beside the playbooks, on the module path and in npm packages load
// first; the roles of the plays are only known once the plays are read, so when a role has a
// library/ the playbooks are read a second time with its modules known.
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import type { Playbook } from '../types.js';
import type { PlayDefaults } from './common.js';
import { loadPlaybook } from './index.js';
import { actionDirsOf, loadCustomModules, type LibrarySources } from './library.js';
import { addFoundModules, lookupModule, routeTask, setCustomModules, takeHandledArgErrors, unknownArgOf, unknownModuleOf, unknownModuleTask } from './modules.js';
import { ConfigErrors, type ConfigError } from '../errors.js';
import { ansibleModule } from '../pymod/module.js';
import { ansibleAction } from '../pymod/action.js';
import { ansibleCore } from '../pymod/runner.js';

export interface LoadWithModulesOpts {
  rolesPath?: string[];
  playDefaults?: PlayDefaults;
  deprecations?: Set<string>;
  /** -M/--module-path, ANSIBLE_LIBRARY, ansible.cfg `library` (absolute, or relative to the working directory). */
  modulePath?: string[];
}

/**
 * Load the playbooks with the custom modules of the run made current (src/playbook/modules.ts).
 * `restore` puts back the modules that were current before (the run must end first).
 */
export async function loadPlaybooksWithModules(files: string[], o: LoadWithModulesOpts = {}): Promise<{ playbooks: Playbook[]; restore: () => void }> {
  const src: LibrarySources = { playbookDirs: files.map((f) => path.dirname(path.resolve(f))), modulePath: o.modulePath };
  const before = setCustomModules(await loadCustomModules(src));
  const prevSources = current;
  current = src;
  const restore = () => {
    current = prevSources;
    before();
  };
  try {
    takeHandledArgErrors(); // only this load's
    const roleDirs = new Set<string>();
    const load = async () => {
      const out: Playbook[] = [];
      for (const f of files) out.push(await loadPlaybook(f, { rolesPath: o.rolesPath, playDefaults: o.playDefaults, deprecations: o.deprecations, roleDirs }));
      return out;
    };
    let first: Playbook[] | undefined;
    let failure: unknown;
    try {
      first = await load();
    } catch (e) {
      failure = e;
    }
    const withLibrary = [...roleDirs].filter(hasPlugins);
    if (withLibrary.length) {
      current = { ...src, roleDirs: withLibrary };
      setCustomModules(await loadCustomModules(current));
      o.deprecations?.clear();
      first = undefined;
      failure = undefined;
      try {
        first = await load();
      } catch (e) {
        failure = e;
      }
    }
    // module names lvsplay does not have: the modules ansible-core finds for them (collections, ansible.builtin's others)
    const handled = takeHandledArgErrors() as ConfigError[];
    if ((failure === undefined || failure instanceof ConfigErrors) && (await foundByAnsibleCore([...(failure instanceof ConfigErrors ? failure.errors : []), ...handled]))) {
      o.deprecations?.clear();
      return { playbooks: await load(), restore };
    }
    if (failure !== undefined) throw failure;
    return { playbooks: first!, restore };
  } catch (e) {
    restore();
    throw e;
  }
}

/** A role directory with modules of its own (library/) or Ansible action plugins (named when used). */
const hasPlugins = (d: string): boolean => existsSync(path.join(d, 'library')) || existsSync(path.join(d, 'action_plugins'));

/** The module sources of the run being loaded or run (include_role may add roles). */
let current: LibrarySources | undefined;

/**
 * A role reached at run time (include_role) with a library/ not loaded yet: load the run's custom
 * modules again with it. True when the modules changed (the caller reads the role again).
 */
export async function addRoleLibraries(roleDirs: Iterable<string>): Promise<boolean> {
  if (!current) return false;
  const known = new Set(current.roleDirs ?? []);
  const added = [...roleDirs].filter((d) => !known.has(d) && hasPlugins(d));
  if (!added.length) return false;
  current = { ...current, roleDirs: [...known, ...added] };
  setCustomModules(await loadCustomModules(current));
  return true;
}

/** Task positions already routed to Ansible's module (withlib.ts does not ask twice). */
const routedTasks = new Set<string>();

/**
 * Load errors about module names lvsplay does not have: ask ansible-core on the controller (when it
 * is there) where Ansible would find them — an installed collection's module, one of
 * ansible.builtin's lvsplay has no port of — and make those modules known (run as Ansible runs
 * them, src/pymod). A name Ansible runs through an action plugin of its own is noted so that its
 * error says so. A task passing arguments lvsplay's port of its module lacks, which Ansible's module
 * of the name documents, runs Ansible's module (that task only; the others keep lvsplay's port).
 * True when something was added (the caller loads again).
 */
export async function foundByAnsibleCore(errors: readonly ConfigError[]): Promise<boolean> {
  const names = [...new Set(errors.map(unknownModuleOf).filter((n): n is string => n !== undefined))];
  // tasks passing arguments lvsplay's port of their module lacks: task position -> module as written, those arguments
  const tasks = new Map<string, { module: string; args: Set<string> }>();
  for (const e of errors) {
    const u = unknownArgOf(e);
    if (!u || routedTasks.has(u.at)) continue;
    const t = tasks.get(u.at) ?? { module: u.module, args: new Set<string>() };
    t.args.add(u.arg);
    tasks.set(u.at, t);
  }
  const argModules = [...new Set([...tasks.values()].map((t) => t.module))];
  if (!names.length && !argModules.length) return false;
  let core;
  try {
    core = await ansibleCore();
  } catch {
    return false; // no ansible-core: the errors stand as they are
  }
  const resolved = await core.resolveNames([...new Set([...names, ...argModules])]);
  let routedSome = false;
  const actionDirs = actionDirsOf(current ?? { playbookDirs: [] });
  /** What ansible-core runs for `written`, resolved as `r`: its action plugin (src/pymod/action.ts), else its module. */
  const coreModule = (written: string, r: { fqcn: string; path: string; action?: boolean }) => (r.action ? ansibleAction(written, r.fqcn, r.path, actionDirs) : ansibleModule(written, r.path));
  /** The task at `at` runs Ansible's module or action plugin (resolved as `r`) of the name written there. */
  const route = (at: string, written: string, r: { fqcn: string; path: string; action?: boolean }): void => {
    routeTask(at, `${r.fqcn}@ansible-core`, coreModule(written, r));
    routedTasks.add(at);
    routedSome = true;
  };
  // Ansible's module of the name has every such argument and no action plugin of its own: the task runs it
  for (const [at, t] of tasks) {
    const r = resolved[t.module];
    if (!r || r.action || !r.options || ![...t.args].every((a) => r.options!.includes(a))) continue;
    // an argument lvsplay refuses on purpose (its reason given: user's ssh_key_passphrase would show on the host's command line) stays refused
    if ([...t.args].some((a) => !!lookupModule(t.module)?.unsupportedArgs?.[a])) continue;
    route(at, t.module, r);
  }
  // the names lvsplay has no module for (those asked only for their arguments keep lvsplay's port)
  const found = Object.fromEntries(names.map((n) => [n, resolved[n]]));
  // a name found nowhere else, in a task under a `collections` keyword: that task runs the collection's module of the name
  const inCollections = new Map<string, { name: string; at: string }[]>();
  for (const e of errors) {
    const u = unknownModuleTask(e);
    if (!u?.collections || !u.at || found[u.name] || routedTasks.has(u.at)) continue;
    const key = JSON.stringify(u.collections);
    inCollections.set(key, [...(inCollections.get(key) ?? []), { name: u.name, at: u.at }]);
  }
  for (const [key, list] of inCollections) {
    const there = await core.resolveNames([...new Set(list.map((x) => x.name))], JSON.parse(key) as string[]);
    for (const { name, at } of list) {
      const r = there[name];
      if (r) route(at, name, r);
    }
  }
  const modules = new Map<string, { module: import('../types.js').TaskModule; file: string }>();
  for (const [name, r] of Object.entries(found)) {
    if (!r) continue;
    // Ansible runs the name through an action plugin (a collection's, such as ansible.posix.patch): ansible-core runs it (src/pymod/action.ts)
    modules.set(name, { module: coreModule(name, r), file: r.path });
  }
  if (modules.size) addFoundModules(modules);
  return modules.size > 0 || routedSome;
}
