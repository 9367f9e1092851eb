// cron: one named job (`#Ansible: <name>` + its line) or one variable in a user's crontab or in a
// cron_file, by the rules of Ansible's cron module. One probe (the current crontab); one write step.
import type { ModuleContext, Plan, TaskModule, Vars } from '../src/types.js';
import { TaskError } from '../src/errors.js';
import { q, sh } from '../src/shell.js';
import { boolSchema, need, str, toBool } from './lib/args.js';
import { parseFileProbe, fileProbe, writeAfter, writeSteps } from './lib/files.js';
import { mark, sections } from '../src/probe.js';

const TIME = (d: string): Record<string, unknown> => ({ type: ['string', 'integer'], default: '*', description: d });
const schema = {
  type: 'object',
  description:
    "Add, update or remove a named cron job (marked by a '#Ansible: <name>' comment line) or, with env, a variable, in a user's crontab (crontab -l/-) or in cron_file (relative names go to /etc/cron.d), as Ansible's cron. One probe exec when nothing changes.",
  properties: {
    name: { type: 'string', description: 'Job name (the #Ansible: comment), or the variable name with env.' },
    user: { type: 'string', description: "Whose crontab (default: the connecting/become user's); required with cron_file." },
    job: { type: 'string', description: 'The command (alias value), or the variable value with env.' },
    value: { type: 'string', description: 'Alias of job.' },
    cron_file: { type: 'string', description: 'A file instead of a crontab (relative: in /etc/cron.d); removed when its last job goes.' },
    state: { enum: ['present', 'absent'], default: 'present', description: 'Whether the job/variable should be there.' },
    backup: boolSchema('Not supported (true fails).', false),
    minute: TIME('Minute field.'),
    hour: TIME('Hour field.'),
    day: TIME('Day-of-month field (alias dom).'),
    dom: TIME('Alias of day.'),
    month: TIME('Month field.'),
    weekday: TIME('Day-of-week field (alias dow).'),
    dow: TIME('Alias of weekday.'),
    special_time: { enum: ['reboot', 'yearly', 'annually', 'monthly', 'weekly', 'daily', 'hourly'], description: '@special instead of the time fields.' },
    disabled: boolSchema('Comment the job line out.', false),
    env: boolSchema('Manage a variable (NAME="job") instead of a job.', false),
    insertafter: { type: 'string', description: 'With env: put a new variable after this one.' },
    insertbefore: { type: 'string', description: 'With env: put a new variable before this one.' },
  },
  required: ['name'],
  additionalProperties: false,
};

const MARK = '#Ansible: ';
const esc = (s: string): string => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

export interface CronOpts {
  name: string;
  present: boolean;
  env: boolean;
  line?: string; // the job line or NAME="value"
  insertafter?: string;
  insertbefore?: string;
  cronFile: boolean;
}

/** Ansible's edit of the crontab lines; `removeFile` when a cron_file lost its last line. */
export function editCron(input: string[], o: CronOpts): { lines: string[]; changed: boolean; removeFile?: boolean } {
  let lines = [...input];
  let changed = false;
  const findEnv = (n: string): number => lines.findIndex((l) => new RegExp(`^${esc(n)}=`).test(l));
  const dropNamed = (keep: (out: string[]) => void): void => {
    const out: string[] = [];
    let inJob = false;
    for (const l of lines) {
      if (inJob) {
        keep(out);
        inJob = false;
      } else if (l === MARK + o.name) inJob = true;
      else out.push(l);
    }
    lines = out;
  };
  if (o.env) {
    const at = findEnv(o.name);
    if (o.present) {
      if (at === -1) {
        const other = o.insertafter ?? o.insertbefore;
        if (other === undefined) lines.unshift(o.line!);
        else {
          const i = findEnv(other);
          if (i === -1) throw new TaskError(`Variable named '${other}' not found.`);
          lines.splice(o.insertafter !== undefined ? i + 1 : i, 0, o.line!);
        }
        changed = true;
      } else if (lines[at] !== o.line) {
        lines = lines.flatMap((l) => (new RegExp(`^${esc(o.name)}=`).test(l) ? [o.line!] : [l]));
        changed = true;
      }
    } else if (at !== -1) {
      lines = lines.filter((l) => !new RegExp(`^${esc(o.name)}=`).test(l));
      changed = true;
    }
    return { lines, changed };
  }
  // the job line after `#Ansible: name`; or (present) a bare identical line, which gets the comment
  let found: string[] = [];
  let comment: string | undefined;
  for (const l of lines) {
    if (comment !== undefined) {
      if (comment === o.name) {
        found = [comment, l];
        break;
      }
      comment = undefined;
    } else if (l.startsWith(MARK)) comment = l.slice(MARK.length);
  }
  if (!found.length && o.present) {
    const i = lines.indexOf(o.line!);
    if (i !== -1) {
      const prev = lines[i - 1 < 0 ? lines.length - 1 : i - 1];
      if (!prev.startsWith(MARK)) {
        lines.splice(i, 0, MARK + o.name);
        found = [MARK + o.name, o.line!, 'inserted'];
      } else if (o.name && prev === `${MARK}None`) {
        lines[i - 1] = MARK + o.name;
        found = [lines[i - 1], o.line!, 'renamed'];
      }
    }
  }
  if (o.present) {
    if (!found.length) {
      lines.push(MARK + o.name, o.line!);
      changed = true;
    } else if (found[1] !== o.line || found.length > 2) {
      dropNamed((out) => out.push(MARK + o.name, o.line!));
      changed = true;
    }
  } else if (found.length) {
    dropNamed(() => undefined);
    changed = true;
    if (o.cronFile && lines.every((l) => !l.trim())) return { lines, changed: true, removeFile: true };
  }
  return { lines, changed };
}

