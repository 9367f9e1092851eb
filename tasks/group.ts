// group: a local group present (with gid) or absent, through groupadd/groupmod/groupdel, with
// Ansible's result fields (name, state, gid, system). One probe (getent) when nothing changes.
import type { ExecResult, ModuleContext, Plan, TaskModule, Vars } from '../src/types.js';
import { TaskError } from '../src/errors.js';
import { sh } from '../src/shell.js';
import { boolSchema, need, str, toBool } from './lib/args.js';
import { mark, sections } from '../src/probe.js';

const schema = {
  type: 'object',
  description: "A local group present (with the given gid) or absent, as Ansible's group (groupadd/groupmod/groupdel; lgroup* with local).",
  properties: {
    name: { type: 'string', description: 'Group name.' },
    state: { enum: ['present', 'absent'], default: 'present', description: 'Whether the group should exist.' },
    gid: { type: 'integer', description: 'Its gid (changed with groupmod when it differs).' },
    system: boolSchema('Create it as a system group (-r).', false),
    local: boolSchema('Use lgroupadd/lgroupmod/lgroupdel (libuser).', false),
    non_unique: boolSchema('Allow a gid another group has (-o; needs gid).', false),
  },
  required: ['name'],
  additionalProperties: false,
};

const gidOf = (out: string): number | undefined => {
  const f = out.trim().split(':');
  return f.length >= 3 && f[2] !== '' ? Number(f[2]) : undefined;
};

async function plan(ctx: ModuleContext): Promise<Plan> {
  const a = ctx.args;
  const name = need(a, 'name');
  const present = (str(a, 'state') ?? 'present') === 'present';
  const system = toBool(a, 'system', false);
  const local = toBool(a, 'local', false) ? 'l' : '';
  const gid = a.gid === undefined || a.gid === null ? undefined : Number(a.gid);
  const unique = toBool(a, 'non_unique', false);
  if (unique && gid === undefined) throw new TaskError('non_unique is True but all of the following are missing: gid');
  const cur = gidOf((await ctx.probe(sh`getent group ${name} || true`)).stdout);
  const base: Vars = { name, state: present ? 'present' : 'absent' };
  const lookup = { describe: `getent group ${name}`, cmd: `${mark('group')}; ${sh`getent group ${name}`} || true` };
  const after = (res: ExecResult): Vars => {
    if (res.rc !== 0) throw new TaskError((res.stderr || res.stdout).trim(), { name });
    const g = gidOf(sections(res.stdout).get('group') ?? '');
    return g === undefined ? {} : { system, gid: g };
  };
  const o = unique ? ['-o'] : [];
  if (!present) {
    if (cur === undefined) return { steps: [], result: base };
    if (ctx.check) return { steps: [], changed: true, result: {} };
    return { steps: [{ describe: `${local}groupdel ${name}`, cmd: sh`${`${local}groupdel`} ${name}` }, lookup], result: base, after };
  }
  if (cur === undefined) {
    if (ctx.check) return { steps: [], changed: true, result: {} };
    const args = [...(gid !== undefined ? ['-g', String(gid), ...o] : []), ...(system ? ['-r'] : []), name];
    return { steps: [{ describe: `${local}groupadd ${args.join(' ')}`, cmd: sh`${`${local}groupadd`} ${args}` }, lookup], result: base, after };
  }
  if (gid !== undefined && gid !== cur) {
    const args = ['-g', String(gid), ...o, name];
    return { steps: [{ describe: `${local}groupmod ${args.join(' ')}`, cmd: sh`${`${local}groupmod`} ${args}` }, lookup], result: { ...base, system, gid }, after };
  }
  return { steps: [], result: { ...base, system, gid: cur } };
}

export const group: TaskModule = {
  name: 'group',
  aliases: ['ansible.builtin.group', 'ansible.legacy.group'],
  schema,
  freeForm: 'kv',
  plan,
};
