// Where lvsplay's own files are: the package root (the directory with lvsplay's package.json),
// found by walking up from this module. The same answer from the tsc output (dist/src/...), from
// the bundled CLI (dist/cli/...) and from the sources, so resources (roles/, src/lab/init.sh,
// test/vm/*, package.json) never depend on how deep the running file sits.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

interface PackageJson {
  name?: string;
  version?: string;
}

let found: { root: string; pkg: PackageJson } | undefined;

/** lvsplay's package root and its package.json, found once by walking up from this module. */
function findPackage(): { root: string; pkg: PackageJson } {
  if (found) return found;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pj = join(dir, 'package.json');
    if (existsSync(pj)) {
      try {
        const pkg = JSON.parse(readFileSync(pj, 'utf8')) as PackageJson;
        if (pkg.name === 'lvsplay') return (found = { root: dir, pkg });
      } catch {
        /* not ours: keep walking */
      }
    }
    const up = dirname(dir);
    if (up === dir) throw new Error(`lvsplay's package.json not found above ${fileURLToPath(import.meta.url)}`);
    dir = up;
  }
}

/** lvsplay's package root directory. */
export function packageRoot(): string {
  return findPackage().root;
}

/** A file or directory of the package, e.g. fromRoot('src', 'lab', 'init.sh'). */
export function fromRoot(...parts: string[]): string {
  return join(packageRoot(), ...parts);
}

/** lvsplay's version from its package.json. */
export function version(): string {
  try {
    return findPackage().pkg.version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}
