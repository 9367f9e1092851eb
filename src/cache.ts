// lvsplay's disk caches (compiled ajv validators, compiled custom modules): what would be
// recomputed identically on every run. A cache that cannot be read or written is simply not
// used. Off with LVSPLAY_NO_CACHE=1; directory: $LVSPLAY_CACHE_DIR, else $XDG_CACHE_HOME/lvsplay,
// else ~/.cache/lvsplay.
//
// What these caches hold is code lvsplay runs (as a .pyc is; the Jinja2 engine's j2cache.py keeps
// the same rules): a directory is used only when it and the one above it belong to this user (or
// root, above) and no one else can write them — a sticky directory above such as /tmp excepted — and
// a file is loaded only when it belongs to this user and no one else can write it. Directories are
// made 0700, files written 0600. Entries unused for a month are removed when a new one is written.
import { lstatSync, mkdirSync, readdirSync, renameSync, statSync, unlinkSync, writeFileSync, type Stats } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';

const me = (): number => process.geteuid?.() ?? -1;
const othersWrite = (st: Stats): boolean => (st.mode & 0o022) !== 0;
const STICKY = 0o1000;
/** Removed when a new entry is written and they have not been written for this long. */
export const CACHE_MAX_AGE_MS = 30 * 24 * 3600 * 1000;

/** A directory lvsplay may keep and load code in: made (0700) when missing; see the rules above. */
export function privateDir(dir: string): boolean {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const st = lstatSync(dir);
    if (!st.isDirectory() || st.uid !== me() || othersWrite(st)) return false;
    const up = statSync(dirname(dir));
    return (up.uid === me() || up.uid === 0) && (!othersWrite(up) || (up.mode & STICKY) !== 0);
  } catch {
    return false;
  }
}

/** A cache file lvsplay may load: a regular file of this user that no one else can write. */
export function trustedFile(file: string): boolean {
  try {
    const st = lstatSync(file);
    return st.isFile() && st.uid === me() && !othersWrite(st);
  } catch {
    return false;
  }
}

const checked = new Map<string, boolean>();

/** The directory of one cache (`sub`), or undefined when caching is off or the directory is not private. */
export function cacheDir(sub: string): string | undefined {
  if (process.env.LVSPLAY_NO_CACHE) return undefined;
  const base = process.env.LVSPLAY_CACHE_DIR ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'lvsplay');
  const dir = join(base, sub);
  let ok = checked.get(dir);
  if (ok === undefined) {
    ok = privateDir(base) && privateDir(dir);
    checked.set(dir, ok);
  }
  return ok ? dir : undefined;
}

/** Write a cache entry atomically (readers see the old file, no file, or the whole new one), 0600. Throws. */
export function writeCacheFile(file: string, text: string): void {
  const dir = dirname(file);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, text, { mode: 0o600, flag: 'w' });
  renameSync(tmp, file);
  pruneOld(dir);
}

const pruned = new Set<string>();
/** Entries of `dir` not written for CACHE_MAX_AGE_MS (an older lvsplay's, a schema changed since): removed, once per process. */
function pruneOld(dir: string): void {
  if (pruned.has(dir)) return;
  pruned.add(dir);
  const limit = Date.now() - CACHE_MAX_AGE_MS;
  try {
    for (const name of readdirSync(dir)) {
      const p = join(dir, name);
      try {
        const st = lstatSync(p);
        if (st.isFile() && st.mtimeMs < limit) unlinkSync(p);
      } catch {
        /* gone meanwhile */
      }
    }
  } catch {
    /* a cache only */
  }
}
