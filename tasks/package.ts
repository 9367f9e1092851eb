// package (dispatching on the pkg_mgr fact), apt, and dnf (alias yum): packages present, absent, latest.
import type { ModuleContext, Plan, TaskModule, Vars } from '../src/types.js';
import { TaskError } from '../src/errors.js';
import { boolSchema, stringOrList } from './lib/args.js';
import { aptPlan, aptProbe } from './lib/apt.js';
import { debPlan, debProbe } from './lib/aptdeb.js';
import { pkgRequest } from './lib/pkgcommon.js';
import { rpmPlan, rpmProbe } from './lib/rpm.js';

const common: Record<string, unknown> = {
  name: stringOrList('Package name(s): a list or a comma-separated string (alias pkg). apt accepts name=version.'),
  pkg: stringOrList('Alias of name.'),
  state: {
    enum: ['present', 'installed', 'absent', 'removed', 'latest'],
    default: 'present',
    description: 'present/installed: installed (any version); latest: the newest candidate; absent/removed: not installed.',
  },
  update_cache: boolSchema(
    'Refresh the package lists, but only when something is to be installed or upgraded, or (apt) the lists are older than cache_valid_time; without names (and, for apt, without cache_valid_time) it always refreshes and reports changed, like Ansible. So `update_cache: true` on an installed package reports ok, not changed.',
    false,
  ),
  install_recommends: boolSchema('apt: --install-recommends / --no-install-recommends (unset: apt\'s configuration); dnf: false sets install_weak_deps=False.'),
};

const aptOnly: Record<string, unknown> = {
  cache_valid_time: { type: 'integer', minimum: 0, description: 'apt: seconds the package lists stay valid; older lists are refreshed (and the task is changed) when update_cache is set.' },
  purge: boolSchema('apt: with state=absent, also remove configuration files.', false),
  deb: { type: 'string', description: 'apt: path on the host of a .deb file (or several, comma-separated) to install with dpkg -i, its missing dependencies first through apt-get; state must be present. A file whose version is installed is left alone (ok). A URL is not supported.' },
  default_release: { type: 'string', description: 'apt: the release to prefer (apt-get -t): candidates for installs and state=latest come from it.' },
  force: boolSchema('apt: --force-yes for apt-get, --force-all for dpkg (deb); also allows downgrades. Dangerous.', false),
  autoremove: boolSchema('apt: --auto-remove with install/remove; without names, remove packages no longer needed (apt-get autoremove: changed when something is removed).', false),
  autoclean: boolSchema("apt: without names, remove package files that can no longer be downloaded from the local cache (apt-get autoclean: changed when it deletes one); as Ansible 2.14, it then ends the task (an autoremove given too is not done), and with names it is ignored.", false),
  allow_downgrade: boolSchema('apt: allow name=version (or a deb) to install an older version than the installed one (--allow-downgrades).', false),
  allow_downgrades: boolSchema('apt: alias of allow_downgrade.'),
  dpkg_options: { type: 'string', default: 'force-confdef,force-confold', description: 'apt: comma-separated dpkg options, each passed as -o Dpkg::Options::=--OPTION (deb: dpkg --OPTION).' },
  only_upgrade: boolSchema('apt: only upgrade packages already installed; names not installed are skipped (--only-upgrade).', false),
};

const APT_ONLY = ['cache_valid_time', 'purge', 'deb', 'default_release', 'force', 'autoremove', 'autoclean', 'allow_downgrade', 'allow_downgrades', 'dpkg_options', 'only_upgrade'];

const aptUnsupported: Record<string, string> = Object.fromEntries(
  ['upgrade', 'clean', 'fail_on_autoremove', 'policy_rc_d', 'force_apt_get', 'allow_unauthenticated', 'allow_change_held_packages', 'lock_timeout', 'update_cache_retries', 'update_cache_retry_max_delay'].map((k) => [k, '']),
);

function schema(desc: string, props: Record<string, unknown>): Record<string, unknown> {
  return { type: 'object', description: desc, properties: props, additionalProperties: false };
}

type Mgr = 'apt' | 'dnf' | 'yum';

