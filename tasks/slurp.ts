// slurp: a file of the host, base64-encoded in the result (`content`, `encoding`, `source`). One read-only probe.
import type { ModuleContext, Plan, TaskModule } from '../src/types.js';
import { sh } from '../src/shell.js';
import { need } from './lib/args.js';
import { mark, sections } from '../src/probe.js';

const schema = {
  type: 'object',
  description: "Read a file of the host into the result, base64-encoded (decode with the b64decode filter), as Ansible's slurp. One probe exec; never changes anything.",
  properties: {
    src: { type: 'string', description: 'The file on the host (alias path).' },
    path: { type: 'string', description: 'Alias of src.' },
  },
  additionalProperties: false,
  anyOf: [{ required: ['src'] }, { required: ['path'] }],
};

/**
 * Shell printing why the file cannot be read (section `why`), or its content in base64 (section
 * `content`). Why is told by the error of opening it, as Ansible's open() tells it by errno: no such
 * file, permission denied (also a directory on the way that cannot be entered), not a directory;
 * a directory that opens is "a directory".
 */
export function slurpProbe(src: string): string {
  return [
    sh`p=${src}`,
    mark('why'),
    'if err=$( (LC_ALL=C; exec 3<"$p") 2>&1 ); then',
    '  if [ -d "$p" ]; then echo directory; else',
    `  ${mark('content')}; base64 -w0 < "$p"; fi`,
    'else case "$err" in',
    // dash says "No such file" for ENOTDIR too: a path under a file is "not a directory"
    '  *"No such file"*) d=${p%/*}; while [ -n "$d" ] && [ ! -e "$d" ]; do d=${d%/*}; done',
    '    if [ -n "$d" ] && [ ! -d "$d" ]; then echo notdir; else echo missing; fi;;',
    '  *"ermission denied"*) echo unreadable;;',
    '  *"Not a directory"*) echo notdir;;',
    '  *) echo "other ${err##*: }";;',
    'esac; fi',
  ].join('\n');
}

const WHY: Record<string, string> = { missing: 'file not found', directory: 'source is a directory and must be a file', unreadable: 'file is not readable' };

/** The message of a file that cannot be read, in Ansible's words (errno names for the rest). */
function whyText(why: string, src: string): string {
  if (WHY[why]) return `${WHY[why]}: ${src}`;
  if (why === 'notdir') return `unable to slurp file: [Errno 20] Not a directory: '${src}'`;
  return `unable to slurp file: ${why.replace(/^other /, '')}: '${src}'`;
}

async function plan(ctx: ModuleContext): Promise<Plan> {
  const src = need(ctx.args, 'src', 'path');
  const res = await ctx.probe(slurpProbe(src));
  const s = sections(res.stdout);
  const why = (s.get('why') ?? '').trim();
  if (why) return { steps: [], failed: whyText(why, src) };
  if (res.rc !== 0 || !s.has('content')) return { steps: [], failed: `could not read ${src}: ${(res.stderr || res.stdout).trim()}` };
  return { steps: [], result: { content: s.get('content')!.trim(), source: src, encoding: 'base64' } };
}

export const slurp: TaskModule = {
  name: 'slurp',
  aliases: ['ansible.builtin.slurp', 'ansible.legacy.slurp'],
  plansAhead: true,
  schema,
  freeForm: 'kv',
  plan,
};
