// `lvsplay galaxy install`: each role fetched (git clone + archive, or a local archive), extracted
// into the roles directory, marked with meta/.galaxy_install_info; a role already installed at the
// same version is skipped (--force reinstalls); dependencies named in the installed role's
// meta/main.yml (and meta/requirements.yml) that are URLs or dotted names are queued, as
// ansible-galaxy does. Messages and their order are ansible-galaxy's.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { errorText } from '../errors.js';
import { exists, unpackRole, writeRole } from './extract.js';
import { gitArchive } from './git.js';
import { readInstallInfo, writeInstallInfo } from './installinfo.js';
import { lockedFor, writeLock, type LockEntry } from './lock.js';
import { parseRoleMap, parseRoleString, refusal, type RoleReq } from './requirements.js';

export interface InstallOptions {
  rolesDir: string;
  force: boolean;
  forceWithDeps: boolean;
  noDeps: boolean;
  ignoreErrors: boolean;
  lock?: { file: string; entries: LockEntry[] };
  out(line: string): void;
  warn(line: string): void;
}

class InstallError extends Error {}

/** A value as Python's %s shows it (None for null). */
const py = (v: unknown) => (v === null || v === undefined ? 'None' : String(v));
const shown = (r: RoleReq) => (r.version ? `${r.name} (${r.version})` : r.name);
const sha256 = (f: string) => createHash('sha256').update(readFileSync(f)).digest('hex');

