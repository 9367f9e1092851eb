// Connection factory: inventory variables + ~/.ssh/config + options -> a Connection.
// Precedence (as Ansible, which passes its settings to ssh on the command line):
// inventory vars (ansible_host, ansible_port, ansible_user, ...) > options > ~/.ssh/config > defaults.
import { userInfo } from 'node:os';
import type { Connection, Vars } from '../types.js';
import { ConfigError } from '../errors.js';
import { connVar } from './vars.js';
import { parseBool } from '../bool.js';
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
    const v = env[k]?.trim();
    if (!v) continue;
    const b = parseBool(v);
    if (b !== undefined) return b;
  }
  return undefined;
}

/** A numeric connection variable checked (an integer or decimal within [min, max]); a ConfigError naming host, variable and value. */
export function numberVar(host: string, name: string, raw: string | number, min: number, max: number, integer = true): number {
  const n = typeof raw === 'number' ? raw : /^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isFinite(n) || (integer && !Number.isInteger(n)) || n < min || n > max) {
    const kind = integer ? 'an integer' : 'a number';
    throw new ConfigError(`host '${host}': ${name} must be ${kind} from ${min} to ${max}, got '${String(raw)}'`);
  }
  return n;
}

/** Resolve every SSH setting for a host (exported for tests and `-vvv` display; holds secrets). */
export function sshSettings(host: string, hostVars: Vars, opts: ConnectionOptions = {}): SshSettings {
  const env = opts.env ?? process.env;
  const target = str(connVar(hostVars, 'ansible_host')) ?? str(connVar(hostVars, 'ansible_ssh_host')) ?? host;
  const cfg = readSshConfig(target, opts.sshConfigFile);
  const args = parseSshArgs(
    [connVar(hostVars, 'ansible_ssh_common_args'), connVar(hostVars, 'ansible_ssh_extra_args')].map((v) => str(v) ?? '').join(' '),
  );
  const portVar = str(connVar(hostVars, 'ansible_port')) !== undefined ? 'ansible_port' : str(connVar(hostVars, 'ansible_ssh_port')) !== undefined ? 'ansible_ssh_port' : 'the ssh port';
  const port = numberVar(host, portVar, str(connVar(hostVars, 'ansible_port')) ?? str(connVar(hostVars, 'ansible_ssh_port')) ?? args.port ?? cfg.port ?? 22, 1, 65535);
  const user =
    str(connVar(hostVars, 'ansible_user')) ?? str(connVar(hostVars, 'ansible_ssh_user')) ?? opts.user ?? args.user ?? cfg.user ?? userInfo().username;
  const keyVar = str(connVar(hostVars, 'ansible_ssh_private_key_file')) ?? str(connVar(hostVars, 'ansible_private_key_file'));
  const keyFiles = [keyVar, opts.privateKeyFile, args.identityfile, ...cfg.identityFiles]
    .filter((f): f is string => !!f)
    .map((f) => expandPath(f, { host: target, user }));
  const knownFromArgs = args.userknownhostsfile?.split(/\s+/).filter(Boolean);
  const labKnown = str(connVar(hostVars, 'lvsplay_known_hosts'));
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
  const timeoutVar = str(connVar(hostVars, 'ansible_timeout'));
  const aliveInterval = args.serveraliveinterval ?? cfg.serverAliveInterval;
  const aliveCount = args.serveralivecountmax ?? cfg.serverAliveCountMax;
  return {
    host,
    hostName: cfg.hostName ?? target,
    port,
    user,
    keyFiles,
    identitiesOnly: sshBool(args.identitiesonly) ?? cfg.identitiesOnly,
    password: reveal(connVar(hostVars, 'ansible_password')) ?? reveal(connVar(hostVars, 'ansible_ssh_pass')) ?? reveal(connVar(hostVars, 'ansible_ssh_password')) ?? opts.password,
    agentSocket: env.SSH_AUTH_SOCK || undefined,
    knownHostsFiles,
    strictHostKeyChecking: strict,
    keepaliveIntervalMs: aliveInterval === undefined ? undefined : numberVar(host, 'ServerAliveInterval', aliveInterval, 0, 86400, false) * 1000,
    keepaliveCountMax: aliveCount === undefined ? undefined : numberVar(host, 'ServerAliveCountMax', aliveCount, 0, 1000),
    connectTimeoutMs:
      opts.connectTimeoutMs ?? (timeoutVar ? numberVar(host, 'ansible_timeout', timeoutVar, 1, 2147483, false) * 1000 : undefined) ?? cfg.connectTimeoutMs ?? 10000,
  };
}

/** `become` password for a host: ansible_become_password (or ansible_become_pass / ansible_sudo_pass), else the option. */
export function becomePassword(hostVars: Vars, opts: ConnectionOptions = {}): string | undefined {
  return (
    reveal(connVar(hostVars, 'ansible_become_password')) ??
    reveal(connVar(hostVars, 'ansible_become_pass')) ??
    reveal(connVar(hostVars, 'ansible_sudo_pass')) ??
    opts.becomePassword
  );
}

export function createConnection(host: string, hostVars: Vars, opts: ConnectionOptions = {}): Connection {
  const kind = str(connVar(hostVars, 'ansible_connection')) ?? 'ssh';
  if (kind === 'local') return new LocalConnection(host);
  if (!['ssh', 'smart', 'paramiko'].includes(kind)) {
    throw new ConfigError(`${host}: unsupported ansible_connection '${kind}' (lvsplay supports: ssh, local)`);
  }
  return new SshConnection({ ...sshSettings(host, hostVars, opts), becomePassword: becomePassword(hostVars, opts) });
}
