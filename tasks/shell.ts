// shell: run a script through /bin/sh (or `executable`). Same options as command.
import type { ModuleContext, Plan, TaskModule } from '../src/types.js';
import { TaskError } from '../src/errors.js';
import { q, shC } from '../src/shell.js';
import { NO_COMMAND, commandPlan, commonProps, commonSpec, extractInline } from './lib/cmdline.js';

export const shell: TaskModule = {
  name: 'shell',
  aliases: ['ansible.builtin.shell', 'ansible.legacy.shell'],
  checkModeSkip: 'Command would have run if not in check mode',
  freeForm: 'raw',
  schema: {
    type: 'object',
    description: 'Run a shell script on the host. Reports changed unless creates/removes/changed_when say otherwise.',
    properties: {
      ...commonProps,
      executable: { type: 'string', description: 'shell to run the script with (default /bin/sh)' },
    },
    additionalProperties: false,
  },
  async plan(ctx: ModuleContext): Promise<Plan> {
    const a = { ...ctx.args };
    const given = a.cmd ?? a._raw_params;
    if (typeof given !== 'string' || given.trim() === '') throw new TaskError('no command given', NO_COMMAND);
    const { raw, opts } = a.cmd === undefined ? extractInline(given) : { raw: given, opts: {} };
    for (const [k, v] of Object.entries(opts)) if (a[k] === undefined) a[k] = v;
    const exe = a.executable as string | undefined;
    return commandPlan(ctx, {
      script: exe ? `${q(exe)} -c ${q(raw)}` : shC(raw),
      display: raw,
      ...commonSpec(a),
    });
  },
};
export default shell;
