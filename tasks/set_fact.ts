// set_fact: set host variables (set_fact precedence: above play/role/task vars, below extra vars).
import type { ModuleContext, Plan, TaskModule, Vars } from '../src/types.js';

const BOOL_WORDS = ['true', 'false', 'yes', 'no'];

export const setFact: TaskModule = {
  name: 'set_fact',
  aliases: ['ansible.builtin.set_fact', 'ansible.legacy.set_fact'],
  factsTo: 'set_fact',
  freeForm: 'kv',
  controllerOnly: true,
  schema: {
    type: 'object',
    description: 'Set variables on the host for the rest of the run. Every key is a variable name.',
    properties: { cacheable: { type: 'boolean', description: 'accepted for compatibility (no fact cache)' } },
    // a templated name is checked again once rendered
    propertyNames: { pattern: '^([A-Za-z_][A-Za-z0-9_]*|[\\s\\S]*\\{\\{[\\s\\S]*)$' },
    additionalProperties: true,
  },
  async plan(ctx: ModuleContext): Promise<Plan> {
    const facts: Vars = {};
    // as Ansible (jinja2_native off): a string value that is a yes/no/true/false word becomes a boolean
    for (const [k, v] of Object.entries(ctx.args)) if (k !== 'cacheable') facts[k] = typeof v === 'string' && BOOL_WORDS.includes(v.toLowerCase()) ? v.toLowerCase() === 'true' || v.toLowerCase() === 'yes' : v;
    return { steps: [], changed: false, result: { ansible_facts: facts } };
  },
};
export default setFact;
