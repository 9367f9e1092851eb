// Connection factory: inventory variables + ~/.ssh/config + options -> a Connection.
// Precedence (as Ansible, which passes its settings to ssh on the command line):
// inventory vars (ansible_host, ansible_port, ansible_user, ...) > options > ~/.ssh/config > defaults.
import { userInfo } from 'node:os';
import type { Connection, Vars } from '../types.js';
import { ConfigError } from '../errors.js';
import { LocalConnection } from './local.js';
import { SshConnection, type SshSettings } from './ssh.js';
import { expandPath, parseSshArgs, readSshConfig, sshBool } from './sshconfig.js';

export { SshConnection } from './ssh.js';
export { LocalConnection } from './local.js';

export interface ConnectionOptions {
  connectTimeoutMs?: number;
  strictHostKeyChecking?: boolean; // false = --ssh-insecure
  becomePassword?: string;
  password?: string; // -k
  privateKeyFile?: string;
  user?: string;
  forks?: number;
  sshConfigFile?: string; // default ~/.ssh/config
  env?: NodeJS.ProcessEnv; // default process.env (tests)
}

/** A value that may be a secret wrapper (`{ value }` / `reveal()`) or a plain scalar. */
export function reveal(v: unknown): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return String(v);
  const o = v as { reveal?: () => unknown; value?: unknown };
  if (typeof o.reveal === 'function') return reveal(o.reveal());
  if ('value' in o) return reveal(o.value);
  return String(v);
}

function str(v: unknown): string | undefined {
  const s = reveal(v);
  return s === undefined || s === '' ? undefined : s;
}

/** Host key checking from the environment: LVSPLAY_HOST_KEY_CHECKING or ANSIBLE_HOST_KEY_CHECKING = false/no/0 disables it. */
export function envHostKeyChecking(env: NodeJS.ProcessEnv): boolean | undefined {
  for (const k of ['LVSPLAY_HOST_KEY_CHECKING', 'ANSIBLE_HOST_KEY_CHECKING']) {
    const v = env[k]?.trim().toLowerCase();
    if (v === undefined || v === '') continue;
    if (['0', 'false', 'no', 'off'].includes(v)) return false;
    if (['1', 'true', 'yes', 'on'].includes(v)) return true;
  }
  return undefined;
}

/** Resolve every SSH setting for a host (exported for tests and `-vvv` display; holds secrets). */
export function sshSettings(host: string, hostVars: Vars, opts: ConnectionOptions = {}): SshSettings {
  const env = opts.env ?? process.env;
  const target = str(hostVars.ansible_host) ?? str(hostVars.ansible_ssh_host) ?? host;
  const cfg = readSshConfig(target, opts.sshConfigFile);
  const args = parseSshArgs(
    [hostVars.ansible_ssh_common_args, hostVars.ansible_ssh_extra_args].map((v) => str(v) ?? '').join(' '),
  );
  const port = Number(str(hostVars.ansible_port) ?? str(hostVars.ansible_ssh_port) ?? args.port ?? cfg.port ?? 22);
  const user =
    str(hostVars.ansible_user) ?? str(hostVars.ansible_ssh_user) ?? opts.user ?? args.user ?? cfg.user ?? userInfo().username;
  const keyVar = str(hostVars.ansible_ssh_private_key_file) ?? str(hostVars.ansible_private_key_file);
  const keyFiles = [keyVar, opts.privateKeyFile, args.identityfile, ...cfg.identityFiles]
    .filter((f): f is string => !!f)
    .map((f) => expandPath(f, { host: target, user }));
  const knownFromArgs = args.userknownhostsfile?.split(/\s+/).filter(Boolean);
  const labKnown = str(hostVars.lvsplay_known_hosts);
  const knownHostsFiles = (
    labKnown ? [labKnown] : knownFromArgs ?? cfg.userKnownHostsFiles ?? ['~/.ssh/known_hosts', '~/.ssh/known_hosts2']
  ).map((f) => expandPath(f, { host: target, user }));
  // An explicit opt-out on the command line (--ssh-insecure) beats the inventory's ssh args.
  const strict =
    (opts.strictHostKeyChecking === false ? false : undefined) ??
    sshBool(args.stricthostkeychecking) ??
    opts.strictHostKeyChecking ??
    envHostKeyChecking(env) ??
    cfg.strictHostKeyChecking ??
    true;
  const timeoutVar = str(hostVars.ansible_timeout);
  return {
    host,
    hostName: cfg.hostName ?? target,
    port,
    user,
    keyFiles,
    identitiesOnly: sshBool(args.identitiesonly) ?? cfg.identitiesOnly,
    password: reveal(hostVars.ansible_password) ?? reveal(hostVars.ansible_ssh_pass) ?? reveal(hostVars.ansible_ssh_password) ?? opts.password,
    agentSocket: env.SSH_AUTH_SOCK || undefined,
    knownHostsFiles,
    strictHostKeyChecking: strict,
    connectTimeoutMs:
      opts.connectTimeoutMs ?? (timeoutVar ? Number(timeoutVar) * 1000 : undefined) ?? cfg.connectTimeoutMs ?? 10000,
  };
}

/** `become` password for a host: ansible_become_password (or ansible_become_pass / ansible_sudo_pass), else the option. */
export function becomePassword(hostVars: Vars, opts: ConnectionOptions = {}): string | undefined {
  return (
    reveal(hostVars.ansible_become_password) ??
    reveal(hostVars.ansible_become_pass) ??
    reveal(hostVars.ansible_sudo_pass) ??
    opts.becomePassword
  );
}

export function createConnection(host: string, hostVars: Vars, opts: ConnectionOptions = {}): Connection {
  const kind = str(hostVars.ansible_connection) ?? 'ssh';
  if (kind === 'local') return new LocalConnection(host);
  if (!['ssh', 'smart', 'paramiko'].includes(kind)) {
    throw new ConfigError(`${host}: unsupported ansible_connection '${kind}' (lvsplay supports: ssh, local)`);
  }
  return new SshConnection({ ...sshSettings(host, hostVars, opts), becomePassword: becomePassword(hostVars, opts) });
}
