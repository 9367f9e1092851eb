// group_vars/ and host_vars/ beside an inventory or a playbook: NAME, NAME.yml, NAME.yaml, NAME.json, or NAME/ (every file).
import fs from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../errors.js';
import { readInputFile } from '../inputfile.js';
import type { Vars } from '../types.js';
import type { InventoryData, VarSource } from './model.js';
import { parseYamlFile } from './yaml.js';

const EXTS = ['', '.yml', '.yaml', '.json'];
const ignored = (name: string) => name.startsWith('.') || name.endsWith('~') || /\.(bak|orig|swp|retry|md|txt)$/.test(name);

/** A directory entry, symlinks followed: directories are walked (a link back to an ancestor is an error). */
function isDirFollowing(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false; // a dangling link: read as a file, which reports it by path
  }
}

function filesUnder(dir: string, ancestors: string[] = []): string[] {
  const real = fs.realpathSync(dir);
  if (ancestors.includes(real)) throw new ConfigError(`vars directory '${dir}' is a symbolic link back to its parent '${real}' (a loop)`);
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    if (ignored(e.name)) continue;
    const p = path.join(dir, e.name);
    if (e.isDirectory() || (e.isSymbolicLink() && isDirFollowing(p))) out.push(...filesUnder(p, [...ancestors, real]));
    else if (EXTS.includes(path.extname(e.name))) out.push(p);
  }
  return out;
}

/** Load one vars file: a mapping (or empty). Errors carry FILE:LINE:COL (or the file's path). */
export function loadVarsFile(file: string): Vars {
  const { value } = parseYamlFile(readInputFile(file, 'vars file'), file);
  if (value === null || value === undefined) return {};
  if (typeof value !== 'object' || Array.isArray(value)) throw new ConfigError('a vars file must be a mapping of variable names to values', { file, line: 1, col: 1 });
  return value as Vars;
}

/** Merge <baseDir>/group_vars and <baseDir>/host_vars into the inventory at the given precedence level. */
export function loadVarsDirs(inv: InventoryData, baseDir: string, source: VarSource): void {
  for (const [sub, kind] of [['group_vars', 'group'], ['host_vars', 'host']] as const) {
    const dir = path.join(baseDir, sub);
    if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) continue;
    for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      if (ignored(e.name)) continue;
      const p = path.join(dir, e.name);
      let name: string;
      let files: string[];
      if (e.isDirectory() || (e.isSymbolicLink() && isDirFollowing(p))) {
        name = e.name;
        files = filesUnder(p);
      } else {
        const ext = path.extname(e.name);
        if (!EXTS.includes(ext)) continue;
        name = ext ? e.name.slice(0, -ext.length) : e.name;
        files = [p];
      }
      const exists = kind === 'group' ? inv.groups.has(name) : inv.hosts.has(name) || inv.implicitHost(name) !== undefined;
      for (const f of files) {
        if (exists) inv.setVars(kind, name, source, loadVarsFile(f));
        else inv.deferVars(kind, name, source, () => loadVarsFile(f));
      }
    }
  }
}
