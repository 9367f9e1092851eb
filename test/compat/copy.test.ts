// copy: recursive directory copies from the controller (src: dir and src: dir/, directory_mode)
// and remote_src file copies (mode, backup, force, validate), over two runs (the second unchanged)
// and in check mode, compared with ansible-playbook 2.14.
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { assertSame, differential, skipWithoutAnsible } from './harness.js';

function tree(w: string): void {
  mkdirSync(join(w, 'sd/sub/deep'), { recursive: true });
  writeFileSync(join(w, 'sd/a.txt'), 'a\n');
  writeFileSync(join(w, 'sd/run.sh'), '#!/bin/sh\n');
  chmodSync(join(w, 'sd/run.sh'), 0o755);
  writeFileSync(join(w, 'sd/sub/b.txt'), 'b\n');
  writeFileSync(join(w, 'sd/sub/deep/c.bin'), Buffer.from([0, 1, 2, 255]));
  writeFileSync(join(w, 'sd/sub/empty'), '');
  mkdirSync(join(w, 'out'));
  mkdirSync(join(w, 'one'));
  writeFileSync(join(w, 'one/x.conf'), 'x=1\n');
  mkdirSync(join(w, 'out2/sub'), { recursive: true });
  writeFileSync(join(w, 'out2/sub/b.txt'), 'old\n');
  chmodSync(join(w, 'out2/sub/b.txt'), 0o600);
  writeFileSync(join(w, 'rsrc.txt'), 'remote\n');
  chmodSync(join(w, 'rsrc.txt'), 0o640);
  writeFileSync(join(w, 'rold.txt'), 'old\n');
  writeFileSync(join(w, 'rkeep.txt'), 'keep\n');
}

const DIRS = `
    - {name: contents, copy: {src: "{{ work }}/sd/", dest: "{{ work }}/out/", directory_mode: "0750"}, register: r}
    - {name: itself, copy: {src: "{{ work }}/sd", dest: "{{ work }}/out2"}, register: r}
    - {name: newdest, copy: {src: "{{ work }}/sd/", dest: "{{ work }}/new/x", mode: "0600"}, register: r}
    - {name: preserve, ansible.builtin.copy: {src: "{{ work }}/sd", dest: "{{ work }}/pres/", mode: preserve}, register: r}
    - {name: onefile, copy: {src: "{{ work }}/one/", dest: "{{ work }}/out/"}, register: r}
    - {name: noforce, copy: {src: "{{ work }}/sd", dest: "{{ work }}/out2", force: false}, register: r}
    - {name: content-preserve, copy: {content: boo, dest: "{{ work }}/cpres.txt", mode: preserve}, register: r}
`;
const REMOTE = `
    - {name: remote, copy: {src: "{{ work }}/rsrc.txt", dest: "{{ work }}/rdest.txt", remote_src: true}, register: r}
    - {name: remote-mode, copy: {src: "{{ work }}/rsrc.txt", dest: "{{ work }}/rdest2.txt", remote_src: true, mode: "0604"}, register: r}
    - {name: remote-over, copy: {src: "{{ work }}/rsrc.txt", dest: "{{ work }}/rold.txt", remote_src: true}, register: r}
    - {name: remote-keep, copy: {src: "{{ work }}/rsrc.txt", dest: "{{ work }}/rkeep.txt", remote_src: true, force: false}, register: r}
    - {name: remote-intodir, copy: {src: "{{ work }}/rsrc.txt", dest: "{{ work }}/out/", remote_src: true}, register: r}
    - {name: remote-validate, copy: {src: "{{ work }}/rsrc.txt", dest: "{{ work }}/rval.txt", remote_src: true, validate: "grep -q nomatch %s"}, register: r, ignore_errors: true}
    - {name: remote-valid, copy: {src: "{{ work }}/rsrc.txt", dest: "{{ work }}/rval2.txt", remote_src: true, validate: "grep -q remote %s", mode: "0640"}, register: r}
    - {name: remote-missing, copy: {src: "{{ work }}/nope", dest: "{{ work }}/x", remote_src: true}, register: r, ignore_errors: true}
`;
const RFIELDS = ['changed', 'failed', 'dest', 'src', 'checksum', 'md5sum', 'size', 'mode', 'state', 'owner', 'group'];

describe('compat: copy directories and remote_src (differential against ansible-playbook)', function () {
  this.timeout(240_000);
  before(async function () {
    await skipWithoutAnsible(this);
  });

  it('copies directory trees (dir and dir/), idempotently, with Ansible result fields and files', async () => {
    const d = await differential(`
- hosts: all
  gather_facts: false
  tasks:${DIRS}`, { setup: tree });
    assertSame(d, { ...Object.fromEntries(['contents', 'itself', 'newdest', 'preserve', 'noforce'].map((t) => [t, ['changed', 'failed', 'dest', 'src', 'msg']])), 'content-preserve': ['changed', 'failed', 'mode', 'dest'], onefile: ['changed', 'dest', 'checksum', 'md5sum', 'size', 'mode', 'state', 'owner']});
  });

  it('copies files on the host with remote_src, idempotently', async () => {
    const d = await differential(`
- hosts: all
  gather_facts: false
  tasks:${REMOTE}`, { setup: tree });
    assertSame(d, { ...Object.fromEntries(['remote', 'remote-mode', 'remote-over', 'remote-keep', 'remote-intodir', 'remote-missing', 'remote-valid'].map((t) => [t, RFIELDS])), 'remote-validate': ['changed', 'failed', 'msg'] });
  });

  it('check mode changes nothing and reports the same changes', async () => {
    const d = await differential(`
- hosts: all
  gather_facts: false
  tasks:${DIRS}${REMOTE}`, { setup: tree, runs: 1, args: ['--check', '--diff'] });
    assertSame(d, Object.fromEntries(['contents', 'itself', 'remote', 'remote-over', 'remote-keep'].map((t) => [t, ['changed', 'failed']])));
  });

  it("check mode: a content change returns only `changed` (no dest, src, checksum), an unchanged file its fields, as Ansible's copy action", async () => {
    const d = await differential(
      `
- hosts: all
  gather_facts: false
  tasks:
    - name: seed
      copy: {content: "same\\n", dest: "{{ work }}/same.txt", mode: "0644"}
      check_mode: false
    - name: src new
      copy: {src: f.txt, dest: "{{ work }}/new.txt", mode: "0644"}
    - name: content over
      copy: {content: "other\\n", dest: "{{ work }}/same.txt"}
    - name: unchanged
      copy: {content: "same\\n", dest: "{{ work }}/same.txt", mode: "0644"}
    - name: template new
      template: {src: t.j2, dest: "{{ work }}/t.txt"}
`,
      {
        runs: 1,
        args: ['--check'],
        beside(dir) {
          writeFileSync(join(dir, 'f.txt'), 'from a file\n');
          writeFileSync(join(dir, 't.j2'), '{{ 6 * 7 }}\n');
        },
      },
    );
    const keys = ['changed', 'dest', 'src', 'checksum', 'md5sum', 'size', 'path', 'mode'];
    assertSame(d, { 'src new': keys, 'content over': keys, unchanged: keys, 'template new': keys });
  });
});
