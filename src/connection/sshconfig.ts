// ~/.ssh/config lookup (the subset lvsplay uses; Vagrant's `vagrant ssh-config` output fits in it).
import { readFileSync } from 'node:fs';
import { homedir, userInfo } from 'node:os';
import SSHConfig from 'ssh-config';

export interface SshHostConfig {
  hostName?: string;
  user?: string;
  port?: number;
  identityFiles: string[];
  identitiesOnly?: boolean;
  userKnownHostsFiles?: string[];
  strictHostKeyChecking?: boolean;
  connectTimeoutMs?: number;
  passwordAuthentication?: boolean;
  /** ServerAliveInterval / ServerAliveCountMax as written (checked where they are used) */
  serverAliveInterval?: string;
  serverAliveCountMax?: string;
  /** ProxyJump / ProxyCommand as written ('none' included) */
  proxyJump?: string;
  proxyCommand?: string;
}

/** Expand `~` and the OpenSSH tokens lvsplay knows (%d home, %h host, %r remote user, %u local user, %%). */
export function expandPath(p: string, ctx: { host?: string; user?: string } = {}): string {
  const home = homedir();
  let s = p.replace(/^~(?=\/|$)/, home);
  s = s.replace(/%([%dhru])/g, (_m, t: string) => {
    if (t === '%') return '%';
    if (t === 'd') return home;
    if (t === 'h') return ctx.host ?? '';
    if (t === 'r') return ctx.user ?? '';
    return userInfo().username;
  });
  return s;
}

/** OpenSSH yes/no values (`accept-new` counts as checking known keys; new keys are still refused here). */
export function sshBool(v: string | undefined): boolean | undefined {
  if (v === undefined) return undefined;
  const s = v.trim().toLowerCase();
  if (['yes', 'true', 'ask', 'accept-new'].includes(s)) return true;
  if (['no', 'false', 'off'].includes(s)) return false;
  return undefined;
}

function first(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

function all(v: string | string[] | undefined): string[] {
  if (v === undefined) return [];
  return Array.isArray(v) ? v : [v];
}

/** Settings for `host` from ssh config text (first obtained value wins, as in OpenSSH). */
export function computeSshConfig(text: string, host: string): SshHostConfig {
  const cfg = SSHConfig.parse(text);
  // ignoreCase: keys are lower-cased; matchExec false: never run `Match exec` commands.
  const c = cfg.compute(host, { ignoreCase: true, matchExec: false }) as Record<string, string | string[]>;
  const hostName = first(c.hostname);
  const user = first(c.user);
  const tokenCtx = { host: hostName ?? host, user };
  const port = first(c.port);
  const timeout = first(c.connecttimeout);
  const known = all(c.userknownhostsfile).flatMap((v) => v.split(/\s+/)).filter(Boolean);
  return {
    hostName: hostName?.replace(/%h/g, host),
    user,
    port: port ? Number(port) : undefined,
    identityFiles: all(c.identityfile).map((f) => expandPath(f, tokenCtx)),
    identitiesOnly: sshBool(first(c.identitiesonly)),
    userKnownHostsFiles: known.length ? known.map((f) => expandPath(f, tokenCtx)) : undefined,
    strictHostKeyChecking: sshBool(first(c.stricthostkeychecking)),
    connectTimeoutMs: timeout ? Number(timeout) * 1000 : undefined,
    passwordAuthentication: sshBool(first(c.passwordauthentication)),
    serverAliveInterval: first(c.serveraliveinterval),
    serverAliveCountMax: first(c.serveralivecountmax),
    proxyJump: first(c.proxyjump),
    proxyCommand: first(c.proxycommand),
  };
}

/** Read an ssh config file (default ~/.ssh/config; a missing file means no settings). */
export function readSshConfig(host: string, file = expandPath('~/.ssh/config')): SshHostConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return { identityFiles: [] };
  }
  return computeSshConfig(text, host);
}

/**
 * Parse `-o Key=Value` / `-oKey=Value` / `-o Key Value` options (and `-J jump`, which is ProxyJump;
 * `-F file`, the ssh config file, as `configfile`)
 * from ansible_ssh_common_args-style strings. As in OpenSSH, the first value given for an option wins.
 */
export function parseSshArgs(args: string): Record<string, string> {
  const words = args.match(/"[^"]*"|'[^']*'|\S+/g)?.map((w) => w.replace(/^(['"])(.*)\1$/, '$2')) ?? [];
  const out: Record<string, string> = {};
  for (let i = 0; i < words.length; i++) {
    let opt: string | undefined;
    if (words[i] === '-o') opt = words[++i];
    else if (words[i].startsWith('-o')) opt = words[i].slice(2);
    else if (words[i] === '-J' && i + 1 < words.length) opt = `ProxyJump=${words[++i]}`;
    else if (words[i].startsWith('-J')) opt = `ProxyJump=${words[i].slice(2)}`;
    else if (words[i] === '-F' && i + 1 < words.length) opt = `ConfigFile=${words[++i]}`;
    else if (words[i].startsWith('-F')) opt = `ConfigFile=${words[i].slice(2)}`;
    if (!opt) continue;
    const m = /^([A-Za-z]+)\s*(?:=\s*|\s+)(.*)$/.exec(opt);
    if (m) out[m[1].toLowerCase()] ??= m[2];
    else if (/^[A-Za-z]+$/.test(opt) && i + 1 < words.length) out[opt.toLowerCase()] ??= words[++i];
  }
  return out;
}

/** One hop of a ProxyJump list: `[user@]host[:port]` or `ssh://[user@]host[:port]` (IPv6 in brackets). */
export function parseJumpHop(hop: string): { user?: string; host: string; port?: number } | undefined {
  const m = /^(?:ssh:\/\/)?(?:([^@\s]+)@)?(\[[^\]]+\]|[^:@\s\[\]]+)(?::(\d{1,5}))?$/.exec(hop.trim());
  if (!m) return undefined;
  const port = m[3] === undefined ? undefined : Number(m[3]);
  if (port !== undefined && (port < 1 || port > 65535)) return undefined;
  return { user: m[1], host: m[2].replace(/^\[(.*)\]$/, '$1'), port };
}
