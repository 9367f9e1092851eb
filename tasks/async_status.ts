// async_status: the state of a job started by a task with `async` (and `poll: 0`): finished 0 while
// it runs, then the module's own result; mode=cleanup removes the job's files.
import type { ModuleContext, Plan, TaskModule } from '../src/types.js';

async function plan(ctx: ModuleContext): Promise<Plan> {
  const jid = String(ctx.args.jid);
  const mode = ctx.args.mode === 'cleanup' ? 'cleanup' : 'status';
  if (!ctx.asyncJob) return { steps: [], failed: 'async_status is not supported here' };
  const r = await ctx.asyncJob(jid, mode);
  const changed = r.changed === true;
  if (r.failed === true) return { steps: [], changed, failed: typeof r.msg === 'string' ? r.msg : 'job failed', result: r };
  return { steps: [], changed, result: r };
}

export const asyncStatus: TaskModule = {
  name: 'async_status',
  aliases: ['ansible.builtin.async_status', 'ansible.legacy.async_status'],
  freeForm: 'kv',
  schema: {
    type: 'object',
    description: 'The state of a job started with `async` (and `poll: 0`): `finished` 0 while it runs, then the result of the job. Use with `until: job.finished`.',
    properties: {
      jid: { type: 'string', description: 'the job id (`ansible_job_id` of the task that started it)' },
      mode: { type: 'string', enum: ['status', 'cleanup'], default: 'status', description: 'status, or cleanup to remove the job’s files' },
    },
    required: ['jid'],
    additionalProperties: false,
  },
  plan,
};
export default asyncStatus;
