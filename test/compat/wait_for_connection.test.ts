// wait_for_connection: differential against ansible-playbook 2.14 with connection: local (elapsed,
// delay, counts; skipped in check mode), and, on a namespace lab host (lab "h-arc"; needs root and
// the lab rootfs), a connection killed by the previous task is opened again (lvsplay only: lab
// hosts have no python, so ansible cannot target them).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { assertSame, differential, skipWithoutAnsible } from './harness.js';
import { skipWithoutLab, useLab, type TestLab } from '../helpers/lab.js';

describe('compat: wait_for_connection (differential against ansible-playbook)', function () {
  this.timeout(180_000);
  before(function () {
    skipWithoutAnsible(this);
  });

  it('answers at once, after delay, with elapsed seconds; skipped in check mode', async () => {
    const d = await differential(
      `
- hosts: all
  gather_facts: false
  tasks:
    - {name: now, wait_for_connection: {}, register: r}
    - {name: delayed, ansible.builtin.wait_for_connection: {delay: 2, sleep: 1, timeout: 20, connect_timeout: 3}, register: r}
`,
      { runs: 2, runArgs: (i) => (i === 0 ? ['--check'] : []) },
    );
    const f = ['changed', 'failed', 'skipped', 'elapsed', 'msg'];
    assertSame(d, { now: f, delayed: f });
  });
});

describe('wait_for_connection on a lab host whose connection was killed (lab "h-arc"; needs root)', function () {
  this.timeout(600_000);
  let lab: TestLab | undefined;
  before(async function () {
    skipWithoutLab(this);
    this.timeout(900_000);
    lab = await useLab('h-arc', { hosts: 1 });
  });
  after(async function () {
    this.timeout(300_000);
    await lab?.down();
  });

  it('opens the connection again and runs the next tasks', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lvsplay-wfc-'));
    try {
      writeFileSync(
        join(dir, 'p.yml'),
        `- hosts: all
  gather_facts: false
  tasks:
    - {name: kill the ssh session, shell: "nohup sh -c 'sleep 1; pkill -KILL -f \\"sshd: root@\\"' >/dev/null 2>&1 &"}
    - {name: wait, wait_for: {timeout: 3}, delegate_to: localhost, connection: local, ignore_errors: true}
    - {name: back, wait_for_connection: {sleep: 1, timeout: 60}, register: r}
    - {name: after, command: echo alive, register: a}
    - {debug: {msg: "elapsed={{ r.elapsed }} {{ a.stdout }}"}}
`,
      );
      const cli = fileURLToPath(new URL('../../cli/lvsplay.js', import.meta.url));
      const r = spawnSync(process.execPath, [cli, '-i', lab!.inventory, 'p.yml'], { cwd: dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', LVSPLAY_LAB_DIR: lab!.dir }, timeout: 300_000 });
      const out = r.stdout + r.stderr;
      assert.equal(r.status, 0, out);
      assert.match(out, /elapsed=\d+ alive/, out);
      assert.match(out, /unreachable=0/, out);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
