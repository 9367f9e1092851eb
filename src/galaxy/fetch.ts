// Fetching a role: its source made into an unpacked archive in a scratch directory (git: clone and
// archive the version, or the locked commit; an archive file: checked against the lock's sha256),
// with the lock entry it resolved to. No output and nothing written outside the scratch directory,
// so roles can be fetched concurrently and installed in order afterwards.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { unpackRole, type UnpackedRole } from './extract.js';
import { gitArchive } from './git.js';
import { lockedFor, type LockEntry } from './lock.js';
import { refusal, type RoleReq } from './requirements.js';

export class InstallError extends Error {}

export interface Fetched {
  role: UnpackedRole;
  locked: LockEntry;
  /** The scratch directory (remove it when done). */
  tmp: string;
}

const sha256 = (f: string) => createHash('sha256').update(readFileSync(f)).digest('hex');

export async function fetchRole(r: RoleReq, lock?: { file: string; entries: LockEntry[] }): Promise<Fetched> {
  const why = refusal(r);
  if (why) throw new InstallError(why);
  const tmp = await mkdtemp(path.join(tmpdir(), 'lvsplay-galaxy-'));
  try {
    const pinned = lock ? lockedFor(lock.entries, r) : undefined;
    const locked: LockEntry = { name: r.name, src: r.src, scm: r.scm, version: r.version };
    let tar: string;
    if (r.scm === 'git') {
      const g = await gitArchive(r.src, r.name, pinned?.commit ?? (r.version || null), tmp);
      tar = g.tar;
      locked.commit = g.commit;
    } else {
      const file = r.src.startsWith('file://') ? fileURLToPath(r.src) : r.src;
      if (!existsSync(file) || !statSync(file).isFile()) throw new InstallError('the downloaded file does not appear to be a valid tar archive.');
      locked.sha256 = sha256(file);
      if (pinned?.sha256 && pinned.sha256 !== locked.sha256) {
        throw new InstallError(`the archive ${file} changed since ${lock!.file} was written (sha256 ${pinned.sha256} locked, ${locked.sha256} now): delete its entry there to accept it`);
      }
      tar = file;
    }
    return { role: await unpackRole(tar, tmp), locked, tmp };
  } catch (e) {
    await rm(tmp, { recursive: true, force: true });
    throw e;
  }
}
