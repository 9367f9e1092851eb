// tempfile: create a unique temporary file or directory on the host (mktemp); returns its path and
// attributes as Ansible's tempfile does. Always changed; skipped in check mode (Ansible's tempfile
// does not support it).
import type { ExecResult, ModuleContext, Plan, TaskModule, Vars } from '../src/types.js';
import { TaskError } from '../src/errors.js';
import { q } from '../src/shell.js';
import { str } from './lib/args.js';
import { mark, sections } from '../src/probe.js';

const schema = {
  type: 'object',
  description: 'Create a temporary file or directory with a unique name (prefix + 8 random characters + suffix) in path (default $TMPDIR or /tmp); mode 0600 (0700 for a directory). Always changed; skipped in check mode, as in Ansible.',
  properties: {
    state: { enum: ['file', 'directory'], default: 'file', description: 'What to create.' },
    path: { type: 'string', description: 'Directory to create it in (default: $TMPDIR, else /tmp).' },
    prefix: { type: 'string', default: 'ansible.', description: 'Start of the name.' },
    suffix: { type: 'string', default: '', description: 'End of the name.' },
  },
  additionalProperties: false,
};

async function plan(ctx: ModuleContext): Promise<Plan> {
  const a = ctx.args;
  const dir = str(a, 'path') !== undefined ? q(str(a, 'path')) : '"${TMPDIR:-/tmp}"';
  const state = str(a, 'state') ?? 'file';
  const prefix = str(a, 'prefix') ?? 'ansible.';
  const suffix = str(a, 'suffix') ?? '';
  if (/\//.test(prefix) || /\//.test(suffix)) throw new TaskError('tempfile: prefix and suffix may not contain /');
  const cmd = [
    `t=$(mktemp ${state === 'directory' ? '-d ' : ''}-p ${dir} ${suffix ? `--suffix=${q(suffix)} ` : ''}${q(`${prefix}XXXXXXXX`)})`,
    mark('path'),
    'printf "%s\\n" "$t"',
    mark('stat'),
    `stat -c '%u %g %a %s %U %G' -- "$t"`,
  ].join('\n');
  return {
    steps: [{ describe: `create a temporary ${state} in ${str(a, 'path') ?? '$TMPDIR'}`, cmd }],
    changed: true,
    after(res: ExecResult): Vars {
      if (res.rc !== 0) throw new TaskError(`could not create the temporary ${state}: ${(res.stderr || res.stdout).trim()}`);
      const s = sections(res.stdout);
      const [uid, gid, mode, size, owner, group] = (s.get('stat') ?? '').trim().split(' ');
      return { path: (s.get('path') ?? '').trim(), uid: Number(uid), gid: Number(gid), owner, group, mode: mode.padStart(4, '0'), state, size: Number(size) };
    },
  };
}

export const tempfile: TaskModule = {
  name: 'tempfile',
  aliases: ['ansible.builtin.tempfile', 'ansible.legacy.tempfile'],
  checkModeUnsupported: (actionAs) => `remote module (${actionAs}) does not support check mode`,
  schema,
  freeForm: 'kv',
  plan,
};
