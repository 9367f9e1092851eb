// Arguments of type `path` are expanded on the host before a module sees them, as AnsibleModule's
// check_type_path does: os.path.expandvars, then os.path.expanduser, in the module's environment
// (the connection user's, or the become user's: sudo -H; with the task's `environment`). So
// `path: ~/app` is the user's home there — not a directory named `~` — and `$HOME/x` its value.
// Before that, the action plugins of copy/template (dest), unarchive (dest, creates) and fetch (src)
// expand a leading `~` themselves (ActionBase._remote_expand_user: `echo ~USER`): the account's
// home of the become user, else of the remote user (on a local connection: the controller's user)
// — not HOME of the task's `environment`, nor of the controller's process.
// Only values with a `~` in front or a `$` cost anything: one probe for the variables and homes
// they name; the others are left as written.
import type { ModuleContext, Vars } from '../types.js';
import { TaskError } from '../errors.js';
import { q } from '../shell.js';

/**
 * The arguments Ansible 2.14 types as `path` (or expands as paths: find's `paths`), with their
 * aliases, of the modules whose code runs on the host (an action plugin's controller-side
 * arguments — copy/template/unarchive `src`, include_vars — are not host paths).
 */
const PATH_ARGS: Record<string, string[]> = {
  apt: ['deb'],
  blockinfile: ['path', 'dest', 'destfile', 'name'],
  command: ['chdir', 'creates', 'removes'],
  copy: ['dest'],
  cron: ['cron_file'],
  file: ['path', 'dest', 'name', 'src'],
  find: ['paths', 'path', 'name'],
  get_url: ['client_cert', 'client_key', 'dest', 'tmp_dest'],
  git: ['archive', 'dest', 'executable', 'key_file', 'separate_git_dir'],
  ini_file: ['path', 'dest'],
  lineinfile: ['path', 'dest', 'destfile', 'name'],
  pip: ['chdir', 'executable', 'virtualenv', 'virtualenv_command'],
  replace: ['path', 'dest', 'destfile', 'name'],
  shell: ['chdir', 'creates', 'executable', 'removes'],
  slurp: ['src', 'path'],
  stat: ['path', 'dest', 'name'],
  sysctl: ['sysctl_file'],
  tempfile: ['path'],
  template: ['dest'],
  unarchive: ['creates', 'dest'],
  uri: ['ca_path', 'client_cert', 'client_key', 'creates', 'dest', 'removes', 'unix_socket'],
  user: ['home', 'ssh_key_file'],
  wait_for: ['path'],
};

/** The arguments whose leading `~` Ansible's action plugin expands before the module runs. */
const ACTION_TILDE: Record<string, string[]> = { copy: ['dest'], template: ['dest'], unarchive: ['dest', 'creates'], fetch: ['src'] };

/** Home keys: a user name (the account's home), MODULE_HOME (the module's $HOME, else its account's), SELF (the account's home of whoever the probe runs as). */
const MODULE_HOME = '';
const SELF = '\u0000self';

/** Python's `\$(\w+|\{[^}]*\})` (ASCII \w), as posixpath.expandvars reads a variable. */
const VAR_RE = /\$(\w+|\{[^}]*\})/g;
const NAME_RE = /^\w+$/;

const needsHost = (s: string): boolean => s.startsWith('~') || s.includes('$');

interface HostEnv {
  vars: Map<string, string | undefined>;
  homes: Map<string, string | undefined>; // by home key (above)
}

function expandvars(s: string, env: HostEnv): string {
  return s.replace(VAR_RE, (whole, ref: string) => {
    const name = ref.startsWith('{') ? ref.slice(1, -1) : ref;
    const v = env.vars.get(name);
    return v === undefined ? whole : v;
  });
}

/** The user part of a leading `~`: '' for `~` and `~/...`, else the name. */
const tildeUser = (s: string): string => s.slice(1, s.indexOf('/') < 0 ? s.length : s.indexOf('/'));

/** Python's posixpath.expanduser (`self` keys the bare `~` to another home: the action plugin's). */
function expanduser(s: string, env: HostEnv, self = MODULE_HOME): string {
  if (!s.startsWith('~')) return s;
  const user = tildeUser(s);
  const home = env.homes.get(user === '' ? self : user);
  if (home === undefined) return s;
  return home.replace(/\/+$/, '') + s.slice(1 + user.length) || '/';
}

