// blockinfile: a block of lines between two marker lines, inserted, replaced or removed, by Ansible's rules.
import type { ModuleContext, Plan, TaskModule } from '../src/types.js';
import { TaskError } from '../src/errors.js';
import { attrSchema, boolSchema, need, str, toBool } from './lib/args.js';
import { pyRegExp } from './lib/pyregex.js';
import { probeText, textEditPlan } from './lib/textedit.js';

const schema = {
  type: 'object',
  description:
    "Insert, update or remove a block of lines between marker lines ('# BEGIN ANSIBLE MANAGED BLOCK' ... '# END ...'), as Ansible's blockinfile: a new block goes after the last line matching insertafter (EOF by default) or before the last line matching insertbefore (or BOF). One probe exec when nothing changes; atomic write.",
  properties: {
    path: { type: 'string', description: 'The file (aliases dest, destfile, name).' },
    dest: { type: 'string', description: 'Alias of path.' },
    destfile: { type: 'string', description: 'Alias of path.' },
    name: { type: 'string', description: 'Alias of path.' },
    state: { enum: ['present', 'absent'], default: 'present', description: 'Whether the block should be there.' },
    marker: { type: 'string', default: '# {mark} ANSIBLE MANAGED BLOCK', description: '{mark} becomes marker_begin/marker_end.' },
    marker_begin: { type: 'string', default: 'BEGIN', description: 'What {mark} is in the first marker.' },
    marker_end: { type: 'string', default: 'END', description: 'What {mark} is in the last marker.' },
    block: { type: 'string', description: 'The lines (alias content); empty or absent removes the block.' }, // no schema default: it would hide the alias
    content: { type: 'string', description: 'Alias of block.' },
    insertafter: { type: 'string', description: 'EOF or a regexp (Python syntax): insert after its last matching line.' },
    insertbefore: { type: 'string', description: 'BOF or a regexp: insert before its last matching line.' },
    create: boolSchema('Create the file when missing.', false),
    backup: boolSchema('Copy the old file to PATH.PID.DATE~ before changing it.', false),
    validate: { type: 'string', description: 'Command checking the new content (%s = temp file) before it replaces the file.' },
    ...attrSchema,
  },
  additionalProperties: false,
  anyOf: [{ required: ['path'] }, { required: ['dest'] }, { required: ['destfile'] }, { required: ['name'] }],
};

export interface BlockOpts {
  present: boolean;
  block: string;
  marker0: string;
  marker1: string;
  insertafter?: string;
  insertbefore?: string;
}

const splitKeep = (s: string): string[] => s.match(/[^\n]*\n|[^\n]+$/g) ?? [];

/** The new content and what happened (Ansible's msg), given the current content (undefined: no file). */
export function editBlock(original: string | undefined, o: BlockOpts): { content: string; msg: string } {
  const lines = original === undefined ? [] : splitKeep(original);
  let block = o.block;
  let blockLines: string[] = [];
  if (o.present && block) {
    if (!block.endsWith('\n')) block += '\n';
    blockLines = [o.marker0, ...splitKeep(block), o.marker1];
  }
  const after = o.insertafter ?? (o.insertbefore === undefined ? 'EOF' : undefined);
  const pattern = after !== undefined && after !== 'EOF' ? after : o.insertbefore !== undefined && o.insertbefore !== 'BOF' ? o.insertbefore : undefined;
  let n0: number | undefined;
  let n1: number | undefined;
  lines.forEach((l, i) => {
    if (l === o.marker0) n0 = i;
    if (l === o.marker1) n1 = i;
  });
  if (n0 === undefined || n1 === undefined) {
    n0 = undefined;
    if (pattern !== undefined) {
      const multi = /^\(\?[aiLsux]*m/.test(pattern);
      const re = pyRegExp(pattern, '', after !== undefined ? 'insertafter' : 'insertbefore');
      if (multi) {
        const m = re.exec(original ?? '');
        if (m) n0 = (original ?? '').slice(0, after !== undefined ? m.index + m[0].length : m.index).split('\n').length - 1;
      } else lines.forEach((l, i) => re.test(l) && (n0 = i));
      if (n0 === undefined) n0 = lines.length;
      else if (after !== undefined) n0 += 1;
    } else n0 = o.insertbefore !== undefined ? 0 : lines.length;
  } else if (n0 < n1) lines.splice(n0, n1 - n0 + 1);
  else {
    lines.splice(n1, n0 - n1 + 1);
    n0 = n1;
  }
  if (n0 > 0 && !lines[n0 - 1].endsWith('\n')) lines[n0 - 1] += '\n';
  lines.splice(n0, 0, ...blockLines);
  const content = lines.join('');
  const msg = original === content ? '' : original === undefined ? 'File created' : blockLines.length === 0 ? 'Block removed' : 'Block inserted';
  return { content, msg };
}

async function plan(ctx: ModuleContext): Promise<Plan> {
  const a = ctx.args;
  const path = need(a, 'path', 'dest', 'destfile', 'name');
  if (a.insertafter !== undefined && a.insertbefore !== undefined) throw new TaskError('blockinfile: parameters are mutually exclusive: insertbefore|insertafter');
  const marker = str(a, 'marker') ?? '# {mark} ANSIBLE MANAGED BLOCK';
  const o: BlockOpts = {
    present: (str(a, 'state') ?? 'present') === 'present',
    block: str(a, 'block', 'content') ?? '',
    marker0: `${marker.split('{mark}').join(str(a, 'marker_begin') ?? 'BEGIN')}\n`,
    marker1: `${marker.split('{mark}').join(str(a, 'marker_end') ?? 'END')}\n`,
    insertafter: str(a, 'insertafter'),
    insertbefore: str(a, 'insertbefore'),
  };
  const cur = await probeText(ctx, path);
  if (cur.follows === 'directory') return { steps: [], failed: `Path ${path} is a directory !`, result: { rc: 256 } };
  if (cur.kind === 'absent') {
    if (!toBool(a, 'create', false)) return { steps: [], failed: `Path ${path} does not exist !`, result: { rc: 257 } };
    if (!o.present) return { steps: [], msg: `File ${path} not present` };
  }
  const { content, msg } = editBlock(cur.kind === 'absent' ? undefined : (cur.content ?? ''), o);
  return textEditPlan(ctx, cur, { content, msg }, { mkdirs: true });
}

export const blockinfile: TaskModule = {
  name: 'blockinfile',
  aliases: ['ansible.builtin.blockinfile', 'ansible.legacy.blockinfile'],
  schema,
  freeForm: 'kv',
  plan,
};
