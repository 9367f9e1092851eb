// One run changes a host at a time (src/run/hostlock.ts), with local connections to an inventory
// host of this test's own name: a second run that wants to change the host while the first one
// does waits, says who holds the lock, and fails that host with the holder's pid and playbook when
// the wait runs out; it goes on at once when the first run ends; runs that change nothing are not
// held up; changes on the controller itself (localhost) are not locked; a run killed with SIGKILL
// leaves no lock behind.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { lvsplay, lvsplayAsync, tmpDir, writeFiles } from './helpers.js';
import { unwrapped } from '../helpers/warnings.js';

const INV = 'lockhost-t1 ansible_connection=local\n';

const started = async (run: ReturnType<typeof lvsplayAsync>): Promise<void> => {
  const deadline = Date.now() + 30000;
  while (!/TASK \[hold\]/.test(run.output())) {
    if (Date.now() > deadline) throw new Error(`the first run never started its task:\n${run.output()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  await new Promise((r) => setTimeout(r, 500)); // its lock is taken just before the change
};

describe('trust: one run changes a host at a time (per-host lock)', function () {
  this.timeout(120000);
  let dir: string;
  before(() => {
    dir = tmpDir('lvsplay-hostlock-');
    writeFiles(dir, {
      'inv.ini': INV,
      'hold.yml': `- hosts: all
  gather_facts: false
  tasks:
    - name: hold
      command: "sleep {{ secs | default(4) }}"
`,
      'touch.yml': `- hosts: all
  gather_facts: false
  tasks:
    - name: change
      copy: { content: "{{ 999999 | random }}\\n", dest: "${dir}/changed" }
    - name: read only
      stat: { path: /etc/hostname }
`,
    });
  });

  it('a second run waits, names the holder, and fails the host when the wait runs out', async () => {
    const first = lvsplayAsync(['-i', join(dir, 'inv.ini'), join(dir, 'hold.yml')], dir);
    await started(first);
    const second = lvsplay(['-i', join(dir, 'inv.ini'), join(dir, 'touch.yml')], dir, { LVSPLAY_LOCK_WAIT: '1' });
    assert.equal(second.rc, 2, second.out + second.err);
    assert.match(unwrapped(second.err), /lockhost-t1: another lvsplay run is changing this host \(\S+ pid \d+, .*hold\.yml, since /);
    assert.match(second.out, new RegExp(`another lvsplay run is changing lockhost-t1 \\([^)]*pid ${first.child.pid}, [^)]*hold\\.yml, since [^)]*\\): waited 1 s for its lock`));
    assert.equal((await first.done).rc, 0, first.output());
  });

  it('a second run that may wait long enough goes on once the first one ends', async () => {
    const first = lvsplayAsync(['-i', join(dir, 'inv.ini'), '-e', 'secs=2', join(dir, 'hold.yml')], dir);
    await started(first);
    const second = lvsplay(['-i', join(dir, 'inv.ini'), join(dir, 'touch.yml')], dir, { LVSPLAY_LOCK_WAIT: '30' });
    assert.equal(second.rc, 0, second.out + second.err);
    assert.match(unwrapped(second.err), /waiting up to 30 s for its lock/);
    assert.equal((await first.done).rc, 0);
  });

  it('a run that changes nothing (--check) is not held up', async () => {
    const first = lvsplayAsync(['-i', join(dir, 'inv.ini'), join(dir, 'hold.yml')], dir);
    await started(first);
    const t0 = Date.now();
    const check = lvsplay(['-i', join(dir, 'inv.ini'), '--check', join(dir, 'touch.yml')], dir, { LVSPLAY_LOCK_WAIT: '30' });
    assert.equal(check.rc, 0, check.out + check.err);
    assert.doesNotMatch(unwrapped(check.err), /waiting/);
    assert.ok(Date.now() - t0 < 30000);
    await first.done;
  });

  it('changes on the controller itself (localhost) are not locked: parallel runs both go on', async () => {
    const first = lvsplayAsync(['-i', 'localhost,', '-c', 'local', '-e', 'secs=3', join(dir, 'hold.yml')], dir);
    await started(first);
    const second = lvsplay(['-i', 'localhost,', '-c', 'local', join(dir, 'touch.yml')], dir, { LVSPLAY_LOCK_WAIT: '0' });
    assert.equal(second.rc, 0, second.out + second.err);
    assert.doesNotMatch(unwrapped(second.err), /another lvsplay run/);
    assert.equal((await first.done).rc, 0);
  });

  it('a run killed with SIGKILL leaves no lock behind', async () => {
    const first = lvsplayAsync(['-i', join(dir, 'inv.ini'), '-e', 'secs=29.17', join(dir, 'hold.yml')], dir);
    await started(first);
    first.child.kill('SIGKILL');
    await first.done;
    spawnSync('pkill', ['-f', 'sleep 29.17']); // the killed run's own command (its process group outlives it)
    const next = lvsplay(['-i', join(dir, 'inv.ini'), join(dir, 'touch.yml')], dir, { LVSPLAY_LOCK_WAIT: '5' });
    assert.equal(next.rc, 0, next.out + next.err);
  });
});
