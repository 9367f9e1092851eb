// raw: a command line sent as is to the host's shell (or `executable -c`), Ansible's result fields
// (rc, stdout, stderr and their _lines); always changed; skipped in check mode.
import type { ExecResult, ModuleContext, Plan, TaskModule, Vars } from '../src/types.js';
import { TaskError } from '../src/errors.js';
import { q, shC } from '../src/shell.js';

const schema = {
  type: 'object',
  description: "Run a command line through the host's shell as is (no creates/chdir, no module): rc, stdout, stderr. Always changed; skipped in check mode, as Ansible's raw.",
  properties: {
    _raw_params: { type: 'string', description: 'The command line (free form).' },
    executable: { type: 'string', description: 'Shell to run it with (`executable -c line`); default /bin/sh.' },
  },
  required: ['_raw_params'],
  additionalProperties: false,
};

const lines = (s: string): string[] => s.split(/\r?\n/).filter((l, i, all) => i < all.length - 1 || l !== '');

async function plan(ctx: ModuleContext): Promise<Plan> {
  const raw = String(ctx.args._raw_params ?? '');
  if (raw.trim() === '') throw new TaskError('raw: no command given');
  const exe = ctx.args.executable as string | undefined;
  return {
    steps: [{ describe: raw, cmd: exe ? `${q(exe)} -c ${q(raw)}` : shC(raw) }],
    changed: true,
    after(res: ExecResult): Vars {
      const fields: Vars = { rc: res.rc, stdout: res.stdout, stdout_lines: lines(res.stdout), stderr: res.stderr, stderr_lines: lines(res.stderr) };
      if (res.rc !== 0) throw new TaskError('non-zero return code', fields);
      return fields;
    },
  };
}

export const raw: TaskModule = {
  noInterpreterDiscovery: true,
  asyncUnsupported: true, // Ansible's action plugin has no async
  environmentIgnored: 'raw module does not support the environment keyword',
  name: 'raw',
  aliases: ['ansible.builtin.raw', 'ansible.legacy.raw'],
  checkModeUnsupported: '', // as Ansible: skipped in check mode, no message
  freeForm: 'raw',
  schema,
  plan,
};
