// SSH keys of the lab: one client key per lab dir (kept across up/down), one host key per host and `up`.
// Ed25519 keys from node:crypto, written in OpenSSH's own private key format (no spawn per key).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { paths } from './config.js';

export interface KeyPair {
  private: string;
  public: string;
}

const str = (b: Buffer | string): Buffer => {
  const buf = typeof b === 'string' ? Buffer.from(b) : b;
  const len = Buffer.alloc(4);
  len.writeUInt32BE(buf.length);
  return Buffer.concat([len, buf]);
};
const u32 = (n: number): Buffer => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n >>> 0);
  return b;
};

export function newKey(comment: string): KeyPair {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const pub = Buffer.from(publicKey.export({ format: 'jwk' }).x as string, 'base64url');
  const seed = Buffer.from(privateKey.export({ format: 'jwk' }).d as string, 'base64url');
  if (pub.length !== 32 || seed.length !== 32) throw new Error('ed25519 key generation returned an unexpected key size');
  const blob = Buffer.concat([str('ssh-ed25519'), str(pub)]);
  const check = randomBytes(4).readUInt32BE();
  let priv = Buffer.concat([u32(check), u32(check), str('ssh-ed25519'), str(pub), str(Buffer.concat([seed, pub])), str(comment)]);
  const pad: number[] = [];
  for (let i = 1; (priv.length + pad.length) % 8 !== 0; i++) pad.push(i);
  priv = Buffer.concat([priv, Buffer.from(pad)]);
  const body = Buffer.concat([Buffer.from('openssh-key-v1\0'), str('none'), str('none'), str(''), u32(1), str(blob), str(priv)]);
  const b64 = body.toString('base64').replace(/.{1,70}/g, '$&\n');
  return {
    private: `-----BEGIN OPENSSH PRIVATE KEY-----\n${b64}-----END OPENSSH PRIVATE KEY-----\n`,
    public: `ssh-ed25519 ${blob.toString('base64')} ${comment}`,
  };
}

/** The lab's client key (<labdir>/id_ed25519), created if missing. Returns the public key line. */
export function ensureLabKey(dir: string): string {
  const p = paths(dir);
  if (!existsSync(p.key) || !existsSync(p.pub)) {
    const k = newKey(`lvsplay-lab@${dir}`);
    writeFileSync(p.key, k.private, { mode: 0o600 });
    writeFileSync(p.pub, k.public + '\n', { mode: 0o644 });
  }
  return readFileSync(p.pub, 'utf8').trim();
}
