// include_vars: load a YAML vars file into the host's include_vars layer (src/vars/precedence.ts:
// above task vars, below set_fact). A relative file is looked up as Ansible does: the role's vars/,
// then beside the task file (and its vars/), then the playbook's.
import { existsSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import type { ModuleContext, Plan, TaskModule } from '../src/types.js';
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
    },
    required: ['file'],
    additionalProperties: false,
  },
  async plan(ctx: ModuleContext): Promise<Plan> {
    const file = String(ctx.args.file);
    const pos = ctx.argsPos.file ?? ctx.pos;
    const tried = isAbsolute(file) ? [file] : ctx.searchPaths('vars').map((d) => join(d, file));
    const abs = tried.find((p) => existsSync(p));
    if (!abs) throw new ConfigError(`include_vars: could not find '${file}' (looked in: ${tried.join(', ')})`, pos);
    const data = await ctx.readVars(abs, pos);
    const name = ctx.args.name === undefined || ctx.args.name === null ? undefined : String(ctx.args.name);
    return { steps: [], changed: false, result: { ansible_facts: name ? { [name]: data } : data, ansible_included_var_files: [abs] } };
  },
};
export default includeVars;
