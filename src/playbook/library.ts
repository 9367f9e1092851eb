// Custom modules, found as Ansible finds modules: `library/` beside the playbook and in every role
// of the play (same precedence), then -M/--module-path, ANSIBLE_LIBRARY and ansible.cfg `library`,
// then npm packages whose package.json lists modules (`"lvsplay": { "modules": [...] }`). A
// nearer level wins; two modules of one name at the same level are an error naming both files.
// As in Ansible 2.14 (measured, test/api/library-compat.test.ts), a custom module overrides a
// built-in of its name (also under ansible.builtin./ansible.legacy.), except lvsplay's
// controller-side actions (debug, set_fact, include_tasks, ...), which Ansible runs as action
// plugins that never consult library/: a custom module of such a name is refused.
// Ansible's own modules (NAME.py, a file without extension) run through ansible-core on the
// controller (src/pymod); without it, and for Ansible action plugins, they are remembered so that a
// task using one gets a clear error at its position.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { ConfigError, ConfigErrors } from '../errors.js';
import type { TaskModule } from '../types.js';
import { isDefinedModule } from '../api/define.js';
import { findControl } from './control.js';
import { importModuleFile } from './modload.js';
import { builtinModule, type CustomModules } from './modules.js';
import { ancestors, packageNames } from './rolesearch.js';
import { ansibleModule } from '../pymod/module.js';
import { ansibleAction, type ActionDirs } from '../pymod/action.js';
import { ansibleCore, noteCoreMissing } from '../pymod/runner.js';

const isActionPluginFile = (file: string): boolean => path.basename(path.dirname(file)) === 'action_plugins';

/** Whether ansible-core can build module payloads on this controller (its helper process is started once, here). */
async function coreAvailable(): Promise<boolean> {
  try {
    await ansibleCore();
    return true;
  } catch (e) {
    noteCoreMissing((e as Error).message);
    return false;
  }
}

export interface LibrarySources {
  /** Directories of the playbooks: `library/` beside each. */
  playbookDirs: string[];
  /** Role directories of the plays: `library/` in each. */
  roleDirs?: Iterable<string>;
  /** -M/--module-path, ANSIBLE_LIBRARY, ansible.cfg `library`. */
  modulePath?: string[];
}

interface Candidate {
  name: string; // file name without extension (library dirs); the module's own name (npm)
  file: string;
  python: boolean;
  level: number; // 0 library/ of playbook and roles, 1 module path, 2 npm packages
  npm?: string; // the package that declares it
}

const JS = ['.ts', '.mts', '.js', '.mjs'];
/** Not modules: Ansible's MODULE_IGNORE_EXTS (2.14), lvsplay's declaration files, and Windows modules (PowerShell, C#). */
const IGNORED = ['.pyc', '.pyo', '.swp', '.bak', '.rpm', '.md', '.txt', '.rst', '.yaml', '.yml', '.ini', '.json', '.ps1', '.psm1', '.cs', '.map', '.cts', '.cjs'];

function scanDir(dir: string, level: number): Candidate[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const out: Candidate[] = [];
  for (const n of names.sort()) {
    if (n.startsWith('.') || n.startsWith('_') || n.endsWith('.d.ts') || n.endsWith('.d.mts')) continue;
    const file = path.join(dir, n);
    try {
      if (!statSync(file).isFile()) continue;
    } catch {
      continue;
    }
    const ext = path.extname(n);
    if (n.slice(0, n.length - ext.length).includes('.')) continue; // x.test.ts, x.min.js: not module names
    if (JS.includes(ext)) out.push({ name: n.slice(0, -ext.length), file, python: false, level });
    // an Ansible module of any other extension (helloworld.sh), as Ansible's module loader reads library/
    else if (!IGNORED.includes(ext) && !n.endsWith('~')) out.push({ name: ext ? n.slice(0, -ext.length) : n, file, python: true, level });
  }
  // a lvsplay port beside the Ansible module of the same name is the one lvsplay uses
  return out.filter((c) => !c.python || !out.some((o) => !o.python && o.name === c.name));
}

