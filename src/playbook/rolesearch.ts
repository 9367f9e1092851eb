// Where roles are found, in order: the rolesPath option, LVSPLAY_ROLES_PATH / ANSIBLE_ROLES_PATH,
// `roles/` beside the playbook (and in each parent directory), installed npm packages
// (node_modules/<pkg>/roles/<name>, or the dir named by package.json `lvsplay.roles`), and the
// roles shipped with lvsplay.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { fromRoot } from '../paths.js';

function isDir(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/** lvsplay's own roles: roles/ at the package root. */
export function shippedRolesDir(): string {
  return fromRoot('roles');
}

function rolesDirOf(pkgDir: string): string | undefined {
  try {
    const pj = JSON.parse(readFileSync(path.join(pkgDir, 'package.json'), 'utf8')) as { lvsplay?: { roles?: string } };
    if (pj.lvsplay?.roles) return path.resolve(pkgDir, pj.lvsplay.roles);
  } catch {
    // no or bad package.json: fall back to roles/
  }
  const d = path.join(pkgDir, 'roles');
  return isDir(d) ? d : undefined;
}

const npmCache = new Map<string, { pkg: string; roles: string }[]>();

/** The package names in one node_modules directory (`pkg`, `@scope/pkg`). */
export function packageNames(nm: string): string[] {
  let names: string[] = [];
  try {
    names = readdirSync(nm);
  } catch {
    names = [];
  }
  return names.filter((n) => !n.startsWith('.')).flatMap((n) => (n.startsWith('@') ? (isDir(path.join(nm, n)) ? readdirSync(path.join(nm, n)).map((s) => `${n}/${s}`) : []) : [n]));
}

/** Role dirs of the packages in one node_modules directory. */
function npmRoleDirs(nm: string): { pkg: string; roles: string }[] {
  const hit = npmCache.get(nm);
  if (hit) return hit;
  const out: { pkg: string; roles: string }[] = [];
  for (const p of packageNames(nm)) {
    const r = rolesDirOf(path.join(nm, p));
    if (r) out.push({ pkg: p, roles: r });
  }
  npmCache.set(nm, out);
  return out;
}

/** The directory and each parent up to /. */
export function ancestors(dir: string): string[] {
  const out: string[] = [];
  let d = path.resolve(dir);
  for (;;) {
    out.push(d);
    const up = path.dirname(d);
    if (up === d) return out;
    d = up;
  }
}

function envPath(name: string): string[] {
  return (process.env[name] ?? '').split(':').filter(Boolean);
}

/** The search dirs before the npm packages' roles (cheap: no node_modules scan). */
function localSearchDirs(fromDirs: string[], rolesPath: string[]): string[] {
  const dirs: string[] = [...rolesPath, ...envPath('LVSPLAY_ROLES_PATH'), ...envPath('ANSIBLE_ROLES_PATH')].map((d) => path.resolve(d));
  for (const from of fromDirs) for (const a of ancestors(from)) dirs.push(path.join(a, 'roles'));
  for (const from of fromDirs) dirs.push(path.resolve(from));
  return dirs;
}

/** Directories that may contain roles, in search order (deduplicated). */
export function roleSearchDirs(fromDirs: string[], rolesPath: string[] = []): string[] {
  const dirs = localSearchDirs(fromDirs, rolesPath);
  for (const from of fromDirs) for (const a of ancestors(from)) for (const p of npmRoleDirs(path.join(a, 'node_modules'))) dirs.push(p.roles);
  dirs.push(shippedRolesDir());
  return [...new Set(dirs)];
}

function isRoleDir(p: string): boolean {
  return isDir(p) && ['tasks', 'meta', 'handlers', 'defaults', 'vars', 'templates', 'files'].some((sub) => isDir(path.join(p, sub)));
}

export interface Found {
  dir?: string;
  searched: string[];
  candidates: string[]; // role names seen (for did-you-mean)
  /** Found in an npm package's roles (`pkg/x`): named by its last part, not as a path. */
  inPackage?: boolean;
}

/** Find a role by name (`x`), path (`./roles/x`, `/abs/x`) or npm package (`pkg/x`, `@s/pkg/x`). */
export function findRoleDir(name: string, fromDirs: string[], rolesPath: string[] = []): Found {
  // The usual case first: a plain name in a roles/ directory near the playbook, found without
  // reading every package.json under node_modules (which come later in the order anyway).
  if (!name.includes('/')) {
    for (const d of localSearchDirs(fromDirs, rolesPath)) {
      const p = path.join(d, name);
      if (isRoleDir(p)) return { dir: p, searched: [], candidates: [] };
    }
  }
  const searched = roleSearchDirs(fromDirs, rolesPath).filter(existsSync);
  if (name.includes('/')) {
    for (const from of fromDirs) {
      const p = path.resolve(from, name);
      if (isDir(p)) return { dir: p, searched, candidates: [] };
    }
    const parts = name.split('/');
    const pkg = name.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
    const rest = parts.slice(name.startsWith('@') ? 2 : 1).join('/');
    for (const from of fromDirs) {
      for (const a of ancestors(from)) {
        const hit = npmRoleDirs(path.join(a, 'node_modules')).find((x) => x.pkg === pkg);
        if (hit && isDir(path.join(hit.roles, rest))) return { dir: path.join(hit.roles, rest), searched, candidates: [], inPackage: true };
      }
    }
  }
  for (const d of searched) {
    const p = path.join(d, name);
    if (isRoleDir(p)) return { dir: p, searched, candidates: [] };
  }
  const candidates: string[] = [];
  for (const d of searched) {
    try {
      for (const n of readdirSync(d)) if (isDir(path.join(d, n, 'tasks'))) candidates.push(n);
    } catch {
      // unreadable: skip
    }
  }
  return { searched, candidates };
}
