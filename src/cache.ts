// lvsplay's disk caches (compiled ajv validators, compiled custom modules): what would be
// recomputed identically on every run. A cache that cannot be read or written is simply not
// used. Off with LVSPLAY_NO_CACHE=1; directory: $LVSPLAY_CACHE_DIR, else $XDG_CACHE_HOME/lvsplay,
// else ~/.cache/lvsplay.
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';

/** The directory of one cache (`sub`), or undefined when caching is off. */
export function cacheDir(sub: string): string | undefined {
  if (process.env.LVSPLAY_NO_CACHE) return undefined;
  const base = process.env.LVSPLAY_CACHE_DIR ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'lvsplay');
  return join(base, sub);
}

/** Write a cache entry atomically (readers see the old file, no file, or the whole new one). Throws. */
export function writeCacheFile(file: string, text: string): void {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, file);
}
