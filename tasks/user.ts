// user: a local account present (uid, primary group, groups, comment, home, shell, password hash,
// lock, expiry) or absent, through useradd/usermod/userdel, deciding as Ansible's user module does
// and returning its result fields. One probe when nothing changes; the password hash is a secret.
import type { ExecResult, ModuleContext, Plan, Step, TaskModule, Vars } from '../src/types.js';
import { TaskError } from '../src/errors.js';
import { sh } from '../src/shell.js';
import { boolSchema, list, pick, str, toBool } from './lib/args.js';
import { mark, sections } from '../src/probe.js';
import { createHome, parsePasswd, parseUserDb, userProbe, type Passwd } from './lib/userdb.js';
import { usermodArgs, type UserWant } from './lib/usermod.js';
import { keyFields, keyProbe, keyStep, keyThere, keyWish } from './lib/sshkey.js';

const int = (description: string): Record<string, unknown> => ({ type: ['integer', 'string'], pattern: '^-?[0-9]+$', description });

const schema = {
  type: 'object',
  description: "A local user account present or absent, as Ansible's user module on Linux (useradd/usermod/userdel). The result has Ansible's fields (uid, group, groups, comment, home, shell, system, create_home, append, move_home...); the password is shown as NOT_LOGGING_PASSWORD.",
  properties: {
    name: { type: 'string', description: 'User name (alias user).' },
    user: { type: 'string', description: 'Alias of name.' },
    state: { enum: ['present', 'absent'], default: 'present', description: 'Whether the account should exist.' },
    uid: int('Its uid.'),
    non_unique: boolSchema('Allow a uid another user has (-o; with uid).', false),
    group: { type: ['string', 'integer'], description: 'Primary group (name or gid); it must exist. Unset on creation: useradd\'s default (a group of the user\'s name).' },
    groups: { anyOf: [{ type: 'string' }, { type: 'array', items: { type: ['string', 'integer'] } }], description: 'Supplementary groups (a list or comma-separated); [] or "" removes all unless append.' },
    append: boolSchema('Add the groups to the current ones instead of setting exactly these.', false),
    comment: { type: 'string', description: 'The GECOS field.' },
    home: { type: 'string', description: 'Home directory.' },
    shell: { type: 'string', description: 'Login shell.' },
    password: { type: 'string', description: 'The password as a crypt(3) hash (set with -p; never printed).' },
    update_password: { enum: ['always', 'on_create'], default: 'always', description: 'always: set the hash when it differs; on_create: only for new users.' },
    create_home: { type: ['boolean', 'string', 'integer'], description: 'Create the home directory (from the skeleton) when the user is created or the home is missing (alias createhome). Default: true.' },
    createhome: { type: ['boolean', 'string', 'integer'], description: 'Alias of create_home.' },
    skeleton: { type: 'string', description: 'Skeleton directory for a new home (default /etc/skel).' },
    umask: { type: 'string', description: 'UMASK for the new home directory (useradd -K UMASK=).' },
    system: boolSchema('Create a system account (-r); only on creation.', false),
    move_home: boolSchema('With a new home: move the contents there (usermod -m).', false),
    remove: boolSchema('With state=absent: remove the home and mail spool (userdel -r).', false),
    force: boolSchema('With state=absent: remove even when logged in (userdel -f).', false),
    password_lock: boolSchema('Lock (true) or unlock (false) the password (usermod -L/-U).'),
    expires: { type: ['number', 'string'], description: 'Account expiry in seconds since the epoch (the date counts); negative removes it.' },
    password_expire_min: int('Minimum days between password changes (chage -m).'),
    password_expire_max: int('Maximum days a password is valid (chage -M).'),
    generate_ssh_key: boolSchema('Make an SSH key for the user (ssh-keygen) when its file is missing (always with force); the result has ssh_key_file, ssh_fingerprint and ssh_public_key.', false),
    ssh_key_type: { type: 'string', default: 'rsa', description: 'Key type (ssh-keygen -t).' },
    ssh_key_bits: int('Key bits (ssh-keygen -b; default: ssh-keygen\'s for the type).'),
    ssh_key_file: { type: 'string', description: 'Key file; relative to the user\'s home (default .ssh/id_TYPE).' },
    ssh_key_comment: { type: 'string', description: 'Key comment (default "ansible-generated on HOSTNAME").' },
  },
  anyOf: [{ required: ['name'] }, { required: ['user'] }],
  additionalProperties: false,
};

