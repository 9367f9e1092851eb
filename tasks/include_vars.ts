// include_vars: load a YAML vars file into the host's include_vars layer (src/vars/precedence.ts:
// above task vars, below set_fact). A relative file is looked up as Ansible does: the role's vars/,
// then beside the task file (and its vars/), then the playbook's.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, extname, isAbsolute, join } from 'node:path';
import type { ModuleContext, Plan, TaskModule, Vars } from '../src/types.js';
import { ConfigError } from '../src/errors.js';

export const includeVars: TaskModule = {
  name: 'include_vars',
  aliases: ['ansible.builtin.include_vars', 'ansible.legacy.include_vars'],
  freeForm: 'raw',
  freeFormArg: 'file',
  controllerOnly: true,
  factsTo: 'include_vars',
  schema: {
    type: 'object',
    description: "Load a YAML file's variables for the rest of the play on the host (include_vars precedence).",
    properties: {
      file: { type: 'string', description: 'the vars file (relative: role vars/, beside the task file, the playbook dir)' },
      name: { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_]*$', description: 'put the variables under this one name instead' },
      dir: { type: 'string', description: 'load every vars file of this directory (relative: as file), sorted, merged in order' },
      depth: { type: 'integer', minimum: 0, default: 0, description: 'with dir: how many directories of the sorted walk to read (0: all), as Ansible counts them' },
      files_matching: { type: 'string', description: 'with dir: only file names this regular expression matches' },
      ignore_files: { type: ['array', 'string'], items: { type: 'string' }, description: 'with dir: file names to skip (regular expressions matching the end of the name)' },
      extensions: { type: 'array', items: { type: 'string' }, default: ['yaml', 'yml', 'json'], description: 'with dir: the extensions a vars file may have (another fails the task)' },
      ignore_unknown_extensions: { type: 'boolean', default: false, description: 'with dir: skip files of other extensions instead of failing' },
      hash_behaviour: { enum: ['replace', 'merge'], description: 'merge: a loaded mapping is merged (recursively) into the variable of that name the host already has, instead of replacing it' },
    },
    additionalProperties: false,
  },
  async plan(ctx: ModuleContext): Promise<Plan> {
    const a = ctx.args;
    if ((a.file === undefined) === (a.dir === undefined)) throw new ConfigError('include_vars: give exactly one of file and dir', ctx.pos);
    const key = a.dir !== undefined ? 'dir' : 'file';
    // as Ansible's action: a file or directory that is not there fails the task with `message`
    const missing = (message: string): Plan => ({ steps: [], failed: '', result: { ansible_facts: {}, ansible_included_var_files: [], message } }); // (no msg: Ansible's has none)
    const remoteHint = ' on the Ansible Controller.\nIf you are using a module and expect the file to exist on the remote, see the remote_src option';
    if (key === 'file' && (a.file === null || a.file === '')) return missing(`Could not find file${remoteHint}`);
    const given = key === 'file' ? String(a.file).replace(/\n+$/, '') : String(a.dir); // a folded `include_vars: >` line: Ansible drops its line end
    const pos = ctx.argsPos[key] ?? ctx.pos;
    const tried = isAbsolute(given) ? [given] : ctx.searchPaths('vars').map((d) => join(d, given));
    // as Ansible: in a role, `dir: vars/...` names the role's own vars directory (role_path/vars/...)
    const rolePath = ctx.vars.role_path;
    if (key === 'dir' && !isAbsolute(given) && typeof rolePath === 'string' && given.split('/')[0] === 'vars') tried.unshift(join(rolePath, given));
    const abs = tried.find((p) => existsSync(p));
    // (an absolute path: Ansible lists no search path)
    if (!abs) return missing(key === 'dir' ? `${tried[0]} directory does not exist` : `Could not find or access '${given}'${isAbsolute(given) ? '' : `\nSearched in:\n\t${tried.join('\n\t')}`}${remoteHint}`);
    const name = a.name === undefined || a.name === null ? undefined : String(a.name);
    const loaded = (data: Vars) => (name ? { [name]: data } : data);
    const facts = (data: Vars) => (a.hash_behaviour === 'merge' ? mergedWith(ctx.vars, loaded(data)) : loaded(data));
    if (key === 'file') {
      const data = await ctx.readVars(abs, pos);
      return { steps: [], changed: false, result: { ansible_facts: facts(data), ansible_included_var_files: [abs] } };
    }
    const exts = (a.extensions as string[]).map((e) => e.replace(/^\./, ''));
    const matching = typeof a.files_matching === 'string' ? new RegExp(a.files_matching) : undefined;
    const ignore = (typeof a.ignore_files === 'string' ? a.ignore_files.split(/\s+/) : ((a.ignore_files as string[] | undefined) ?? [])).filter(Boolean).map((r) => new RegExp(`${r}$`));
    const data: Vars = {};
    const files: string[] = [];
    for (const f of dirFiles(abs, a.depth as number)) {
      const n = basename(f);
      if ((matching && !matching.test(n)) || ignore.some((r) => r.test(n))) continue;
      // Python's splitext: a name without a dot has the extension '' (listed as '' to allow it)
      if (!exts.includes(extname(n).slice(1))) {
        if (a.ignore_unknown_extensions === true) continue;
        // Ansible's result: its message under `message`, nothing loaded
        return { steps: [], changed: false, failed: '', result: { ansible_facts: facts({}), ansible_included_var_files: [], message: `${f} does not have a valid extension: ${exts.join(', ')}` } };
      }
      Object.assign(data, await ctx.readVars(f, pos));
      files.push(f);
    }
    return { steps: [], changed: false, result: { ansible_facts: facts(data), ansible_included_var_files: files } };
  },
};

/** The files of a directory walk as Ansible's include_vars reads them: directories sorted by path, the first `depth` of them (0: all), each one's files sorted. */
function dirFiles(root: string, depth: number): string[] {
  const dirs: string[] = [];
  const walk = (d: string): void => {
    dirs.push(d);
    for (const e of readdirSync(d)) if (statSync(join(d, e)).isDirectory()) walk(join(d, e));
  };
  walk(root);
  dirs.sort();
  const out: string[] = [];
  for (const d of depth > 0 ? dirs.slice(0, depth) : dirs) {
    for (const e of readdirSync(d).sort()) if (statSync(join(d, e)).isFile()) out.push(join(d, e));
  }
  return out;
}
export default includeVars;

const isMap = (x: unknown): x is Vars => typeof x === 'object' && x !== null && !Array.isArray(x);

/** Ansible's merge_hash: mappings merged recursively, anything else (lists too) replaced. */
function mergeHash(old: unknown, value: unknown): unknown {
  if (!isMap(old) || !isMap(value)) return value;
  const out: Vars = { ...old };
  for (const [k, v] of Object.entries(value)) out[k] = mergeHash(old[k], v);
  return out;
}

/** hash_behaviour: merge — each loaded variable merged into the host's current value of that name. */
function mergedWith(current: Vars, loaded: Vars): Vars {
  return Object.fromEntries(Object.entries(loaded).map(([k, v]) => [k, mergeHash(current[k], v)]));
}
