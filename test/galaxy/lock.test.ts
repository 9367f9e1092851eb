// The lock lvsplay writes beside a requirements file (requirements.lock.yml): the commit each git
// role resolved to and each archive's sha256; installs follow it while it is there. Also the
// default roles directory when neither -p nor roles_path is given (./roles; ansible-galaxy's would
// be ~/.ansible/roles, where lvsplay does not look for roles).
import { strict as assert } from 'node:assert';
import { existsSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { git, gitRepo, lvsplay, removeScratch, scratch, tarball, writeTree } from './harness.js';

const META = 'galaxy_info:\n  author: t\ndependencies: []\n';

describe('galaxy install: the lock of resolved commits', function () {
  this.timeout(60_000);
  after(removeScratch);

  it('records the commits, installs the locked commit after the branch moved, re-resolves without the lock or when the entry changed', () => {
    const src = scratch('src');
    const web = gitRepo(src, 'web', [{ files: { 'tasks/main.yml': '- debug: msg=one\n', 'meta/main.yml': META } }]);
    const first = git(web, 'rev-parse', 'HEAD');
    const d = scratch('l');
    writeTree(d, { 'requirements.yml': `- src: git+file://${web}\n  version: main\n` });
    const inst = (...extra: string[]) => lvsplay(['install', '-r', 'requirements.yml', ...extra], d);
    assert.equal(inst().rc, 0);
    const lock = parse(readFileSync(join(d, 'requirements.lock.yml'), 'utf8')) as { roles: { name: string; commit: string; version: string }[] };
    assert.deepEqual(lock.roles.map((r) => [r.name, r.version, r.commit]), [['web', 'main', first]]);
    // the branch moves on; a fresh install (roles dir gone) still gets the locked commit
    writeTree(web, { 'tasks/main.yml': '- debug: msg=two\n' });
    git(web, 'commit', '-q', '-am', 'two');
    rmSync(join(d, 'roles'), { recursive: true });
    const again = inst();
    assert.equal(again.rc, 0, again.err);
    assert.equal(readFileSync(join(d, 'roles/web/tasks/main.yml'), 'utf8'), '- debug: msg=one\n');
    // --force with the lock: still the locked commit
    assert.equal(inst('--force').rc, 0);
    assert.equal(readFileSync(join(d, 'roles/web/tasks/main.yml'), 'utf8'), '- debug: msg=one\n');
    // without the lock: the branch's newest commit, and a new lock
    unlinkSync(join(d, 'requirements.lock.yml'));
    assert.equal(inst('--force').rc, 0);
    assert.equal(readFileSync(join(d, 'roles/web/tasks/main.yml'), 'utf8'), '- debug: msg=two\n');
    assert.match(readFileSync(join(d, 'requirements.lock.yml'), 'utf8'), new RegExp(git(web, 'rev-parse', 'HEAD')));
    // a changed requirement (another version) is resolved again, its lock entry rewritten
    git(web, 'tag', 'v1', first);
    writeFileSync(join(d, 'requirements.yml'), `- src: git+file://${web}\n  version: v1\n`);
    assert.equal(inst('--force').rc, 0);
    assert.equal(readFileSync(join(d, 'roles/web/tasks/main.yml'), 'utf8'), '- debug: msg=one\n');
    const relock = parse(readFileSync(join(d, 'requirements.lock.yml'), 'utf8')) as { roles: { version: string; commit: string }[] };
    assert.deepEqual(relock.roles.map((r) => [r.version, r.commit]), [['v1', first]]);
  });

  it('refuses an archive whose sha256 changed since the lock was written', () => {
    const src = scratch('src');
    const roleDir = join(src, 'tarred');
    writeTree(roleDir, { 'tasks/main.yml': '- debug: msg=one\n', 'meta/main.yml': META });
    const tgz = tarball(roleDir, join(src, 'tarred.tar.gz'));
    const d = scratch('l');
    writeTree(d, { 'requirements.yml': `- src: ${tgz}\n  name: tarred\n` });
    assert.equal(lvsplay(['install', '-r', 'requirements.yml', '-p', 'roles'], d).rc, 0);
    writeTree(roleDir, { 'tasks/main.yml': '- debug: msg=two\n' });
    tarball(roleDir, tgz);
    const r = lvsplay(['install', '-r', 'requirements.yml', '-p', 'roles', '--force'], d);
    assert.equal(r.rc, 1);
    assert.match(r.err, /changed since .*requirements\.lock\.yml was written/);
    assert.ok(!existsSync(join(d, 'roles/tarred/tasks/main.yml')) || readFileSync(join(d, 'roles/tarred/tasks/main.yml'), 'utf8').includes('one'));
  });

  it('without -p or roles_path installs into ./roles (where lvsplay finds roles beside the playbook)', () => {
    const src = scratch('src');
    const web = gitRepo(src, 'web', [{ files: { 'tasks/main.yml': '- debug: msg=one\n', 'meta/main.yml': META } }]);
    const d = scratch('l');
    const r = lvsplay(['install', `git+file://${web}`], d, { ANSIBLE_ROLES_PATH: '', ANSIBLE_CONFIG: join(d, 'none.cfg'), HOME: d });
    assert.equal(r.rc, 0, r.err);
    assert.ok(existsSync(join(d, 'roles/web/meta/.galaxy_install_info')));
  });
});
