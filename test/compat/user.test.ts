// user: creating (uid, groups, comment, shell, password hash, system, no home), changing (append
// groups, move home, lock, expiry, password ages), removing real local users on this machine
// (needs root; the tools run one after the other, each run ends by removing the users), compared
// with ansible-playbook 2.14: results and counts over two runs, and check mode.
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import assert from 'node:assert/strict';
import { assertSame, differential, skipUnlessRoot, skipWithoutAnsible } from './harness.js';

const NAMES = ['lvsplaycmpu1', 'lvsplaycmpu2', 'lvsplaycmpu3'];
const HASH = `$6$lvsplay$${'a'.repeat(86)}`;
const cleanup = (): void => {
  for (const n of NAMES) {
    for (const [cmd, args] of [['userdel', ['-r', n]], ['groupdel', [n]]] as const) {
      try {
        execFileSync(cmd, args, { stdio: 'ignore' });
      } catch {
        // not there
      }
    }
    for (const d of [`/home/${n}`, `/home/${n}x`]) rmSync(d, { recursive: true, force: true });
  }
};

describe('compat: user (differential against ansible-playbook; root)', function () {
  this.timeout(240_000);
  before(async function () {
    await skipWithoutAnsible(this);
    skipUnlessRoot(this, 'the user test creates local users and needs root');
    cleanup();
  });
  after(cleanup);

  const [u1, u2] = NAMES;
  const pb = `
- hosts: all
  gather_facts: false
  tasks:
    - {name: add, user: {name: ${u1}, uid: 64881, shell: /bin/sh, comment: Test U, groups: [adm], password: '${HASH}'}, register: r}
    - {name: again, ansible.builtin.user: {name: ${u1}, uid: 64881, shell: /bin/sh, comment: Test U, groups: adm, password: '${HASH}'}, register: r}
    - {name: append, user: {name: ${u1}, groups: [audio], append: true, shell: /bin/bash}, register: r}
    - {name: move, user: {name: ${u1}, home: /home/${u1}x, move_home: true}, register: r}
    - {name: exact, user: {name: ${u1}, groups: [video]}, register: r}
    - {name: nogroups, user: {name: ${u1}, groups: []}, register: r}
    - {name: expire, user: {name: ${u1}, expires: 1893456000, password_expire_max: 90, password_expire_min: 1}, register: r}
    - {name: sys, user: {user: ${u2}, system: true, create_home: false, group: users}, register: r}
    - {name: lock, user: {name: ${u2}, password_lock: true, create_home: false}, register: r}
    - {name: home-missing, user: {name: ${u2}}, register: r}
    - {name: dup-uid, user: {name: lvsplaycmpu3, uid: 0}, register: r, ignore_errors: true}
    - {name: bad-group, user: {name: ${u2}, groups: [lvsplaynosuchgroup]}, register: r, ignore_errors: true}
    - {name: rm, user: {name: ${u1}, state: absent, remove: true}, register: r}
    - {name: rm2, user: {name: ${u2}, state: absent, remove: true}, register: r}
    - {name: rm-missing, user: {name: ${u2}, state: absent}, register: r}
`;
  const f = ['changed', 'failed', 'name', 'state', 'uid', 'group', 'groups', 'shell', 'home', 'comment', 'system', 'create_home', 'append', 'move_home', 'password', 'force', 'remove', 'msg'];
  const all = Object.fromEntries(['add', 'again', 'append', 'move', 'exact', 'nogroups', 'expire', 'sys', 'lock', 'home-missing', 'dup-uid', 'bad-group', 'rm', 'rm2', 'rm-missing'].map((t) => [t, f]));

  it('manages users like Ansible, idempotently (second run changes nothing that was not removed)', async () => {
    const d = await differential(pb, { sequential: true, setup: cleanup });
    assertSame(d, { ...all, sys: f.filter((k) => k !== 'uid' && k !== 'group'), lock: f.filter((k) => k !== 'uid') });
  });

  const converge = `
- hosts: all
  gather_facts: false
  tasks:
    - {name: one, user: {name: ${u1}, uid: 64882, groups: [adm, audio], shell: /bin/bash, comment: 'One,,,', password: '${HASH}', password_lock: true, expires: 1893456000}, register: r}
    - {name: two, user: {name: ${u2}, system: true, create_home: false, group: users, home: /nonexistent}, register: r}
    - {name: stderr, user: {name: ${u1}, uid: 64882}, register: r}
`;
  it('converges: the second run changes nothing (changed=0), the hash never printed', async () => {
    const d = await differential(converge, { sequential: true, setup: cleanup, args: ['--diff', '-v'] });
    assertSame(d, { one: [...f, 'stderr'], two: f.filter((k) => k !== 'uid' && k !== 'group'), stderr: [...f, 'stderr'] });
    assert.equal(d.lvsplay.runs[1].counts.changed, 0);
    for (const r of d.lvsplay.runs) assert.ok(!r.output.includes(HASH.slice(10)), 'the password hash is printed');
    cleanup();
  });

  const keys = `
- hosts: all
  gather_facts: false
  tasks:
    - {name: key-new, user: {name: ${u1}, generate_ssh_key: true}, register: k1}
    - {name: key-again, user: {name: ${u1}, generate_ssh_key: true}, register: k2}
    - {name: key-ed, user: {name: ${u1}, generate_ssh_key: true, ssh_key_type: ed25519, ssh_key_file: .ssh/other, ssh_key_comment: mine}, register: k3}
    - {name: key-force, user: {name: ${u1}, generate_ssh_key: true, ssh_key_type: ed25519, ssh_key_file: .ssh/other, ssh_key_comment: mine, force: true}, register: k4}
    - {name: key-abs, user: {name: ${u1}, generate_ssh_key: true, ssh_key_type: ed25519, ssh_key_file: "{{ work }}/keys/id"}, register: k5}
    - {name: key-nohome, user: {name: ${u2}, create_home: false, home: /nonexistent-lvsplay, generate_ssh_key: true}, register: k6, ignore_errors: true}
    - {name: files, stat: {path: "/home/${u1}/.ssh"}, register: sdir}
    - {name: keyfile, stat: {path: "/home/${u1}/.ssh/other"}, register: skey}
    - {name: abs, stat: {path: "{{ work }}/keys/id.pub"}, register: sabs}
    - name: shapes
      debug:
        msg: >-
          {{ [k1.ssh_fingerprint is match('^3072 SHA256:\\S+ ansible-generated on \\S+ \\(RSA\\)$'), k1.ssh_public_key is match('^ssh-rsa \\S+ ansible-generated on '),
              k2.ssh_fingerprint == k1.ssh_fingerprint, k2.ssh_public_key == k1.ssh_public_key,
              k3.ssh_fingerprint is match('^256 SHA256:\\S+ mine \\(ED25519\\)$'), k4.ssh_public_key != k3.ssh_public_key,
              sdir.stat.mode, sdir.stat.pw_name, skey.stat.mode, skey.stat.pw_name, sabs.stat.mode, sabs.stat.pw_name] }}
`;
  it('generate_ssh_key: a new key, kept on the second run, another type and file, force, an absolute path, no home (ssh-keygen; fingerprints compared by shape)', async () => {
    const d = await differential(keys, { sequential: true, setup: cleanup });
    const kf = ['changed', 'failed', 'msg', 'ssh_key_file', 'name', 'state'];
    // the keys themselves are random: their files are compared by mode and owner (shapes), not content
    assertSame(d, { ...Object.fromEntries(['key-new', 'key-again', 'key-ed', 'key-force', 'key-abs', 'key-nohome'].map((t) => [t, kf])), shapes: ['msg'] }, { files: false });
    cleanup();
  });

  it('check mode changes nothing', async () => {
    cleanup();
    assertSame(await differential(pb, { sequential: true, runs: 1, args: ['--check'] }), all);
  });
});
