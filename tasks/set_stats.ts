// set_stats: custom statistics of the run, as Ansible 2.14's set_stats action: its result carries
// `ansible_stats` {data, per_host, aggregate}; the run adds them up (src/run/state.ts
// customStat: numbers, strings and lists with +, mappings merged, a value of another type
// ignored; aggregate false replaces) per host or for the whole run, and the recap prints them
// under CUSTOM STATS when show_custom_stats is set (ansible.cfg or ANSIBLE_SHOW_CUSTOM_STATS).
import type { ModuleContext, Plan, TaskModule, Vars } from '../src/types.js';
import { isMapping } from '../src/vars/pystr.js';
import { toBool } from '../src/bool.js'; // boolean(strict=False), as Ansible's action reads them

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

async function plan(ctx: ModuleContext): Promise<Plan> {
  const a = ctx.args;
  const data = a.data ?? {};
  if (!isMapping(data)) return { steps: [], failed: "The 'data' option needs to be a dictionary/hash", changed: false, result: {} };
  const stats: Vars = { data: {}, per_host: a.per_host == null ? false : toBool(a.per_host), aggregate: a.aggregate == null ? true : toBool(a.aggregate) };
  for (const [k, v] of Object.entries(data)) {
    if (!IDENTIFIER.test(k)) {
      return { steps: [], failed: `The variable name '${k}' is not valid. Variables must start with a letter or underscore character, and contain only letters, numbers and underscores.`, result: {} };
    }
    (stats.data as Vars)[k] = v;
  }
  return { steps: [], changed: false, result: { ansible_stats: stats } };
}

export const setStats: TaskModule = {
  name: 'set_stats',
  aliases: ['ansible.builtin.set_stats', 'ansible.legacy.set_stats'],
  controllerOnly: true,
  freeForm: 'kv',
  schema: {
    type: 'object',
    description:
      "Set custom statistics of the run (Ansible's set_stats): added up over hosts and tasks (aggregate) or replaced, per host or for the whole run, and printed after the recap under CUSTOM STATS when show_custom_stats is set. Not variables: later tasks do not see them.",
    properties: {
      data: { description: 'The statistics: a mapping of names (identifiers) to values (another value fails the task, as in Ansible).' },
      per_host: { type: ['boolean', 'string'], description: "Keep them per host (true) or for the whole run (false, default)." },
      aggregate: { type: ['boolean', 'string'], description: 'Add to the values already set (true, default: numbers, strings and lists with +, mappings merged) or replace them.' },
    },
    additionalProperties: false,
  },
  plan,
};
