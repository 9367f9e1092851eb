// ini_file: one option of one section of an INI file set, added or removed (or a whole section
// removed), by the rules of community.general.ini_file 6.x (what `ini_file` resolves to in Ansible 2.14).
import type { ModuleContext, Plan, TaskModule } from '../src/types.js';
import { TaskError } from '../src/errors.js';
import { attrSchema, boolSchema, need, str, toBool } from './lib/args.js';
import { probeText, textEditPlan } from './lib/textedit.js';

const schema = {
  type: 'object',
  description:
    "Set (state=present) or remove (absent) an option in a section of an INI file, or remove a whole section (absent without option), as community.general.ini_file: an existing (even commented-out) option line is rewritten in place, a new one goes after the section's last non-blank, non-comment line, a missing section is appended. One probe exec when nothing changes; atomic write.",
  properties: {
    path: { type: 'string', description: 'The INI file (alias dest).' },
    dest: { type: 'string', description: 'Alias of path.' },
    section: { type: ['string', 'null'], description: 'Section name; empty/null for the options before the first section.' },
    option: { type: 'string', description: 'Option name; absent with no option removes the section.' },
    value: { type: ['string', 'number', 'boolean'], description: 'The value (required with state=present unless allow_no_value).' },
    values: { type: 'array', items: { type: ['string', 'number', 'boolean'] }, description: 'Several values of a repeated option.' },
    state: { enum: ['present', 'absent'], default: 'present', description: 'Whether the option (or section) should be there.' },
    exclusive: boolSchema('Remove other occurrences of the option (other values).', true),
    no_extra_spaces: boolSchema("Write 'option=value' instead of 'option = value'.", false),
    allow_no_value: boolSchema('Allow an option without a value.', false),
    create: boolSchema('Create the file when missing (else fail).', true),
    backup: boolSchema('Copy the old file to PATH.PID.DATE~ before changing it.', false),
    ...attrSchema,
  },
  additionalProperties: false,
  anyOf: [{ required: ['path'] }, { required: ['dest'] }],
};

