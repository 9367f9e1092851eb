// include_vars (run by the executor, like meta): load a YAML vars file into the host's include_vars
// layer (src/vars/precedence.ts: above task vars, below set_fact). A relative file is looked up as
// Ansible does: the role's vars/, then beside the task file (and its vars/), then the playbook's.
import { existsSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import type { Task, Vars } from '../types.js';
import { ConfigError } from '../errors.js';
import { errorText, type Invocation, type TaskEnv } from './invoke.js';
import { searchPaths } from './modctx.js';

export async function includeVars(env: TaskEnv, task: Task, v: Vars): Promise<Invocation> {
  const { st } = env;
  try {
    const args = st.deps.templar.render(task.args, v, task.pos) as Vars;
    const file = String(args.file ?? args._raw_params ?? '');
    const pos = task.argsPos?.file ?? task.argsPos?._raw_params ?? task.pos;
    if (!file) throw new ConfigError('include_vars needs a file', pos);
    const tried = isAbsolute(file) ? [file] : searchPaths(st, task, 'vars').map((d) => join(d, file));
    const abs = tried.find((p) => existsSync(p));
    if (!abs) throw new ConfigError(`include_vars: could not find '${file}' (looked in: ${tried.join(', ')})`, pos);
    const data = await st.deps.loadVarsFile(abs, pos);
    const name = args.name === undefined || args.name === null ? undefined : String(args.name);
    return { result: { changed: false, ansible_facts: name ? { [name]: data } : data, ansible_included_var_files: [abs] } };
  } catch (e) {
    return { result: { changed: false, failed: true, msg: errorText(e) } };
  }
}
