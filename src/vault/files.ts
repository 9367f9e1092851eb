// Controller files that modules read (copy `src`, template sources): decrypted when vault-encrypted,
// as Ansible does. The plaintext and each of its lines become secrets (masked in output and diffs);
// so do the lines rendered from a vaulted template (revealLines).
import { readFileSync } from 'node:fs';
import { isVaulted } from './envelope.js';
import { decryptEnvelope, markRevealed } from './keyring.js';

export function revealLines(text: string): void {
  markRevealed(text);
  markRevealed(text.split('\n').map((l) => l.trim()).filter((l) => l.length >= 3));
}

export function readControllerFile(path: string): { data: Buffer; vaulted: boolean } {
  const data = readFileSync(path);
  if (!isVaulted(data.subarray(0, 32).toString('latin1'))) return { data, vaulted: false };
  const plain = decryptEnvelope(data.toString('latin1'), path).plaintext;
  revealLines(plain.toString('utf8'));
  return { data: plain, vaulted: true };
}
