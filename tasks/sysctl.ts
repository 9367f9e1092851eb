// sysctl: a kernel parameter, live (`sysctl -w`) and in a sysctl file (Ansible's ansible.posix.sysctl).
import type { FileDiff, ModuleContext, Plan, Step, TaskModule } from '../src/types.js';
import { TaskError } from '../src/errors.js';
import { sh } from '../src/shell.js';
import { boolSchema, need, pick, str, toBool } from './lib/args.js';
import { fileProbe, parseFileProbe, writeAfter, writeSteps } from './lib/files.js';
import { mark, norm, sections } from '../src/probe.js';

const schema = {
  type: 'object',
  description:
    'Manage a kernel parameter: its value in a sysctl file and, with sysctl_set, the live value. One probe exec when nothing changes. Fails on "Invalid argument" from sysctl even when sysctl exits 0.',
  properties: {
    name: { type: 'string', description: 'The dot-separated key, e.g. net.ipv4.conf.all.arp_ignore.' },
    key: { type: 'string', description: 'Alias of name.' },
    value: { type: ['string', 'number', 'boolean'], description: 'Desired value (required for state=present). Compared whitespace-normalised; booleans become 1/0.' },
    val: { type: ['string', 'number', 'boolean'], description: 'Alias of value.' },
    state: { enum: ['present', 'absent'], default: 'present', description: 'present: the key has the value in sysctl_file; absent: the key is removed from sysctl_file (the live value is left as is).' },
    sysctl_file: { type: 'string', default: '/etc/sysctl.conf', description: 'File holding the setting. Default /etc/sysctl.conf; a file under /etc/sysctl.d/ (e.g. /etc/sysctl.d/60-lvs.conf) keeps settings grouped.' },
    sysctl_set: boolSchema('Also compare and set the live value with `sysctl -w`.', false),
    reload: boolSchema('When the file changed, load it with `sysctl -p FILE` (all of its keys).', true),
    ignoreerrors: boolSchema('Ignore unknown keys and "Invalid argument" (sysctl -e).', false),
  },
  additionalProperties: false,
  anyOf: [{ required: ['name'] }, { required: ['key'] }],
};

const FAILURE = /^(?:sysctl: )?.*(?:Invalid argument|Read-only file system|cannot stat|unknown key|No such file or directory|Permission denied)/m;

export function sysctlValue(v: unknown): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'boolean') return v ? '1' : '0';
  return String(v);
}

/** The file with `name` set to `value` (undefined: removed). Other lines stay as they are. */
export function editSysctlFile(before: string, name: string, value: string | undefined): string {
  const lines = before === '' ? [] : before.replace(/\n$/, '').split('\n');
  const out: string[] = [];
  let done = false;
  for (const line of lines) {
    const t = line.trim();
    const m = t.startsWith('#') || t.startsWith(';') ? null : /^([^=]+?)\s*=\s*(.*)$/.exec(t);
    if (!m || m[1].trim() !== name) {
      out.push(line);
      continue;
    }
    if (value === undefined || done) continue; // absent, or a later duplicate
    out.push(norm(m[2]) === norm(value) ? line : `${name}=${value}`);
    done = true;
  }
  if (value !== undefined && !done) out.push(`${name}=${value}`);
  return out.length ? `${out.join('\n')}\n` : '';
}

async function plan(ctx: ModuleContext): Promise<Plan> {
  const a = ctx.args;
  const name = need(a, 'name', 'key');
  const value = sysctlValue(pick(a, 'value', 'val'));
  const state = need(a, 'state');
  const file = need(a, 'sysctl_file');
  const set = toBool(a, 'sysctl_set', false);
  const reload = toBool(a, 'reload', true);
  const ignore = toBool(a, 'ignoreerrors', false);
  if (state === 'present' && (value === undefined || value === '')) throw new TaskError(`sysctl ${name}: value is required with state=present`);

  const probe = [mark('live'), sh`out=$(sysctl -n ${name} 2>&1); rc=$?`, 'printf "%s\\n" "$out"', mark('live_rc'), 'echo "$rc"', fileProbe(file, { content: 'always' })].join('\n');
  const res = await ctx.probe(probe);
  const s = sections(res.stdout);
  const live = s.get('live') ?? '';
  const liveOk = (s.get('live_rc') ?? '').trim() === '0' && !FAILURE.test(live);
  const cur = parseFileProbe(file, res.stdout);
  if (cur.kind !== 'file' && cur.kind !== 'absent') throw new TaskError(`sysctl_file ${file} is a ${cur.kind}, not a file`);
  if (state === 'present' && !liveOk && !ignore) {
    return { steps: [], failed: `sysctl key ${name} is not available on ${ctx.host}: ${live.trim() || 'sysctl failed'}` };
  }

  const before = cur.content ?? '';
  const after = editSysctlFile(before, name, state === 'present' ? value : undefined);
  const fileChanged = after !== before;
  const liveChanged = state === 'present' && set && liveOk && norm(live) !== norm(value!);

  const steps: Step[] = [];
  const diff: FileDiff[] = [];
  if (fileChanged) {
    steps.push(...writeSteps(cur, after, { want: {}, backup: false, mkdirs: true }));
    diff.push({ path: file, before, after });
  }
  if (liveChanged) {
    steps.push({ describe: `set ${name}=${value}`, cmd: sh`sysctl ${[...(ignore ? ['-e'] : []), '-w', `${name}=${value}`]} 2>&1` });
    diff.push({ path: `/proc/sys/${name.replace(/\./g, '/')}`, before: `${norm(live)}\n`, after: `${norm(value!)}\n` });
  }
  if (fileChanged && reload) steps.push({ describe: `reload ${file}`, cmd: sh`sysctl ${[...(ignore ? ['-e'] : []), '-p', file]} 2>&1` });

  return {
    steps,
    diff,
    result: { name, value: value ?? null, state, sysctl_file: file },
    after(r) {
      const fields = writeAfter(r.rc === 0 ? r : { ...r, stderr: r.stderr || r.stdout });
      const bad = r.stdout.split('\n').find((l) => FAILURE.test(l));
      if (bad && !ignore) throw new TaskError(`sysctl ${name}: ${bad.trim()}`, { stdout: r.stdout, stderr: r.stderr });
      return fields;
    },
  };
}

export const sysctl: TaskModule = {
  name: 'sysctl',
  aliases: ['ansible.posix.sysctl'],
  plansAhead: true,
  schema,
  freeForm: 'kv',
  plan,
};
