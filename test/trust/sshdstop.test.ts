// A lab host's sshd SIGSTOPped mid-run (lab; root): every sshd process on node03 (the listener and
// the one serving lvsplay's connection) is stopped while a task runs there. The host is declared
// unreachable within 10 s by default (ssh keepalives), the other hosts' results of that task come
// before the verdict and they finish every task and their handlers; exit 4, the recap says so, the
// handler node03 was notified for is recorded ('unreachable'). SIGCONT: the next run repairs the
// host and runs the handler.
import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import type { TestLab } from '../helpers/lab.js';
import { labExec, lvsplay, lvsplayAsync, tmpDir, writeFiles } from './helpers.js';
import { faultLabOrSkip, nsExec, pendingRecords, recapOf, until, withoutHostLocks } from './labfaults.js';
import { unwrapped } from '../helpers/warnings.js';

const NODE = 'node03';

describe('trust: sshd SIGSTOPped on a lab host mid-run', function () {
  this.timeout(120000);
  let lab: TestLab;
  let dir: string;
  let state: string;
  const env = () => ({ LVSPLAY_STATE_DIR: state });
  const temps = (node: string) => withoutHostLocks(nsExec(lab, node, 'ls -a /srv/ss /tmp | grep lvsplay || true').out);

  before(async function () {
    lab = await faultLabOrSkip(this);
    dir = tmpDir('lvsplay-sshdstop-');
    state = join(dir, 'state');
    for (const h of lab.hosts) labExec(lab.dir, h.name, 'rm -rf /srv/ss; mkdir -p /srv/ss');
    writeFiles(dir, {
      'site.yml': `- hosts: all
  gather_facts: false
  tasks:
    - name: conf
      copy: { content: "v{{ ver }}\\n", dest: /srv/ss/app.conf }
      notify: reload
    - name: slow
      shell: touch /srv/ss/slowing; sleep 2; echo done > /srv/ss/slow
    - name: last
      copy: { content: "{{ ver }}\\n", dest: /srv/ss/last }
  handlers:
    - name: reload
      shell: echo "reloaded $(cat /srv/ss/app.conf)" >> /srv/ss/reloads
`,
    });
  });
  after(() => {
    if (lab) nsExec(lab, NODE, 'pkill -CONT -x sshd');
  });

  it(`${NODE}'s sshd stopped while a task runs there: unreachable within 10 s, the others finish, exit 4, recap, handler recorded`, async () => {
    const run = lvsplayAsync(['-i', lab.inventory, '-e', 'ver=2', join(dir, 'site.yml')], dir, env());
    await until('the slow task', () => nsExec(lab, NODE, 'test -e /srv/ss/slowing').rc === 0, run.output);
    const stop = nsExec(lab, NODE, 'pkill -STOP -x sshd; ps -o stat=,args= -C sshd');
    assert.equal(stop.rc, 0, stop.err);
    assert.match(stop.out, /^T/m, 'sshd is stopped');
    const t0 = Date.now();
    await until(`${NODE} unreachable`, () => new RegExp(`fatal: \\[${NODE}\\]: UNREACHABLE!`).test(run.output()), run.output, 30000);
    const detectMs = Date.now() - t0;
    console.log(`      sshd stopped: ${NODE} declared unreachable after ${(detectMs / 1000).toFixed(1)} s`);
    assert.ok(detectMs <= 10000, `declared unreachable after ${detectMs} ms`);
    const r = await run.done;
    assert.equal(r.rc, 4, run.output());
    assert.match(r.out, new RegExp(`fatal: \\[${NODE}\\]: UNREACHABLE! => .*${NODE}.*(connection lost|keepalive|timed out)`), r.out);
    assert.match(r.out, /PLAY RECAP/);
    const slow = r.out.slice(r.out.indexOf('TASK [slow]'));
    for (const h of lab.hosts.filter((x) => x.name !== NODE)) {
      assert.ok(slow.indexOf(`changed: [${h.name}]`) < slow.indexOf(`fatal: [${NODE}]`), `${h.name} was not held up:\n${r.out}`);
      assert.deepEqual([recapOf(r.out, h.name).changed, recapOf(r.out, h.name).unreachable, recapOf(r.out, h.name).failed], [4, 0, 0], r.out);
      assert.equal(labExec(lab.dir, h.name, 'cat /srv/ss/last /srv/ss/reloads').out, '2\nreloaded v2\n', h.name);
      assert.equal(temps(h.name), '', `${h.name}: no temp file left`);
    }
    assert.deepEqual([recapOf(r.out, NODE).changed, recapOf(r.out, NODE).unreachable], [1, 1], r.out);
    assert.deepEqual(pendingRecords(state), [`reload@${NODE}/unreachable`]);
    assert.equal(nsExec(lab, NODE, 'test -e /srv/ss/last').rc, 1, `${NODE}: no later task ran`);
  });

  it('SIGCONT: the next run repairs the host and runs the handler it was notified for', async () => {
    nsExec(lab, NODE, 'pkill -CONT -x sshd');
    await until(`${NODE} answers`, () => labExec(lab.dir, NODE, 'true').rc === 0, () => '', 30000);
    assert.equal(temps(NODE), '', `${NODE}: no temp file left`);
    const r = lvsplay(['-i', lab.inventory, '-e', 'ver=2', join(dir, 'site.yml')], dir, env());
    assert.equal(r.rc, 0, r.out + r.err);
    assert.match(unwrapped(r.err), new RegExp(`picked up the handlers an earlier run of this playbook left pending \\(unreachable[^)]*\\): 'reload' on ${NODE}`));
    for (const h of lab.hosts) {
      assert.equal(labExec(lab.dir, h.name, 'cat /srv/ss/app.conf /srv/ss/last /srv/ss/reloads').out, 'v2\n2\nreloaded v2\n', h.name);
      assert.equal(recapOf(r.out, h.name).failed, 0, r.out);
    }
    assert.deepEqual(pendingRecords(state), []);
  });
});
