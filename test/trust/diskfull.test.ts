// A full disk (a 64 KiB tmpfs; root): a write that does not fit fails the task with the system's
// message, changes nothing (the old file intact, no temp file left, changed false, no handler
// notified), exit 2 — for copy and template alike.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { lvsplay, tmpDir, writeFiles } from './helpers.js';

describe('trust: a full disk changes nothing (tmpfs; root)', function () {
  this.timeout(60000);
  let mnt: string;
  let dir: string;
  before(function () {
    if (process.getuid?.() !== 0) {
      console.log('    SKIP: mounting a small tmpfs needs root');
      this.skip();
    }
    mnt = mkdtempSync('/tmp/lvsplay-diskfull-');
    const r = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', mnt], { encoding: 'utf8' });
    if (r.status !== 0) {
      console.log(`    SKIP: cannot mount a tmpfs here: ${r.stderr.trim()}`);
      this.skip();
    }
    dir = tmpDir('lvsplay-diskfull-pb-');
    writeFiles(dir, {
      'big.j2': "{{ 'y' * 200000 }}\n",
      'site.yml': `- hosts: all
  gather_facts: false
  tasks:
    - name: copy
      copy: {content: "{{ 'x' * 200000 }}", dest: ${mnt}/a.conf}
      notify: h
      ignore_errors: true
    - name: template
      template: {src: big.j2, dest: ${mnt}/b.conf}
      notify: h
  handlers:
    - {name: h, debug: {msg: notified}}
`,
    });
  });
  after(() => {
    if (mnt) {
      spawnSync('umount', [mnt]);
      rmSync(mnt, { recursive: true, force: true });
    }
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('fails with the system message, leaves the old files and no temp file, notifies nothing', () => {
    writeFileSync(join(mnt, 'a.conf'), 'old a\n');
    writeFileSync(join(mnt, 'b.conf'), 'old b\n');
    const r = lvsplay(['-i', 'localhost,', '-c', 'local', join(dir, 'site.yml')], dir);
    assert.equal(r.rc, 2, r.out + r.err);
    assert.equal((r.out.match(/No space left on device/g) ?? []).length >= 2, true, r.out);
    assert.match(r.out, /failed=1 .*ignored=1/);
    assert.doesNotMatch(r.out, /RUNNING HANDLER/);
    assert.doesNotMatch(r.out, /"changed": true/);
    assert.deepEqual(readdirSync(mnt).sort(), ['a.conf', 'b.conf']);
    assert.equal(readFileSync(join(mnt, 'a.conf'), 'utf8'), 'old a\n');
    assert.equal(readFileSync(join(mnt, 'b.conf'), 'utf8'), 'old b\n');
  });
});
