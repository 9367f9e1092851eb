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
import { expandPath, parseJumpHop, parseSshArgs, readSshConfig, sshBool, type SshHostConfig } from './sshconfig.js';
import { floatRepr, isPyFloat } from '../vars/pyfloat.js';

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
  /** ansible.cfg [ssh_connection] ssh_args / ANSIBLE_SSH_ARGS: before the inventory's ssh args (the first value of an option wins) */
  sshArgs?: string;
  env?: NodeJS.ProcessEnv; // default process.env (tests)
}

/** A value that may be a secret wrapper (`{ value }` / `reveal()`) or a plain scalar. */
export function reveal(v: unknown): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (isPyFloat(v)) return floatRepr(v.valueOf()); // Python's str(2.0)
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
  const args = parseSshArgs(
    [opts.sshArgs, connVar(hostVars, 'ansible_ssh_common_args'), connVar(hostVars, 'ansible_ssh_extra_args')].map((v) => str(v) ?? '').join(' '),
  );
  // `-F file` in the ssh args replaces ~/.ssh/config, for the jump hosts too (as OpenSSH passes it on)
  if (args.configfile) opts = { ...opts, sshConfigFile: expandPath(args.configfile) };
  const cfg = readSshConfig(target, opts.sshConfigFile);
  refuseProxyCommand(host, args.proxycommand ?? cfg.proxyCommand, args.proxyjump ?? cfg.proxyJump);
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
  const connectTimeoutMs =
    opts.connectTimeoutMs ?? (timeoutVar(hostVars, host) ?? cfg.connectTimeoutMs) ?? 10000;
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
    connectTimeoutMs,
    jump: jumpSettings(host, args.proxyjump ?? cfg.proxyJump, opts, connectTimeoutMs),
  };
}

function timeoutVar(hostVars: Vars, host: string): number | undefined {
  const t = str(connVar(hostVars, 'ansible_timeout'));
  return t ? numberVar(host, 'ansible_timeout', t, 1, 2147483, false) * 1000 : undefined;
}

/** ProxyCommand runs a local command lvsplay cannot speak through: refused, never a silent direct connection. */
function refuseProxyCommand(host: string, command: string | undefined, jump: string | undefined): void {
  if (command === undefined || command.toLowerCase() === 'none' || (jump !== undefined && jump.toLowerCase() !== 'none')) return;
  throw new ConfigError(`host '${host}': ProxyCommand is not supported by lvsplay (it would connect directly instead): use ProxyJump, or remove it`);
}

const MAX_HOPS = 8;

/**
 * ProxyJump (`-J`, `-o ProxyJump=`, ~/.ssh/config): the hops' settings, first hop innermost (each
 * hop's `jump` is the hop before it). As OpenSSH, a hop takes its settings from ~/.ssh/config
 * (HostName, User, Port, IdentityFile, known hosts, its own ProxyJump), not from the target's
 * command-line options; host key checking is as strict as for any host.
 */
function jumpSettings(host: string, spec: string | undefined, opts: ConnectionOptions, timeoutMs: number, depth = 0): SshSettings | undefined {
  if (spec === undefined || spec.trim().toLowerCase() === 'none') return undefined;
  const env = opts.env ?? process.env;
  let prev: SshSettings | undefined;
  for (const hopText of spec.split(',')) {
    const hop = parseJumpHop(hopText);
    if (!hop) throw new ConfigError(`host '${host}': ProxyJump '${spec}': expected [user@]host[:port] (comma separated for several hops), got '${hopText.trim()}'`);
    if (depth + 1 > MAX_HOPS) throw new ConfigError(`host '${host}': ProxyJump '${spec}': more than ${MAX_HOPS} jump hosts (a ProxyJump loop in ~/.ssh/config?)`);
    const cfg: SshHostConfig = readSshConfig(hop.host, opts.sshConfigFile);
    refuseProxyCommand(hop.host, cfg.proxyCommand, cfg.proxyJump);
    const user = hop.user ?? cfg.user ?? userInfo().username;
    const target = cfg.hostName ?? hop.host;
    // the first hop may itself be reached through the jump host its own config names
    const before = prev ?? (cfg.proxyJump ? jumpSettings(hop.host, cfg.proxyJump, opts, timeoutMs, depth + 1) : undefined);
    prev = {
      host: hop.host,
      hostName: target,
      port: hop.port ?? cfg.port ?? 22,
      user,
      keyFiles: cfg.identityFiles,
      identitiesOnly: cfg.identitiesOnly,
      agentSocket: env.SSH_AUTH_SOCK || undefined,
      knownHostsFiles: (cfg.userKnownHostsFiles ?? ['~/.ssh/known_hosts', '~/.ssh/known_hosts2']).map((f) => expandPath(f, { host: target, user })),
      strictHostKeyChecking: (opts.strictHostKeyChecking === false ? false : undefined) ?? envHostKeyChecking(env) ?? cfg.strictHostKeyChecking ?? true,
      connectTimeoutMs: cfg.connectTimeoutMs ?? timeoutMs,
      jump: before,
    };
    depth++;
  }
  return prev;
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
