// SIGINT and SIGTERM while apt installs a package (lab, through its Debian mirror proxy; root):
// the install under way finishes (a package manager is not stopped half-way), no new task starts,
// the recap is printed, the exit code is the signal's (99, 143), dpkg is left consistent (no lock
// held, nothing half-configured), the handler is recorded; the next run runs it first and finds
// the package installed. A dpkg hook on the hosts makes each install take 3 s more, so the signal
// lands while dpkg runs. Abandoned (a second signal) while apt waits for its dpkg hook: apt is
// stopped before dpkg starts, the task is shown as interrupted (not as apt's failure), and the
// next run installs the package, then runs the service handler an earlier task had notified —
// after the install (src/run/replay.ts), so a handler that needs the package works. A dpkg run
// cut in the middle: dpkgkill.test.ts.
import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import type { TestLab } from '../helpers/lab.js';
import { labExec, lvsplay, lvsplayAsync, tmpDir, writeFiles } from './helpers.js';
import { faultLabOrSkip, pendingRecords, recapOf, remoteProcs, remoteTemps, until } from './labfaults.js';
import { unwrapped } from '../helpers/warnings.js';

const PKG = 'hello'; // ~50 KB, depends on libc6 only
const SLOW = '/etc/apt/apt.conf.d/99lvsplay-test-slow';