/** A fact the play already has, without gathering. */
function knownFact(vars: Vars, key: string): unknown {
  const f = vars.ansible_facts as Vars | undefined;
  return f?.[key] ?? vars[`ansible_${key}`];
}

async function planWith(ctx: ModuleContext, mgr: Mgr): Promise<Plan> {
  if (mgr === 'apt') {
    const r = pkgRequest(ctx.args, '=');
    if (r.apt.deb.length) {
      if (r.pkgs.length) throw new TaskError('parameters are mutually exclusive: deb|package|upgrade');
      if (r.apt.deb.some((f) => f.includes('://'))) throw new TaskError('apt: deb from a URL is not supported by lvsplay (fetch it with get_url first)');
      return debPlan(r, (await ctx.probe(debProbe(r))).stdout);
    }
    // (no required_one_of here: Ansible 2.14's `upgrade` defaults to 'no', which satisfies it: `apt: {}` is ok, unchanged)
    const res = await ctx.probe(aptProbe(r));
    return aptPlan(r, res.stdout);
  }
  for (const k of APT_ONLY) if (ctx.args[k] !== undefined && ctx.args[k] !== false && !(k === 'dpkg_options' && ctx.args[k] === 'force-confdef,force-confold')) throw new TaskError(`${k} is an apt option; ${mgr} does not support it`);
  const r = pkgRequest(ctx.args, '-');
  if (r.pkgs.length === 0 && !r.updateCache) throw new TaskError(`${mgr}: give name (or update_cache)`);
  const res = await ctx.probe(rpmProbe(r, mgr));
  return rpmPlan(r, mgr, res.stdout);
}

export const pkg: TaskModule = {
  name: 'package',
  aliases: ['ansible.builtin.package', 'ansible.legacy.package'],
  plansAhead: true,
  schema: schema('Install or remove packages with the host\'s package manager (the pkg_mgr fact: apt, dnf or yum). One probe exec when nothing changes.', {
    ...common,
    ...aptOnly,
    use: { enum: ['auto', 'apt', 'dnf', 'yum'], default: 'auto', description: 'Package manager to use; auto = the pkg_mgr fact.' },
  }),
  freeForm: 'kv',
  unsupportedArgs: { ...aptUnsupported },
  async plan(ctx) {
    let use = String(ctx.args.use);
    const args = { ...ctx.args };
    delete args.use;
    if (use === 'auto') use = String((await ctx.facts()).pkg_mgr ?? 'unknown');
    if (use === 'dnf5') use = 'dnf';
    if (use !== 'apt' && use !== 'dnf' && use !== 'yum') throw new TaskError(`package: unsupported package manager '${use}' on ${ctx.host} (supported: apt, dnf, yum)`);
    return planWith({ ...ctx, args }, use);
  },
};

export const apt: TaskModule = {
  name: 'apt',
  aliases: ['ansible.builtin.apt', 'ansible.legacy.apt'],
  plansAhead: true,
  schema: schema(
    'Debian packages with apt-get (DEBIAN_FRONTEND=noninteractive, keeps changed config files). Probed with dpkg-query in one exec; installs stream their output. After an interrupted dpkg run (a journal in /var/lib/dpkg/updates, e.g. a run killed mid-unpack) it runs `dpkg --configure -a` before installing or removing — Ansible\'s apt fails with apt\'s "dpkg was interrupted" instead.',
    { ...common, ...aptOnly },
  ),
  freeForm: 'kv',
  unsupportedArgs: { ...aptUnsupported },
  plan: (ctx) => planWith(ctx, 'apt'),
};

export const dnf: TaskModule = {
  name: 'dnf',
  aliases: ['ansible.builtin.dnf', 'ansible.legacy.dnf', 'yum', 'ansible.builtin.yum', 'ansible.legacy.yum'],
  plansAhead: true,
  schema: schema('RPM packages with dnf (yum when the pkg_mgr fact says yum), probed with rpm -q in one exec. yum is an alias, as in ansible-core 2.17.', common),
  freeForm: 'kv',
  plan: (ctx) => planWith(ctx, knownFact(ctx.vars, 'pkg_mgr') === 'yum' ? 'yum' : 'dnf'),
};
