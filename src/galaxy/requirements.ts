// Galaxy's requirements.yml for roles, read as `ansible-galaxy install -r` reads it: a list of roles
// (the old format) or a mapping with `roles:` and `collections:`. Each role entry is a string
// `SRC[,VERSION[,NAME]]` or a mapping (src, scm, version, name; `include:` of another file), with
// ansible-galaxy's defaults: `git+URL` means scm git, the name is the URL's last part without
// .git/.tar.gz. Every entry keeps its file:line:col for errors. What lvsplay cannot install
// (Galaxy server names, collections, hg) is refused here, before anything is installed.
import { existsSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node } from 'yaml';
import { ConfigError, type Pos } from '../errors.js';

export interface RoleReq {
  name: string;
  src: string;
  scm: string | null;
  /** As written: '' when a mapping has none, null when a string entry has none (ansible-galaxy's install info shows the difference). */
  version: string | null;
  pos?: Pos;
}

/** ansible-galaxy's name for a role from its src: the last part of a URL, without .git / .tar.gz. */
export function nameFromSrc(src: string): string {
  if (!src.includes('://') && !src.includes('@')) return src;
  let tail = src.split('/').pop() ?? src;
  if (tail.endsWith('.git')) tail = tail.slice(0, -4);
  if (tail.endsWith('.tar.gz')) tail = tail.slice(0, -7);
  return tail.split(',')[0];
}

/** A string entry (`SRC[,VERSION[,NAME]]`), also the form of `lvsplay galaxy install SRC` arguments. */
export function parseRoleString(s: string, pos?: Pos): RoleReq {
  const parts = s.trim().split(',');
  if (parts.length > 3) throw new ConfigError(`Invalid role line (${s}). Proper format is 'role_name[,version[,name]]'`, pos);
  let src = parts[0];
  const version = parts.length > 1 ? parts[1] : null;
  const name = parts.length > 2 ? parts[2] : nameFromSrc(src);
  let scm: string | null = null;
  const plus = src.indexOf('+');
  if (plus >= 0) [scm, src] = [src.slice(0, plus), src.slice(plus + 1)];
  return { name, src, scm, version, pos };
}

const str = (v: unknown): string | undefined => (v === undefined || v === null ? undefined : String(v));

/** A mapping entry (ansible-galaxy's RoleRequirement.role_yaml_parse for dicts). */
export function parseRoleMap(m: Record<string, unknown>, pos?: Pos): RoleReq {
  if (m.role !== undefined) {
    // the old style (and meta/main.yml dependencies): `role: NAME`, the src taken as written
    const name = String(m.role);
    if (name.includes(',')) throw new ConfigError(`Invalid old style role requirement: ${name}`, pos);
    return { name, src: str(m.src) ?? name, scm: str(m.scm) ?? null, version: str(m.version) ?? null, pos };
  }
  let src = str(m.src);
  let scm = str(m.scm) ?? null;
  let name = str(m.name);
  if (src !== undefined) {
    if (src.includes('github.com') && src.includes('http') && !src.includes('+') && !src.endsWith('.tar.gz')) src = `git+${src}`;
    const plus = src.indexOf('+');
    if (plus >= 0) [scm, src] = [src.slice(0, plus), src.slice(plus + 1)];
    name ??= nameFromSrc(src);
  }
  if (name === undefined) throw new ConfigError('Must specify name or src for role', pos);
  return { name, src: src ?? name, scm, version: str(m.version) ?? '', pos };
}

