// set_fact: set host variables (set_fact precedence: above play/role/task vars, below extra vars).
import type { ModuleContext, Plan, TaskModule, Vars } from '../src/types.js';

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
    propertyNames: { pattern: '^[A-Za-z_][A-Za-z0-9_]*$' },
    additionalProperties: true,
  },
  async plan(ctx: ModuleContext): Promise<Plan> {
    const facts: Vars = {};
    for (const [k, v] of Object.entries(ctx.args)) if (k !== 'cacheable') facts[k] = v;
    return { steps: [], changed: false, result: { ansible_facts: facts } };
  },
};
export default setFact;
