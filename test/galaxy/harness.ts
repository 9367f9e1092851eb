// Differential harness for `lvsplay galaxy install` against the real `ansible-galaxy` 2.14: the same
// requirements file in two scratch directories, one command each, then the installed trees compared
// (file list, contents, mode; .galaxy_install_info without its install_date), the exit codes and the
// output. ansible-galaxy runs under `unshare -n` (no network at all) when root: a requirement that
// would reach a Galaxy server fails there instead of contacting anything. Sources are local git
// repositories and archives made by gitRepo()/tarball().
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const CLI = resolve(dirname(fileURLToPath(import.meta.url)), '../../cli/lvsplay.js');
export const isRoot = process.getuid?.() === 0;

export function hasAnsibleGalaxy(): boolean {
  return spawnSync('ansible-galaxy', ['--version'], { encoding: 'utf8' }).status === 0;
}

export interface Ran {
  rc: number | null;
  out: string;
  err: string;
}

const GIT_ENV = { GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.invalid', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.invalid' };

export function git(cwd: string, ...args: string[]): string {
  const r = spawnSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, ...GIT_ENV } });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
  return r.stdout.trim();
}

export function writeTree(dir: string, files: Record<string, string>): void {
  for (const [p, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, p)), { recursive: true });
    writeFileSync(join(dir, p), text);
  }
}

/** A git repository (branch main) with one commit per element of `commits` (files written, then committed; `tag` tags it). */
export function gitRepo(root: string, name: string, commits: { files: Record<string, string>; tag?: string; branch?: string }[]): string {
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  git(dir, 'init', '-q', '-b', 'main');
  for (const c of commits) {
    if (c.branch) git(dir, 'checkout', '-q', '-B', c.branch);
    writeTree(dir, c.files);
    git(dir, 'add', '-A');
    git(dir, 'commit', '-q', '-m', `commit ${c.tag ?? ''}`);
    if (c.tag) git(dir, 'tag', c.tag);
  }
  git(dir, 'checkout', '-q', 'main');
  return dir;
}

/** A .tar.gz of `dir` (as `tar czf X -C parent name`). */
export function tarball(dir: string, out: string): string {
  const r = spawnSync('tar', ['czf', out, '-C', dirname(dir), '--exclude=.git', dir.split('/').pop()!], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return out;
}

const made: string[] = [];

export function scratch(prefix: string): string {
  const d = mkdtempSync(join(tmpdir(), `lvsplay-galaxy-${prefix}-`));
  made.push(d);
  return d;
}

/** Remove the scratch directories made so far (an after() hook of each test file). */
export function removeScratch(): void {
  for (const d of made.splice(0)) rmSync(d, { recursive: true, force: true });
}

export function ansibleGalaxy(args: string[], cwd: string, env: Record<string, string> = {}): Ran {
  const cmd = isRoot ? ['unshare', '-n', 'ansible-galaxy', ...args] : ['ansible-galaxy', ...args];
  const r = spawnSync(cmd[0], cmd.slice(1), { cwd, encoding: 'utf8', env: { ...process.env, ANSIBLE_NOCOLOR: '1', ...env } });
  return { rc: r.status, out: r.stdout, err: r.stderr };
}

/** `lvsplay galaxy ARGS`. */
export function lvsplay(args: string[], cwd: string, env: Record<string, string> = {}): Ran {
  const r = spawnSync(process.execPath, [CLI, 'galaxy', ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', ...env } });
  return { rc: r.status, out: r.stdout, err: r.stderr };
}

/** Every file and symlink under dir: relative path -> mode, content (install_date lines dropped). */
export function tree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  if (!existsSync(dir)) return out;
  const walk = (rel: string) => {
    for (const name of readdirSync(join(dir, rel)).sort()) {
      const r = rel ? `${rel}/${name}` : name;
      const st = lstatSync(join(dir, r));
      if (st.isDirectory()) walk(r);
      else if (st.isSymbolicLink()) out[r] = `link -> ${readlinkSync(join(dir, r))}`;
      else {
        const text = readFileSync(join(dir, r), 'utf8');
        out[r] = `${(st.mode & 0o777).toString(8)} ${name === '.galaxy_install_info' ? text.replace(/^install_date: .*\n/m, '') : text}`;
      }
    }
  };
  walk('');
  return out;
}

export interface Both {
  ansible: Ran;
  lvsplay: Ran;
  /** The scratch dirs (cwd of each command). */
  dirs: { ansible: string; lvsplay: string };
}

/** Write `files` into two scratch dirs and run `args` in each (ansible-galaxy there, lvsplay here). */
export function both(files: Record<string, string>, args: string[], env: Record<string, string> = {}): Both {
  const dirs = { ansible: scratch('a'), lvsplay: scratch('l') };
  writeTree(dirs.ansible, files);
  writeTree(dirs.lvsplay, files);
  return again({ dirs } as Both, args, env);
}

/** Run `args` again in the same two dirs. */
export function again(b: Pick<Both, 'dirs'>, args: string[], env: Record<string, string> = {}): Both {
  return { dirs: b.dirs, ansible: ansibleGalaxy(args, b.dirs.ansible, env), lvsplay: lvsplay(args, b.dirs.lvsplay, env) };
}

/** Output with the scratch dir replaced by DIR, ansible-galaxy's line wrapping of warnings undone, tmp dirs masked. */
function norm(s: string, dir: string): string {
  return s
    .split(dir)
    .join('DIR')
    .replace(/\n(?!\[WARNING\]|ERROR!|- |Starting|Skipping|#)/g, ' ')
    .replace(/ +/g, ' ')
    .trim();
}

/** Same exit code, same installed tree under `sub` of each dir, and (unless told) the same stdout. */
export function assertSame(b: Both, opts: { sub?: string; stdout?: boolean; stderr?: boolean } = {}): void {
  const ctx = `\n--- ansible-galaxy:\n${b.ansible.out}${b.ansible.err}\n--- lvsplay:\n${b.lvsplay.out}${b.lvsplay.err}`;
  assert.equal(b.lvsplay.rc, b.ansible.rc, `exit codes differ${ctx}`);
  const sub = opts.sub ?? 'roles';
  assert.deepEqual(tree(join(b.dirs.lvsplay, sub)), tree(join(b.dirs.ansible, sub)), `installed trees differ${ctx}`);
  if (opts.stdout !== false) assert.equal(norm(b.lvsplay.out, b.dirs.lvsplay), norm(b.ansible.out, b.dirs.ansible), `stdout differs${ctx}`);
  if (opts.stderr) assert.equal(norm(b.lvsplay.err, b.dirs.lvsplay), norm(b.ansible.err, b.dirs.ansible), `stderr differs${ctx}`);
}
