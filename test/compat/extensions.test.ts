// Arguments real roles pass to lineinfile, command and copy, compared with ansible-playbook 2.14:
// results, counts over two runs, and files.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { assertSame, differential, skipWithoutAnsible } from './harness.js';

describe('compat: lineinfile, command, copy arguments (differential against ansible-playbook)', function () {
  this.timeout(180_000);
  before(async function () {
    await skipWithoutAnsible(this);
  });

  it('lineinfile: search_string, firstmatch, insertbefore, backrefs, create', async () => {
    const d = await differential(
      `
- hosts: all
  gather_facts: false
  tasks:
    - {name: search, lineinfile: {path: "{{ work }}/a.conf", search_string: "Listen 80", line: "Listen 8080"}, register: r}
    - {name: first, lineinfile: {path: "{{ work }}/a.conf", insertafter: "^#", firstmatch: true, line: "after-first-comment"}, register: r}
    - {name: last, lineinfile: {path: "{{ work }}/a.conf", insertafter: "^#", line: "after-last-comment"}, register: r}
    - {name: before, lineinfile: {path: "{{ work }}/a.conf", insertbefore: "^#", firstmatch: true, line: "before-first"}, register: r}
    - {name: backrefs, lineinfile: {path: "{{ work }}/a.conf", regexp: "^(User) (\\\\w+)$", line: "\\\\1 www-data # was \\\\2", backrefs: true}, register: r}
    - {name: absent, lineinfile: {path: "{{ work }}/a.conf", search_string: "Remove", state: absent}, register: r}
    - {name: create, lineinfile: {path: "{{ work }}/new.conf", line: "x=1", create: true, mode: "0600"}, register: r}
`,
      { setup: (w) => writeFileSync(join(w, 'a.conf'), '# one\nListen 80\n# two\nUser apache\nRemove me\nRemove too\n') },
    );
    const f = ['changed', 'failed', 'msg', 'backup'];
    assertSame(d, Object.fromEntries(['search', 'first', 'last', 'before', 'backrefs', 'absent', 'create'].map((t) => [t, f])));
  });

  it('command: argv, stdin, stdin_add_newline, chdir, creates, removes', async () => {
    const d = await differential(
      `
- hosts: all
  gather_facts: false
  tasks:
    - {name: argv, command: {argv: [printf, "%s|", "a b", "$HOME", "*"]}, register: r}
    - {name: stdin, command: {cmd: cat, stdin: "piped"}, register: r}
    - {name: nonl, command: {cmd: od -c, stdin: "x", stdin_add_newline: false}, register: r}
    - {name: chdir, command: pwd, args: {chdir: "{{ work }}"}, register: r}
    - {name: creates, command: "touch {{ work }}/made", args: {creates: "{{ work }}/made"}, register: r}
    - {name: removes, command: "rm {{ work }}/gone", args: {removes: "{{ work }}/gone"}, register: r}
`,
      { setup: (w) => writeFileSync(join(w, 'gone'), 'x') },
    );
    const f = ['changed', 'failed', 'msg', 'rc', 'stdout', 'stdout_lines', 'stderr', 'cmd'];
    assertSame(d, Object.fromEntries(['argv', 'stdin', 'nonl', 'chdir', 'creates', 'removes'].map((t) => [t, f])));
  });

  it('copy: content, force: false, mode, backup on change', async () => {
    const d = await differential(
      `
- hosts: all
  gather_facts: false
  tasks:
    - {name: content, copy: {dest: "{{ work }}/c.txt", content: "hello\\n", mode: "0640"}, register: r}
    - {name: noforce, copy: {dest: "{{ work }}/keep.txt", content: "new\\n", force: false}, register: r}
    - {name: noforce-new, copy: {dest: "{{ work }}/fresh.txt", content: "fresh\\n", force: false}, register: r}
`,
      { setup: (w) => writeFileSync(join(w, 'keep.txt'), 'old\n') },
    );
    const f = ['changed', 'failed', 'msg', 'dest', 'checksum', 'size', 'mode'];
    assertSame(d, Object.fromEntries(['content', 'noforce', 'noforce-new'].map((t) => [t, f])));
  });
});
