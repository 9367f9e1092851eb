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

/** Shell printing why the file cannot be read (section `why`), or its content in base64 (section `content`). */
export function slurpProbe(src: string): string {
  return [
    sh`p=${src}`,
    mark('why'),
    'if [ ! -e "$p" ]; then echo missing; elif [ -d "$p" ]; then echo directory; elif [ ! -r "$p" ]; then echo unreadable; else',
    `${mark('content')}; base64 -w0 < "$p"; fi`,
  ].join('\n');
}

const WHY: Record<string, string> = { missing: 'file not found', directory: 'source is a directory and must be a file', unreadable: 'file is not readable' };

async function plan(ctx: ModuleContext): Promise<Plan> {
  const src = need(ctx.args, 'src', 'path');
  const res = await ctx.probe(slurpProbe(src));
  const s = sections(res.stdout);
  const why = (s.get('why') ?? '').trim();
  if (why) return { steps: [], failed: `${WHY[why] ?? why}: ${src}` };
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
