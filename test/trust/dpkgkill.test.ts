// dpkg abandoned in the middle of an unpack (lab; root). A local package whose preinst takes 30 s
// (while a flag file exists) is being installed on every host when the run gets SIGTERM: after the
// grace (1 s) the install is abandoned — its process group stopped on the host (the lifeline), dpkg
// killed with the package half-installed and its journal in /var/lib/dpkg/updates, so apt-get
// refuses to do anything ("dpkg was interrupted"). lvsplay exits 143 with the recap, the task shown
// as interrupted, the handler recorded. The next run's apt finds dpkg's journal, runs
// `dpkg --configure -a` first, installs the package and then runs the handler that needs it.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TestLab } from '../helpers/lab.js';
import { buildRepo } from '../helpers/aptrepo.js';
import { labExec, lvsplay, lvsplayAsync, tmpDir, writeFiles } from './helpers.js';
import { faultLabOrSkip, pendingRecords, recapOf, remoteProcs, remoteTemps, until, withoutHostLocks } from './labfaults.js';
import { unwrapped } from '../helpers/warnings.js';

const PKG = 'lvsplay-test-slowunpack';
const FLAG = '/etc/lvsplay-test-slow-unpack';

describe('trust: dpkg killed mid-unpack by an abandoned run is repaired by the next run (lab)', function () {
  this.timeout(180000);
  let lab: TestLab;
  let dir: string;
  let state: string;
  const env = () => ({ LVSPLAY_STATE_DIR: state, LVSPLAY_INTERRUPT_GRACE: '1' });
  const onHosts = (script: string, stdin?: string) => lab.hosts.map((h) => labExec(lab.dir, h.name, script, stdin));

  before(async function () {
    lab = await faultLabOrSkip(this);
    dir = tmpDir('lvsplay-dpkgkill-');
    state = join(dir, 'state');
    buildRepo(dir, [
      {
        name: PKG,
        version: '1.0',
        suite: 'stable',
        files: { '/usr/bin/lvsplay-test-slowunpack': '#!/bin/sh\necho "served by $0"\n' },
        preinst: `#!/bin/sh\nif [ -e ${FLAG} ]; then touch /run/lvsplay-unpacking; sleep 30; fi\nexit 0\n`,
      },
    ]);
    const repo = join(dir, 'repo', 'stable');
    const deb = `${PKG}_1.0_all.deb`;
    // the repository on each host (a file: source of its own, its lists updated alone)
    const b64 = (f: string) => readFileSync(join(repo, f)).toString('base64');
    const put = [
      'rm -rf /srv/dk-repo /srv/dk; mkdir -p /srv/dk-repo /srv/dk',
      `echo ${b64('Packages')} | base64 -d > /srv/dk-repo/Packages`,
      `echo ${b64('Release')} | base64 -d > /srv/dk-repo/Release`,
      `base64 -d > /srv/dk-repo/${deb}`,
      'echo "deb [trusted=yes] file:/srv/dk-repo ./" > /etc/apt/sources.list.d/lvsplay-dk.list',
      'apt-get update -q -o Dir::Etc::sourcelist=/etc/apt/sources.list.d/lvsplay-dk.list -o Dir::Etc::sourceparts=- -o APT::Get::List-Cleanup=0 >/dev/null 2>&1',
    ].join('\n');
    for (const r of onHosts(put, b64(join('..', '..', 'debs', deb)))) assert.equal(r.rc, 0, r.err);
    writeFiles(dir, {
      'site.yml': `- hosts: all
  gather_facts: false
  tasks:
    - name: install
      apt: { name: ${PKG}, state: present }
      notify: restart svc
    - name: next
      copy: { content: "next\\n", dest: /srv/dk/next }
  handlers:
    - name: restart svc
      shell: /usr/bin/lvsplay-test-slowunpack >> /srv/dk/svc.out
`,
    });
  });
  after(() => {
    if (lab) onHosts(`rm -f ${FLAG} /run/lvsplay-unpacking /etc/apt/sources.list.d/lvsplay-dk.list; dpkg --configure -a >/dev/null 2>&1; dpkg --purge --force-all ${PKG} >/dev/null 2>&1; rm -rf /srv/dk /srv/dk-repo`);
  });

  it('SIGTERM while dpkg runs the preinst: abandoned after the grace, exit 143, shown as interrupted; dpkg left interrupted, nothing left running', async () => {
    onHosts(`dpkg --purge --force-all ${PKG} >/dev/null 2>&1; rm -f /run/lvsplay-unpacking; touch ${FLAG}`);
    const run = lvsplayAsync(['-i', lab.inventory, join(dir, 'site.yml')], dir, env());
    await until('the preinst on every host', () => onHosts('test -e /run/lvsplay-unpacking').every((r) => r.rc === 0), run.output, 60000);
    run.child.kill('SIGTERM');
    const r = await run.done;
    assert.equal(r.rc, 143, run.output());
    assert.match(unwrapped(r.err), /SIGTERM: stopping the run/);
    assert.match(r.out, /PLAY RECAP/);
    assert.doesNotMatch(r.out, /FAILED!|TASK \[next\]/, r.out);
    onHosts(`rm -f ${FLAG}`); // from here on the preinst is quick
    for (const h of lab.hosts) {
      assert.match(r.out, new RegExp(`interrupted: \\[${h.name}\\]: ABANDONED`), r.out);
      assert.deepEqual([recapOf(r.out, h.name).failed, recapOf(r.out, h.name).interrupted], [0, 1], `${h.name}\n${r.out}`);
      assert.equal(remoteProcs(lab, h.name, 'apt-get|dpkg|sleep 30$'), '', `${h.name}: apt and dpkg stopped`);
      // the fault is real: dpkg's journal is there and apt-get refuses
      assert.match(labExec(lab.dir, h.name, `apt-get install -y -q ${PKG} 2>&1`).out, /dpkg was interrupted/, h.name);
      assert.doesNotMatch(labExec(lab.dir, h.name, `dpkg-query -W -f '\${Status}' ${PKG} 2>&1`).out, /install ok installed/, h.name);
      assert.equal(remoteTemps(lab, h.name, '/srv/dk'), '', `${h.name}: no temp file left`);
      // (the per-host lock's files, src/run/hostlock.ts, stay by design: a run of an unprivileged user keeps them in /tmp)
      assert.equal(withoutHostLocks(remoteTemps(lab, h.name, '/tmp')), '', `${h.name}: no temp file left in /tmp`);
    }
    assert.deepEqual(pendingRecords(state), lab.hosts.map((h) => `restart svc@${h.name}/interrupted`).sort());
  });

  it('the next run repairs dpkg (dpkg --configure -a), installs the package, then runs the handler', () => {
    const r = lvsplay(['-i', lab.inventory, '-v', join(dir, 'site.yml')], dir, env());
    assert.equal(r.rc, 0, r.out + r.err);
    assert.match(unwrapped(r.err), /picked up the handlers an earlier run of this playbook left pending \(interrupted[^)]*\): 'restart svc' on /);
    assert.ok(r.out.indexOf('TASK [install]') < r.out.indexOf('RUNNING HANDLER [restart svc]'), r.out);
    for (const h of lab.hosts) {
      assert.deepEqual([recapOf(r.out, h.name).changed, recapOf(r.out, h.name).failed], [3, 0], `${h.name}\n${r.out}`);
      assert.match(labExec(lab.dir, h.name, `dpkg-query -W -f '\${Status}' ${PKG}`).out, /install ok installed/, h.name);
      assert.equal(labExec(lab.dir, h.name, 'dpkg --audit; ls /var/lib/dpkg/updates').out.trim(), '', `${h.name}: dpkg consistent`);
      assert.equal(labExec(lab.dir, h.name, 'cat /srv/dk/svc.out /srv/dk/next').out, 'served by /usr/bin/lvsplay-test-slowunpack\nnext\n', h.name);
    }
    assert.deepEqual(pendingRecords(state), []);
    const again = lvsplay(['-i', lab.inventory, join(dir, 'site.yml')], dir, env());
    assert.equal(again.rc, 0, again.out + again.err);
    for (const h of lab.hosts) assert.equal(recapOf(again.out, h.name).changed, 0, again.out);
  });
});
