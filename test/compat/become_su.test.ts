// become_method su, differential: both tools run as an unprivileged temporary user with
// `connection: local` and su to a second temporary user with its password (lvsplay over SSH: see
// test/connection/become-su.test.ts). Ansible needs a way to hand its module files to the other
// user; without setfacl on this machine that is its world-readable temp-file setting.
import assert from 'node:assert/strict';
import { chmodSync, chownSync } from 'node:fs';
import { execFileSync, spawnSync } from 'node:child_process';
import { dirname } from 'node:path';
import { assertSame, differential, skipWithoutAnsible } from './harness.js';

const LOGIN = 'lvsplaycsu1';
const TARGET = 'lvsplaycsu2';
const TARGET_PW = 'Csu-target_pw9';

function uid(u: string): number {
  return Number(execFileSync('id', ['-u', u], { encoding: 'utf8' }).trim());
}

/** Run the tool as LOGIN; the scratch dir is LOGIN's to read, `work` is TARGET's to write. */
function asLogin(work: string): string[] {
  chmodSync(dirname(work), 0o755);
  chownSync(work, uid(TARGET), uid(TARGET));
  return ['setpriv', `--reuid=${LOGIN}`, `--regid=${LOGIN}`, '--init-groups', 'env', `HOME=/home/${LOGIN}`, `LVSPLAY_STATE_DIR=/home/${LOGIN}/.state`];
}

const env = { ANSIBLE_SHELL_ALLOW_WORLD_READABLE_TEMP: '1' };
const play = (extra: string) => `
- hosts: localhost
  gather_facts: false
  become: true
  become_method: su
  become_user: ${TARGET}
  tasks:
    - {name: who, command: id -un, register: r${extra}}
    - {name: write, copy: {content: "made by {{ r.stdout }}\\n", dest: "{{ work }}/by-su.txt", mode: "0640"}${extra}}
    - {name: stat, stat: {path: "{{ work }}/by-su.txt"}, register: s${extra}}
    - {name: owner, debug: {msg: "{{ s.stat.pw_name | default('none') }} {{ s.stat.mode | default('none') }}"}}
`;

describe('compat: become_method su (differential, two temporary users, connection: local)', function () {
  this.timeout(120_000);

  before(function () {
    skipWithoutAnsible(this);
    if (process.getuid?.() !== 0) {
      console.log('    skipping: needs root (creates temporary users)');
      this.skip();
    }
    for (const u of [LOGIN, TARGET]) {
      spawnSync('userdel', ['-r', u], { stdio: 'ignore' });
      execFileSync('useradd', ['-m', '-s', '/bin/sh', u]);
    }
    execFileSync('chpasswd', { input: `${TARGET}:${TARGET_PW}\n` });
  });

  after(() => {
    for (const u of [LOGIN, TARGET]) spawnSync('userdel', ['-r', u], { stdio: 'ignore' });
  });

  it('runs the tasks as the su target user: same results, owner, counts over two runs and the same files', async () => {
    const d = await differential(play(''), { prefix: asLogin, env, sequential: true, args: ['-e', `ansible_become_password=${TARGET_PW}`] });
    assertSame(d, { who: ['stdout', 'rc', 'changed', 'failed'], write: ['changed', 'mode', 'failed'], owner: ['msg'] });
    assert.equal(d.lvsplay.runs[0].tasks.get('who')?.stdout, TARGET);
    assert.equal(d.lvsplay.runs[1].tasks.get('owner')?.msg, `${TARGET} 0640`);
  });

  it('a wrong password and a missing one fail the task as in Ansible (exit code, counts, nothing changed, no file)', async () => {
    const pb = play(', ignore_errors: true');
    for (const args of [['-e', 'ansible_become_password=not-the-password'], []]) {
      const d = await differential(pb, { prefix: asLogin, env, sequential: true, runs: 1, args });
      assertSame(d, { who: ['changed', 'failed'], write: ['changed', 'failed'], owner: ['msg'] });
      const msg = String(d.lvsplay.runs[0].tasks.get('who')?.msg);
      assert.match(msg, args.length ? /incorrect su password/ : /asks for a password/);
      assert.ok(!d.lvsplay.runs[0].output.includes('not-the-password'), 'the password is not shown');
    }
  });

  it('--become-method su on the command line (no keyword in the play) does the same', async () => {
    const pb = play('').replace('  become_method: su\n', '');
    const d = await differential(pb, { prefix: asLogin, env, sequential: true, runs: 1, args: ['--become-method', 'su', '-e', `ansible_become_password=${TARGET_PW}`] });
    assertSame(d, { who: ['stdout', 'changed'], owner: ['msg'] });
    assert.equal(d.lvsplay.runs[0].tasks.get('who')?.stdout, TARGET);
  });
});
