// The lock of a requirements file: requirements.lock.yml beside requirements.yml (X.yaml ->
// X.lock.yaml), with the commit each git role resolved to and the sha256 of each archive. While an
// entry matches its requirement (same name, src, scm and version), `galaxy install -r` installs the
// locked commit (and refuses an archive whose sha256 changed); an entry whose requirement changed
// is resolved again and rewritten. Delete an entry (or the file) to move a role to its version's
// newest commit.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { parse, stringify } from 'yaml';
import { ConfigError } from '../errors.js';
import type { RoleReq } from './requirements.js';

export interface LockEntry {
  name: string;
  src: string;
  scm: string | null;
  version: string | null;
  commit?: string;
  sha256?: string;
}

export function lockPathFor(requirementsFile: string): string {
  return requirementsFile.replace(/(\.ya?ml)$/, '.lock$1');
}

export function readLock(file: string): LockEntry[] {
  if (!existsSync(file)) return [];
  let data: unknown;
  try {
    data = parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new ConfigError(`${file}: the lock file does not parse: ${(e as Error).message.split('\n')[0]} (fix or delete it)`);
  }
  const roles = (data as { roles?: unknown })?.roles;
  if (!Array.isArray(roles)) throw new ConfigError(`${file}: a lock file has a roles: list (fix or delete it)`);
  return roles as LockEntry[];
}

/** The locked entry for a requirement, if it still matches it. */
export function lockedFor(lock: LockEntry[], r: RoleReq): LockEntry | undefined {
  return lock.find((e) => e.name === r.name && e.src === r.src && (e.scm ?? null) === r.scm && (e.version ?? null) === r.version);
}

const HEADER = [
  '# Written by `lvsplay galaxy install -r`: what each role of the requirements file resolved to',
  '# (git: the commit; archive: its sha256). While this file is here, the same command installs exactly',
  '# these; delete an entry (or the file) to resolve a role again. Commit it with the requirements file.',
].join('\n');

/** Write the lock: the previous entries updated by `resolved`, in the requirements' order, then the rest. */
export function writeLock(file: string, previous: LockEntry[], resolved: LockEntry[], order: string[]): void {
  const byName = new Map(previous.map((e) => [e.name, e]));
  for (const e of resolved) byName.set(e.name, e);
  const rank = (n: string) => (order.includes(n) ? order.indexOf(n) : order.length);
  const roles = [...byName.values()].sort((a, b) => rank(a.name) - rank(b.name));
  writeFileSync(file, `${HEADER}\n${stringify({ roles })}`);
}
