// command: run a program with arguments, never through a shell (each word is quoted).
import type { ModuleContext, Plan, TaskModule } from '../src/types.js';
import { TaskError } from '../src/errors.js';
import { q } from '../src/shell.js';
import { NO_COMMAND, PROGRAM_ERROR, commandPlan, commonProps, commonSpec, extractInline, splitWords } from './lib/cmdline.js';
import { expandWords } from './lib/expandargs.js';

/**
 * As Ansible's exec of the program (no shell): a program that is not there, or not an executable
 * file, is Python's OSError (Errno 2 / 13), not a shell's 127. The shell says which, on stderr,
 * marked (cmdline.ts PROGRAM_ERROR), before anything runs.
 */
const PROGRAM_CHECK =
  'case $__lvs_prog in */*) __lvs_f=$__lvs_prog ;; *) __lvs_f=$(IFS=:; for d in $PATH; do if [ -f "${d:-.}/$__lvs_prog" ] && [ -x "${d:-.}/$__lvs_prog" ]; then printf %s "${d:-.}/$__lvs_prog"; break; fi; done) ;; esac; ' +
  `if [ -z "$__lvs_f" ] || [ ! -e "$__lvs_f" ]; then printf '${PROGRAM_ERROR}2:%s' "$__lvs_prog" >&2; exit 2; elif [ ! -f "$__lvs_f" ] || [ ! -x "$__lvs_f" ]; then printf '${PROGRAM_ERROR}13:%s' "$__lvs_prog" >&2; exit 13; fi`;

/** A word as Python's shlex.quote writes it (Ansible's `cmd` of a failed exec). */
function pyQuote(w: string): string {
  return w !== '' && /^[\w@%+=:,./-]+$/.test(w) ? w : `'${w.replace(/'/g, `'"'"'`)}'`;
}

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
      executable: { type: 'string', description: 'ignored with a warning, as Ansible does since 2.4 (use shell to choose the shell)' },
    },
    additionalProperties: false,
  },
  async plan(ctx: ModuleContext): Promise<Plan> {
    const a = { ...ctx.args };
    let words: string[];
    const line = a.cmd ?? a._raw_params;
    if (Array.isArray(a.argv) && typeof line === 'string' && line.trim() !== '') throw new TaskError('only command or argv can be given, not both', NO_COMMAND);
    if (Array.isArray(a.argv)) {
      words = a.argv.map(String);
    } else {
      const raw = a.cmd ?? a._raw_params;
      if (typeof raw !== 'string' || raw.trim() === '') throw new TaskError('no command given', NO_COMMAND);
      const { raw: rest, opts } = extractInline(raw);
      for (const [k, v] of Object.entries(opts)) if (a[k] === undefined) a[k] = v;
      try {
        words = splitWords(rest);
      } catch (e) {
        throw new TaskError(`cannot parse the command line: ${(e as Error).message}`);
      }
    }
    if (words.length === 0) throw new TaskError('no command given', NO_COMMAND);
    // Ansible expands $VARS and ~ in each word on the host (no splitting, no globbing)
    const x = a.expand_argument_vars === false ? { prelude: [], words: words.map(q) } : expandWords(words);
    const prelude = [...x.prelude, `__lvs_prog=${x.words[0]}`, PROGRAM_CHECK];
    return commandPlan(ctx, {
      script: `{ ${prelude.join('; ')}; ${x.words.join(' ')}; }`,
      display: words,
      programError: { cmd: words.map(pyQuote).join(' ') },
      ...commonSpec(a),
      // Ansible's command accepts `executable` but ignores it, with this warning
      ...(a.executable ? { warnings: [`As of Ansible 2.4, the parameter 'executable' is no longer supported with the 'command' module. Not using '${String(a.executable)}'.`] } : {}),
    });
  },
};
export default command;
