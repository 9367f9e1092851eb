// Handlers an earlier run left pending, replayed by the next run (src/run/replay.ts), with
// `connection: local` hosts and a record written as an interrupted run writes it: the run says at
// its start what it picked up; each handler runs at the first flush after the task that notified
// it has run again (not before the play's tasks: a handler that needs what a later task installs
// works); one whose task does not run (--tags), whose host is not in the run (--limit) or whose
// play no longer defines it stays recorded and the run says so at its end; a host that fails
// before the flush keeps it, unless force_handlers runs it.
import { strict as assert } from 'node:assert';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadPending, pendingFile, savePending, type PendingRecord } from '../../src/run/pending.js';
import { lvsplay, tmpDir, writeFiles } from '../trust/helpers.js';
import { unwrapped } from '../helpers/warnings.js';

describe('pending handlers replayed after the task that notified them', function () {
  this.timeout(60000);
  let dir: string;
  let state: string;
  let pb: string;
  const env = () => ({ LVSPLAY_STATE_DIR: state });
  const file = () => pendingFile(pb, { LVSPLAY_STATE_DIR: state });
  const seed = (records: Partial<PendingRecord>[]) =>
    savePending(file(), pb, records.map((r) => ({ play: 0, playName: 'svc', handler: 'restart', host: 'h1', why: 'interrupted', at: '2026-12-03T10:00:00Z', ...r }) as PendingRecord));
  const left = () => loadPending(file(), assert.fail).map((r) => `${r.handler}@${r.host}/${r.why}`).sort();
  const log = () => (existsSync(join(dir, 'log')) ? readFileSync(join(dir, 'log'), 'utf8') : '');

  beforeEach(() => {
    dir = tmpDir('lvsplay-replay-');
    state = join(dir, 'state');
    pb = join(dir, 'site.yml');
    writeFiles(dir, {
      'inv.ini': 'h1 ansible_connection=local\nh2 ansible_connection=local\n',
      'svc.conf': 'conf\n',
      // the config is in place already (ok); the "package" comes with a later task; the restart needs it
      'site.yml': `- name: svc
  hosts: all
  gather_facts: false
  pre_tasks:
    - name: pre
      command: "true"
  tasks:
    - name: config
      copy: { content: "conf\\n", dest: "${dir}/svc.conf" }
      notify: restart
    - name: install
      copy: { content: "#!/bin/sh\\necho restarted {{ inventory_hostname }} >> ${dir}/log\\n", dest: "${dir}/bin-{{ inventory_hostname }}", mode: "0755" }
      tags: [install]
    - name: break
      fail: { msg: broken }
      when: fail_h1 | default(false) and inventory_hostname == 'h1'
  handlers:
    - name: restart
      command: "${dir}/bin-{{ inventory_hostname }}"
`,
    });
  });

  it('runs at the flush after its task, after the task that makes it work; says so at the start; the record is cleared', () => {
    seed([{ host: 'h1' }]);
    const r = lvsplay(['-i', join(dir, 'inv.ini'), pb], dir, env());
    assert.equal(r.rc, 0, r.out + r.err);
    assert.match(unwrapped(r.err), /picked up the handlers an earlier run of this playbook left pending \(interrupted 2026-12-03T10:00:00Z\): 'restart' on h1/);
    assert.ok(r.out.indexOf('TASK [install]') < r.out.indexOf('RUNNING HANDLER [restart]'), r.out);
    assert.match(r.out, /RUNNING HANDLER \[restart\][^\n]*\nchanged: \[h1\]\n\nPLAY RECAP/);
    assert.equal(log(), 'restarted h1\n');
    assert.deepEqual(left(), []);
  });

  it('--tags that leave out its task: not run, kept, said at the end', () => {
    seed([{ host: 'h1' }]);
    const r = lvsplay(['-i', join(dir, 'inv.ini'), '--tags', 'install', pb], dir, env());
    assert.equal(r.rc, 0, r.out + r.err);
    assert.doesNotMatch(r.out, /RUNNING HANDLER/);
    assert.match(unwrapped(r.err), /handlers an earlier run of this playbook left pending did not run in this run \(the task that notifies it did not run on the host[^)]*\) and stay recorded for the next one: 'restart' on h1/);
    assert.deepEqual(left(), ['restart@h1/interrupted']);
  });

  it('--limit without its host, or its play gone: kept, said at the end', () => {
    seed([{ host: 'h1' }, { host: 'h2', playName: 'old play' }]);
    const r = lvsplay(['-i', join(dir, 'inv.ini'), '--limit', 'h2', pb], dir, env());
    assert.equal(r.rc, 0, r.out + r.err);
    assert.match(unwrapped(r.err), /did not run in this run \(the host was not in this run\) and stay recorded for the next one: 'restart' on h1/);
    assert.match(unwrapped(r.err), /did not run in this run \(no play of this playbook defines it now\) and stay recorded for the next one: 'restart' on h2/);
    assert.deepEqual(left(), ['restart@h1/interrupted', 'restart@h2/interrupted']);
  });

  it('a host that fails before the flush keeps it recorded; with --force-handlers it runs', () => {
    seed([{ host: 'h1' }, { host: 'h2', why: 'unreachable' }]);
    const r = lvsplay(['-i', join(dir, 'inv.ini'), '-e', 'fail_h1=true', pb], dir, env());
    assert.equal(r.rc, 2, r.out + r.err);
    assert.equal(log(), 'restarted h2\n');
    assert.match(unwrapped(r.err), /handlers notified but not run are kept for the next run of this playbook[^:]*: 'restart' on h1/);
    assert.deepEqual(left(), ['restart@h1/interrupted']);
    const forced = lvsplay(['-i', join(dir, 'inv.ini'), '-e', 'fail_h1=true', '--force-handlers', pb], dir, env());
    assert.equal(forced.rc, 2, forced.out + forced.err);
    assert.equal(log(), 'restarted h2\nrestarted h1\n');
    assert.deepEqual(left(), []);
  });
});
