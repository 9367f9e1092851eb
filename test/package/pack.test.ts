// lvsplay as a package other repositories build on (issue 15), end to end: `npm pack` lvsplay; a
// roles package (one role, lvsplay as peer + dev dependency on the tarball) and a consumer project
// (the tarball + the roles package as a file: dependency), both `npm install`ed; a role installed
// from a local git repository with `npx lvsplay galaxy install -r requirements.yml`; then a
// playbook using a shipped role (lvs_real_server, without its web server), the package's role and
// the galaxy-installed role converges the namespace lab 'h-galaxy' twice — the second run changed=0.
// Also: a project that depends only on the roles package gets lvsplay as the peer (npm 11).
// Each step is one `it` over shared state, in order; a step that needs more files in the roles
// package adds them to ROLES_PACKAGE before the installs run.
// Skipped (saying why) without root or the lab rootfs, or when the npm registry is unreachable
// (lvsplay's own dependencies come from it; --prefer-offline takes them from the npm cache when there).
import { strict as assert } from 'node:assert';
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { packageRoot } from '../../src/paths.js';
import { labSkipReason, useLab, type TestLab } from '../helpers/lab.js';

function run(cmd: string, args: string[], cwd: string, timeout = 180_000): SpawnSyncReturns<string> {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', timeout, env: { ...process.env, NO_COLOR: '1', npm_config_update_notifier: 'false' } });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} (in ${cwd}) exited ${r.status}:\n${r.stdout}\n${r.stderr}`);
  return r;
}

const npmInstall = (cwd: string) => run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'], cwd);

function write(dir: string, files: Record<string, string>): void {
  for (const [p, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, p)), { recursive: true });
    writeFileSync(join(dir, p), text);
  }
}

const git = (cwd: string, ...args: string[]) => run('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.invalid', ...args], cwd);

/** The roles package: one role (and its package.json, written once the tarball's name is known). */
const ROLES_PACKAGE: Record<string, string> = {
  'roles/motd/defaults/main.yml': 'motd_text: "managed by lvsplay"\n',
  'roles/motd/tasks/main.yml': '- name: motd from the roles package\n  copy:\n    content: "{{ motd_text }} on {{ inventory_hostname }}\\n"\n    dest: /etc/motd.lvsplay-pack-test\n    mode: "0644"\n',
};

/** The role kept in a git repository, installed with galaxy install. */
const GIT_ROLE: Record<string, string> = {
  'meta/main.yml': 'galaxy_info:\n  author: t\n  license: MIT\ndependencies: []\n',
  'tasks/main.yml': '- name: greeting from the git role\n  template:\n    src: greet.j2\n    dest: /etc/greet.lvsplay-pack-test\n',
  'templates/greet.j2': 'hello from {{ inventory_hostname }}\n',
};

const PLAYBOOK = `- hosts: all
  gather_facts: false
  vars:
    lvs_web_manage: false
  roles:
    - lvs_real_server   # shipped with lvsplay (ARP sysctls + the VIP on lo)
    - motd              # node_modules/my-roles/roles/motd
    - greet             # roles/greet, from git by galaxy install
`;

