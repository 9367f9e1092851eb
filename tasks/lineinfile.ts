// lineinfile: one line present (replacing a regexp match, or inserted) or absent, Ansible's rules.
import type { ModuleContext, Plan, TaskModule } from '../src/types.js';
import { TaskError } from '../src/errors.js';
import { attrSchema, boolSchema, need, str, toBool } from './lib/args.js';
import { fileProbe, parseFileProbe, writeAfter } from './lib/files.js';
import { textEditPlan } from './lib/textedit.js';

const schema = {
  type: 'object',
  description:
    "Ensure a line is in a file (replacing the last line matching regexp, else inserted after/before a match, or at EOF/BOF) or that no matching line is. Same rules as Ansible's lineinfile; regexps are JavaScript RegExps ((?P<n>) is accepted). One probe exec when nothing changes; atomic write.",
  properties: {
    path: { type: 'string', description: 'File on the host (aliases dest, name).' },
    dest: { type: 'string', description: 'Alias of path.' },
    name: { type: 'string', description: 'Alias of path.' },
    line: { type: 'string', description: 'The line (required for state=present). With backrefs, \\1 and \\g<name> refer to regexp groups.' },
    value: { type: 'string', description: 'Alias of line.' },
    regexp: { type: 'string', description: 'Regexp searched in every line: present replaces the last match, absent removes all matches.' },
    regex: { type: 'string', description: 'Alias of regexp.' },
    search_string: { type: 'string', description: 'Literal string instead of regexp.' },
    state: { enum: ['present', 'absent'], default: 'present', description: 'Whether the line should be there.' },
    insertafter: { type: 'string', description: "EOF (default) or a regexp: insert after its last match (EOF when none matches)." },
    insertbefore: { type: 'string', description: 'BOF or a regexp: insert before its last match.' },
    firstmatch: boolSchema('Use the first match of insertafter/insertbefore instead of the last.', false),
    backrefs: boolSchema('Expand regexp groups in line; when regexp does not match, the file is left alone.', false),
    create: boolSchema('Create the file (and its directories) when missing; otherwise a missing file fails.', false),
    backup: boolSchema('Copy the old file to PATH.PID.DATE~ before changing it.', false),
    validate: { type: 'string', description: 'Command checking the new content (%s = temp file) before it replaces the file.' },
    ...attrSchema,
  },
  additionalProperties: false,
  anyOf: [{ required: ['path'] }, { required: ['dest'] }, { required: ['name'] }],
};