/** What the values need from the host: the variables they name and the homes their `~` needs. */
function wants(values: string[], self = MODULE_HOME): { vars: Set<string>; users: Set<string> } {
  const vars = new Set<string>();
  const users = new Set<string>();
  for (const s of values) {
    for (const m of s.matchAll(VAR_RE)) {
      const name = m[1].startsWith('{') ? m[1].slice(1, -1) : m[1];
      if (NAME_RE.test(name)) vars.add(name);
    }
    if (s.startsWith('~')) users.add(tildeUser(s) === '' ? self : tildeUser(s));
  }
  return { vars, users };
}

/** One probe: each variable (set or not) and each home, NUL-separated. */
function probeScript(vars: string[], users: string[]): string {
  const lines: string[] = [];
  for (const v of vars) lines.push(`if [ "\${${v}+x}" = x ]; then printf 'S%s\\0' "$${v}"; else printf 'U\\0'; fi`);
  for (const u of users) {
    const entry = u === MODULE_HOME || u === SELF ? '"$(id -un 2>/dev/null)"' : q(u);
    const fromPasswd = `{ getent passwd ${entry} 2>/dev/null || awk -F: -v u=${entry} '$1 == u' /etc/passwd; } | head -n 1 | cut -d: -f6`;
    const account = `h=$(${fromPasswd}); if [ -n "$h" ]; then printf 'S%s\\0' "$h"; else printf 'U\\0'; fi`;
    lines.push(u === MODULE_HOME ? `if [ "\${HOME+x}" = x ]; then printf 'S%s\\0' "$HOME"; else ${account}; fi` : account);
  }
  return lines.join('\n');
}

async function hostEnv(ctx: ModuleContext, values: string[], known?: HostEnv, self = MODULE_HOME): Promise<HostEnv> {
  const env: HostEnv = known ?? { vars: new Map(), homes: new Map() };
  const w = wants(values, self);
  const vars = [...w.vars].filter((v) => !env.vars.has(v));
  const users = [...w.users].filter((u) => !env.homes.has(u));
  if (!vars.length && !users.length) return env;
  const r = await ctx.probe(probeScript(vars, users));
  const parts = r.stdout.split('\0');
  if (r.rc !== 0 || parts.length < vars.length + users.length) throw new TaskError(`could not read the environment to expand ${values.join(', ')} on the host: ${(r.stderr || r.stdout).trim().slice(0, 300)}`);
  const val = (p: string): string | undefined => (p.startsWith('S') ? p.slice(1) : undefined);
  vars.forEach((v, i) => env.vars.set(v, val(parts[i])));
  users.forEach((u, i) => env.homes.set(u, val(parts[vars.length + i])));
  return env;
}

export interface PathContext {
  /** The become user when the task becomes one: the action plugin's `~` is that user's home. */
  becomeUser?: string;
}

/** Expand the module's path arguments in `ctx.args` (in place), as Ansible's action plugin and then the module would. */
export async function expandHostPaths(ctx: ModuleContext, module: string, pc: PathContext): Promise<void> {
  const names = PATH_ARGS[module];
  if (!names) return;
  const args = ctx.args as Vars;
  const slots: { get: () => string; set: (s: string) => void; action: boolean }[] = [];
  for (const k of names) {
    const v = args[k];
    const action = ACTION_TILDE[module]?.includes(k) ?? false;
    if (typeof v === 'string' && needsHost(v)) slots.push({ get: () => args[k] as string, set: (s) => (args[k] = s), action });
    else if (Array.isArray(v)) {
      const list = [...v];
      v.forEach((x, i) => {
        if (typeof x === 'string' && needsHost(x)) slots.push({ get: () => list[i] as string, set: (s) => ((list[i] = s), (args[k] = list)), action });
      });
    }
  }
  if (!slots.length) return;
  // the action plugin's `~` first: the become user's account, else the connecting user's (whoever the probe runs as)
  const actionSlots = slots.filter((s) => s.action && s.get().startsWith('~'));
  if (actionSlots.length) {
    const self = pc.becomeUser ?? SELF;
    const known = await hostEnv(ctx, actionSlots.map((s) => s.get()), undefined, self);
    for (const s of actionSlots) s.set(expanduser(s.get(), known, self));
  }
  let env = await hostEnv(ctx, slots.map((s) => s.get()));
  const afterVars = slots.map((s) => expandvars(s.get(), env));
  env = await hostEnv(ctx, afterVars, env); // homes of `~` values a variable brought
  slots.forEach((s, i) => s.set(expanduser(afterVars[i], env)));
}
