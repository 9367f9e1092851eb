// stat: registered results compared with ansible-playbook 2.14 on files, a directory, links and a missing path.
import { chmodSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { assertSame, differential, skipWithoutAnsible } from './harness.js';

const STABLE = ['exists', 'path', 'mode', 'isdir', 'ischr', 'isblk', 'isreg', 'isfifo', 'islnk', 'issock', 'uid', 'gid', 'size', 'nlink',
  'wusr', 'rusr', 'xusr', 'wgrp', 'rgrp', 'xgrp', 'woth', 'roth', 'xoth', 'isuid', 'isgid', 'blocks', 'block_size', 'device_type',
  'readable', 'writeable', 'executable', 'lnk_source', 'lnk_target', 'pw_name', 'gr_name', 'checksum', 'md5', 'mimetype', 'charset',
  'attributes', 'attr_flags'].map((k) => `stat.${k}`);

describe('compat: stat (differential against ansible-playbook)', function () {
  this.timeout(120_000);
  before(async function () {
    await skipWithoutAnsible(this);
  });

  it('reports files, directories, links and missing paths as Ansible does', async () => {
    const d = await differential(
      `
- hosts: all
  gather_facts: false
  tasks:
    - {name: file, stat: {path: "{{ work }}/f.txt"}, register: r}
    - {name: exec, stat: {path: "{{ work }}/run.sh", checksum_algorithm: sha256, get_md5: true}, register: r}
    - {name: dir, stat: {path: "{{ work }}/d"}, register: r}
    - {name: link, stat: {path: "{{ work }}/l"}, register: r}
    - {name: follow, stat: {path: "{{ work }}/l", follow: true}, register: r}
    - {name: dangling, stat: {path: "{{ work }}/dangling", follow: true}, register: r}
    - {name: dangling-nofollow, stat: {path: "{{ work }}/dangling"}, register: r}
    - {name: missing, stat: {path: "{{ work }}/nope"}, register: r}
    - {name: nochecksum, stat: {path: "{{ work }}/f.txt", get_checksum: false, get_mime: false, get_attributes: false}, register: r}
    - {name: alias, ansible.builtin.stat: {name: "{{ work }}/bin.dat"}, register: r}
    - name: use
      debug: {msg: "{{ r.stat.exists }} {{ r.stat.isreg }} {{ r.stat.mode }}"}
`,
      {
        setup(w) {
          writeFileSync(join(w, 'f.txt'), 'hello\n');
          writeFileSync(join(w, 'run.sh'), '#!/bin/sh\necho hi\n');
          chmodSync(join(w, 'run.sh'), 0o4751);
          writeFileSync(join(w, 'bin.dat'), Buffer.from([0, 1, 2, 255]));
          mkdirSync(join(w, 'd'));
          chmodSync(join(w, 'd'), 0o2750);
          symlinkSync('f.txt', join(w, 'l'));
          symlinkSync('nowhere', join(w, 'dangling'));
        },
      },
    );
    const all = Object.fromEntries(['file', 'exec', 'dir', 'link', 'follow', 'dangling', 'dangling-nofollow', 'missing', 'nochecksum', 'alias'].map((t) => [t, [...STABLE, 'changed']]));
    assertSame(d, { ...all, use: ['msg'] });
  });
});
