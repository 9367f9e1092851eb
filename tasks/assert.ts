// assert: check conditions; fail with fail_msg when one is false (controller only).
import type { ModuleContext, Plan, TaskModule } from '../src/types.js';

const strOrList = { anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] };

export const assert: TaskModule = {
  name: 'assert',
  aliases: ['ansible.builtin.assert', 'ansible.legacy.assert'],
  controllerOnly: true,
  conditionArgs: ['that'],
  schema: {
    type: 'object',
    description: 'Assert that every expression in `that` is true.',
    properties: {
      that: { ...strOrList, description: 'conditions (like when:), all must hold' },
      fail_msg: { ...strOrList, description: 'message when an assertion fails' },
      msg: { ...strOrList, description: 'alias of fail_msg' },
      success_msg: { ...strOrList, description: 'message when all pass' },
      quiet: { type: 'boolean', default: false },
    },
    required: ['that'],
    additionalProperties: false,
  },
  async plan(ctx: ModuleContext): Promise<Plan> {
    const a = ctx.args;
    const that = Array.isArray(a.that) ? a.that.map(String) : [String(a.that)];
    const verbose = a.quiet ? {} : { _ansible_verbose_always: true };
    for (const expr of that) {
      if (!(await ctx.evalCondition(expr))) {
        const msg = a.fail_msg ?? a.msg ?? 'Assertion failed';
        return { steps: [], failed: String(msg), result: { assertion: expr, evaluated_to: false, msg, ...verbose } };
      }
    }
    const msg = a.success_msg ?? 'All assertions passed';
    return { steps: [], changed: false, result: { msg, ...verbose } };
  },
};
export default assert;