function npmCandidates(fromDirs: string[]): { found: Candidate[]; errors: ConfigError[] } {
  const found: Candidate[] = [];
  const errors: ConfigError[] = [];
  const seen = new Set<string>(); // the nearest copy of a package wins, as Node resolves it
  for (const from of fromDirs) {
    for (const a of ancestors(from)) {
      const nm = path.join(a, 'node_modules');
      for (const pkg of packageNames(nm)) {
        if (seen.has(pkg)) continue;
        const pj = path.join(nm, pkg, 'package.json');
        let mods: unknown;
        try {
          mods = (JSON.parse(readFileSync(pj, 'utf8')) as { lvsplay?: { modules?: unknown } }).lvsplay?.modules;
        } catch {
          continue;
        }
        seen.add(pkg);
        if (mods === undefined) continue;
        if (!Array.isArray(mods) || mods.some((m) => typeof m !== 'string')) {
          errors.push(new ConfigError(`${pj}: "lvsplay.modules" must be a list of module files (e.g. ["dist/my_module.js"])`));
          continue;
        }
        for (const m of mods as string[]) {
          const file = path.resolve(nm, pkg, m);
          if (!existsSync(file)) errors.push(new ConfigError(`${pj}: module file '${m}' listed in "lvsplay.modules" does not exist`));
          else found.push({ name: '', file, python: false, level: 2, npm: pkg });
        }
      }
    }
  }
  return { found, errors };
}

/** What an action plugin may use besides ansible-core's own: the playbooks' and roles' action_plugins/, library/ and module_utils/ dirs. */
export function actionDirsOf(src: LibrarySources): ActionDirs {
  const existing = (sub: string): string[] => [...new Set([...src.playbookDirs, ...(src.roleDirs ?? [])].map((d) => path.resolve(d, sub)))].filter((d) => existsSync(d));
  return { action: existing('action_plugins'), library: [...existing('library'), ...(src.modulePath ?? []).map((d) => path.resolve(d))], moduleUtils: existing('module_utils') };
}

/** Every module file the sources offer, in precedence order. */
function candidates(src: LibrarySources): { found: Candidate[]; errors: ConfigError[] } {
  const dirs = [...src.playbookDirs.map((d) => path.join(d, 'library')), ...[...(src.roleDirs ?? [])].map((d) => path.join(d, 'library'))];
  const found = [...new Set(dirs.map((d) => path.resolve(d)))].flatMap((d) => scanDir(d, 0));
  // Ansible's own action plugins (Python, run on the controller) beside the playbook or in a role: named, refused
  const actionDirs = [...src.playbookDirs, ...(src.roleDirs ?? [])].map((d) => path.resolve(d, 'action_plugins'));
  for (const d of new Set(actionDirs)) found.push(...scanDir(d, 0).filter((c) => c.python && path.extname(c.file) === '.py'));
  for (const d of new Set((src.modulePath ?? []).map((d) => path.resolve(d)))) found.push(...scanDir(d, 1));
  const npm = npmCandidates(src.playbookDirs);
  return { found: [...found, ...npm.found], errors: npm.errors };
}

/** The names a custom module answers to, with the built-in it overrides (if any). */
function namesOf(m: TaskModule): string[] {
  const names = [m.name, `ansible.legacy.${m.name}`, ...m.aliases];
  const b = builtinModule(m.name);
  if (b) names.push(...b.aliases.filter((a) => a.startsWith('ansible.builtin.') || a.startsWith('ansible.legacy.')));
  return [...new Set(names)];
}

/** A controller-side action of lvsplay that a custom module may not take over (see the header). */
function actionPlugin(name: string): string | undefined {
  if (findControl(name)) return `the ${findControl(name)!.name} action`;
  const b = builtinModule(name);
  return b?.controllerOnly ? `the built-in controller action '${b.name}'` : undefined;
}

const where = (c: Candidate) => (c.npm ? `${c.file} (npm package ${c.npm})` : c.file);

