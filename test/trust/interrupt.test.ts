// Interrupted runs lose no change and no handler (lab, over ssh; needs root): SIGINT while a
// validated write is in flight lets that change finish, records the handler it notified, prints
// the recap and exits 99; nothing changes on the host after lvsplay has exited; the next run says
// it picked the handler up, runs it after the task that notified it, and clears the record. SIGTERM (143) and SIGHUP (129) while a long
// change runs: after the grace it is abandoned (stopped on the host, src/connection/lifeline.ts;
// see abandon.test.ts), its handler is recorded anyway, the recap is printed, and the next run
// runs the handler after that change.
import { strict as assert } from 'node:assert';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { TestLab } from '../helpers/lab.js';
import { labExec, lvsplay, lvsplayAsync, tmpDir, writeFiles } from './helpers.js';
import { faultLabOrSkip } from './labfaults.js';
import { unwrapped } from '../helpers/warnings.js';

const until = async (what: string, cond: () => boolean, out: () => string, ms = 60000): Promise<void> => {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`${what} never happened:\n${out()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
};

describe('trust: interrupted runs keep their changes and handlers (lab)', function () {
  this.timeout(240000);
  let lab: TestLab;
  let dir: string;
  let state: string;
  const env = (): Record<string, string> => ({ LVSPLAY_STATE_DIR: state, LVSPLAY_INTERRUPT_GRACE: '20' });
  const records = (): { handler: string; host: string; why: string }[] => {
    const d = join(state, 'pending-handlers');
    if (!existsSync(d)) return [];
    return readdirSync(d).flatMap((f) => (JSON.parse(readFileSync(join(d, f), 'utf8')) as { records: { handler: string; host: string; why: string }[] }).records);
  };

  // every host seen running the long change (one at a time: with more hosts a round of probes can outlast it on the first)
  const longChangeSeen = () => {
    const seen = new Set<string>();
    return () => {
      for (const h of lab.hosts) if (!seen.has(h.name) && labExec(lab.dir, h.name, 'pgrep -f "slee[p] 4"').rc === 0) seen.add(h.name);
      return seen.size === lab.hosts.length;
    };
  };

  before(async function () {
    lab = await faultLabOrSkip(this, 'interrupt', 2);
    dir = tmpDir('lvsplay-interrupt-');
    state = join(dir, 'state');
    // a validation that takes 3 s (and says when it started)
    const slow = 'touch /root/intr/validating; sleep 3; grep -q version "$1"';
    for (const h of lab.hosts) labExec(lab.dir, h.name, `rm -rf /root/intr; mkdir -p /root/intr; cat > /root/intr/slowcheck`, `${slow}\n`);
    writeFiles(dir, {
      'site.yml': `- name: conf
  hosts: all
  gather_facts: false
  tasks:
    - name: slow validated write
      copy:
        content: "version {{ ver }}\\n"
        dest: /root/intr/app.conf
        validate: "/bin/sh /root/intr/slowcheck %s"
      notify: reload app
    - name: after
      command: "true"
  handlers:
    - name: reload app
      shell: echo "reloaded with $(cat /root/intr/app.conf)" >> /root/intr/reloads
`,
      'long.yml': `- hosts: all
  gather_facts: false
  tasks:
    - name: long change
      shell: "sleep 4; touch /root/intr/late"
      notify: after long
  handlers:
    - name: after long
      shell: echo ran >> /root/intr/after-long
`,
    });
  });
  after(async () => {
    await lab?.down();
  });

  it('SIGINT during a validated write: the write finishes, exit 99 with the recap, the handler is recorded, nothing changes afterwards', async () => {
    const run = lvsplayAsync(['-i', lab.inventory, '-e', 'ver=2', join(dir, 'site.yml')], dir, env());
    await until('the validation', () => lab.hosts.every((h) => labExec(lab.dir, h.name, 'test -e /root/intr/validating').rc === 0), run.output);
    run.child.kill('SIGINT');
    const r = await run.done;
    assert.equal(r.rc, 99, run.output());
    assert.match(unwrapped(r.err), /User interrupted execution/);
    assert.match(r.out, /PLAY RECAP/);
    assert.match(unwrapped(r.err), /handlers notified but not run are kept for the next run/);
    for (const h of lab.hosts) {
      assert.equal(labExec(lab.dir, h.name, 'cat /root/intr/app.conf').out, 'version 2\n', `${h.name}: the change in flight completed`);
      assert.equal(labExec(lab.dir, h.name, 'cat /root/intr/reloads 2>/dev/null || true').out, '', `${h.name}: the handler did not run`);
    }
    assert.deepEqual(records().map((x) => `${x.handler}@${x.host}/${x.why}`).sort(), lab.hosts.map((h) => `reload app@${h.name}/interrupted`).sort());
    const before = lab.hosts.map((h) => labExec(lab.dir, h.name, 'ls -la --time-style=full-iso /root/intr').out);
    await new Promise((res) => setTimeout(res, 4000));
    assert.deepEqual(lab.hosts.map((h) => labExec(lab.dir, h.name, 'ls -la --time-style=full-iso /root/intr').out), before, 'nothing changed after lvsplay exited');
  });

  it('the next run says it picked the recorded handler up, runs it after its task, and clears the record', () => {
    const r = lvsplay(['-i', lab.inventory, '-e', 'ver=2', join(dir, 'site.yml')], dir, env());
    assert.equal(r.rc, 0, r.out + r.err);
    assert.match(unwrapped(r.err), /picked up the handlers an earlier run of this playbook left pending \(interrupted [^)]*\): 'reload app' on /);
    // the handler runs at the flush after the task that notified it (here ok: the change was made)
    assert.ok(r.out.indexOf('RUNNING HANDLER [reload app]') > r.out.indexOf('TASK [slow validated write]'), r.out);
    assert.match(r.out, new RegExp(`TASK \\[slow validated write\\][^\\n]*\\n(ok: \\[node0\\d\\]\\n){${lab.hosts.length}}`));
    for (const h of lab.hosts) assert.equal(labExec(lab.dir, h.name, 'cat /root/intr/reloads').out, 'reloaded with version 2\n');
    assert.deepEqual(records(), []);
    const again = lvsplay(['-i', lab.inventory, '-e', 'ver=2', join(dir, 'site.yml')], dir, env());
    assert.doesNotMatch(unwrapped(again.err), /left pending/);
    assert.doesNotMatch(again.out, /RUNNING HANDLER/);
  });

  it("over ssh, a second run waits for the first run's per-host lock and names it; a SIGKILLed run leaves no lock behind", async () => {
    const first = lvsplayAsync(['-i', lab.inventory, join(dir, 'long.yml')], dir, env());
    await until('the long change', longChangeSeen(), first.output);
    const second = lvsplay(['-i', lab.inventory, '-e', 'ver=3', join(dir, 'site.yml')], dir, { ...env(), LVSPLAY_LOCK_WAIT: '0' });
    assert.equal(second.rc, 2, second.out + second.err);
    assert.match(second.out, new RegExp(`another lvsplay run is changing node01 \\([^)]*pid ${first.child.pid}, [^)]*long\\.yml`));
    first.child.kill('SIGKILL');
    await first.done;
    const third = lvsplay(['-i', lab.inventory, '-e', 'ver=3', join(dir, 'site.yml')], dir, { ...env(), LVSPLAY_LOCK_WAIT: '5' });
    assert.equal(third.rc, 0, third.out + third.err);
    for (const h of lab.hosts) assert.equal(labExec(lab.dir, h.name, 'cat /root/intr/app.conf').out, 'version 3\n');
    rmSync(join(state, 'pending-handlers'), { recursive: true, force: true }); // the SIGKILLed run's own records are not this test's subject
  });

  for (const [sig, rc] of [['SIGTERM', 143], ['SIGHUP', 129]] as const) {
    it(`${sig} during a long change: abandoned after the grace, exit ${rc}, recap, handler recorded and run by the next run`, async () => {
      for (const h of lab.hosts) labExec(lab.dir, h.name, 'rm -f /root/intr/late /root/intr/after-long');
      const run = lvsplayAsync(['-i', lab.inventory, join(dir, 'long.yml')], dir, { ...env(), LVSPLAY_INTERRUPT_GRACE: '1' });
      await until('the long change', longChangeSeen(), run.output);
      run.child.kill(sig);
      const r = await run.done;
      assert.equal(r.rc, rc, run.output());
      assert.match(r.out, /PLAY RECAP/);
      assert.match(unwrapped(r.err), new RegExp(`${sig}: stopping the run`));
      assert.deepEqual(records().map((x) => `${x.handler}@${x.host}`).sort(), lab.hosts.map((h) => `after long@${h.name}`).sort());
      const next = lvsplay(['-i', lab.inventory, join(dir, 'long.yml')], dir, env());
      assert.equal(next.rc, 0, next.out + next.err);
      assert.match(unwrapped(next.err), /left pending \(interrupted [^)]*\): 'after long' on /);
      assert.ok(next.out.indexOf('RUNNING HANDLER [after long]') > next.out.indexOf('TASK [long change]'), next.out);
      assert.deepEqual(records(), []);
    });
  }
});
