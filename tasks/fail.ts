// fail: fail the host with a message (controller only).
import type { ModuleContext, Plan, TaskModule } from '../src/types.js';

export const fail: TaskModule = {
  name: 'fail',
  aliases: ['ansible.builtin.fail', 'ansible.legacy.fail'],
  freeForm: 'kv',
  controllerOnly: true,
  schema: {
    type: 'object',
    description: 'Fail the host with a custom message (usually with when:).',
    properties: { msg: { description: 'the failure message', default: 'Failed as requested from task' } },
    additionalProperties: false,
  },
  async plan(ctx: ModuleContext): Promise<Plan> {
    const msg = ctx.args.msg;
    return { steps: [], failed: typeof msg === 'string' ? msg : JSON.stringify(msg), result: { msg } };
  },
};
export default fail;