const esc = (s: string): string => s.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
/** An option line, maybe commented out; group 6 is its value (Python re.match: anchored at the start). */
const optRe = (option: string, commented: boolean): RegExp => new RegExp(`^${commented ? '[#;]?' : ''}( |\\t)*(${esc(option)})( |\\t)*(=|(?=\\n?$))( |\\t)*(.*)`);
const BLANK_OR_COMMENT = /^[ \t]*([#;].*)?\n?$/;
const FAKE = 'ad01e11446efb704fcdbdb21f2c43757423d91c5'; // a section name no file has (the options before any section)

export interface IniOpts {
  section?: string;
  option?: string;
  values: string[];
  state: 'present' | 'absent';
  exclusive: boolean;
  noExtraSpaces: boolean;
  allowNoValue: boolean;
}

/** The new content, whether it changed and Ansible's msg, given the current content. */
export function editIni(content: string, o: IniOpts): { content: string; changed: boolean; msg: string } {
  const values = [...new Set(o.values)];
  const option = o.option || undefined;
  let lines: string[] = content.match(/[^\n]*\n|[^\n]+$/g) ?? [];
  let changed = false;
  if (!lines.length) lines.push('\n');
  if (!lines[lines.length - 1].endsWith('\n')) {
    lines[lines.length - 1] += '\n';
    changed = true;
  }
  lines = [`[${FAKE}]`, ...lines, '['];
  const section = o.section || FAKE;
  let within = false;
  let start = 0;
  let end = 0;
  for (let i = 0; i < lines.length; i++) {
    if (lines[i].startsWith(`[${section}]`)) {
      within = true;
      start = i;
    } else if (lines[i].startsWith('[') && within) {
      end = i;
      break;
    }
  }
  let sec = lines.slice(start, end);
  const before = lines.slice(0, start);
  const after = lines.slice(end);
  let touched = sec.map(() => false);
  let msg = 'OK';
  const assign = (v: string): string => (o.noExtraSpaces ? `${option}=${v}\n` : `${option} = ${v}\n`);
  const update = (i: number, line: string): void => {
    if (sec[i] !== line) {
      changed = true;
      msg = 'option changed';
    }
    sec[i] = line;
    touched[i] = true;
  };
  let noValuePresent = false;
  if (o.state === 'present' && option) {
    for (let i = 0; i < sec.length; i++) {
      const m = optRe(option, true).exec(sec[i]);
      if (!m) continue;
      if (values.length && values.includes(m[6])) {
        if (!m[6] && o.allowNoValue) {
          update(i, `${option}\n`);
          noValuePresent = true;
        } else update(i, assign(m[6]));
        values.splice(values.indexOf(m[6]), 1);
      } else if (!values.length && o.allowNoValue) {
        update(i, `${option}\n`);
        noValuePresent = true;
        break;
      }
    }
  }
  if (o.state === 'present' && o.exclusive && !o.allowNoValue) {
    if (values.length) {
      for (let i = 0; i < sec.length && values.length; i++) if (!touched[i] && option && optRe(option, true).test(sec[i])) update(i, assign(values.shift()!));
    }
    for (let i = sec.length - 1; i > 0; i--) {
      if (!touched[i] && option && optRe(option, true).test(sec[i])) {
        sec.splice(i, 1);
        touched.splice(i, 1);
        changed = true;
        msg = 'option changed';
      }
    }
  }
  if (o.state === 'present') {
    for (let i = sec.length; i > 0; i--) {
      if (BLANK_OR_COMMENT.test(sec[i - 1])) continue;
      if (option && values.length) {
        sec.splice(i, 0, ...values.map(assign));
        msg = 'option added';
        changed = true;
      } else if (option && !values.length && o.allowNoValue && !noValuePresent) {
        sec.splice(i, 0, `${option}\n`);
        msg = 'option added';
        changed = true;
      }
      break;
    }
  }
  if (o.state === 'absent') {
    if (option) {
      const active = optRe(option, false);
      const keep = o.exclusive ? sec.filter((l) => !active.test(l)) : values.length ? sec.filter((l) => !(active.exec(l) && values.includes(active.exec(l)![6]))) : sec;
      if (keep.length !== sec.length) {
        changed = true;
        msg = 'option changed';
        sec = keep;
        touched = sec.map(() => false);
      }
    } else if (sec.length) {
      sec = [];
      msg = 'section removed';
      changed = true;
    }
  }
  const out = [...before, ...sec, ...after].slice(1, -1);
  if (!within && o.state === 'present') {
    out.push(`[${section}]\n`);
    msg = 'section and option added';
    if (option && values.length) out.push(...values.map(assign));
    else if (option && o.allowNoValue) out.push(`${option}\n`);
    else msg = 'only section added';
    changed = true;
  }
  return { content: out.join(''), changed, msg };
}

async function plan(ctx: ModuleContext): Promise<Plan> {
  const a = ctx.args;
  const path = need(a, 'path', 'dest');
  const state = (str(a, 'state') ?? 'present') as 'present' | 'absent';
  const allowNoValue = toBool(a, 'allow_no_value', false);
  if (a.value !== undefined && a.value !== null && Array.isArray(a.values)) throw new TaskError('parameters are mutually exclusive: value|values');
  const values = a.value !== undefined && a.value !== null ? [String(a.value)] : Array.isArray(a.values) ? a.values.map(String) : [];
  if (state === 'present' && !allowNoValue && values.length === 0) return { steps: [], failed: "Parameter 'value(s)' must be defined if state=present and allow_no_value=False." };
  const cur = await probeText(ctx, path);
  if (cur.follows === 'directory') return { steps: [], failed: `${path} is a directory` };
  if (cur.kind === 'absent' && !toBool(a, 'create', true)) return { steps: [], failed: `Destination ${path} does not exist!`, result: { rc: 257 } };
  const before = cur.kind === 'absent' ? '' : (cur.content ?? '').replace(/^\uFEFF/, '');
  const r = editIni(before, {
    section: a.section === null || a.section === undefined ? undefined : String(a.section),
    option: str(a, 'option'),
    values,
    state,
    exclusive: toBool(a, 'exclusive', true),
    noExtraSpaces: toBool(a, 'no_extra_spaces', false),
    allowNoValue,
  });
  // Ansible writes only when its rules say changed (and then even an absent file is created).
  const p = textEditPlan(ctx, cur, { content: r.changed ? r.content : cur.kind === 'absent' ? undefined : before, msg: r.msg, result: { path } }, { mkdirs: true });
  if (cur.kind === 'absent' && !r.changed) return { steps: [], msg: r.msg, result: { path, msg: r.msg } };
  p.result = { ...p.result, msg: r.msg }; // attribute changes do not show in its msg
  p.msg = r.msg;
  return p;
}

export const iniFile: TaskModule = {
  name: 'ini_file',
  aliases: ['community.general.ini_file', 'community.general.files.ini_file'],
  schema,
  freeForm: 'kv',
  plan,
};
