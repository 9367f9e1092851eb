// The vault secrets of this run (from --vault-id / --vault-password-file / --ask-vault-pass /
// ansible.cfg), decryption of envelopes with them, and the set of every plaintext revealed so far:
// each is a secret the Masker hides (src/run/secrets.ts registers them).
import { ConfigError, type Pos } from '../errors.js';
import { decryptWith, parseEnvelope, VaultFormatError } from './envelope.js';

export interface VaultSecret {
  label: string;
  password: Buffer;
  /** Where it came from (prompt, a file, a script): for messages. */
  source: string;
}

/** A vault could not be opened (no secret, wrong password, bad envelope). ansible-playbook exits 1. */
export class VaultError extends ConfigError {
  constructor(message: string, pos?: Pos) {
    super(message, pos);
    this.name = 'VaultError';
  }
}

let secrets: VaultSecret[] = [];
const revealed = new Set<string>();
const listeners = new Set<(s: string) => void>();

export function setVaultSecrets(s: VaultSecret[]): void {
  secrets = [...s];
}

export function vaultSecrets(): readonly VaultSecret[] {
  return secrets;
}

/** Every plaintext (and every string inside a decrypted vars file) seen so far. */
export function revealedSecrets(): ReadonlySet<string> {
  return revealed;
}

/** Call `fn` with every plaintext revealed from now on (values read at run time, e.g. include_vars). */
export function onReveal(fn: (s: string) => void): () => void {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

export function markRevealed(value: unknown): void {
  if (typeof value === 'string') {
    if (value.length && !revealed.has(value)) {
      revealed.add(value);
      for (const fn of listeners) fn(value);
    }
  } else if (Array.isArray(value)) value.forEach(markRevealed);
  else if (value && typeof value === 'object') Object.values(value).forEach(markRevealed);
}

/**
 * Decrypt an envelope with the run's secrets (the ones whose label matches a 1.2 header first).
 * `where` names the file (and position) in the error: the wrong password is a clear error, never a crash.
 */
export function decryptEnvelope(text: string, where: string, pos?: Pos, list: readonly VaultSecret[] = secrets): { plaintext: Buffer; secret: VaultSecret } {
  let env;
  try {
    env = parseEnvelope(text);
  } catch (e) {
    if (e instanceof VaultFormatError) throw new VaultError(`${where}: ${e.message}`, pos);
    throw e;
  }
  if (!list.length) throw new VaultError(`Attempting to decrypt but no vault secrets found (${where}; give --ask-vault-pass, --vault-password-file or --vault-id)`, pos);
  const label = env.header.label;
  const ordered = label ? [...list.filter((s) => s.label === label), ...list.filter((s) => s.label !== label)] : list;
  for (const s of ordered) {
    let p: Buffer | undefined;
    try {
      p = decryptWith(env, s.password);
    } catch (e) {
      if (e instanceof VaultFormatError) continue;
      throw e;
    }
    if (p) return { plaintext: p, secret: s };
  }
  throw new VaultError(`Decryption failed (no vault secrets were found that could decrypt) on ${where}`, pos);
}

/** Decrypt to text and remember the plaintext as a secret. */
export function decryptToText(text: string, where: string, pos?: Pos): string {
  const s = decryptEnvelope(text, where, pos).plaintext.toString('utf8');
  markRevealed(s);
  return s;
}
