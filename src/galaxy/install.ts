// `lvsplay galaxy install`: each role fetched (git clone + archive, or a local archive), extracted
// into the roles directory, marked with meta/.galaxy_install_info; a role already installed at the
// same version is skipped (--force reinstalls); dependencies named in the installed role's
// meta/main.yml (and meta/requirements.yml) that are URLs or dotted names are queued, as
// ansible-galaxy does. Messages and their order are ansible-galaxy's.
import { existsSync, readFileSync } from 'node:fs';
import { rm, stat } from 'node:fs/promises';
import * as path from 'node:path';
import { parse } from 'yaml';
import { errorText } from '../errors.js';
import { exists, writeRole } from './extract.js';
import { fetchRole, InstallError, type Fetched } from './fetch.js';
import { readInstallInfo, writeInstallInfo } from './installinfo.js';
import { writeLock, type LockEntry } from './lock.js';
import { parseRoleMap, parseRoleString, type RoleReq } from './requirements.js';

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

/** A value as Python's %s shows it (None for null). */
const py = (v: unknown) => (v === null || v === undefined ? 'None' : String(v));
const shown = (r: RoleReq) => (r.version ? `${r.name} (${r.version})` : r.name);
const where = (r: RoleReq) => (r.pos ? ` (${r.pos.file}:${r.pos.line}:${r.pos.col})` : '');

/** Roles fetched ahead, FETCH_AHEAD at a time, while earlier ones are installed. */
const FETCH_AHEAD = 4;

class Prefetcher {
  private readonly started = new Map<RoleReq, Promise<Fetched>>();
  private running = 0;
  private readonly waiting: (() => void)[] = [];
  constructor(private readonly lock: InstallOptions['lock']) {}

  get(r: RoleReq): Promise<Fetched> {
    let p = this.started.get(r);
    if (!p) {
      p = this.slot().then(() => fetchRole(r, this.lock)).finally(() => this.release());
      p.catch(() => undefined); // awaited (and reported) when its turn comes
      this.started.set(r, p);
    }
    return p;
  }

  private async slot(): Promise<void> {
    if (this.running < FETCH_AHEAD) {
      this.running++;
      return;
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.running--;
  }

  /** Wait for every fetch and remove their scratch directories. */
  async cleanup(): Promise<void> {
    for (const p of this.started.values()) {
      const f = await p.catch(() => undefined);
      if (f) await rm(f.tmp, { recursive: true, force: true });
    }
  }
}

/** Extract a fetched role into dest (replacing a role there only with force); returns its meta/main.yml. */
async function place(r: RoleReq, f: Fetched, dest: string, o: InstallOptions): Promise<unknown> {
  o.out(`- extracting ${r.name} to ${dest}`);
  if (await exists(dest)) {
    if (!(await stat(dest)).isDirectory()) throw new InstallError('the specified roles path exists and is not a directory.');
    if (!o.force) throw new InstallError(`the specified role ${r.name} appears to already exist. Use --force to replace it.`);
    await removeRole(dest);
  }
  await writeRole(f.role, dest);
  writeInstallInfo(dest, r.version);
  o.out(`- ${shown(r)} was installed successfully`);
  return f.role.meta;
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
  const fetcher = new Prefetcher(o.lock);
  const force = o.force || o.forceWithDeps;
  for (const r of reqs) if (force || !readInstallInfo(path.join(o.rolesDir, r.name))) fetcher.get(r);
  let rc = 0;
  try {
    for (let i = 0; i < queue.length; i++) {
      const r = queue[i];
      const dest = path.join(o.rolesDir, r.name);
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
        if (r.src.includes('://') && !r.scm) o.out(`- downloading role from ${r.src}`);
        const fetched = await fetcher.get(r);
        meta = await place(r, fetched, dest, { ...o, force });
        resolved.push(fetched.locked);
      } catch (e) {
        if (!(e instanceof Error)) throw e;
        o.warn(`- ${r.name} was NOT installed successfully: ${errorText(e)}${where(r)} `);
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
    await fetcher.cleanup();
    if (o.lock && resolved.length) writeLock(o.lock.file, o.lock.entries, resolved, reqs.map((r) => r.name));
  }
  return rc;
}
