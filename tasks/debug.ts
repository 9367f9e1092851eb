// debug: print a message or a variable's value (controller only).
import type { ModuleContext, Plan, TaskModule } from '../src/types.js';

export const debug: TaskModule = {
  name: 'debug',
  aliases: ['ansible.builtin.debug', 'ansible.legacy.debug'],
  freeForm: 'kv',
  controllerOnly: true,
  schema: {
    type: 'object',
    description: 'Print a message (msg) or the value of an expression (var). Never changes anything.',
    properties: {
      msg: { description: 'message to print (any value); without msg and var: "Hello world!"' },
      var: { type: 'string', description: 'a variable name or expression, without braces' },
      verbosity: { type: 'integer', minimum: 0, default: 0, description: 'print only at this -v level or above' },
    },
    not: { required: ['msg', 'var'] },
    additionalProperties: false,
  },
  async plan(ctx: ModuleContext): Promise<Plan> {
    const level = Number(ctx.args.verbosity);
    if (level > ctx.verbosity) return { steps: [], skipped: 'Verbosity threshold not met.' };
    if (ctx.args.var !== undefined) {
      const name = String(ctx.args.var);
      let value: unknown = 'VARIABLE IS NOT DEFINED!';
      try {
        // as Ansible's debug: `{{ var }}` templated as an argument (a lone name keeps its type; `d.n` prints as text, "4")
        const v = ctx.renderArg && !name.includes('{{') ? await ctx.renderArg(`{{ ${name} }}`) : await ctx.evalExpr(name);
        if (v !== undefined) value = v;
      } catch {
        /* undefined variable: Ansible prints the marker above */
      }
      return { steps: [], changed: false, result: { [name]: value, _ansible_verbose_always: true, _ansible_debug: true } };
    }
    const msg = ctx.args.msg === undefined ? 'Hello world!' : ctx.args.msg;
    return { steps: [], changed: false, result: { msg, _ansible_verbose_always: true, _ansible_debug: true } };
  },
};
export default debug;
