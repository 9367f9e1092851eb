// A host's link goes down mid-run (lab; root): its switch-side veth is set down while a validated
// write is being applied on it. The host is declared unreachable within 10 s (ssh keepalives), the
// other hosts finish the task at once and every later task; exit 4 and the recap say so. The
// write may still complete on the host (nothing reaches it to stop it) — atomically, and its
// handler is recorded ('unreachable'). Link up: the next run repairs the host and runs the handler
// it would otherwise have lost.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { readState } from '../../src/lab/index.js';
import type { TestLab } from '../helpers/lab.js';
import { labExec, lvsplay, lvsplayAsync, tmpDir, writeFiles } from './helpers.js';
import { faultLabOrSkip, pendingRecords, recapOf, remoteTemps, until } from './labfaults.js';
import { unwrapped } from '../helpers/warnings.js';

const NODE = 'node03';

describe('trust: a link going down mid-run (lab)', function () {
  this.timeout(180000);
  let lab: TestLab;
  let dir: string;
  let state: string;
  let link: (how: 'up' | 'down') => void;
  const env = () => ({ LVSPLAY_STATE_DIR: state });

  before(async function () {
    lab = await faultLabOrSkip(this);
    const sw = readState(lab.dir)!.swNs;
    link = (how) => {
      const r = spawnSync('ip', ['-n', sw, 'link', 'set', NODE, how], { encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`ip link set ${NODE} ${how}: ${r.stderr}`);
    };
    dir = tmpDir('lvsplay-linkdown-');
    state = join(dir, 'state');
    for (const h of lab.hosts) labExec(lab.dir, h.name, 'rm -rf /srv/ld; mkdir -p /srv/ld');
    writeFiles(dir, {
      'site.yml': `- hosts: all
  gather_facts: false
  tasks:
    - name: conf
      copy:
        content: "v{{ ver }}\\n"
        dest: /srv/ld/app.conf
        validate: "touch /srv/ld/validating && sleep 2 && grep -q v %s"
      notify: reload
    - name: next
      command: "true"
    - name: last
      copy: { content: "{{ ver }}\\n", dest: /srv/ld/last }
  handlers:
    - name: reload
      shell: echo "reloaded $(cat /srv/ld/app.conf)" >> /srv/ld/reloads
`,
    });
  });
  after(() => link?.('up'));

  it(`${NODE}'s link down while its write is validated: unreachable within 10 s, the others finish, exit 4, the handler recorded`, async () => {
    const run = lvsplayAsync(['-i', lab.inventory, '-e', 'ver=2', join(dir, 'site.yml')], dir, env());
    await until('the validation', () => labExec(lab.dir, NODE, 'test -e /srv/ld/validating').rc === 0, run.output);
    link('down');
    const t0 = Date.now();
    await until(`${NODE} unreachable`, () => new RegExp(`fatal: \\[${NODE}\\]: UNREACHABLE!`).test(run.output()), run.output, 30000);
    const detectMs = Date.now() - t0;
    console.log(`      link down: ${NODE} declared unreachable after ${(detectMs / 1000).toFixed(1)} s`);
    assert.ok(detectMs <= 10000, `declared unreachable after ${detectMs} ms`);
    const r = await run.done;
    assert.equal(r.rc, 4, run.output());
    assert.match(r.out, new RegExp(`fatal: \\[${NODE}\\]: UNREACHABLE! => .*connection lost \\(no keepalive reply\\)`));
    // the others' results of the task came before the dead host's verdict, and they did every task
    const conf = r.out.slice(r.out.indexOf('TASK [conf]'));
    for (const h of lab.hosts.filter((x) => x.name !== NODE)) {
      assert.ok(conf.indexOf(`changed: [${h.name}]`) < conf.indexOf(`fatal: [${NODE}]`), `${h.name} was not held up:\n${r.out}`);
      assert.deepEqual([recapOf(r.out, h.name).changed, recapOf(r.out, h.name).unreachable], [4, 0], r.out);
    }
    assert.deepEqual([recapOf(r.out, NODE).unreachable, recapOf(r.out, NODE).ok], [1, 0], r.out);
    assert.deepEqual(pendingRecords(state), [`reload@${NODE}/unreachable`]);
  });

  it('link up: the write was atomic (no temp file), and the next run repairs the host and runs the lost handler', async () => {
    link('up');
    await until(`${NODE} answers`, () => labExec(lab.dir, NODE, 'true').rc === 0, () => '', 30000);
    assert.equal(remoteTemps(lab, NODE, '/srv/ld'), '');
    assert.match(labExec(lab.dir, NODE, 'cat /srv/ld/app.conf 2>/dev/null || echo absent').out, /^(v2|absent)\n$/, 'the old or the new file, never half of one');
    const r = lvsplay(['-i', lab.inventory, '-e', 'ver=2', join(dir, 'site.yml')], dir, env());
    assert.equal(r.rc, 0, r.out + r.err);
    assert.match(unwrapped(r.err), new RegExp(`left pending \\(unreachable[^)]*\\): 'reload' on ${NODE}`));
    for (const h of lab.hosts) {
      assert.equal(labExec(lab.dir, h.name, 'cat /srv/ld/app.conf /srv/ld/last').out, 'v2\n2\n', h.name);
      assert.match(labExec(lab.dir, h.name, 'cat /srv/ld/reloads').out, /reloaded v2\n$/, h.name);
      assert.equal(remoteTemps(lab, h.name, '/srv/ld'), '');
    }
    assert.deepEqual(pendingRecords(state), []);
  });
});
