// ping: check that the host answers a command (one exec), and return `ping: <data>` as Ansible does.
import type { ModuleContext, Plan, TaskModule } from '../src/types.js';
import { TaskError } from '../src/errors.js';
import { str } from './lib/args.js';

const schema = {
  type: 'object',
  description: "Check that a command runs on the host (one exec). Returns `ping` with `data` (default pong); data=crash fails, as in Ansible's ping.",
  properties: { data: { type: 'string', default: 'pong', description: 'What to return in `ping`; `crash` makes the task fail.' } },
  additionalProperties: false,
};

async function plan(ctx: ModuleContext): Promise<Plan> {
  const data = str(ctx.args, 'data') ?? 'pong';
  const res = await ctx.probe('echo pong');
  if (res.rc !== 0 || res.stdout.trim() !== 'pong') throw new TaskError(`the host did not answer a command: ${(res.stderr || res.stdout).trim()}`);
  // Ansible's ping raises an exception: a module failure whose stderr ends with it
  if (data === 'crash') throw new TaskError('MODULE FAILURE\nSee stdout/stderr for the exact error', { module_stdout: '', module_stderr: 'Exception: boom\n', rc: 1 });
  return { steps: [], result: { ping: data } };
}

export const ping: TaskModule = {
  name: 'ping',
  aliases: ['ansible.builtin.ping', 'ansible.legacy.ping'],
  plansAhead: true,
  schema,
  freeForm: 'kv',
  plan,
};