const render = (lines: string[]): string => {
  const r = lines.join('\n');
  return r ? `${r.replace(/[\r\n]+$/, '')}\n` : '';
};

async function plan(ctx: ModuleContext): Promise<Plan> {
  const a = ctx.args;
  const name = need(a, 'name');
  const present = (str(a, 'state') ?? 'present') === 'present';
  const env = toBool(a, 'env', false);
  const user = str(a, 'user');
  const job = str(a, 'job', 'value');
  let cronFile = str(a, 'cron_file');
  if (toBool(a, 'backup', false)) throw new TaskError('cron: backup is not supported by lvsplay');
  if (cronFile === '/etc/crontab') return { steps: [], failed: 'Will not manage /etc/crontab via cron_file, see documentation.' };
  if (cronFile !== undefined && !cronFile.startsWith('/')) cronFile = `/etc/cron.d/${cronFile}`;
  const fields = ['minute', 'hour', 'day', 'month', 'weekday'].map((k, i) => str(a, k, ...(i === 2 ? ['dom'] : i === 4 ? ['dow'] : [])) ?? '*');
  const special = str(a, 'special_time');
  if (special && fields.some((f) => f !== '*')) return { steps: [], failed: 'You must specify time and date fields or special time.' };
  if (present) {
    if (cronFile && !user) return { steps: [], failed: 'To use cron_file=... parameter you must specify user=... as well' };
    if (job === undefined) return { steps: [], failed: "You must specify 'job' to install a new cron job or variable" };
    if ((a.insertafter !== undefined || a.insertbefore !== undefined) && !env) return { steps: [], failed: 'Insertafter and insertbefore parameters are valid only with env=yes' };
  }
  if (env && name.includes(' ')) return { steps: [], failed: 'Invalid name for environment variable' };
  let line: string | undefined;
  if (job !== undefined) {
    const j = job.replace(/^[\r\n]+|[\r\n]+$/g, '');
    const who = cronFile ? ` ${user}` : '';
    line = env ? `${name}="${job}"` : `${toBool(a, 'disabled', false) ? '#' : ''}${special ? `@${special}${who}` : `${fields.join(' ')}${who}`} ${j}`;
  }

  let existing: string;
  let cur;
  // Ansible's cron needs the crontab program even for a cron_file
  const [tool, file] = await Promise.all([ctx.probe('command -v crontab || echo "none $PATH"'), cronFile ? ctx.probe(fileProbe(cronFile, { content: 'always' })) : undefined]);
  if (tool.stdout.startsWith('none ')) return { steps: [], failed: `Failed to find required executable "crontab" in paths: ${tool.stdout.slice(5).trim()}` };
  if (cronFile) {
    cur = parseFileProbe(cronFile, file!.stdout);
    existing = cur.content ?? '';
  } else {
    const res = await ctx.probe([`${mark('rc')}`, `out=$(crontab ${user ? sh`-u ${user} ` : ''}-l 2>&1); echo $?`, mark('content'), 'printf "%s" "$out"'].join('\n'));
    const s = sections(res.stdout);
    const rc = Number((s.get('rc') ?? '').trim());
    existing = s.get('content') ?? '';
    if (rc === 1) existing = ''; // no crontab yet
    else if (rc !== 0) return { steps: [], failed: `Unable to read crontab: ${existing.trim()}` };
    else if (existing) existing += '\n'; // $(...) dropped the final newline
  }
  let lines = existing.split(/\r?\n/);
  if (lines[lines.length - 1] === '') lines.pop();
  if (!cronFile) lines = lines.filter((l, i) => i > 2 || !(/^# DO NOT EDIT THIS FILE - edit the master and reinstall\./.test(l) || /^# \(\/tmp\/.*installed on.*\)/.test(l) || /^# \(.*version.*\)/.test(l)));
  const r = editCron(lines, { name, present, env, line, insertafter: str(a, 'insertafter'), insertbefore: str(a, 'insertbefore'), cronFile: !!cronFile });
  const where = cronFile ?? `crontab${user ? ` for user "${user}"` : ''}`;
  if (r.removeFile) {
    return { steps: [{ describe: `remove ${cronFile}`, cmd: sh`rm -f -- ${cronFile!}` }], diff: [{ path: cronFile, before: existing, after: '' }], result: { cron_file: str(a, 'cron_file'), state: 'absent' } };
  }
  const changed = r.changed || (existing !== '' && !/[\r\n]$/.test(existing));
  const result: Vars = { jobs: r.lines.filter((l) => l.startsWith(MARK)).map((l) => l.slice(MARK.length)), envs: r.lines.filter((l) => /^\S+=/.test(l)).map((l) => l.split('=')[0]) };
  if (cronFile) result.cron_file = str(a, 'cron_file');
  if (!changed) return { steps: [], result };
  const content = render(r.lines);
  const steps = cronFile
    ? writeSteps(cur!, content, { want: {}, backup: false })
    : [{ describe: `install the new ${where}`, cmd: `crontab ${user ? `-u ${q(user)} ` : ''}-`, stdin: content }];
  return { steps, changed: true, diff: [{ path: where, before: existing, after: content }], result, after: cronFile ? (res) => writeAfter(res) : undefined };
}

export const cron: TaskModule = {
  name: 'cron',
  aliases: ['ansible.builtin.cron', 'ansible.legacy.cron'],
  schema,
  freeForm: 'kv',
  plan,
};
