// A full disk over SSH (lab; root): each lab host has its own mount namespace, so a 64 KiB tmpfs
// is mounted on /srv/full inside every host (not on the controller). Two hosts log in as root, two
// as `deploy` with sudo. A copy and a template that do not fit fail with the system's message,
// change nothing (old files intact, no temp file, changed false, no handler), exit 2; once there is
// room (the tmpfs grown to 1 MiB), the next run writes both files and runs the handler.
import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import type { TestLab } from '../helpers/lab.js';
import { labExec, lvsplay, tmpDir, writeFiles } from './helpers.js';
import { addDeployUser, faultLabOrSkip, mixedInventory, recapOf } from './labfaults.js';

describe('trust: a full disk over ssh changes nothing, the next run repairs (lab, sudo)', function () {
  this.timeout(120000);
  let lab: TestLab;
  let dir: string;
  let inv: string;
  const onHosts = (script: string) => lab.hosts.map((h) => labExec(lab.dir, h.name, script));

  before(async function () {
    lab = await faultLabOrSkip(this);
    addDeployUser(lab);
    const mounted = onHosts('umount /srv/full 2>/dev/null; mkdir -p /srv/full && mount -t tmpfs -o size=64k tmpfs /srv/full');
    if (mounted.some((r) => r.rc !== 0)) throw new Error(`cannot mount a tmpfs in the lab hosts: ${mounted.map((r) => r.err).join(' ')}`);
    onHosts('printf "old a\\n" > /srv/full/a.conf; printf "old b\\n" > /srv/full/b.conf; rm -f /srv/full-handled');
    dir = tmpDir('lvsplay-diskfull-ssh-');
    inv = join(dir, 'inv.ini');
    writeFiles(dir, {
      'inv.ini': mixedInventory(lab),
      'big.j2': "{{ 'y' * 200000 }}\n",
      'site.yml': `- hosts: all
  gather_facts: false
  tasks:
    - name: copy
      copy: {content: "{{ 'x' * 200000 }}", dest: /srv/full/a.conf}
      notify: h
      ignore_errors: true
    - name: template
      template: {src: big.j2, dest: /srv/full/b.conf}
      notify: h
  handlers:
    - name: h
      shell: echo handled >> /srv/full-handled
`,
    });
  });
  after(() => {
    if (lab) onHosts('umount /srv/full 2>/dev/null; rm -rf /srv/full /srv/full-handled');
  });

  it('fails with the system message on every host, leaves the old files and no temp file, notifies nothing, exit 2', () => {
    const r = lvsplay(['-i', inv, join(dir, 'site.yml')], dir);
    assert.equal(r.rc, 2, r.out + r.err);
    assert.ok((r.out.match(/No space left on device/g) ?? []).length >= 2 * lab.hosts.length, r.out);
    assert.doesNotMatch(r.out, /RUNNING HANDLER/);
    assert.doesNotMatch(r.out, /"changed": true/);
    for (const h of lab.hosts) {
      assert.deepEqual([recapOf(r.out, h.name).failed, recapOf(r.out, h.name).ignored, recapOf(r.out, h.name).changed], [1, 1, 0], `${h.name}\n${r.out}`);
      assert.equal(labExec(lab.dir, h.name, 'ls -A /srv/full | tr "\\n" " "; cat /srv/full/a.conf /srv/full/b.conf').out, 'a.conf b.conf old a\nold b\n', h.name);
      assert.equal(labExec(lab.dir, h.name, 'test -e /srv/full-handled').rc, 1);
    }
  });

  it('with room again, the next run writes both files and runs the handler', () => {
    onHosts('mount -o remount,size=1m /srv/full');
    const r = lvsplay(['-i', inv, join(dir, 'site.yml')], dir);
    assert.equal(r.rc, 0, r.out + r.err);
    for (const h of lab.hosts) {
      assert.equal(recapOf(r.out, h.name).changed, 3, `${h.name}\n${r.out}`);
      assert.equal(labExec(lab.dir, h.name, 'ls -A /srv/full | tr "\\n" " "; wc -c < /srv/full/a.conf; cat /srv/full-handled').out, 'a.conf b.conf 200000\nhandled\n', h.name);
    }
  });
});
