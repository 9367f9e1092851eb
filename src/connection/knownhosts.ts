// known_hosts parsing and host key verification (OpenSSH format: plain and hashed `|1|` names,
// `[host]:port` entries, `!negated` and wildcard patterns, `@revoked` honored, `@cert-authority` ignored).
import { createHash, createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';

export interface KnownKey {
  type: string; // ssh-ed25519, ssh-rsa, ecdsa-sha2-nistp256, ...
  blob: Buffer; // the public key in SSH wire format
  revoked: boolean;
  file: string;
  line: number;
}

export type HostKeyVerdict =
  | { ok: true; key: KnownKey }
  | { ok: false; why: 'unknown' | 'mismatch' | 'revoked'; known: KnownKey[] };

/** SHA256 fingerprint as OpenSSH prints it: `SHA256:base64-without-padding`. */
export function fingerprint(blob: Buffer): string {
  return 'SHA256:' + createHash('sha256').update(blob).digest('base64').replace(/=+$/, '');
}

/** Key type stored inside an SSH wire-format public key blob. */
export function blobType(blob: Buffer): string {
  if (blob.length < 4) return 'unknown';
  const n = blob.readUInt32BE(0);
  return blob.subarray(4, 4 + n).toString('latin1');
}

/** The name OpenSSH looks up: `host` on port 22, `[host]:port` otherwise. */
export function lookupName(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`;
}

function globToRegExp(glob: string): RegExp {
  const re = glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${re}$`, 'i');
}

function hashedMatch(entry: string, name: string): boolean {
  // |1|base64(salt)|base64(HMAC-SHA1(salt, name))
  const parts = entry.split('|');
  if (parts.length !== 4 || parts[1] !== '1') return false;
  const salt = Buffer.from(parts[2], 'base64');
  const want = Buffer.from(parts[3], 'base64');
  const got = createHmac('sha1', salt).update(name).digest();
  return got.equals(want);
}

/** Does a known_hosts host field (comma-separated patterns, or one hashed name) match `name`? */
export function hostFieldMatches(field: string, name: string): boolean {
  if (field.startsWith('|')) return hashedMatch(field, name);
  let matched = false;
  for (const pat of field.split(',')) {
    if (!pat) continue;
    if (pat.startsWith('!')) {
      if (globToRegExp(pat.slice(1)).test(name)) return false; // a negated match wins
    } else if (globToRegExp(pat).test(name)) matched = true;
  }
  return matched;
}

/** Keys recorded for `name` in the given known_hosts text. */
export function keysForHost(text: string, name: string, file = 'known_hosts'): KnownKey[] {
  const out: KnownKey[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (!line || line.startsWith('#')) return;
    const fields = line.split(/\s+/);
    let marker = '';
    if (fields[0].startsWith('@')) marker = fields.shift()!;
    if (fields.length < 3 || marker === '@cert-authority') return;
    const [hosts, type, b64] = fields;
    if (!hostFieldMatches(hosts, name)) return;
    const blob = Buffer.from(b64, 'base64');
    if (blob.length === 0) return;
    out.push({ type, blob, revoked: marker === '@revoked', file, line: i + 1 });
  });
  return out;
}

/** Read every existing file and collect the keys for `name` (missing files are skipped). */
export function loadKnownKeys(files: string[], name: string): KnownKey[] {
  const out: KnownKey[] = [];
  for (const f of files) {
    let text: string;
    try {
      text = readFileSync(f, 'utf8');
    } catch {
      continue;
    }
    out.push(...keysForHost(text, name, f));
  }
  return out;
}

/** Decide whether the server's key is acceptable given the known keys. */
export function verifyHostKey(known: KnownKey[], offered: Buffer): HostKeyVerdict {
  if (known.some((k) => k.revoked && k.blob.equals(offered))) return { ok: false, why: 'revoked', known };
  const good = known.filter((k) => !k.revoked);
  const hit = good.find((k) => k.blob.equals(offered));
  if (hit) return { ok: true, key: hit };
  return { ok: false, why: good.length ? 'mismatch' : 'unknown', known: good };
}

/** Host key algorithms to prefer so that the server presents a key type we already know (as OpenSSH does). */
export function preferredHostKeyAlgorithms(known: KnownKey[], supported: string[]): string[] {
  const want: string[] = [];
  for (const k of known) {
    if (k.revoked) continue;
    const algs = k.type === 'ssh-rsa' ? ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'] : [k.type];
    for (const a of algs) if (supported.includes(a) && !want.includes(a)) want.push(a);
  }
  return [...want, ...supported.filter((a) => !want.includes(a))];
}

/** A user-facing explanation of a refused host key (without the `host (addr):` prefix). */
export function describeRefusal(v: Extract<HostKeyVerdict, { ok: false }>, offered: Buffer, files: string[]): string {
  const off = `${blobType(offered)} ${fingerprint(offered)}`;
  const optOut = 'or use --ssh-insecure / ANSIBLE_HOST_KEY_CHECKING=False to skip the check';
  if (v.why === 'revoked') return `host key ${off} is marked @revoked in known_hosts — refusing to connect`;
  if (v.why === 'mismatch') {
    const k = v.known[0];
    const was = v.known.map((x) => `${x.type} ${fingerprint(x.blob)}`).join(', ');
    return (
      `host key mismatch: known_hosts says ${was} (${k.file}:${k.line}), server offered ${off} — ` +
      `possible man-in-the-middle; fix known_hosts (ssh-keygen -R) ${optOut}`
    );
  }
  return (
    `unknown host key ${off}: not in ${files.join(' or ') || 'known_hosts'} (strict host key checking); ` +
    `add it (e.g. ssh-keyscan) ${optOut}`
  );
}
