// The ansible-vault envelope (format 1.1 and 1.2, cipher AES256), from Ansible's documented format:
//   $ANSIBLE_VAULT;1.1;AES256            (1.2 adds the vault-id label: $ANSIBLE_VAULT;1.2;AES256;LABEL)
//   hex( hex(salt) "\n" hex(hmac) "\n" hex(ciphertext) ), in lines of 80 characters.
// Key material: PBKDF2-HMAC-SHA256(password, salt, 10000 iterations, 80 bytes) = 32 bytes AES key,
// 32 bytes HMAC key, 16 bytes initial counter. Cipher: AES-256-CTR over the PKCS#7-padded plaintext;
// HMAC-SHA256 over the ciphertext. node:crypto provides every primitive.
import { createCipheriv, createDecipheriv, createHmac, pbkdf2Sync, randomBytes, timingSafeEqual } from 'node:crypto';

export const VAULT_PREFIX = '$ANSIBLE_VAULT';
const ITERATIONS = 10000;
const BLOCK = 16;

export interface VaultHeader {
  version: '1.1' | '1.2';
  cipher: string;
  label?: string;
}

export class VaultFormatError extends Error {}

export function isVaulted(text: string): boolean {
  return text.trimStart().startsWith(VAULT_PREFIX + ';');
}

function deriveKeys(password: Buffer, salt: Buffer): { key: Buffer; hmacKey: Buffer; iv: Buffer } {
  const m = pbkdf2Sync(password, salt, ITERATIONS, 32 + 32 + BLOCK, 'sha256');
  return { key: m.subarray(0, 32), hmacKey: m.subarray(32, 64), iv: m.subarray(64) };
}

function pad(b: Buffer): Buffer {
  const n = BLOCK - (b.length % BLOCK);
  return Buffer.concat([b, Buffer.alloc(n, n)]);
}

function unpad(b: Buffer): Buffer {
  const n = b[b.length - 1];
  if (!n || n > BLOCK || n > b.length) throw new VaultFormatError('bad padding');
  return b.subarray(0, b.length - n);
}

/** Parse an envelope into its header and the three binary parts. */
export function parseEnvelope(text: string): { header: VaultHeader; salt: Buffer; hmac: Buffer; ciphertext: Buffer } {
  const lines = text.trim().split(/\r?\n/).map((l) => l.trim());
  const parts = lines[0].split(';');
  if (parts[0] !== VAULT_PREFIX || parts.length < 3) throw new VaultFormatError('not a vault envelope (no $ANSIBLE_VAULT header)');
  const version = parts[1];
  if (version !== '1.1' && version !== '1.2') throw new VaultFormatError(`unsupported vault format version ${version}`);
  const cipher = parts[2].trim();
  if (cipher !== 'AES256') throw new VaultFormatError(`unsupported vault cipher ${cipher} (only AES256)`);
  const label = version === '1.2' ? parts[3]?.trim() : undefined;
  const hex = lines.slice(1).join('');
  if (!/^(?:[0-9a-fA-F]{2})+$/.test(hex)) throw new VaultFormatError('the vault body is not hexadecimal');
  const inner = Buffer.from(hex, 'hex').toString('latin1').split('\n');
  if (inner.length !== 3 || inner.some((p) => !/^(?:[0-9a-fA-F]{2})+$/.test(p))) throw new VaultFormatError('the vault body is malformed');
  const [salt, hmac, ciphertext] = inner.map((p) => Buffer.from(p, 'hex'));
  return { header: { version, cipher, label }, salt, hmac, ciphertext };
}

/** Decrypt with one password: the plaintext, or undefined when the HMAC does not match (wrong password). */
export function decryptWith(env: ReturnType<typeof parseEnvelope>, password: string | Buffer): Buffer | undefined {
  const { key, hmacKey, iv } = deriveKeys(Buffer.from(password), env.salt);
  const mac = createHmac('sha256', hmacKey).update(env.ciphertext).digest();
  if (mac.length !== env.hmac.length || !timingSafeEqual(mac, env.hmac)) return undefined;
  const d = createDecipheriv('aes-256-ctr', key, iv);
  return unpad(Buffer.concat([d.update(env.ciphertext), d.final()]));
}

/** Encrypt into an envelope (1.1 for the label 'default' or none, else 1.2 with the label), lines of 80. */
export function encrypt(plaintext: string | Buffer, password: string | Buffer, label?: string): string {
  const salt = randomBytes(32);
  const { key, hmacKey, iv } = deriveKeys(Buffer.from(password), salt);
  const c = createCipheriv('aes-256-ctr', key, iv);
  const ciphertext = Buffer.concat([c.update(pad(Buffer.from(plaintext))), c.final()]);
  const mac = createHmac('sha256', hmacKey).update(ciphertext).digest();
  const body = Buffer.from([salt, mac, ciphertext].map((b) => b.toString('hex')).join('\n'), 'latin1').toString('hex');
  const header = label && label !== 'default' ? `${VAULT_PREFIX};1.2;AES256;${label}` : `${VAULT_PREFIX};1.1;AES256`;
  const lines = body.match(/.{1,80}/g) ?? [];
  return [header, ...lines].join('\n') + '\n';
}
