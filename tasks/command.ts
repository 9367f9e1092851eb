// command: run a program with arguments, never through a shell (each word is quoted).
import type { ModuleContext, Plan, TaskModule } from '../src/types.js';
import { TaskError } from '../src/errors.js';
import { q } from '../src/shell.js';
import { commandPlan, commonProps, commonSpec, extractInline, splitWords } from './lib/cmdline.js';
import { expandWords } from './lib/expandargs.js';

export const command: TaskModule = {
  name: 'command',
  aliases: ['ansible.builtin.command', 'ansible.legacy.command'],
  checkModeSkip: 'Command would have run if not in check mode',
  freeForm: 'raw',
  schema: {
    type: 'object',
    description: 'Run a command on the host without a shell. Reports changed unless creates/removes/changed_when say otherwise.',
    properties: {
      ...commonProps,
      argv: { type: 'array', items: { type: ['string', 'number'] }, description: 'the command as a list of words' },
      expand_argument_vars: { type: 'boolean', default: true, description: 'expand $VARS and a leading ~ in each word on the host (Ansible does by default)' },
    },
    additionalProperties: false,
  },
  async plan(ctx: ModuleContext): Promise<Plan> {
    const a = { ...ctx.args };
    let words: string[];
    if (Array.isArray(a.argv)) {
      words = a.argv.map(String);
    } else {
      const raw = a.cmd ?? a._raw_params;
      if (typeof raw !== 'string' || raw.trim() === '') throw new TaskError('no command given');
      const { raw: rest, opts } = extractInline(raw);
      for (const [k, v] of Object.entries(opts)) if (a[k] === undefined) a[k] = v;
      try {
        words = splitWords(rest);
      } catch (e) {
        throw new TaskError(`cannot parse the command line: ${(e as Error).message}`);
      }
    }
    if (words.length === 0) throw new TaskError('no command given');
    // Ansible expands $VARS and ~ in each word on the host (no splitting, no globbing)
    const x = a.expand_argument_vars === false ? { prelude: [], words: words.map(q) } : expandWords(words);
    return commandPlan(ctx, {
      script: x.prelude.length ? `{ ${x.prelude.join('; ')}; ${x.words.join(' ')}; }` : x.words.join(' '),
      display: words,
      ...commonSpec(a),
    });
  },
};
export default command;