describe('trust: SIGINT and SIGTERM during an apt install (lab)', function () {
  this.timeout(300000);
  let lab: TestLab;
  let dir: string;
  let state: string;
  const env = () => ({ LVSPLAY_STATE_DIR: state });
  const onHosts = (script: string) => lab.hosts.map((h) => labExec(lab.dir, h.name, script));

  before(async function () {
    lab = await faultLabOrSkip(this);
    dir = tmpDir('lvsplay-aptsig-');
    state = join(dir, 'state');
    writeFiles(dir, {
      // a service configured first (its restart notified), then its package: the restart needs the package
      'service.yml': `- hosts: all
  gather_facts: false
  tasks:
    - name: config
      copy: { content: "hello from lvsplay\\n", dest: /srv/hello.conf }
      notify: restart hello
    - name: install
      apt: { name: ${PKG}, state: present }
    - name: next
      copy: { content: "next\\n", dest: /srv/apt-next }
  handlers:
    - name: restart hello
      shell: /usr/bin/hello -g "$(cat /srv/hello.conf)" >> /srv/apt-greeting
`,
      'site.yml': `- hosts: all
  gather_facts: false
  tasks:
    - name: install
      apt: { name: ${PKG}, state: present }
      notify: greet
    - name: next
      copy: { content: "next\\n", dest: /srv/apt-next }
  handlers:
    - name: greet
      shell: echo "greeted, ${PKG} $(dpkg-query -W -f '\${Status}' ${PKG} | cut -d' ' -f3)" >> /srv/apt-greeting
`,
    });
  });
  after(() => {
    if (lab) onHosts(`rm -f ${SLOW} /run/apt-running; apt-get purge -y -q ${PKG} >/dev/null 2>&1; rm -f /srv/apt-next /srv/apt-greeting /srv/hello.conf`);
  });

  for (const [sig, rc] of [['SIGINT', 99], ['SIGTERM', 143]] as const) {
    it(`${sig} while dpkg runs: the install finishes, exit ${rc}, recap, dpkg consistent, handler recorded; the next run runs it`, async () => {
      onHosts(
        `apt-get purge -y -q ${PKG} >/dev/null 2>&1; rm -f /srv/apt-next /srv/apt-greeting /run/apt-running; ` +
          `echo 'DPkg::Pre-Invoke { "touch /run/apt-running; sleep 3"; };' > ${SLOW}`,
      );
      const run = lvsplayAsync(['-i', lab.inventory, join(dir, 'site.yml')], dir, env());
      await until('dpkg on every host', () => onHosts('test -e /run/apt-running').every((r) => r.rc === 0), run.output, 120000);
      run.child.kill(sig);
      const r = await run.done;
      assert.equal(r.rc, rc, run.output());
      assert.match(unwrapped(r.err), sig === 'SIGINT' ? /User interrupted execution/ : /SIGTERM: stopping the run/);
      assert.match(unwrapped(r.err), /waiting up to 10 s for 4 change\(s\) being applied to finish/);
      assert.match(r.out, /PLAY RECAP/);
      assert.doesNotMatch(r.out, /TASK \[next\]/, 'no new task started');
      for (const h of lab.hosts) {
        assert.deepEqual([recapOf(r.out, h.name).changed, recapOf(r.out, h.name).failed], [1, 0], `${h.name}\n${r.out}`);
        assert.match(labExec(lab.dir, h.name, `dpkg-query -W -f '\${Status}' ${PKG}`).out, /install ok installed/, h.name);
        assert.equal(labExec(lab.dir, h.name, 'dpkg --audit').out.trim(), '', `${h.name}: nothing half-installed`);
        assert.equal(remoteProcs(lab, h.name, 'apt-get|dpkg'), '', `${h.name}: no apt or dpkg left running`);
        assert.equal(labExec(lab.dir, h.name, 'test -e /srv/apt-next').rc, 1);
      }
      assert.deepEqual(pendingRecords(state), lab.hosts.map((h) => `greet@${h.name}/interrupted`).sort());

      onHosts(`rm -f ${SLOW}`);
      const next = lvsplay(['-i', lab.inventory, join(dir, 'site.yml')], dir, env());
      assert.equal(next.rc, 0, next.out + next.err);
      assert.match(unwrapped(next.err), /left pending \(interrupted[^)]*\): 'greet' on /);
      assert.match(unwrapped(next.err), /picked up the handlers an earlier run of this playbook left pending \(interrupted[^)]*\): 'greet' on /);
      assert.ok(next.out.indexOf('RUNNING HANDLER [greet]') > next.out.indexOf('TASK [install]'), next.out);
      for (const h of lab.hosts) {
        assert.match(next.out, new RegExp(`TASK \\[install\\][^]*ok: \\[${h.name}\\]`));
        assert.equal(labExec(lab.dir, h.name, 'cat /srv/apt-greeting /srv/apt-next').out, `greeted, ${PKG} installed\nnext\n`, h.name);
      }
      assert.deepEqual(pendingRecords(state), []);
    });
  }

  it('SIGINT twice while apt waits to run dpkg (abandoned): apt stopped before dpkg, shown as interrupted (not FAILED), exit 99; the next run installs, then runs the service handler notified before', async () => {
    onHosts(
      `apt-get purge -y -q ${PKG} >/dev/null 2>&1; rm -f /srv/apt-next /srv/apt-greeting /srv/hello.conf /run/apt-running; ` +
        `echo 'DPkg::Pre-Invoke { "touch /run/apt-running; sleep 5"; };' > ${SLOW}`,
    );
    const run = lvsplayAsync(['-i', lab.inventory, join(dir, 'service.yml')], dir, env());
    await until('the dpkg hook on every host', () => onHosts('test -e /run/apt-running').every((r) => r.rc === 0), run.output, 120000);
    run.child.kill('SIGINT');
    await until('the first interrupt', () => /waiting up to/.test(run.output()), run.output, 10000);
    run.child.kill('SIGINT');
    const r = await run.done;
    assert.equal(r.rc, 99, run.output());
    assert.match(r.out, /PLAY RECAP/);
    assert.doesNotMatch(r.out, /FAILED!/, 'an abandoned step is not a module failure');
    for (const h of lab.hosts) {
      assert.match(r.out, new RegExp(`interrupted: \\[${h.name}\\]: ABANDONED => .*the run was interrupted while this change was being applied`), r.out);
      assert.deepEqual([recapOf(r.out, h.name).changed, recapOf(r.out, h.name).failed, recapOf(r.out, h.name).interrupted], [1, 0, 1], `${h.name}\n${r.out}`);
      assert.equal(remoteProcs(lab, h.name, 'apt-get|dpkg|sleep 5$'), '', `${h.name}: apt stopped`);
      assert.equal(labExec(lab.dir, h.name, 'dpkg --audit').out.trim(), '', h.name);
      assert.doesNotMatch(labExec(lab.dir, h.name, `dpkg-query -W -f '\${Status}' ${PKG} 2>&1`).out, /install ok installed/, `${h.name}: dpkg never ran`);
      assert.equal(remoteTemps(lab, h.name, '/srv'), '', `${h.name}: no temp file left`);
    }
    assert.deepEqual(pendingRecords(state), lab.hosts.map((h) => `restart hello@${h.name}/interrupted`).sort());
    onHosts(`rm -f ${SLOW}`);
    const next = lvsplay(['-i', lab.inventory, join(dir, 'service.yml')], dir, env());
    assert.equal(next.rc, 0, next.out + next.err);
    assert.match(unwrapped(next.err), /picked up the handlers an earlier run of this playbook left pending \(interrupted[^)]*\): 'restart hello' on /);
    assert.ok(next.out.indexOf('TASK [install]') < next.out.indexOf('RUNNING HANDLER [restart hello]'), next.out);
    for (const h of lab.hosts) {
      assert.match(next.out, new RegExp(`TASK \\[install\\][^]*changed: \\[${h.name}\\]`));
      // config ok, install changed, next changed, the handler (once)
      assert.deepEqual([recapOf(next.out, h.name).changed, recapOf(next.out, h.name).failed], [3, 0], `${h.name}\n${next.out}`);
      assert.match(labExec(lab.dir, h.name, `dpkg-query -W -f '\${Status}' ${PKG}`).out, /install ok installed/, h.name);
      assert.equal(labExec(lab.dir, h.name, 'cat /srv/apt-greeting /srv/apt-next').out, 'hello from lvsplay\nnext\n', h.name);
    }
    assert.deepEqual(pendingRecords(state), []);
  });
});
