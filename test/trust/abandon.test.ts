// No file changes on a host after lvsplay has exited — over SSH too (lab; root). A template whose
// validation takes 8 s is being applied on four hosts (two log in as root, two as `deploy` and
// become root with sudo) when the run is interrupted twice: the change is abandoned, lvsplay exits
// 99 with the recap, and at that moment no process of the step runs on any host any more (under
// sudo too: the lifeline, src/connection/lifeline.ts), no temp file is left; 9 s later the file
// still has its old content. The handler is recorded; the next run applies the change and runs it.
import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import type { TestLab } from '../helpers/lab.js';
import { labExec, lvsplay, lvsplayAsync, tmpDir, writeFiles } from './helpers.js';
import { addDeployUser, faultLabOrSkip, recapOf, mixedInventory, pendingRecords, remoteProcs, remoteTemps, sleep, until } from './labfaults.js';
import { unwrapped } from '../helpers/warnings.js';

const VALIDATE_S = 8;

describe('trust: an abandoned change never completes on the host after lvsplay has exited (lab, over ssh, sudo)', function () {
  this.timeout(240000);
  let lab: TestLab;
  let dir: string;
  let state: string;
  let inv: string;
  const env = () => ({ LVSPLAY_STATE_DIR: state, LVSPLAY_INTERRUPT_GRACE: '30' });
  const confs = () => lab.hosts.map((h) => labExec(lab.dir, h.name, 'cat /srv/ab/app.conf').out);

  before(async function () {
    lab = await faultLabOrSkip(this);
    addDeployUser(lab);
    dir = tmpDir('lvsplay-abandon-');
    state = join(dir, 'state');
    inv = join(dir, 'inv.ini');
    for (const h of lab.hosts) labExec(lab.dir, h.name, 'rm -rf /srv/ab; mkdir -p /srv/ab; echo "version 1" > /srv/ab/app.conf');
    writeFiles(dir, {
      'inv.ini': mixedInventory(lab),
      'app.conf.j2': 'version {{ ver }}\n',
      'site.yml': `- hosts: all
  gather_facts: false
  tasks:
    - name: slow validated template
      template:
        src: app.conf.j2
        dest: /srv/ab/app.conf
        validate: "touch /srv/ab/validating && sleep ${VALIDATE_S} && grep -q version %s"
      notify: reload app
  handlers:
    - name: reload app
      shell: echo "reloaded $(cat /srv/ab/app.conf) as $(id -un)" >> /srv/ab/reloads
`,
    });
  });

  it('interrupted twice while validating: exit 99 and the recap; nothing of the step left on any host; the file never changes afterwards', async () => {
    const run = lvsplayAsync(['-i', inv, '-e', 'ver=2', join(dir, 'site.yml')], dir, env());
    await until('the validations', () => lab.hosts.every((h) => labExec(lab.dir, h.name, 'test -e /srv/ab/validating').rc === 0), run.output);
    assert.match(remoteProcs(lab, 'node02', `^ *[0-9]+ root +sleep ${VALIDATE_S}$`), /root/, 'under sudo the validation runs as root');
    run.child.kill('SIGINT');
    await until('the first interrupt', () => /waiting up to 30 s for 4 change\(s\)/.test(run.output()), run.output, 10000);
    run.child.kill('SIGINT');
    const r = await run.done;
    assert.equal(r.rc, 99, run.output());
    assert.match(unwrapped(r.err), /User interrupted execution/);
    assert.match(r.out, /PLAY RECAP/);
    for (const h of lab.hosts) {
      assert.equal(remoteProcs(lab, h.name, `sleep ${VALIDATE_S}$|validating|lvsplay-lifeline`), '', `${h.name}: no process of the step is left`);
      assert.equal(remoteTemps(lab, h.name, '/srv/ab'), '', `${h.name}: no temp file left`);
    }
    assert.deepEqual(confs(), lab.hosts.map(() => 'version 1\n'));
    assert.deepEqual(pendingRecords(state), lab.hosts.map((h) => `reload app@${h.name}/interrupted`).sort());
    await sleep((VALIDATE_S + 1) * 1000);
    assert.deepEqual(confs(), lab.hosts.map(() => 'version 1\n'), 'the abandoned change never completed');
    for (const h of lab.hosts) assert.equal(remoteTemps(lab, h.name, '/srv/ab'), '');
  });

  it('the next run applies the change and runs the handler (recorded, and notified again)', () => {
    for (const h of lab.hosts) labExec(lab.dir, h.name, 'rm -f /srv/ab/validating');
    const r = lvsplay(['-i', inv, '-e', 'ver=2', join(dir, 'site.yml')], dir, env());
    assert.equal(r.rc, 0, r.out + r.err);
    assert.match(unwrapped(r.err), /picked up the handlers an earlier run of this playbook left pending \(interrupted[^)]*\): 'reload app' on /);
    for (const h of lab.hosts) assert.deepEqual([recapOf(r.out, h.name).changed >= 2, recapOf(r.out, h.name).failed], [true, 0], `${h.name}\n${r.out}`);
    assert.deepEqual(confs(), lab.hosts.map(() => 'version 2\n'));
    for (const [i, h] of lab.hosts.entries()) {
      const reloads = labExec(lab.dir, h.name, 'cat /srv/ab/reloads').out;
      assert.match(reloads, /reloaded version 2 as root\n$/, `${h.name} (${i % 2 ? 'sudo' : 'root'})`);
    }
    assert.deepEqual(pendingRecords(state), []);
  });
});
