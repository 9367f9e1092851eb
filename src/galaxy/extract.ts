// A role archive (.tar, .tar.gz; from git archive or a file) extracted as ansible-galaxy extracts it:
// the role's root is the shortest parent of a meta/main.yml (or .yaml) in the archive; that prefix
// is taken off every member; only regular files and symlinks are written (no empty directories);
// a member or link target outside the role is refused. The archive is unpacked by the `tar`
// command into a scratch directory first, then copied member by member.
import { copyFile, lstat, mkdir, readdir, readFile, readlink, realpath, symlink } from 'node:fs/promises';
import * as path from 'node:path';
import { parse } from 'yaml';
import { run } from './git.js';

export class RoleArchiveError extends Error {}

interface Member {
  name: string;
  link?: string;
}

async function walk(root: string, rel = ''): Promise<Member[]> {
  const out: Member[] = [];
  for (const e of await readdir(path.join(root, rel), { withFileTypes: true })) {
    const name = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...(await walk(root, name)));
    else if (e.isSymbolicLink()) out.push({ name, link: await readlink(path.join(root, name)) });
    else if (e.isFile()) out.push({ name });
  }
  return out;
}

/** The archive's role root (ansible-galaxy: the shortest parent of a member named like meta/main.yml). */
function roleRoot(members: Member[]): { root: string; meta: string } | undefined {
  let best: { root: string; meta: string } | undefined;
  for (const m of members) {
    if (!m.name.includes('meta/main.yml') && !m.name.includes('meta/main.yaml')) continue;
    const root = path.posix.dirname(path.posix.dirname(m.name));
    const r = root === '.' ? '' : root;
    if (!best || r.length < best.root.length) best = { root: r, meta: m.name };
  }
  return best;
}

const inside = (p: string, dir: string) => p === dir || p.startsWith(dir + path.sep);

export interface UnpackedRole {
  dir: string;
  members: Member[];
  root: string;
  /** Its meta/main.yml, parsed. */
  meta: unknown;
}

/** Unpack `tarFile` into scratch/unpacked and find the role in it (checked before anything is written, as ansible-galaxy does). */
export async function unpackRole(tarFile: string, scratch: string): Promise<UnpackedRole> {
  const dir = path.join(scratch, 'unpacked');
  await mkdir(dir, { recursive: true });
  try {
    await run('tar', ['-xf', tarFile, '-C', dir, '--no-same-owner'], scratch);
  } catch {
    throw new RoleArchiveError('the downloaded file does not appear to be a valid tar archive.');
  }
  const members = await walk(dir);
  const found = roleRoot(members);
  if (!found) throw new RoleArchiveError('this role does not appear to have a meta/main.yml file.');
  try {
    return { dir, members, root: found.root, meta: parse(await readFile(path.join(dir, found.meta), 'utf8')) };
  } catch {
    throw new RoleArchiveError('this role does not appear to have a valid meta/main.yml file.');
  }
}

/** Write the role's files into `dest` (created), each member without the role root's prefix. */
export async function writeRole(role: UnpackedRole, dest: string): Promise<void> {
  await mkdir(dest, { recursive: true });
  const base = await realpath(dest);
  for (const m of role.members) {
    const rel = m.name.replace(role.root, '').replace(/^\/+/, '');
    const to = path.resolve(base, rel);
    if (!inside(to, base)) throw new RoleArchiveError(`Invalid name for tarfile member: path ${to} is not a subpath of the role ${base}`);
    await mkdir(path.dirname(to), { recursive: true });
    if (m.link !== undefined) {
      const target = path.resolve(path.dirname(to), m.link);
      if (!inside(target, base)) throw new RoleArchiveError(`Invalid linkname for tarfile member: path ${target} is not a subpath of the role ${base}`);
      await symlink(m.link, to);
    } else {
      await copyFile(path.join(role.dir, m.name), to);
    }
  }
}

/** Whether `p` exists (lstat). */
export async function exists(p: string): Promise<boolean> {
  try {
    await lstat(p);
    return true;
  } catch {
    return false;
  }
}