const optInt = (v: unknown): number | undefined => (v === undefined || v === null || v === '' ? undefined : Number(v));
const ymd = (secs: number): string => new Date(secs * 1000).toISOString().slice(0, 10);

function want(a: Vars): UserWant {
  const g = pick(a, 'groups');
  const exp = optInt(a.expires);
  return {
    name: String(pick(a, 'name', 'user')),
    uid: optInt(a.uid),
    nonUnique: toBool(a, 'non_unique', false),
    group: str(a, 'group'),
    groups: g === undefined ? undefined : list(g).join(','),
    append: toBool(a, 'append', false),
    comment: str(a, 'comment'),
    home: str(a, 'home'),
    shell: str(a, 'shell'),
    password: str(a, 'password'),
    updatePassword: str(a, 'update_password') ?? 'always',
    createHome: pick(a, 'create_home', 'createhome') === undefined ? true : toBool({ v: pick(a, 'create_home', 'createhome') }, 'v', true),
    skeleton: str(a, 'skeleton'),
    umask: str(a, 'umask'),
    system: toBool(a, 'system', false),
    moveHome: toBool(a, 'move_home', false),
    lock: a.password_lock === undefined || a.password_lock === null ? undefined : toBool(a, 'password_lock', false),
    expires: exp === undefined ? undefined : exp < 0 ? '' : ymd(exp),
    min: optInt(a.password_expire_min),
    max: optInt(a.password_expire_max),
  };
}

const pwFields = (p: Passwd): Vars => ({ uid: p.uid, group: p.gid, comment: p.comment, home: p.home, shell: p.shell });

