// script: output, rc, arguments, chdir, executable, creates/removes and check mode compared with ansible-playbook 2.14.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { assertSame, differential, skipWithoutAnsible } from './harness.js';

describe('compat: script (differential against ansible-playbook)', function () {
  this.timeout(180_000);
  before(async function () {
    await skipWithoutAnsible(this);
  });

  const pb = `
- hosts: all
  gather_facts: false
  tasks:
    - {name: args, script: "hello.sh one 'two words' {{ work }}/made", register: r}
    - {name: chdir, script: "pwd.sh", args: {chdir: "{{ work }}"}, register: r}
    - {name: exe, ansible.builtin.script: "plain.txt", args: {executable: /bin/sh}, register: r}
    - {name: creates, script: "hello.sh a b {{ work }}/other", args: {creates: "{{ work }}/made"}, register: r}
    - {name: removes, script: "hello.sh a b {{ work }}/other", args: {removes: "{{ work }}/nope"}, register: r}
    - {name: fails, script: fail.sh, register: r, ignore_errors: true}
`;
  const setup = (w: string): void => {
    const files = join(w, '..', 'files');
    mkdirSync(files);
    writeFileSync(join(files, 'hello.sh'), '#!/bin/sh\necho "1=$1 2=$2"\necho warn >&2\ntouch "$3"\n', { mode: 0o644 });
    writeFileSync(join(files, 'pwd.sh'), '#!/bin/sh\npwd\n');
    writeFileSync(join(files, 'plain.txt'), 'echo "no shebang $0" | sed "s/ .*\\//:/"\n');
    writeFileSync(join(files, 'fail.sh'), '#!/bin/sh\necho out\nexit 4\n');
  };
  const f = ['changed', 'failed', 'skipped', 'msg', 'rc', 'stdout', 'stdout_lines', 'stderr', 'stderr_lines'];
  const all = Object.fromEntries(['args', 'chdir', 'exe', 'creates', 'removes', 'fails'].map((t) => [t, f]));

  it('runs controller scripts on the host like Ansible', async () => {
    assertSame(await differential(pb, { setup }), all);
  });

  it('check mode: skipped, or changed with creates/removes', async () => {
    assertSame(await differential(pb, { setup, runs: 1, args: ['--check'] }), all);
  });
});
