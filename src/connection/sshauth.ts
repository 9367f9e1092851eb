// SSH client authentication: key files, ssh-agent, password (and keyboard-interactive with it).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { homedir } from 'node:os';
import ssh2 from 'ssh2';
import type { AuthenticationType, AuthHandlerMiddleware } from 'ssh2';

const { utils } = ssh2; // ssh2 is CommonJS: named imports fail at run time

export interface AuthConfig {
  user: string;
  keyFiles: string[]; // explicitly configured (ansible_ssh_private_key_file, IdentityFile, --private-key)
  identitiesOnly?: boolean; // only keyFiles: no agent, no default keys (Vagrant sets this)
  password?: string; // secret
  agentSocket?: string; // SSH_AUTH_SOCK
}

export const DEFAULT_KEY_NAMES = ['id_ed25519', 'id_rsa', 'id_ecdsa'];

type Attempt =
  | { type: 'publickey'; username: string; key: Buffer; label: string }
  | { type: 'agent'; username: string; agent: string }
  | { type: 'password'; username: string; password: string }
  | { type: 'keyboard-interactive'; username: string; prompt: (...a: any[]) => void };

/** The ordered authentication attempts and a record of what was tried (for the error message). */
export class AuthPlan {
  readonly tried = new Set<string>();
  readonly skipped: string[] = []; // key files that could not be used, with why
  private readonly attempts: Attempt[] = [];

  constructor(cfg: AuthConfig) {
    const user = cfg.user;
    const keyFiles = [...cfg.keyFiles];
    const useDefaults = !cfg.identitiesOnly || keyFiles.length === 0;
    const defaults = useDefaults ? DEFAULT_KEY_NAMES.map((n) => join(homedir(), '.ssh', n)) : [];
    const seen = new Set<string>();
    const addKey = (file: string, explicit: boolean) => {
      if (seen.has(file)) return;
      seen.add(file);
      if (!explicit && !existsSync(file)) return;
      let data: Buffer;
      try {
        data = readFileSync(file);
      } catch (e) {
        this.skipped.push(`${file}: ${(e as NodeJS.ErrnoException).code ?? 'unreadable'}`);
        return;
      }
      const parsed = utils.parseKey(data);
      if (parsed instanceof Error) {
        const why = /encrypted|passphrase/i.test(parsed.message) ? 'encrypted (use ssh-agent)' : parsed.message;
        this.skipped.push(`${file}: ${why}`);
        return;
      }
      this.attempts.push({ type: 'publickey', username: user, key: data, label: file });
    };
    keyFiles.forEach((f) => addKey(f, true));
    if (cfg.agentSocket && !cfg.identitiesOnly) this.attempts.push({ type: 'agent', username: user, agent: cfg.agentSocket });
    defaults.forEach((f) => addKey(f, false));
    if (cfg.password !== undefined) {
      const pw = cfg.password;
      this.attempts.push({ type: 'password', username: user, password: pw });
      this.attempts.push({
        type: 'keyboard-interactive',
        username: user,
        prompt: (_name: string, _instr: string, _lang: string, prompts: unknown[], finish: (r: string[]) => void) =>
          finish(prompts.map(() => pw)),
      });
    }
  }

  /** ssh2 authHandler: next attempt the server still allows, or false when all are used up. */
  handler(): AuthHandlerMiddleware {
    let i = 0;
    return (methodsLeft, _partial, callback) => {
      while (i < this.attempts.length) {
        const a = this.attempts[i++];
        const method = a.type === 'agent' ? 'publickey' : a.type;
        if (methodsLeft && !methodsLeft.includes(method as AuthenticationType)) continue;
        this.tried.add(a.type === 'agent' ? 'publickey (agent)' : a.type === 'publickey' ? 'publickey' : a.type);
        const { label: _l, ...auth } = a as Attempt & { label?: string };
        return callback(auth as never);
      }
      return callback(false as never);
    };
  }

  get count(): number {
    return this.attempts.length;
  }

  describe(): string {
    const tried = [...this.tried];
    let s = tried.length ? `tried: ${tried.join(', ')}` : 'no usable credentials: no key file, agent or password';
    if (this.skipped.length) s += `; skipped ${this.skipped.join(', ')}`;
    return s;
  }
}
