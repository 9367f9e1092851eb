// validate_argument_spec: check variables against an argument spec (the task Ansible puts first in a
// role whose meta/argument_specs.yml has a spec for the entry point; also usable directly).
import type { ModuleContext, Plan, TaskModule } from '../src/types.js';
import { validateArgs } from './lib/argspec.js';

export const validateArgumentSpec: TaskModule = {
  name: 'validate_argument_spec',
  aliases: ['ansible.builtin.validate_argument_spec', 'ansible.legacy.validate_argument_spec'],
  controllerOnly: true,
  schema: {
    type: 'object',
    description:
      "Validate variables against an argument spec (type, required, choices, elements, options), with Ansible's messages. Values come from the task's variables, then provided_arguments. Nothing is set (no defaults).",
    properties: {
      argument_spec: { type: 'object', description: 'Option name -> {type, required, choices, elements, options, default, description}.' },
      provided_arguments: { type: 'object', description: 'Values that win over variables of the same name.' },
      validate_args_context: { type: 'object', description: 'What is validated (returned as is).' },
    },
    required: ['argument_spec'],
    additionalProperties: false,
  },
  async plan(ctx: ModuleContext): Promise<Plan> {
    const spec = ctx.args.argument_spec as Record<string, Record<string, unknown>>;
    const values: Record<string, unknown> = {};
    for (const k of Object.keys(spec)) if (k in ctx.vars) values[k] = await ctx.evalExpr(k);
    Object.assign(values, (ctx.args.provided_arguments as Record<string, unknown> | undefined) ?? {});
    const errs = validateArgs(spec, values);
    const context = ctx.args.validate_args_context ?? {};
    if (errs.length) {
      const msg = `Validation of arguments failed:\n${errs.join('\n')}`;
      return { steps: [], failed: msg, result: { argument_errors: errs, argument_spec_data: spec, validate_args_context: context } };
    }
    return { steps: [], changed: false, result: { msg: 'The arg spec validation passed', validate_args_context: context } };
  },
};
export default validateArgumentSpec;
