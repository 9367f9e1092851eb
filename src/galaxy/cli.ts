// `lvsplay galaxy [role] install|list`: ansible-galaxy's role commands for roles kept in git
// repositories and archives. Roles are installed into -p, else the first entry of roles_path
// (ansible.cfg / ANSIBLE_ROLES_PATH), else ./roles (ansible-galaxy's default would be
// ~/.ansible/roles, where lvsplay does not look for roles). Nothing is fetched from Galaxy servers.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import * as path from 'node:path';
import { Command, CommanderError } from 'commander';
import { ConfigError, EXIT, errorText } from '../errors.js';
import { loadAnsibleConfig } from '../config/load.js';
import { installRoles } from './install.js';
import { readInstallInfo } from './installinfo.js';
import { lockPathFor, readLock } from './lock.js';
import { parseRoleString, readRequirements, refusal, type RoleReq } from './requirements.js';

const out = (s: string) => process.stdout.write(`${s}\n`);
const warn = (s: string) => process.stderr.write(`[WARNING]: ${s}\n`);
const fail = (s: string, rc: number = EXIT.error) => (process.stderr.write(`ERROR! ${s}\n`), rc);
const collect = (v: string, prev: string[]) => [...prev, v];

interface Flags {
  roleFile?: string;
  rolesPath: string[];
  force?: boolean;
  forceWithDeps?: boolean;
  noDeps?: boolean;
  ignoreErrors?: boolean;
  keepScmMeta?: boolean;
}

/** The roles directories: -p (colon-separated, repeatable) first, then roles_path, else ./roles. */
function rolesDirs(given: string[]): string[] {
  const expand = (p: string) => path.resolve(p.replace(/^~(?=\/|$)/, homedir()));
  const dirs = given.flatMap((p) => p.split(':')).filter(Boolean).map(expand);
  const cfg = loadAnsibleConfig();
  for (const w of cfg.warnings) warn(w);
  const configured = cfg.values.get('DEFAULT_ROLES_PATH')?.value;
  if (Array.isArray(configured)) dirs.push(...configured.map(expand));
  return dirs.length ? dirs : [path.resolve('roles')];
}

function command(name: string): Command {
  return new Command(`lvsplay galaxy ${name}`)
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) })
    .option('-p, --roles-path <path>', 'the roles directory to install into (default: the first of roles_path, else ./roles)', collect, [] as string[]);
}

async function installMain(argv: string[]): Promise<number> {
  const p = command('install')
    .argument('[role...]', 'SRC[,VERSION[,NAME]] (git+URL or an archive); with -r: only these names')
    .option('-r, --role-file <file>', 'a requirements file (roles; collections are refused)')
    .option('-f, --force', 'reinstall roles that are installed')
    .option('--force-with-deps', 'reinstall roles and their dependencies')
    .option('-n, --no-deps', "do not install the roles' dependencies")
    .option('-i, --ignore-errors', 'go on with the next role after one failed')
    .option('-g, --keep-scm-meta', 'not supported by lvsplay');
  p.parse(argv.map((a) => (a === '--roles-file' ? '--role-file' : a)), { from: 'user' });
  const f = p.opts<Flags & { deps?: boolean }>();
  if (f.keepScmMeta) return fail('--keep-scm-meta is not supported by lvsplay galaxy install', EXIT.badOptions);
  const args = p.args;
  let reqs: RoleReq[];
  let lock: { file: string; entries: ReturnType<typeof readLock> } | undefined;
  if (f.roleFile) {
    const file = path.resolve(f.roleFile);
    const parsed = readRequirements(file);
    if (parsed.collections.length) {
      const at = parsed.collections[0];
      return fail(`${at.file}:${at.line}:${at.col}: collections are not installed by lvsplay (roles only; the modules it supports from ansible.posix and community.general are built in): remove the collections: entries, or install them with ansible-galaxy collection install -r`);
    }
    reqs = args.length ? parsed.roles.filter((r) => args.includes(r.name)) : parsed.roles;
    const lockFile = lockPathFor(file);
    lock = { file: lockFile, entries: readLock(lockFile) };
  } else {
    if (!args.length) return fail('- you must specify a user/role name or a roles file', EXIT.badOptions);
    reqs = args.map((a) => parseRoleString(a));
  }
  const refused = reqs.map((r) => [r, refusal(r)] as const).filter(([, why]) => why);
  if (refused.length) {
    for (const [r, why] of refused) process.stderr.write(`ERROR! ${r.pos ? `${r.pos.file}:${r.pos.line}:${r.pos.col}: ` : ''}${why}\n`);
    return EXIT.error;
  }
  if (!reqs.length) {
    out('Skipping install, no requirements found');
    return EXIT.ok;
  }
  out('Starting galaxy role install process');
  const rc = await installRoles(reqs, {
    rolesDir: rolesDirs(f.rolesPath)[0],
    force: !!f.force,
    forceWithDeps: !!f.forceWithDeps,
    noDeps: f.deps === false,
    ignoreErrors: !!f.ignoreErrors,
    lock,
    out,
    warn,
  });
  return rc ? fail('- you can use --ignore-errors to skip failed roles and finish processing the list.') : EXIT.ok;
}

async function listMain(argv: string[]): Promise<number> {
  const p = command('list').argument('[role]', 'only this role');
  p.parse(argv, { from: 'user' });
  const only = p.args[0];
  const warnings: string[] = [];
  let found = false;
  for (const dir of rolesDirs(p.opts<Flags>().rolesPath)) {
    if (!existsSync(dir) || !statSync(dir).isDirectory()) {
      warnings.push(`- the configured path ${dir} does not exist.`);
      continue;
    }
    const names = only ? [only] : readdirSync(dir).sort();
    const roles = names.filter((n) => ['main.yml', 'main.yaml'].some((m) => existsSync(path.join(dir, n, 'meta', m))));
    if (only && !roles.length) {
      warnings.push(`- the role ${only} was not found`);
      continue;
    }
    found = true;
    out(`# ${dir}`);
    for (const n of roles) {
      const v = readInstallInfo(path.join(dir, n))?.version;
      out(`- ${n}, ${v ? String(v) : '(unknown version)'}`);
    }
    if (only) return EXIT.ok;
  }
  for (const w of warnings) warn(w);
  return found ? EXIT.ok : fail('- None of the provided paths were usable. Please specify a valid path with --roles-path', EXIT.badOptions);
}

const USAGE = 'usage: lvsplay galaxy [role] install [-r requirements.yml] [-p roles/] [--force] [SRC[,VERSION[,NAME]] ...]\n       lvsplay galaxy [role] list [-p roles/] [ROLE]\n';

export async function galaxyMain(argv: string[]): Promise<number> {
  const [first, ...rest] = argv[0] === 'role' ? argv.slice(1) : argv;
  if (argv[0] === 'collection') return fail('lvsplay galaxy installs roles only: collections are not supported (the modules lvsplay supports from ansible.posix and community.general are built in)');
  try {
    if (first === 'install') return await installMain(rest);
    if (first === 'list') return await listMain(rest);
    if (first === '-h' || first === '--help') {
      process.stdout.write(USAGE);
      return EXIT.ok;
    }
    process.stderr.write(USAGE);
    return fail(first ? `unknown galaxy action '${first}' (install, list)` : 'an action is needed (install, list)', EXIT.usage);
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? EXIT.ok : EXIT.usage;
    if (e instanceof ConfigError) return fail(errorText(e));
    throw e;
  }
}
