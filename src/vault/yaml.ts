// Vault in YAML: a whole file encrypted with ansible-vault (its plaintext is read instead, every
// string in it a secret), and inline `!vault |` values (a custom tag of the yaml library whose
// value is the decrypted string). Decryption errors become the yaml library's TAG_RESOLVE_FAILED
// errors at the value's position; readers turn them into VaultErrors (isVaultTagError).
import type { ScalarTag, YAMLError } from 'yaml';
import type { Pos } from '../errors.js';
import { isVaulted } from './envelope.js';
import { decryptToText, markRevealed } from './keyring.js';

export const VAULT_TAG_MARK = 'vault: ';

// The plaintexts of inline `!vault` values: Ansible keeps such a value an encrypted object, which the
// `vault_encrypted` test recognises; lvsplay decrypts at load and recognises the text.
const inlineTexts = new Set<string>();

/** Is this the plaintext of an inline `!vault` value (the `vault_encrypted` test)? */
export function isInlineVaultText(v: unknown): boolean {
  return typeof v === 'string' && inlineTexts.has(v);
}

export const vaultTag: ScalarTag = {
  tag: '!vault',
  resolve(src: string): string {
    try {
      const text = decryptToText(src, 'this !vault value');
      inlineTexts.add(text);
      return text;
    } catch (e) {
      throw new Error(VAULT_TAG_MARK + (e as Error).message);
    }
  },
};

export function isVaultTagError(err: YAMLError): boolean {
  return err.code === 'TAG_RESOLVE_FAILED' && err.message.startsWith(VAULT_TAG_MARK);
}

export function vaultTagMessage(err: YAMLError): string {
  return err.message.slice(VAULT_TAG_MARK.length).split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
}

/**
 * The text of a file as the YAML readers should parse it: decrypted when it is a vault (its strings
 * registered as secrets once parsed, by markVaultFileValues), else unchanged.
 */
export function openMaybeVaulted(text: string, file: string, pos?: Pos): { text: string; vaulted: boolean } {
  if (!isVaulted(text)) return { text, vaulted: false };
  return { text: decryptToText(text, file, pos), vaulted: true };
}

/** Every string value of a decrypted vars file is a secret. */
export function markVaultFileValues(value: unknown): void {
  markRevealed(value);
}