async function plan(ctx: ModuleContext): Promise<Plan> {
  const w = want(ctx.args);
  const { name } = w;
  const present = (str(ctx.args, 'state') ?? 'present') === 'present';
  if (w.nonUnique && w.uid === undefined) throw new TaskError('non_unique is True but all of the following are missing: uid');
  const asked = [...new Set([...(w.group !== undefined ? [w.group] : []), ...(w.groups ? w.groups.split(',') : []), name])];
  const paths = w.home !== undefined ? [w.home, w.home.replace(/\/[^/]*\/?$/, '') || '/'] : [];
  const key = present ? keyWish(ctx.args) : undefined;
  const probed = (await ctx.probe(`${userProbe(name, asked, paths)}${key ? `\n${keyProbe(name, key)}` : ''}`)).stdout;
  const db = parseUserDb(probed);
  // generate_ssh_key: a key step after the account's own (a new user, a missing key, or force); the result reports the key
  const keyNeeded = key !== undefined && (!db.pw || key.force || !keyThere(probed));
  const keySteps = key && keyNeeded ? [keyStep(name, key)] : [];
  const keyKnown = key && !keyNeeded ? keyFields(probed) : {};
  const base: Vars = { name, state: present ? 'present' : 'absent' };
  const look: Step = { describe: `getent passwd ${name}`, cmd: `${mark('after')}; ${sh`getent passwd ${name}`} || true` };
  const fail = (res: ExecResult): void => {
    if (res.rc !== 0) throw new TaskError(res.stderr, { name, rc: res.rc }, { alone: true });
  };
  const io = (res: ExecResult): Vars => (res.stderr ? { stderr: res.stderr } : {});

  if (!present) {
    if (!db.pw) return { steps: [], result: { ...base, changed: false } };
    const removeDiff = [{ path: `user ${name}`, before: 'present\n', after: 'absent\n' }];
    if (ctx.check) return { steps: [], changed: true, result: {}, diff: removeDiff };
    const force = toBool(ctx.args, 'force', false);
    const remove = toBool(ctx.args, 'remove', false);
    const args = [...(force ? ['-f'] : []), ...(remove ? ['-r'] : []), name];
    return {
      steps: [{ describe: `userdel ${args.join(' ')}`, cmd: sh`userdel ${args}` }],
      diff: removeDiff,
      result: { ...base, force, remove },
      after: (res) => (fail(res), io(res)),
    };
  }
  const createDiff = [{ path: `user ${name}`, before: 'absent\n', after: `present\n${describeWant(w)}` }];
  // check mode: Ansible reports only changed=True for a user to create (groups unchecked)
  if (!db.pw && ctx.check) return { steps: [], changed: true, result: {}, diff: createDiff };
  for (const g of asked.filter((x) => x !== name)) if (!db.groups.has(g)) return { steps: [], failed: `Group ${g} does not exist` };
  const masked = w.password !== undefined ? { password: 'NOT_LOGGING_PASSWORD' } : {};
  const groupsOut = w.groups !== undefined ? { groups: w.groups } : {};
  // chage -m/-M where the shadow entry differs (cur: known now; undefined: a new user, compared when applied)
  const chage = (cur?: { min?: number; max?: number }): Step[] =>
    (
      [
        ['-m', w.min, cur?.min, 4],
        ['-M', w.max, cur?.max, 5],
      ] as const
    ).flatMap(([opt, v, now, field]) => {
      if (v === undefined || (cur && v === now)) return [];
      const cmd = sh`chage ${opt} ${String(v)} ${name}`;
      return [{ describe: `chage ${opt} ${v} ${name}`, cmd: cur ? cmd : `${sh`[ "$(getent shadow ${name} | cut -d: -f${String(field)})" = ${String(v)} ]`} || ${cmd}` }];
    });
  const afterPw = (res: ExecResult): Vars => {
    fail(res);
    const p = parsePasswd(sections(res.stdout).get('after') ?? '');
    return { ...(p ? pwFields(p) : {}), ...io(res) };
  };

  if (!db.pw) {
    const steps: Step[] = [];
    const o: string[] = [];
    if (w.uid !== undefined) o.push('-u', String(w.uid), ...(w.nonUnique ? ['-o'] : []));
    if (w.group !== undefined) o.push('-g', w.group);
    else if (db.groups.has(name)) o.push('-N');
    if (w.groups) {
      const gs = w.groups.split(',').filter((g) => w.group === undefined || db.groups.get(g)?.gid !== db.groups.get(w.group)?.gid);
      o.push('-G', gs.join(','));
    }
    if (w.comment !== undefined) o.push('-c', w.comment);
    let chownHome = false;
    if (w.home !== undefined) {
      if (w.createHome && !db.exists.get(paths[1])) {
        steps.push({ describe: `create ${w.home}`, cmd: createHome(w.home, w.skeleton ?? '/etc/skel', db.umask) });
        chownHome = true;
      }
      o.push('-d', w.home);
    }
    if (w.shell !== undefined) o.push('-s', w.shell);
    if (w.expires !== undefined) o.push('-e', w.expires);
    if (w.password !== undefined) o.push('-p', w.lock ? `!${w.password}` : w.password);
    if (w.createHome) o.push('-m', ...(w.skeleton !== undefined ? ['-k', w.skeleton] : []), ...(w.umask !== undefined ? ['-K', `UMASK=${w.umask}`] : []));
    else o.push('-M');
    if (w.system) o.push('-r');
    const shown = o.map((x) => (x === w.password || x === `!${w.password}` ? '********' : x));
    steps.push({ describe: `useradd ${[...shown, name].join(' ')}`, cmd: sh`useradd ${[...o, name]}` });
    if (chownHome) steps.push({ describe: `chown -R ${name} ${w.home}`, cmd: sh`chown -R ${`${name}:`} ${w.home}` });
    steps.push(...chage(), ...keySteps, look);
    return {
      steps,
      diff: createDiff,
      result: { ...base, system: w.system, create_home: w.createHome, ...masked, ...groupsOut },
      after: (res) => ({ ...afterPw(res), ...(key ? keyFields(res.stdout) : {}) }),
    };
  }

  const cur = db.pw;
  const curHash = db.shadow.hash;
  const { args: mod, error } = usermodArgs(w, cur, curHash, db);
  if (error) return { steps: [], failed: error };
  const steps: Step[] = [];
  if (mod.length) {
    const shown = mod.map((x) => (w.password !== undefined && x.includes(w.password) ? '********' : x));
    steps.push({ describe: `usermod ${[...shown, name].join(' ')}`, cmd: sh`usermod ${[...mod, name]}` });
  }
  const home = w.home ?? cur.home;
  const moved = w.home !== undefined && w.home !== cur.home && w.moveHome && db.exists.get(cur.home) === true;
  const homeThere = moved || db.exists.get(home) === true;
  if (!homeThere && w.createHome) {
    steps.push({ describe: `create the missing home ${home}`, cmd: createHome(home, w.skeleton ?? '/etc/skel', db.umask, `${w.uid ?? cur.uid}:${db.groups.get(w.group ?? '')?.gid ?? cur.gid}`) });
  }
  steps.push(...chage(db.shadow));
  const accountChanges = steps.length > 0;
  steps.push(...keySteps);
  if (steps.length) steps.push(look);
  return {
    steps,
    diff: accountChanges ? [{ path: `user ${name}`, before: describePw(cur, curHash) + (w.groups !== undefined ? `groups: ${db.member.join(',')}\n` : ''), after: describeWant(w, cur, curHash) }] : [],
    result: { ...base, append: w.append, move_home: w.moveHome, ...masked, ...pwFields(cur), ...groupsOut, ...keyKnown },
    after: (res) => ({ ...afterPw(res), ...(keySteps.length ? keyFields(res.stdout) : {}) }),
  };
}