async function loadOne(c: Candidate, errors: ConfigError[]): Promise<TaskModule | undefined> {
  let v: unknown;
  try {
    v = await importModuleFile(c.file);
  } catch (e) {
    if (e instanceof ConfigError) errors.push(e);
    else errors.push(new ConfigError(`${c.file}: cannot load the custom module: ${(e as Error).message}`));
    return undefined;
  }
  if (!isDefinedModule(v)) {
    errors.push(new ConfigError(`${c.file}: a custom module's default export must be the result of defineModule() from 'lvsplay' (export default defineModule({ name, schema, plan }))`));
    return undefined;
  }
  if (!c.npm && v.name !== c.name) {
    errors.push(new ConfigError(`${c.file}: the module is named '${v.name}' but its file '${path.basename(c.file)}': a library module's name is its file name (as in Ansible); rename one`));
    return undefined;
  }
  return v;
}

/**
 * Load the custom modules the sources offer. Undefined when there are none (nothing is compiled);
 * ConfigErrors for files that do not load, clashes and forbidden overrides.
 */
export async function loadCustomModules(src: LibrarySources): Promise<CustomModules | undefined> {
  const { found, errors } = candidates(src);
  if (!found.length && !errors.length) return undefined;
  const loaded: { c: Candidate; m: TaskModule }[] = [];
  for (const c of found.filter((x) => !x.python)) {
    const m = await loadOne(c, errors);
    if (m) loaded.push({ c: { ...c, name: m.name }, m });
  }
  const layer: CustomModules = { modules: new Map(), python: new Map() };
  // module_utils/ beside the playbooks and in the roles: what their Ansible modules may import, as Ansible adds them
  const actionDirs = actionDirsOf(src);
  const moduleUtils = actionDirs.moduleUtils;
  const owner = new Map<string, Candidate>();
  // nearer levels first: a name taken at a nearer level hides the farther ones
  for (const level of [0, 1, 2]) {
    const here = new Map<string, Candidate>();
    for (const { c, m } of loaded.filter((x) => x.c.level === level)) {
      const names = namesOf(m);
      const clash = names.map((n) => here.get(n)).find((o) => o && o.file !== c.file);
      if (clash) {
        errors.push(new ConfigError(`custom module '${m.name}' is defined twice at the same precedence: ${where(clash)} and ${where(c)} (rename or remove one)`));
        continue;
      }
      const plugin = names.map(actionPlugin).find(Boolean);
      if (plugin) {
        errors.push(new ConfigError(`${where(c)}: custom module '${m.name}' would override ${plugin}, which Ansible runs as an action plugin without consulting library/: rename the module`));
        continue;
      }
      for (const n of names) {
        here.set(n, c);
        if (!owner.has(n)) {
          owner.set(n, c);
          layer.modules.set(n, { module: m, file: c.file });
        }
      }
    }
    // an action plugin of a name comes before a module of the name (Ansible's task executor picks the action plugin, which may run the module)
    const python = found.filter((x) => x.python && x.level === level).sort((a, b) => Number(isActionPluginFile(b.file)) - Number(isActionPluginFile(a.file)));
    for (const c of python) {
      if (actionPlugin(c.name)) continue; // Ansible ignores it too: its action plugin runs
      const b = builtinModule(c.name);
      const names = [c.name, `ansible.legacy.${c.name}`, ...(b ? b.aliases.filter((a) => a.startsWith('ansible.builtin.') || a.startsWith('ansible.legacy.')) : [])];
      // an Ansible module or action plugin runs through ansible-core on the controller (src/pymod)
      const m = !(await coreAvailable()) ? undefined : isActionPluginFile(c.file) ? ansibleAction(c.name, c.name, c.file, actionDirs) : ansibleModule(c.name, c.file, moduleUtils);
      for (const n of names) {
        if (owner.has(n)) continue;
        owner.set(n, c);
        if (m) layer.modules.set(n, { module: m, file: c.file });
        else layer.python.set(n, c.file);
      }
    }
  }
  if (errors.length) throw new ConfigErrors(errors);
  return layer;
}
