// Where lvsplay's own files are: the package root (the directory with lvsplay's package.json),
// found by walking up from this module. The same answer from the tsc output (dist/src/...), from
// the bundled CLI (dist/cli/...) and from the sources, so resources (roles/, src/lab/init.sh,
// src/vm/*, package.json) never depend on how deep the running file sits.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let root: string | undefined;

/** lvsplay's package root directory. */
export function packageRoot(): string {
  if (root) return root;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pj = join(dir, 'package.json');
    if (existsSync(pj)) {
      try {
        if ((JSON.parse(readFileSync(pj, 'utf8')) as { name?: string }).name === 'lvsplay') return (root = dir);
      } catch {
        /* not ours: keep walking */
      }
    }
    const up = dirname(dir);
    if (up === dir) throw new Error(`lvsplay's package.json not found above ${fileURLToPath(import.meta.url)}`);
    dir = up;
  }
}

/** A file or directory of the package, e.g. fromRoot('src', 'lab', 'init.sh'). */
export function fromRoot(...parts: string[]): string {
  return join(packageRoot(), ...parts);
}

/** lvsplay's version from its package.json. */
export function version(): string {
  try {
    return (JSON.parse(readFileSync(fromRoot('package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}
