// meta: executor directives (flush_handlers, end_play, ...). The executor handles them before plan().
import type { Plan, TaskModule } from '../src/types.js';
import { TaskError } from '../src/errors.js';

export const META_ACTIONS = ['flush_handlers', 'end_play', 'end_host', 'end_batch', 'clear_facts', 'clear_host_errors', 'refresh_inventory', 'noop', 'reset_connection'] as const;

export const meta: TaskModule = {
  name: 'meta',
  aliases: ['ansible.builtin.meta', 'ansible.legacy.meta'],
  freeForm: 'raw',
  controllerOnly: true,
  schema: {
    type: 'object',
    description: 'Executor directives: flush_handlers, end_play, end_host, end_batch, clear_facts, clear_host_errors, noop, refresh_inventory, reset_connection.',
    properties: { _raw_params: { type: 'string', enum: [...META_ACTIONS] } },
    required: ['_raw_params'],
    additionalProperties: false,
  },
  async plan(): Promise<Plan> {
    throw new TaskError('internal: meta is run by the executor');
  },
};
export default meta;