const locked = (h: string): string => (h.startsWith('!') ? 'locked\n' : '');
const describePw = (p: Passwd, hash: string): string => `uid: ${p.uid}\ngroup: ${p.gid}\ncomment: ${p.comment}\nhome: ${p.home}\nshell: ${p.shell}\n${locked(hash)}`;
function describeWant(w: UserWant, p?: Passwd, hash = ''): string {
  const lines: [string, unknown][] = [
    ['uid', w.uid ?? p?.uid],
    ['group', w.group ?? p?.gid],
    ['comment', w.comment ?? p?.comment],
    ['home', w.home ?? p?.home],
    ['shell', w.shell ?? p?.shell],
  ];
  const lock = w.lock === undefined ? locked(hash) : w.lock ? 'locked\n' : '';
  return `${lines.filter(([, v]) => v !== undefined).map(([k, v]) => `${k}: ${String(v)}\n`).join('')}${lock}${w.groups !== undefined ? `groups: ${w.groups}\n` : ''}`;
}

export const user: TaskModule = {
  name: 'user',
  aliases: ['ansible.builtin.user', 'ansible.legacy.user'],
  schema,
  freeForm: 'kv',
  secretArgs: ['password'],
  unsupportedArgs: Object.fromEntries(
    [
      ['ssh_key_passphrase', 'ssh-keygen would take it on its command line, visible on the host; generate the key with its passphrase another way'],
      ...['local', 'seuser', 'login_class', 'hidden', 'profile', 'authorization', 'role'].map((k) => [k, '']),
    ],
  ),
  plan,
};
