// `lvsplay galaxy install` against the real `ansible-galaxy install` 2.14: same requirements, two
// scratch dirs, the installed roles compared file by file (and exit codes, and stdout). Sources are
// local git repositories (git+file://, scm: git) and local archives only.
import { strict as assert } from 'node:assert';
import { chmodSync, existsSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { again, assertSame, both, git, gitRepo, hasAnsibleGalaxy, scratch, removeScratch, tarball } from './harness.js';

const META = 'galaxy_info:\n  author: t\n  license: MIT\ndependencies: []\n';

describe('galaxy install (differential against ansible-galaxy 2.14)', function () {
  this.timeout(60_000);
  after(removeScratch);
  let src: string;
  let web: string;
  let app: string;
  let tgz: string;
  let v2: string;

  before(function () {
    if (!hasAnsibleGalaxy()) {
      console.log('    SKIP: ansible-galaxy is not installed');
      this.skip();
    }
    src = scratch('src');
    web = gitRepo(src, 'web', [
      { files: { 'tasks/main.yml': '- debug: msg=v1\n', 'meta/main.yml': META, 'files/run.sh': '#!/bin/sh\necho v1\n', 'README.md': 'web\n' }, tag: 'v1' },
      { files: { 'tasks/main.yml': '- debug: msg=v2\n' } },
      { files: { 'tasks/main.yml': '- debug: msg=dev\n' }, branch: 'dev' },
    ]);
    // an executable file and a symlink inside the role, in a later commit on main
    chmodSync(join(web, 'files/run.sh'), 0o755);
    symlinkSync('../files/run.sh', join(web, 'tasks/run-link.sh'));
    git(web, 'add', '-A');
    git(web, 'commit', '-q', '-m', 'exec + link');
    v2 = git(web, 'rev-parse', 'HEAD~1');
    app = gitRepo(src, 'app', [
      {
        files: {
          'tasks/main.yml': '- debug: msg=app\n',
          'meta/main.yml': `galaxy_info:\n  author: t\ndependencies:\n  - src: git+file://${web}\n    version: v1\n    name: webdep\n  - common\n  - role: other\n`,
        },
      },
    ]);
    tgz = tarball(web, join(src, 'web.tar.gz'));
  });

  it('list form: git+file with a tag, file:// with scm git and a name, a tarball path, a file:// tarball; then idempotent, then --force', () => {
    const req = `- src: git+file://${web}\n  version: v1\n- src: file://${web}\n  scm: git\n  name: web_head\n- src: ${tgz}\n  name: web_tar\n- src: file://${tgz}\n  name: web_tar_url\n`;
    const b = both({ 'requirements.yml': req }, ['install', '-r', 'requirements.yml', '-p', 'roles']);
    assertSame(b);
    assert.match(b.lvsplay.out, /- web \(v1\) was installed successfully/);
    const second = again(b, ['install', '-r', 'requirements.yml', '-p', 'roles']);
    assertSame(second);
    assert.match(second.lvsplay.out, /- web \(v1\) is already installed, skipping\./);
    assertSame(again(b, ['install', '-r', 'requirements.yml', '-p', 'roles', '--force']));
  });

  it('roles:/collections: form with a branch, a commit and names; installs into a -p that does not exist yet', () => {
    const req = `roles:\n  - name: web_dev\n    src: git+file://${web}\n    version: dev\n  - name: web_commit\n    src: git+file://${web}\n    version: ${v2}\ncollections: []\n`;
    assertSame(both({ 'requirements.yml': req }, ['install', '-r', 'requirements.yml', '-p', 'deep/er/roles']), { sub: 'deep' });
  });

  it('string entries SRC,VERSION,NAME and command-line arguments', () => {
    const b = both({ 'requirements.yml': `- git+file://${web},v1,pinned\n- git+file://${web}\n` }, ['install', '-r', 'requirements.yml', '-p', 'roles']);
    assertSame(b);
    assertSame(again(b, ['install', `git+file://${web},dev,from_arg`, '-p', 'roles']));
    assertSame(again(b, ['install', `git+file://${web},dev,from_arg`, '-p', 'roles']));
  });

  it('include: of another requirements file (relative to the working directory), with `role install`', () => {
    const files = { 'requirements.yml': `- src: git+file://${web}\n  version: v1\n- include: more/extra.yml\n`, 'more/extra.yml': `- src: git+file://${web}\n  version: dev\n  name: web_dev\n` };
    const b = both(files, ['role', 'install', '-r', 'requirements.yml', '-p', 'roles']);
    assertSame(b);
    assert.match(b.lvsplay.out, /web_dev \(dev\) was installed successfully/);
  });

  it('a changed version warns and keeps the installed role; --force changes it', () => {
    const b = both({ 'requirements.yml': `- src: git+file://${web}\n  version: v1\n` }, ['install', '-r', 'requirements.yml', '-p', 'roles']);
    assertSame(b);
    for (const d of Object.values(b.dirs)) writeFileSync(join(d, 'requirements.yml'), `- src: git+file://${web}\n  version: dev\n`);
    const warned = again(b, ['install', '-r', 'requirements.yml', '-p', 'roles']);
    assertSame(warned, { stderr: true });
    assert.match(warned.lvsplay.err, /web \(v1\) is already installed - use --force to change version to dev/);
    assertSame(again(b, ['install', '-r', 'requirements.yml', '-p', 'roles', '--force']));
  });

  it("installs a role's meta/main.yml dependencies given by URL (plain names are left alone); --no-deps does not", () => {
    const req = `- src: git+file://${app}\n`;
    const b = both({ 'requirements.yml': req }, ['install', '-r', 'requirements.yml', '-p', 'roles']);
    assertSame(b);
    assert.match(b.lvsplay.out, /- adding dependency: webdep \(v1\)/);
    assertSame(again(b, ['install', '-r', 'requirements.yml', '-p', 'roles', '--force']));
    assertSame(both({ 'requirements.yml': req }, ['install', '-r', 'requirements.yml', '-p', 'roles', '--no-deps']));
    assertSame(again(b, ['install', '-r', 'requirements.yml', '-p', 'roles', '--force-with-deps']));
  });

  it("a dependency that is a Galaxy name: exit 1 after the role itself is installed (lvsplay does not fetch it)", () => {
    const needsGalaxy = gitRepo(scratch('src'), 'needs', [
      { files: { 'tasks/main.yml': '- debug: msg=x\n', 'meta/main.yml': 'galaxy_info:\n  author: t\ndependencies:\n  - src: someone.something\n' } },
    ]);
    const b = both({ 'requirements.yml': `- src: git+file://${needsGalaxy}\n` }, ['install', '-r', 'requirements.yml', '-p', 'roles']);
    assertSame(b);
    assert.match(b.lvsplay.err, /someone\.something was NOT installed successfully: .*does not fetch roles from Galaxy servers/);
  });

  it('without -p: the first entry of ANSIBLE_ROLES_PATH, or of roles_path in ./ansible.cfg', () => {
    const req = { 'requirements.yml': `- src: git+file://${web}\n  version: v1\n` };
    const env = both(req, ['install', '-r', 'requirements.yml'], { ANSIBLE_ROLES_PATH: 'first/roles:second/roles' });
    assertSame(env, { sub: 'first' });
    assert.ok(!existsSync(join(env.dirs.lvsplay, 'second')));
    const cfg = { ...req, 'ansible.cfg': '[defaults]\nroles_path = cfgroles:other\n' };
    assertSame(both(cfg, ['install', '-r', 'requirements.yml']), { sub: 'cfgroles' });
  });

  it('a version git does not know: exit 1, nothing installed, the next roles not tried', () => {
    const req = `- src: git+file://${web}\n  version: nope\n- src: git+file://${web}\n  name: after\n`;
    const b = both({ 'requirements.yml': req }, ['install', '-r', 'requirements.yml', '-p', 'roles']);
    assertSame(b);
    assert.match(b.lvsplay.err, /web was NOT installed successfully: .*nope.* \(.*requirements\.yml:1:3\)/);
    assertSame(again(b, ['install', '-r', 'requirements.yml', '-p', 'roles', '--ignore-errors']));
  });

  it('an archive without meta/main.yml, and a role directory there that galaxy did not install: exit 1', () => {
    const bare = scratch('bare');
    writeFileSync(join(bare, 'x.yml'), 'x\n');
    const noMeta = tarball(bare, join(src, 'nometa.tar.gz'));
    assertSame(both({ 'requirements.yml': `- src: ${noMeta}\n  name: nometa\n` }, ['install', '-r', 'requirements.yml', '-p', 'roles']));
    const there = { 'requirements.yml': `- src: git+file://${web}\n`, 'roles/web/tasks/main.yml': '- debug: msg=mine\n' };
    assertSame(both(there, ['install', '-r', 'requirements.yml', '-p', 'roles']));
  });

  it('a Galaxy server name: exit 1 and nothing fetched (lvsplay refuses it at load, with file:line:col)', () => {
    const b = both({ 'requirements.yml': '---\n- src: geerlingguy.nginx\n' }, ['install', '-r', 'requirements.yml', '-p', 'roles']);
    assertSame(b, { stdout: false });
    assert.match(b.lvsplay.err, /requirements\.yml:2:3: role 'geerlingguy\.nginx': .*lvsplay does not fetch roles from Galaxy servers/);
    const dir = both({ 'requirements.yml': `- src: ${web}\n` }, ['install', '-r', 'requirements.yml', '-p', 'roles']);
    assertSame(dir, { stdout: false });
    assert.match(dir.lvsplay.err, /is a local directory.*git\+file:\/\//);
    const hg = both({ 'requirements.yml': `- src: hg+file://${web}\n` }, ['install', '-r', 'requirements.yml', '-p', 'roles']);
    assertSame(hg, { stdout: false });
    assert.match(hg.lvsplay.err, /scm hg is not supported by lvsplay/);
  });

  it('collections entries without -p: exit 1 (ansible-galaxy would fetch them from Galaxy; lvsplay refuses with file:line:col)', () => {
    const req = `roles:\n  - src: git+file://${web}\ncollections:\n  - community.general\n`;
    const b = both({ 'requirements.yml': req }, ['install', '-r', 'requirements.yml'], { ANSIBLE_ROLES_PATH: 'roles' });
    assert.equal(b.lvsplay.rc, 1);
    assert.equal(b.ansible.rc, 1);
    assert.match(b.lvsplay.err, /requirements\.yml:4:5: collections are not installed by lvsplay/);
  });

  it('differs from ansible-galaxy on purpose: collections entries with -p are refused (exit 1), where ansible-galaxy skips them with a warning (exit 0)', () => {
    const req = `roles:\n  - src: git+file://${web}\ncollections:\n  - community.general\n`;
    const b = both({ 'requirements.yml': req }, ['install', '-r', 'requirements.yml', '-p', 'roles']);
    assert.equal(b.ansible.rc, 0);
    assert.equal(b.lvsplay.rc, 1);
    assert.match(b.lvsplay.err, /collections are not installed by lvsplay/);
  });

  it('bad requirements files: missing, not .yml, unknown top key, YAML syntax, empty, empty list', () => {
    const cases: [Record<string, string>, string][] = [
      [{}, 'nonexistent.yml'],
      [{ 'req.txt': '- x\n' }, 'req.txt'],
      [{ 'r.yml': 'roles: []\nfoo: []\n' }, 'r.yml'],
      [{ 'r.yml': '- {src: [\n' }, 'r.yml'],
      [{ 'r.yml': '' }, 'r.yml'],
      [{ 'r.yml': '[]\n' }, 'r.yml'],
    ];
    for (const [files, file] of cases) assertSame(both(files, ['install', '-r', file, '-p', 'roles']), { stdout: false });
    const key = both({ 'r.yml': 'roles: []\nfoo: []\n' }, ['install', '-r', 'r.yml', '-p', 'roles']);
    assert.match(key.lvsplay.err, /r\.yml:2:1: Expecting only 'roles' and\/or 'collections'/);
    const syntax = both({ 'r.yml': '- {src: [\n' }, ['install', '-r', 'r.yml', '-p', 'roles']);
    assert.match(syntax.lvsplay.err, /r\.yml:\d+:\d+: Failed to parse the requirements yml/);
  });

  it('usage errors: no role and no file (5), an unknown flag (2)', () => {
    const d = both({}, ['install', '-p', 'roles']);
    assertSame(d, { stdout: false });
    assert.equal(d.lvsplay.rc, 5);
    const u = both({}, ['install', '--bogus']);
    assertSame(u, { stdout: false });
  });

  it('galaxy list shows the installed roles and their versions', () => {
    const b = both({ 'requirements.yml': `- src: git+file://${web}\n  version: v1\n- src: ${tgz}\n  name: web_tar\n` }, ['install', '-r', 'requirements.yml', '-p', 'roles']);
    assertSame(b);
    const l = again(b, ['list', '-p', 'roles']);
    assert.equal(l.lvsplay.rc, 0);
    // ansible-galaxy lists in directory order, lvsplay sorted: compare the sorted lines
    const lines = (s: string, dir: string) => s.split(dir).join('DIR').split('\n').sort();
    assert.deepEqual(lines(l.lvsplay.out, b.dirs.lvsplay), lines(l.ansible.out, b.dirs.ansible));
  });
});
