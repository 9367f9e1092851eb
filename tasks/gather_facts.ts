// gather_facts as a task: Ansible's action runs the configured fact modules (setup here) with the
// task's arguments; `parallel` only says how Ansible would run several fact modules (one here).
import type { TaskModule } from '../src/types.js';
import { setup } from './setup.js';

const base = setup.schema as { properties: Record<string, unknown> };

export const gatherFacts: TaskModule = {
  ...setup,
  name: 'gather_facts',
  aliases: ['ansible.builtin.gather_facts', 'ansible.legacy.gather_facts'],
  schema: {
    ...setup.schema,
    description: "Gather the host's facts as the play's fact gathering does (the setup module, with these arguments) and set them on the host.",
    properties: { ...base.properties, parallel: { type: 'boolean', description: 'Accepted for compatibility: there is one fact module (setup), so nothing runs in parallel.' } },
  },
};
export default gatherFacts;