describe('package: npm pack, a roles package and a consumer, galaxy install from git, converge the lab twice', function () {
  this.timeout(300_000);
  let work: string;
  let tgz: string;
  let lab: TestLab | undefined;
  const consumer = () => join(work, 'site');

  before(function () {
    const why = labSkipReason();
    if (why) {
      console.log(`    ${why}`);
      return this.skip();
    }
    const ping = spawnSync('npm', ['ping', '--loglevel=error'], { encoding: 'utf8', timeout: 30_000 });
    if (ping.status !== 0) {
      console.log('    SKIP: the npm registry is not reachable (the projects install lvsplay\'s dependencies from it)');
      return this.skip();
    }
    work = mkdtempSync(join(tmpdir(), 'lvsplay-pack-'));
  });

  after(async function () {
    await lab?.down();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('npm pack: docs/, LICENSE and what the README links; no test or bench files', () => {
    const out = run('npm', ['pack', '--ignore-scripts', '--pack-destination', work, '--json', '--loglevel=error'], packageRoot());
    const info = JSON.parse(out.stdout) as { filename: string; files: { path: string }[] }[];
    tgz = join(work, info[0].filename);
    const files = new Set(info[0].files.map((f) => f.path));
    for (const f of ['LICENSE', 'README.md', 'docs/modules.md', 'docs/roles.md', 'dist/cli/lvsplay.js', 'roles/lvs_real_server/tasks/main.yml']) assert.ok(files.has(f), `${f} is in the tarball`);
    const bad = [...files].filter((f) => /^(test|bench)\/|^dist\/(test|bench|scripts)\/|\.test\.js/.test(f));
    assert.deepEqual(bad, [], 'no test or bench files');
    // every relative link of README.md and docs/*.md points into the tarball
    const broken: string[] = [];
    for (const doc of [...files].filter((f) => f === 'README.md' || /^docs\/.*\.md$/.test(f))) {
      const text = readFileSync(join(packageRoot(), doc), 'utf8');
      for (const m of text.matchAll(/\]\(([^)#\s]+)(#[^)]*)?\)/g)) {
        if (/^[a-z]+:/.test(m[1])) continue;
        const target = resolve('/', dirname(doc), m[1]).slice(1);
        if (!files.has(target) && ![...files].some((f) => f.startsWith(`${target}/`))) broken.push(`${doc}: ${m[1]}`);
      }
    }
    assert.deepEqual(broken, [], 'links that the tarball does not contain');
    const license = readFileSync(join(packageRoot(), 'LICENSE'), 'utf8');
    assert.match(license, /^MIT License/);
    assert.match(license, /the lvsplay authors/);
  });

  it('a roles package (peer + dev dependency on the tarball) and a consumer install; npx lvsplay works from the consumer', () => {
    const roles = join(work, 'my-roles');
    write(roles, {
      ...ROLES_PACKAGE,
      'package.json': JSON.stringify({ name: 'my-roles', version: '1.0.0', files: ['roles'], peerDependencies: { lvsplay: '^0.1' }, devDependencies: { lvsplay: `file:${tgz}` } }, null, 2),
    });
    write(consumer(), {
      'package.json': JSON.stringify({ name: 'site', private: true, dependencies: { lvsplay: `file:${tgz}`, 'my-roles': 'file:../my-roles' } }, null, 2),
      'site.yml': PLAYBOOK,
    });
    npmInstall(roles);
    npmInstall(consumer());
    assert.equal(run('npx', ['lvsplay', '--version'], roles).stdout.trim(), 'lvsplay 0.1.0');
    assert.equal(run('npx', ['lvsplay', '--version'], consumer()).stdout.trim(), 'lvsplay 0.1.0');
  });

  it('a project that depends only on the roles package gets lvsplay as its peer dependency (mapped to the tarball with overrides)', () => {
    const packed = JSON.parse(run('npm', ['pack', '--pack-destination', work, '--json', '--loglevel=error'], join(work, 'my-roles')).stdout) as { filename: string }[];
    const only = join(work, 'only-roles');
    write(only, {
      'package.json': JSON.stringify({ name: 'only-roles', private: true, dependencies: { 'my-roles': `file:${join(work, packed[0].filename)}` }, overrides: { lvsplay: `file:${tgz}` } }, null, 2),
    });
    npmInstall(only);
    assert.ok(existsSync(join(only, 'node_modules/lvsplay/package.json')), 'the peer lvsplay is installed');
    assert.equal(run('npx', ['lvsplay', '--version'], only).stdout.trim(), 'lvsplay 0.1.0');
  });

  it('npx lvsplay galaxy install -r requirements.yml installs a role from a local git repository', () => {
    const repo = join(work, 'greet-role');
    write(repo, GIT_ROLE);
    git(repo, 'init', '-q', '-b', 'main');
    git(repo, 'add', '-A');
    git(repo, 'commit', '-q', '-m', 'greet');
    git(repo, 'tag', 'v1.0.0');
    write(consumer(), { 'requirements.yml': `roles:\n  - name: greet\n    src: git+file://${repo}\n    version: v1.0.0\n` });
    const r = run('npx', ['lvsplay', 'galaxy', 'install', '-r', 'requirements.yml'], consumer());
    assert.match(r.stdout, /- greet \(v1\.0\.0\) was installed successfully/);
    assert.ok(existsSync(join(consumer(), 'roles/greet/templates/greet.j2')));
    assert.match(readFileSync(join(consumer(), 'requirements.lock.yml'), 'utf8'), /commit: [0-9a-f]{40}/);
    const again = run('npx', ['lvsplay', 'galaxy', 'install', '-r', 'requirements.yml'], consumer());
    assert.match(again.stdout, /- greet \(v1\.0\.0\) is already installed, skipping\./);
  });

  it('converges the lab with the shipped role, the package role and the git role; the second run changes nothing', async () => {
    lab = await useLab('h-galaxy', { hosts: 2 });
    const converge = () => spawnSync('npx', ['lvsplay', '-i', lab!.inventory, 'site.yml'], { cwd: consumer(), encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    const first = converge();
    assert.equal(first.status, 0, first.stdout + first.stderr);
    for (const h of lab.hosts) assert.match(first.stdout, new RegExp(`${h.name}\\s+: ok=\\d+\\s+changed=[1-9]`), `first run changes ${h.name}`);
    assert.match(first.stdout, /motd from the roles package/);
    assert.match(first.stdout, /greeting from the git role/);
    const second = converge();
    assert.equal(second.status, 0, second.stdout + second.stderr);
    for (const h of lab.hosts) assert.match(second.stdout, new RegExp(`${h.name}\\s+: ok=\\d+\\s+changed=0\\s`), `second run: ${h.name} changed=0\n${second.stdout}`);
  });
});
