// SSH keys of the lab: one client key per lab dir (kept across up/down), one host key per host and `up`.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import ssh2 from 'ssh2';
import { paths } from './config.js';

export interface KeyPair {
  private: string;
  public: string;
}

export function newKey(comment: string): KeyPair {
  const k = ssh2.utils.generateKeyPairSync('ed25519', { comment });
  return { private: k.private, public: k.public.trim() };
}

/** The lab's client key (<labdir>/id_ed25519), created if missing. Returns the public key line. */
export function ensureLabKey(dir: string): string {
  const p = paths(dir);
  if (!existsSync(p.key) || !existsSync(p.pub)) {
    const k = newKey(`lvsplay-lab@${dir}`);
    writeFileSync(p.key, k.private, { mode: 0o600 });
    writeFileSync(p.pub, k.public + '\n', { mode: 0o644 });
  }
  return readPub(p.pub);
}

function readPub(f: string): string {
  return readFileSync(f, 'utf8').trim();
}
