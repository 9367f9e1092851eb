// ansible.cfg / ANSIBLE_* settings -> the playbook command's flags, where the flag was not given on
// the command line (CLI > env > cfg > defaults). Settings with no lvsplay equivalent are checked
// (hash_behaviour in load.ts, ssh_args here) or accepted as irrelevant (see settings.ts notes).
import type { Command } from 'commander';
import { ConfigError } from '../errors.js';
import type { PlayDefaults } from '../playbook/common.js';
import { parseSshArgs } from '../connection/sshconfig.js';
import type { AnsibleConfig, ConfigValue } from './load.js';

/** The flags the configuration can set (a subset of src/run/cli-main.ts's Flags). */
export interface ConfigurableFlags {
  inventory: string[];
  forks?: string;
  user?: string;
  privateKey?: string;
  timeout?: string;
  sshInsecure?: boolean;
  /** [ssh_connection] ssh_args */
  sshArgs?: string;
  become?: boolean;
  becomeUser?: string;
  becomeMethod?: string;
  askBecomePass?: boolean;
  askPass?: boolean;
  vaultPasswordFile?: string[];
  vaultId?: string[];
  rolesPath?: string;
  modulePath: string[];
  json?: boolean;
  color: boolean;
}

const CONSOLE_CALLBACKS = ['default', 'yaml', 'minimal', 'debug', 'ansible.builtin.default', 'ansible.builtin.minimal', 'community.general.yaml'];

export function applyConfig(f: ConfigurableFlags, cfg: AnsibleConfig, p: Command, warn: (s: string) => void): void {
  const given = (flag: string) => p.getOptionValueSource(flag) === 'cli';
  const get = (name: string): ConfigValue | undefined => cfg.values.get(name)?.value;
  const set = <K extends keyof ConfigurableFlags>(flag: K, name: string, conv: (v: ConfigValue) => ConfigurableFlags[K]) => {
    const v = get(name);
    if (v !== undefined && !given(flag)) f[flag] = conv(v);
  };
  const list = (v: ConfigValue) => (Array.isArray(v) ? v : [String(v)]);
  set('inventory', 'DEFAULT_HOST_LIST', list);
  set('forks', 'DEFAULT_FORKS', String);
  set('user', 'DEFAULT_REMOTE_USER', String);
  set('privateKey', 'DEFAULT_PRIVATE_KEY_FILE', String);
  set('timeout', 'DEFAULT_TIMEOUT', String);
  set('become', 'DEFAULT_BECOME', Boolean);
  set('becomeUser', 'DEFAULT_BECOME_USER', String);
  set('becomeMethod', 'DEFAULT_BECOME_METHOD', String);
  set('askBecomePass', 'DEFAULT_BECOME_ASK_PASS', Boolean);
  set('askPass', 'DEFAULT_ASK_PASS', Boolean);
  set('vaultPasswordFile', 'DEFAULT_VAULT_PASSWORD_FILE', list);
  set('rolesPath', 'DEFAULT_ROLES_PATH', (v) => list(v).join(':'));
  set('modulePath', 'DEFAULT_MODULE_PATH', (v) => [list(v).join(':')]);
  const ids = get('DEFAULT_VAULT_IDENTITY_LIST');
  if (ids !== undefined) f.vaultId = [...list(ids), ...(f.vaultId ?? [])];
  if (get('HOST_KEY_CHECKING') === false && !given('sshInsecure')) f.sshInsecure = true;
  const cb = get('DEFAULT_STDOUT_CALLBACK');
  if (cb === 'json' || cb === 'ansible.builtin.json' || cb === 'ansible.posix.json') f.json = true;
  else if (cb !== undefined && !CONSOLE_CALLBACKS.includes(String(cb))) warn(`stdout_callback '${cb}' is not available in lvsplay: using the default output`);
  const sshArgs = cfg.values.get('SSH_ARGS');
  if (sshArgs) {
    const o = parseSshArgs(String(sshArgs.value));
    if (o.proxycommand !== undefined && o.proxycommand.toLowerCase() !== 'none' && o.proxyjump === undefined) {
      throw new ConfigError(`${sshArgs.origin}: ssh_args ProxyCommand is not supported by lvsplay, which would connect directly instead: refusing to run (use ProxyJump, or remove it)`);
    }
    // every host's ssh options start with these (ProxyJump, ServerAlive*, known hosts, ...); ControlMaster & co. mean nothing here
    f.sshArgs = String(sshArgs.value);
  }
}

/** Settings the playbook loader takes: play keyword defaults, the duplicate-key policy. */
export function loaderSettings(cfg: AnsibleConfig, warn: (s: string) => void): { playDefaults: PlayDefaults; duplicateKeys: 'error' | 'warn' | 'ignore' } {
  const get = (name: string) => cfg.values.get(name);
  const strategy = get('DEFAULT_STRATEGY');
  if (strategy && !['linear', 'free', 'host_pinned'].includes(String(strategy.value).replace(/^ansible\.builtin\./, ''))) {
    throw new ConfigError(`${strategy.origin}: strategy '${strategy.value}' is not supported (linear, free or host_pinned)`);
  }
  const gathering = get('DEFAULT_GATHERING');
  if (gathering && !['implicit', 'explicit', 'smart'].includes(String(gathering.value))) {
    throw new ConfigError(`${gathering.origin}: gathering must be implicit, explicit or smart, got '${gathering.value}'`);
  }
  const dup = get('DUPLICATE_YAML_DICT_KEY');
  if (dup && !['error', 'warn', 'ignore'].includes(String(dup.value))) {
    throw new ConfigError(`${dup.origin}: duplicate_dict_key must be error, warn or ignore, got '${dup.value}'`);
  }
  return {
    playDefaults: {
      gatherFacts: gathering ? gathering.value !== 'explicit' : undefined,
      anyErrorsFatal: get('ANY_ERRORS_FATAL')?.value === true ? true : undefined,
      strategy: strategy?.value as PlayDefaults['strategy'],
    },
    duplicateKeys: (dup?.value as 'error' | 'warn' | 'ignore' | undefined) ?? 'error',
  };
}

/**
 * Colours as ansible-playbook decides them: --no-color off; a true ANSIBLE_FORCE_COLOR (or force_color)
 * on, even with ANSIBLE_NOCOLOR; else a true ANSIBLE_NOCOLOR (nocolor, NO_COLOR) off; else on when
 * stdout is a terminal. Values are Ansible booleans: `ANSIBLE_FORCE_COLOR=0` forces nothing.
 */
export function colorWanted(f: ConfigurableFlags, cfg: AnsibleConfig, isTTY: boolean): boolean {
  if (f.color === false) return false;
  if (cfg.values.get('ANSIBLE_FORCE_COLOR')?.value === true) return true;
  if (cfg.values.get('ANSIBLE_NOCOLOR')?.value === true) return false;
  return isTTY;
}

