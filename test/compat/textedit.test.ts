// blockinfile and replace: messages, changed/ok counts (first run, second run idempotent), check mode
// and the files left, compared with ansible-playbook 2.14.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { assertSame, differential, skipWithoutAnsible } from './harness.js';

const CONF = `# main config
listen 80
server_name old.example
# tail
`;

describe('compat: blockinfile, replace (differential against ansible-playbook)', function () {
  this.timeout(180_000);
  before(async function () {
    await skipWithoutAnsible(this);
  });

  it('blockinfile inserts, updates, moves and removes blocks like Ansible, idempotently', async () => {
    const d = await differential(
      `
- hosts: all
  gather_facts: false
  tasks:
    - {name: eof, blockinfile: {path: "{{ work }}/a.conf", block: "x 1\\ny 2"}, register: r}
    - {name: after, blockinfile: {path: "{{ work }}/a.conf", marker: "## {mark} two", insertafter: "^listen", block: "z 3"}, register: r}
    - {name: before, blockinfile: {path: "{{ work }}/a.conf", marker: "// {mark}", marker_begin: start, marker_end: stop, insertbefore: "^# tail", block: "w 4\\n"}, register: r}
    - {name: bof, ansible.builtin.blockinfile: {dest: "{{ work }}/a.conf", marker: "; {mark}", insertbefore: BOF, content: top}, register: r}
    - {name: nomatch, blockinfile: {path: "{{ work }}/a.conf", marker: "% {mark}", insertafter: "^nothing", block: last}, register: r}
    - {name: create, blockinfile: {path: "{{ work }}/sub/new.conf", create: true, block: "n 1", mode: "0640"}, register: r}
    - {name: empty-removes, blockinfile: {path: "{{ work }}/b.conf", block: ""}, register: r}
    - {name: absent, blockinfile: {path: "{{ work }}/c.conf", state: absent}, register: r}
    - {name: missing, blockinfile: {path: "{{ work }}/nope.conf", block: x}, register: r, ignore_errors: true}
    - {name: perms, blockinfile: {path: "{{ work }}/c.conf", block: "p", mode: "0600"}, register: r}
`,
      {
        setup(w) {
          writeFileSync(join(w, 'a.conf'), CONF);
          writeFileSync(join(w, 'b.conf'), 'keep\n# BEGIN ANSIBLE MANAGED BLOCK\nold\n# END ANSIBLE MANAGED BLOCK\nkeep too');
          writeFileSync(join(w, 'c.conf'), 'a\n# BEGIN ANSIBLE MANAGED BLOCK\nold\n# END ANSIBLE MANAGED BLOCK\n');
        },
      },
    );
    const f = ['changed', 'msg', 'failed', 'rc'];
    assertSame(d, Object.fromEntries(['eof', 'after', 'before', 'bof', 'nomatch', 'create', 'empty-removes', 'absent', 'missing', 'perms'].map((t) => [t, f])));
  });

  it('blockinfile in check mode reports the change and leaves the file', async () => {
    const d = await differential(`
- hosts: all
  gather_facts: false
  tasks:
    - {name: eof, blockinfile: {path: "{{ work }}/a.conf", block: "x 1"}, register: r}
`, { runs: 1, args: ['--check'], setup: (w) => writeFileSync(join(w, 'a.conf'), CONF) });
    assertSame(d, { eof: ['changed', 'msg'] });
  });

  it('replace substitutes with groups, sections and Python regexps like Ansible, idempotently', async () => {
    const d = await differential(
      `
- hosts: all
  gather_facts: false
  tasks:
    - {name: simple, replace: {path: "{{ work }}/a.conf", regexp: "old\\\\.example", replace: new.example}, register: r}
    - {name: groups, replace: {path: "{{ work }}/a.conf", regexp: "^listen (\\\\d+)$", replace: "listen \\\\1 default_server"}, register: r}
    - {name: named, ansible.builtin.replace: {path: "{{ work }}/b.txt", regexp: "(?P<k>\\\\w+)=(?P<v>\\\\w+)", replace: "\\\\g<v>=\\\\g<k>"}, register: r}
    - {name: section, replace: {path: "{{ work }}/c.txt", after: "\\\\[s2\\\\]", before: "\\\\[s3\\\\]", regexp: "^a=.*$", replace: "a=2"}, register: r}
    - {name: nosection, replace: {path: "{{ work }}/c.txt", after: "\\\\[zz\\\\]", regexp: "a", replace: b}, register: r}
    - {name: delete, replace: {path: "{{ work }}/a.conf", regexp: "^# tail\\\\n"}, register: r}
    - {name: nomatch, replace: {path: "{{ work }}/a.conf", regexp: "^absent line$", replace: x, mode: "0600"}, register: r}
    - {name: missing, replace: {path: "{{ work }}/nope", regexp: x}, register: r, ignore_errors: true}
`,
      {
        setup(w) {
          writeFileSync(join(w, 'a.conf'), CONF);
          writeFileSync(join(w, 'b.txt'), 'one=1 two=2\nthree=3\n');
          writeFileSync(join(w, 'c.txt'), '[s1]\na=1\n[s2]\na=1\nb=1\n[s3]\na=1\n');
        },
      },
    );
    const f = ['changed', 'msg', 'failed', 'rc'];
    assertSame(d, Object.fromEntries(['simple', 'groups', 'named', 'section', 'nosection', 'delete', 'nomatch', 'missing'].map((t) => [t, f])));
  });
});
