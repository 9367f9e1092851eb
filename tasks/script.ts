// script: a controller script (files/ lookup) sent to the host and run there with its arguments
// (through the shell, as Ansible does), in a private temp directory removed afterwards.
import { readFileSync, statSync } from 'node:fs';
import type { ExecResult, ModuleContext, Plan, TaskModule, Vars } from '../src/types.js';
import { TaskError } from '../src/errors.js';
import { q } from '../src/shell.js';
import { splitWords } from './lib/cmdline.js';
import { randomBytes } from 'node:crypto';
import { str } from './lib/args.js';

const schema = {
  type: 'object',
  description:
    "Send a script from the controller (role files/, beside the task file, the playbook) to the host and run it with the given arguments (`script: name.sh arg1 arg2`); rc, stdout, stderr as Ansible's script. Always changed unless creates/removes skip it; skipped in check mode (changed when creates/removes are given), as in Ansible.",
  properties: {
    _raw_params: { type: 'string', description: 'The script name and its arguments (free form).' },
    cmd: { type: 'string', description: 'Same as the free form.' },
    creates: { type: 'string', description: 'Do not run when this path exists on the host.' },
    removes: { type: 'string', description: 'Do not run unless this path exists on the host.' },
    chdir: { type: 'string', description: 'Absolute directory on the host to run in.' },
    executable: { type: 'string', description: 'Program to run the script with (e.g. /bin/bash); default: the script itself (its #! line).' },
    decrypt: { type: ['boolean', 'string'], default: true, description: 'Accepted for compatibility (vault files are not supported).' },
  },
  additionalProperties: false,
};

const lines = (s: string): string[] => s.split(/\r?\n/).filter((l, i, all) => i < all.length - 1 || l !== '');

async function plan(ctx: ModuleContext): Promise<Plan> {
  const a = ctx.args;
  const creates = str(a, 'creates');
  const removes = str(a, 'removes');
  if (creates !== undefined || removes !== undefined) {
    const out = (await ctx.probe(`${creates !== undefined ? `[ ! -e ${q(creates)} ] || echo c; ` : ''}${removes !== undefined ? `[ -e ${q(removes)} ] || echo r` : ''}`)).stdout;
    if (out.includes('c')) return { steps: [], skipped: `${creates} exists, matching creates option` };
    if (out.includes('r')) return { steps: [], skipped: `${removes} does not exist, matching removes option` };
  }
  const chdir = str(a, 'chdir');
  if (chdir !== undefined && !chdir.startsWith('/')) throw new TaskError(`chdir ${chdir} must be an absolute path for a Unix-aware remote node`);
  const raw = (str(a, '_raw_params', 'cmd') ?? '').trim();
  const name = splitWords(raw)[0];
  if (!name) throw new TaskError('script: no script given');
  const path = ctx.findFile('files', name);
  if (!statSync(path, { throwIfNoEntry: false })?.isFile()) throw new TaskError(`Could not find or access '${name}' (looked for ${path})`);
  if (ctx.check) return creates !== undefined || removes !== undefined ? { steps: [], changed: true } : { steps: [], skipped: 'Check mode is not supported for this task.' };
  const base = name.split('/').pop()!;
  // as Ansible: the script's name in the command line is replaced by its path on the host, as text
  // (so a quoted name stays quoted): a literal directory name, made here, not a shell variable
  const dir = `/tmp/lvsplay-script-${randomBytes(8).toString('hex')}`;
  const target = `${dir}/${base}`;
  const command = raw.replace(name, target);
  const exe = str(a, 'executable');
  const cmd = [
    `mkdir -m 700 ${q(dir)}`,
    `trap ${q(`rm -rf ${q(dir)}`)} EXIT`,
    `cat > ${q(target)}`,
    `chmod 700 ${q(target)}`,
    `${chdir !== undefined ? `cd ${q(chdir)}\n` : ''}${exe ? `${q(exe)} ` : ''}${command} </dev/null`,
  ].join('\n');
  return {
    steps: [{ describe: `run ${name} on the host`, cmd, stdin: readFileSync(path) }],
    changed: true,
    after(res: ExecResult): Vars {
      const fields: Vars = { rc: res.rc, stdout: res.stdout, stdout_lines: lines(res.stdout), stderr: res.stderr, stderr_lines: lines(res.stderr) };
      if (res.rc !== 0) throw new TaskError('non-zero return code', fields);
      return fields;
    },
  };
}

export const script: TaskModule = {
  noInterpreterDiscovery: true,
  asyncUnsupported: true, // Ansible's action plugin has no async
  name: 'script',
  aliases: ['ansible.builtin.script', 'ansible.legacy.script'],
  freeForm: 'raw',
  schema,
  plan,
};
