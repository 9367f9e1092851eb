// replace: every match of a regexp in a file replaced (Python re.sub semantics, MULTILINE), optionally
// only in the part after `after` / before `before`, by Ansible's rules and messages.
import type { ModuleContext, Plan, TaskModule } from '../src/types.js';
import { attrSchema, boolSchema, need, str } from './lib/args.js';
import { pyRegExp, pySubn } from './lib/pyregex.js';
import { probeText, textEditPlan } from './lib/textedit.js';

const schema = {
  type: 'object',
  description:
    "Replace every match of regexp (Python syntax, multiline) in a file with replace (\\1, \\g<name> refer to groups), as Ansible's replace; after/before limit it to a section. One probe exec when nothing changes; atomic write.",
  properties: {
    path: { type: 'string', description: 'The file (aliases dest, destfile, name).' },
    dest: { type: 'string', description: 'Alias of path.' },
    destfile: { type: 'string', description: 'Alias of path.' },
    name: { type: 'string', description: 'Alias of path.' },
    regexp: { type: 'string', description: 'What to replace (Python regular expression, re.MULTILINE).' },
    replace: { type: 'string', default: '', description: 'The replacement (empty: delete the matches).' },
    after: { type: 'string', description: 'Only replace after the first match of this regexp (DOTALL).' },
    before: { type: 'string', description: 'Only replace before the last match of this regexp (DOTALL).' },
    backup: boolSchema('Copy the old file to PATH.PID.DATE~ before changing it.', false),
    validate: { type: 'string', description: 'Command checking the new content (%s = temp file) before it replaces the file.' },
    encoding: { type: 'string', default: 'utf-8', description: 'Only utf-8 (and ascii) are supported.' },
    ...attrSchema,
  },
  required: ['regexp'],
  additionalProperties: false,
  anyOf: [{ required: ['path'] }, { required: ['dest'] }, { required: ['destfile'] }, { required: ['name'] }],
};

/** The new content and Ansible's msg (or the message of a section pattern that did not match). */
export function replaceIn(contents: string, o: { regexp: string; replace: string; after?: string; before?: string }): { content: string; msg: string; noSection?: boolean } {
  let pattern = '';
  if (o.after && o.before) pattern = `${o.after}(?P<subsection>.*?)${o.before}`;
  else if (o.after) pattern = `${o.after}(?P<subsection>.*)`;
  else if (o.before) pattern = `(?P<subsection>.*)${o.before}`;
  let section = contents;
  let start = 0;
  if (pattern) {
    const m = pyRegExp(pattern, 'sd', 'after/before').exec(contents);
    if (!m) return { content: contents, msg: `Pattern for before/after params did not match the given file: ${pattern}`, noSection: true };
    section = m.groups!.subsection;
    start = m.indices!.groups!.subsection[0];
  }
  const [out, n] = pySubn(pyRegExp(o.regexp, 'm'), o.replace, section);
  if (n === 0 || out === section) return { content: contents, msg: '' };
  return { content: contents.slice(0, start) + out + contents.slice(start + section.length), msg: `${n} replacements made` };
}

async function plan(ctx: ModuleContext): Promise<Plan> {
  const a = ctx.args;
  const path = need(a, 'path', 'dest', 'destfile', 'name');
  const enc = (str(a, 'encoding') ?? 'utf-8').toLowerCase();
  if (!['utf-8', 'utf8', 'ascii'].includes(enc)) return { steps: [], failed: `replace: encoding ${enc} is not supported (only utf-8)` };
  const cur = await probeText(ctx, path);
  if (cur.follows === 'directory') return { steps: [], failed: `Path ${path} is a directory !`, result: { rc: 256 } };
  if (cur.kind === 'absent') return { steps: [], failed: `Path ${path} does not exist !`, result: { rc: 257 } };
  const r = replaceIn(cur.content ?? '', { regexp: need(a, 'regexp'), replace: str(a, 'replace') ?? '', after: str(a, 'after'), before: str(a, 'before') });
  if (r.noSection) return { steps: [], msg: r.msg, result: { msg: r.msg, rc: 0 } };
  return textEditPlan(ctx, cur, { content: r.content, msg: r.msg, result: { rc: 0 } });
}

export const replace: TaskModule = {
  name: 'replace',
  aliases: ['ansible.builtin.replace', 'ansible.legacy.replace'],
  schema,
  freeForm: 'kv',
  plan,
};