/** Why lvsplay will not install this entry (undefined: it can). */
export function refusal(r: RoleReq): string | undefined {
  if (r.scm) {
    if (r.scm === 'git') return undefined;
    if (r.scm === 'hg') return `role '${r.name}': scm hg is not supported by lvsplay (only git)`;
    return `role '${r.name}': - scm ${r.scm} is not currently supported`;
  }
  if (/^https?:\/\//.test(r.src)) {
    return `role '${r.name}': downloading an archive over ${r.src.split(':')[0]} is not supported by lvsplay: download it and give its path, or use git+${r.src}`;
  }
  if (r.src.includes('://') && !r.src.startsWith('file://')) return `role '${r.name}': source ${r.src} is not supported by lvsplay (a git URL needs scm: git or a git+ prefix)`;
  if (r.src.includes('://')) return undefined; // file:// archive (checked when installed)
  if (existsSync(r.src) && statSync(r.src).isFile()) return undefined; // a local archive (checked when installed)
  if (existsSync(r.src)) {
    return `role '${r.name}': '${r.src}' is a local directory, which ansible-galaxy would look up as a name on a Galaxy server; lvsplay does not fetch roles from Galaxy servers: if it is a git repository, write src: git+file://${path.resolve(r.src)}`;
  }
  return `role '${r.name}': '${r.src}' would be looked up on a Galaxy server (as ansible-galaxy does with a name that is not a URL or an existing file); lvsplay does not fetch roles from Galaxy servers: give a git URL (src: git+https://..., or scm: git) or a .tar.gz archive`;
}

interface Located {
  file: string;
  lc: LineCounter;
}

function posOf(at: Located, n: Node | null | undefined): Pos | undefined {
  if (!n?.range) return undefined;
  const { line, col } = at.lc.linePos(n.range[0]);
  return { file: at.file, line, col };
}

function readYaml(file: string): { at: Located; root: Node | null; data: unknown } {
  const text = readFileSync(file, 'utf8');
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, uniqueKeys: false });
  const at = { file, lc };
  if (doc.errors.length) {
    const e = doc.errors[0];
    const { line, col } = lc.linePos(e.pos[0]);
    throw new ConfigError(`Failed to parse the requirements yml: ${e.message.split('\n')[0]}`, { file, line, col });
  }
  return { at, root: doc.contents as Node | null, data: doc.toJS() };
}

function roleEntries(at: Located, seq: Node | null | undefined, cwd: string): RoleReq[] {
  if (!seq) return [];
  if (!isSeq(seq)) throw new ConfigError('the roles must be a list', posOf(at, seq));
  const out: RoleReq[] = [];
  for (const item of seq.items as Node[]) {
    const pos = posOf(at, item);
    if (isScalar(item)) out.push(parseRoleString(String(item.value), pos));
    else if (isMap(item)) {
      const m = item.toJSON() as Record<string, unknown>;
      if (m.include !== undefined) out.push(...readIncluded(String(m.include), cwd, pos));
      else out.push(parseRoleMap(m, pos));
    } else throw new ConfigError('a role entry must be a string or a mapping', pos);
  }
  return out;
}

function readIncluded(file: string, cwd: string, pos?: Pos): RoleReq[] {
  const abs = path.resolve(cwd, file);
  if (!existsSync(abs)) throw new ConfigError(`Failed to find include requirements file '${file}'`, pos);
  const { at, root } = readYaml(abs);
  return roleEntries(at, root, cwd);
}

export interface Requirements {
  roles: RoleReq[];
  /** Positions of collection entries (refused by the caller). */
  collections: Pos[];
}

/** Read a requirements file; errors carry file:line:col. */
export function readRequirements(file: string, cwd = process.cwd()): Requirements {
  if (!existsSync(file)) throw new ConfigError(`The requirements file '${file}' does not exist.`);
  if (!/\.ya?ml$/.test(file)) throw new ConfigError('Invalid role requirements file, it must end with a .yml or .yaml extension');
  const { at, root, data } = readYaml(file);
  if (data === null || data === undefined) throw new ConfigError(`No requirements found in file '${file}'`);
  if (isSeq(root)) return { roles: roleEntries(at, root, cwd), collections: [] };
  if (!isMap(root)) throw new ConfigError('a requirements file is a list of roles or a mapping with roles: and collections:', posOf(at, root));
  const collections: Pos[] = [];
  let roles: RoleReq[] = [];
  for (const pair of root.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
    const value = pair.value as Node | null;
    if (key === 'roles') roles = roleEntries(at, value, cwd);
    else if (key === 'collections') {
      if (isSeq(value)) for (const c of value.items as Node[]) collections.push(posOf(at, c) ?? { file, line: 1, col: 1 });
    } else {
      throw new ConfigError(`Expecting only 'roles' and/or 'collections' as base keys in the requirements file. Found: ${key}`, posOf(at, pair.key as Node));
    }
  }
  return { roles, collections };
}