function re(src: string, what: string): RegExp {
  try {
    return new RegExp(src.replace(/\(\?P</g, '(?<'));
  } catch (e) {
    throw new TaskError(`${what} is not a valid regular expression: ${(e as Error).message}`);
  }
}

function expand(line: string, m: RegExpExecArray): string {
  return line.replace(/\\(\d+)|\\g<(\w+)>/g, (_, n: string | undefined, g: string | undefined) => (n !== undefined ? m[Number(n)] : (m.groups?.[g!] ?? (/^\d+$/.test(g!) ? m[Number(g)] : ''))) ?? '');
}

export interface LineOpts {
  line?: string;
  regexp?: string;
  search?: string;
  state: 'present' | 'absent';
  insertafter?: string;
  insertbefore?: string;
  firstmatch: boolean;
  backrefs: boolean;
}

/** The new content, following ansible.builtin.lineinfile's present()/absent(). */
export function editLines(content: string, o: LineOpts): string {
  const lines = content.match(/[^\n]*\n|[^\n]+$/g) ?? [];
  const bare = (l: string): string => l.replace(/[\r\n]+$/, '');
  const rx = o.regexp !== undefined ? re(o.regexp, 'regexp') : undefined;
  if (o.state === 'absent') return lines.filter((l) => !(rx ? rx.exec(bare(l)) : o.search !== undefined ? l.includes(o.search) : bare(l) === o.line)).join('');

  const line = o.line!;
  const insRe = o.insertafter && o.insertafter !== 'EOF' && o.insertafter !== 'BOF' ? re(o.insertafter, 'insertafter') : o.insertbefore && o.insertbefore !== 'BOF' ? re(o.insertbefore, 'insertbefore') : undefined;
  // Python's `$` also matches before the line's final newline (JavaScript's does not)
  const search = (r: RegExp, l: string): RegExpExecArray | null => r.exec(l) ?? r.exec(bare(l));
  let index0 = -1;
  let index1 = -1;
  let m: RegExpExecArray | boolean | undefined;
  // as Ansible's present(): the last (first with firstmatch) line regexp or search_string matches ...
  for (let i = 0; i < lines.length && (rx || o.search !== undefined); i++) {
    const found = rx ? search(rx, lines[i]) : lines[i].includes(o.search!);
    if (!found) continue;
    index0 = i;
    m = found;
    if (o.firstmatch) break;
  }
  // ... else the line itself, and where insertafter/insertbefore matches
  if (!m) {
    for (let i = 0; i < lines.length; i++) {
      if (bare(lines[i]) === line) index0 = i;
      else if (insRe && search(insRe, lines[i])) {
        index1 = o.insertafter ? i + 1 : i;
        if (o.firstmatch) break;
      }
    }
  }
  const out = [...lines];
  if (index0 !== -1) {
    const nl = `${o.backrefs && typeof m === 'object' ? expand(line, m) : line}\n`;
    if (out[index0] !== nl) out[index0] = nl;
  } else if (o.backrefs) {
    // nothing: the line cannot be built without a match
  } else if (o.insertbefore === 'BOF' || o.insertafter === 'BOF') {
    out.unshift(`${line}\n`);
  } else if (o.insertafter === 'EOF' || index1 === -1) {
    if (out.length && !out[out.length - 1].endsWith('\n')) out[out.length - 1] += '\n';
    out.push(`${line}\n`);
  } else if (o.insertafter) {
    if (out.length === index1) {
      if (bare(out[index1 - 1]) !== line) out.push(`${line}\n`);
    } else if (bare(out[index1]) !== line) out.splice(index1, 0, `${line}\n`);
  } else {
    out.splice(index1, 0, `${line}\n`);
  }
  return out.join('');
}

async function plan(ctx: ModuleContext): Promise<Plan> {
  const a = ctx.args;
  const path = need(a, 'path', 'dest', 'name');
  const state = need(a, 'state') as 'present' | 'absent';
  const o: LineOpts = {
    line: str(a, 'line', 'value'),
    regexp: str(a, 'regexp', 'regex'),
    search: str(a, 'search_string'),
    state,
    insertafter: str(a, 'insertafter'),
    insertbefore: str(a, 'insertbefore'),
    firstmatch: toBool(a, 'firstmatch', false),
    backrefs: toBool(a, 'backrefs', false),
  };
  if (state === 'present' && o.line === undefined) throw new TaskError('lineinfile: line is required with state=present');
  if (state === 'absent' && o.line === undefined && o.regexp === undefined && o.search === undefined) throw new TaskError('lineinfile: state=absent needs line, regexp or search_string');
  if (o.insertafter && o.insertbefore) throw new TaskError('lineinfile: insertafter and insertbefore are mutually exclusive');
  if (o.regexp !== undefined && o.search !== undefined) throw new TaskError('lineinfile: regexp and search_string are mutually exclusive');
  if (o.backrefs && o.regexp === undefined) throw new TaskError('lineinfile: backrefs needs regexp');

  const res = await ctx.probe(fileProbe(path, { content: 'always' }));
  const cur = parseFileProbe(path, res.stdout);
  const create = toBool(a, 'create', false);
  if (cur.kind === 'absent') {
    if (state === 'absent') return { steps: [], result: { path }, msg: 'file not present' };
    if (!create) return { steps: [], failed: `Destination ${path} does not exist !`, result: { rc: 257 } };
  } else if (cur.follows !== 'file') return { steps: [], failed: `${path} is a ${cur.kind}, not a file` };

  const before = cur.content ?? '';
  const after = editLines(before, o);
  // Ansible's messages: what happened to the line, then the attribute change (textEditPlan)
  const count = (t: string): number => (t.match(/[^\n]*\n|[^\n]+$/g) ?? []).length;
  const removed = count(before) - count(after);
  const msg = after === before ? '' : state === 'absent' ? `${removed} line(s) removed` : count(after) > count(before) ? 'line added' : 'line replaced';
  const empty = o.regexp === '' ? 'regular expression' : o.search === '' ? 'search string' : undefined;
  const warnings = empty
    ? [`The ${empty} is an empty string, which will match every line in the file. This may have unintended consequences, such as replacing the last line in the file rather than appending.${o.regexp === '' ? " If this is desired, use '^' to match every line in the file and avoid this warning." : ''}`]
    : undefined;
  const p = textEditPlan(ctx, cur, { content: after, msg, result: { backup: '', ...(state === 'absent' ? { found: removed } : {}), ...(warnings ? { warnings } : {}) } }, { mkdirs: create });
  return { ...p, after: (r) => {
    const f = writeAfter(r);
    return f.backup_file ? { backup: f.backup_file } : {};
  } };
}

export const lineinfile: TaskModule = {
  name: 'lineinfile',
  aliases: ['ansible.builtin.lineinfile', 'ansible.legacy.lineinfile'],
  plansAhead: true,
  schema,
  freeForm: 'kv',
  plan,
};
