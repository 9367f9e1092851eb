// unarchive, differential against ansible-playbook 2.14: tar (gz, bz2, xz, plain) and zip archives
// from the controller and from the host (remote_src), list_files, exclude/include, extra_opts,
// mode, creates, keep_newer, a missing dest/src; results, recap counts and the unpacked files, over
// a check-mode run on empty dirs, a first run and a second one that changes nothing.
import { execSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import { assertSame, differential, skipWithoutAnsible } from './harness.js';

/** Archives made once per tool's scratch dir (same bytes, fixed mtimes), and empty dests. */
function archives(w: string): void {
  const s = join(w, 'src');
  mkdirSync(join(s, 'app', 'sub'), { recursive: true });
  writeFileSync(join(s, 'app', 'a.txt'), 'alpha\n');
  writeFileSync(join(s, 'app', 'sub', 'b.txt'), 'beta\n');
  writeFileSync(join(s, 'app', 'skip.log'), 'log\n');
  execSync('chmod 0640 app/a.txt && touch -d "2024-05-01 10:00:00" app app/sub app/a.txt app/sub/b.txt app/skip.log', { cwd: s });
  execSync('tar -czf ../app.tgz app && tar -cjf ../app.tbz2 app && tar -cJf ../app.txz app && tar -cf ../app.tar app && zip -qrX ../app.zip app', { cwd: s });
  for (const d of ['gz', 'bz', 'xz', 'tar', 'zip', 'zipl', 'strip', 'mode', 'cr']) mkdirSync(join(w, d));
  execSync('rm -rf src', { cwd: w });
}

describe('compat: unarchive (differential against ansible-playbook)', function () {
  this.timeout(300_000);
  before(function () {
    skipWithoutAnsible(this);
  });

  it('unpacks tar and zip archives like Ansible, idempotently, and in check mode', async () => {
    const d = await differential(
      `
- hosts: all
  gather_facts: false
  tasks:
    - {name: gz, unarchive: {src: "{{ work }}/app.tgz", dest: "{{ work }}/gz", list_files: true}, register: r}
    - {name: bz, ansible.builtin.unarchive: {src: "{{ work }}/app.tbz2", dest: "{{ work }}/bz", remote_src: true, exclude: ["app/skip.log"]}, register: r}
    - {name: xz, unarchive: {src: "{{ work }}/app.txz", dest: "{{ work }}/xz", remote_src: yes, include: ["app/a.txt"], list_files: true}, register: r}
    - {name: tar, unarchive: {src: "{{ work }}/app.tar", dest: "{{ work }}/tar", copy: false}, register: r}
    - {name: zip, unarchive: {src: "{{ work }}/app.zip", dest: "{{ work }}/zip", remote_src: true, list_files: true}, register: r}
    - {name: zipl, unarchive: {src: "{{ work }}/app.zip", dest: "{{ work }}/zipl", exclude: "app/skip.log"}, register: r}
    - {name: strip, unarchive: {src: "{{ work }}/app.tgz", dest: "{{ work }}/strip", remote_src: true, extra_opts: ["--strip-components=1"], list_files: true}, register: r}
    - {name: mode, unarchive: {src: "{{ work }}/app.tgz", dest: "{{ work }}/mode", remote_src: true, mode: "u=rwX,g=rX,o="}, register: r}
    - {name: creates, unarchive: {src: "{{ work }}/app.tgz", dest: "{{ work }}/cr", remote_src: true, creates: "{{ work }}/gz/app"}, register: r}
    - {name: nodest, unarchive: {src: "{{ work }}/app.tgz", dest: "{{ work }}/nope", remote_src: true}, register: r, ignore_errors: true}
    - {name: nosrc, unarchive: {src: "{{ work }}/nope.tgz", dest: "{{ work }}/gz", remote_src: true}, register: r, ignore_errors: true}
    - {name: notarchive, unarchive: {src: "{{ work }}/gz/app/a.txt", dest: "{{ work }}/gz", remote_src: true}, register: r, ignore_errors: true}
`,
      { setup: archives, runs: 3, runArgs: (i) => (i === 0 ? ['--check'] : []), sequential: false },
    );
    const f = ['changed', 'failed', 'skipped', 'handler', 'dest', 'files', 'mode', 'owner', 'group', 'state', 'uid', 'gid', 'extract_results.rc', 'extract_results.err', 'diff'];
    const cmd = ['extract_results.cmd', 'extract_results.out'];
    const local = Object.fromEntries(['gz', 'zipl'].map((t) => [t, f]));
    const remote = Object.fromEntries(['bz', 'xz', 'tar', 'zip', 'strip', 'mode'].map((t) => [t, [...f, ...cmd, 'src', 'msg']]));
    assertSame(d, { ...local, ...remote, creates: ['changed', 'skipped', 'msg'], nodest: ['failed', 'msg'], nosrc: ['failed', 'msg'], notarchive: ['failed'] });
  });

  it('repairs changed members, keeps newer files, sets owner/group/mode like Ansible (runs as root)', async function () {
    if (process.getuid?.() !== 0) this.skip(); // chown to another group needs root
    const d = await differential(
      `
- hosts: all
  gather_facts: false
  tasks:
    - {name: zip1, unarchive: {src: "{{ work }}/app.zip", dest: "{{ work }}/zip", remote_src: true, group: daemon, mode: "0750"}, register: r}
    - {name: tar1, unarchive: {src: "{{ work }}/app.tgz", dest: "{{ work }}/gz", remote_src: true, owner: daemon}, register: r}
    - {name: edit, shell: "echo edited > {{ work }}/zip/app/a.txt && echo edited > {{ work }}/gz/app/a.txt && touch -d '2030-01-01' {{ work }}/gz/app/a.txt {{ work }}/zip/app/a.txt"}
    - {name: zip2, unarchive: {src: "{{ work }}/app.zip", dest: "{{ work }}/zip", remote_src: true, group: daemon, mode: "0750"}, register: r}
    - {name: keep, unarchive: {src: "{{ work }}/app.tgz", dest: "{{ work }}/gz", remote_src: true, keep_newer: true, owner: daemon}, register: r}
    - {name: rm, file: {path: "{{ work }}/zip/app/sub/b.txt", state: absent}}
    - {name: zip3, unarchive: {src: "{{ work }}/app.zip", dest: "{{ work }}/zip", remote_src: true, keep_newer: true, group: daemon, mode: "0750"}, register: r}
`,
      { setup: archives, runs: 2 },
    );
    const f = ['changed', 'failed', 'handler', 'diff', 'extract_results.rc', 'extract_results.cmd'];
    assertSame(d, { zip1: f, tar1: f, zip2: f, keep: f, zip3: f });
  });

  it('a zip on a host without unzip: the same failure as Ansible (and the check-mode skip)', async () => {
    // PATH: a directory with every program of /usr/bin and /bin except unzip and zipinfo
    const { mkdtempSync, readdirSync, symlinkSync, existsSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const bin = mkdtempSync(join(tmpdir(), 'lvsplay-nounzip-'));
    try {
      for (const d of ['/usr/bin', '/bin']) {
        for (const n of readdirSync(d)) if (n !== 'unzip' && n !== 'zipinfo' && !existsSync(join(bin, n))) symlinkSync(join(d, n), join(bin, n));
      }
      const d = await differential(
        `
- hosts: all
  gather_facts: false
  tasks:
    - {name: zip, unarchive: {src: "{{ work }}/app.zip", dest: "{{ work }}/zip", remote_src: true}, register: r, ignore_errors: true}
`,
        { setup: archives, runs: 2, runArgs: (i) => (i === 0 ? ['--check'] : []), env: { PATH: bin } },
      );
      assertSame(d, { zip: ['changed', 'failed', 'skipped'] });
      const first = (m: unknown): string => String(m).split('\n')[0];
      for (let i = 0; i < 2; i++) assert.equal(first(d.lvsplay.runs[i].tasks.get('zip')?.msg), first(d.ansible.runs[i].tasks.get('zip')?.msg));
      assert.match(String(d.lvsplay.runs[1].tasks.get('zip')?.msg), /Unable to find required 'unzip' or 'zipinfo' binary in the path/);
    } finally {
      rmSync(bin, { recursive: true, force: true });
    }
  });
});