/** Fetch and extract one role into dest; returns its meta/main.yml and what to lock. */
async function installOne(r: RoleReq, dest: string, o: InstallOptions): Promise<{ meta: unknown; locked: LockEntry }> {
  const why = refusal(r);
  if (why) throw new InstallError(why);
  const tmp = await mkdtemp(path.join(tmpdir(), 'lvsplay-galaxy-'));
  try {
    const pinned = o.lock ? lockedFor(o.lock.entries, r) : undefined;
    const locked: LockEntry = { name: r.name, src: r.src, scm: r.scm, version: r.version };
    let tar: string;
    if (r.scm === 'git') {
      const g = await gitArchive(r.src, r.name, pinned?.commit ?? (r.version || null), tmp);
      tar = g.tar;
      locked.commit = g.commit;
    } else {
      if (r.src.includes('://')) o.out(`- downloading role from ${r.src}`);
      const file = r.src.startsWith('file://') ? fileURLToPath(r.src) : r.src;
      if (!existsSync(file) || !statSync(file).isFile()) throw new InstallError('the downloaded file does not appear to be a valid tar archive.');
      locked.sha256 = sha256(file);
      if (pinned?.sha256 && pinned.sha256 !== locked.sha256) {
        throw new InstallError(`the archive ${file} changed since ${o.lock!.file} was written (sha256 ${pinned.sha256} locked, ${locked.sha256} now): delete its entry there to accept it`);
      }
      tar = file;
    }
    const role = await unpackRole(tar, tmp);
    o.out(`- extracting ${r.name} to ${dest}`);
    if (await exists(dest)) {
      if (!(await stat(dest)).isDirectory()) throw new InstallError('the specified roles path exists and is not a directory.');
      if (!o.force) throw new InstallError(`the specified role ${r.name} appears to already exist. Use --force to replace it.`);
      await removeRole(dest);
    }
    await writeRole(role, dest);
    writeInstallInfo(dest, r.version);
    o.out(`- ${shown(r)} was installed successfully`);
    return { meta: role.meta, locked };
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

/** Remove an installed role: only a directory that has a meta/main.yml (as ansible-galaxy checks). */
async function removeRole(dir: string): Promise<void> {
  if (!existsSync(path.join(dir, 'meta', 'main.yml')) && !existsSync(path.join(dir, 'meta', 'main.yaml'))) {
    throw new InstallError(`${dir} doesn't appear to contain a role.\n  please remove this directory manually if you really want to put the role here.`);
  }
  await rm(dir, { recursive: true, force: true });
}

/** The role's dependencies ansible-galaxy installs: meta/main.yml `dependencies` plus meta/requirements.yml. */
function dependenciesOf(meta: unknown, dir: string, name: string): RoleReq[] {
  const deps = (meta as { dependencies?: unknown } | null)?.dependencies ?? [];
  if (!Array.isArray(deps)) throw new InstallError(`Expected role dependencies to be a list. Role ${name} has meta/main.yml with dependencies ${JSON.stringify(deps)}`);
  let reqs: unknown[] = [];
  for (const f of ['requirements.yml', 'requirements.yaml']) {
    const p = path.join(dir, 'meta', f);
    if (existsSync(p)) {
      const data = parse(readFileSync(p, 'utf8')) ?? [];
      if (!Array.isArray(data)) throw new InstallError(`Expected role dependencies to be a list. Role ${name} has meta/${f} ${JSON.stringify(data)}`);
      reqs = data;
      break;
    }
  }
  return [...deps, ...reqs].map((d) => (typeof d === 'string' ? parseRoleString(d) : parseRoleMap(d as Record<string, unknown>)));
}

/** Install the roles; returns the exit code (0, or 1 when one failed and --ignore-errors is not given). */
export async function installRoles(reqs: RoleReq[], o: InstallOptions): Promise<number> {
  const queue = [...reqs];
  const resolved: LockEntry[] = [];
  let rc = 0;
  try {
    for (let i = 0; i < queue.length; i++) {
      const r = queue[i];
      const dest = path.join(o.rolesDir, r.name);
      const force = o.force || o.forceWithDeps;
      const info = readInstallInfo(dest);
      if (info) {
        if (info.version !== r.version || force) {
          if (!force) {
            o.warn(`- ${r.name} (${py(info.version)}) is already installed - use --force to change version to ${r.version || 'unspecified'}`);
            continue;
          }
          o.out(`- changing role ${r.name} from ${py(info.version)} to ${r.version || 'unspecified'}`);
          await rm(dest, { recursive: true, force: true });
        } else {
          o.out(`- ${shown(r)} is already installed, skipping.`);
          continue;
        }
      }
      let meta: unknown;
      try {
        const done = await installOne(r, dest, { ...o, force });
        meta = done.meta;
        resolved.push(done.locked);
      } catch (e) {
        if (!(e instanceof InstallError) && !(e instanceof Error)) throw e;
        o.warn(`- ${r.name} was NOT installed successfully: ${errorText(e)} `);
        if (!o.ignoreErrors) {
          rc = 1;
          break;
        }
        continue;
      }
      if (o.noDeps) continue;
      if (!meta) {
        o.warn(`Meta file ${dest} is empty. Skipping dependencies.`);
        continue;
      }
      for (const dep of dependenciesOf(meta, dest, r.name)) {
        if (!dep.name.includes('.') && !dep.src.includes('.') && dep.scm === null) continue; // not a Galaxy name or URL: nothing to fetch
        const depInfo = readInstallInfo(path.join(o.rolesDir, dep.name));
        if (!depInfo) {
          if (queue.some((q) => q.name === dep.name)) o.out(`- dependency ${dep.name} already pending installation.`);
          else {
            o.out(`- adding dependency: ${shown(dep)}`);
            queue.push(dep);
          }
        } else if (depInfo.version !== dep.version) {
          if (o.forceWithDeps) {
            o.out(`- changing dependent role ${dep.name} from ${py(depInfo.version)} to ${dep.version || 'unspecified'}`);
            await rm(path.join(o.rolesDir, dep.name), { recursive: true, force: true });
            queue.push(dep);
          } else {
            o.warn(`- dependency ${shown(dep)} (${py(dep.version)}) from role ${r.name} differs from already installed version (${py(depInfo.version)}), skipping`);
          }
        } else if (o.forceWithDeps) queue.push(dep);
        else o.out(`- dependency ${dep.name} is already installed, skipping.`);
      }
    }
  } finally {
    if (o.lock && resolved.length) writeLock(o.lock.file, o.lock.entries, resolved, reqs.map((r) => r.name));
  }
  return rc;
}
