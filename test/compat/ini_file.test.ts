// ini_file (and community.general.ini_file): messages, counts over two runs, check mode and files,
// compared with ansible-playbook 2.14 + community.general.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { assertSame, differential, skipWithoutAnsible } from './harness.js';

const INI = `; top comment
global = 1
[main]
# a comment
key = old
;commented = 5
other=1

[repeat]
v = 1
v = 2
v = 3
[drop]
x = 1
`;

describe('compat: ini_file (differential against ansible-playbook)', function () {
  this.timeout(180_000);
  before(async function () {
    await skipWithoutAnsible(this);
  });

  it('sets, adds, comments-in, removes options and sections like community.general.ini_file', async () => {
    const d = await differential(
      `
- hosts: all
  gather_facts: false
  tasks:
    - {name: change, ini_file: {path: "{{ work }}/a.ini", section: main, option: key, value: new}, register: r}
    - {name: add, community.general.ini_file: {path: "{{ work }}/a.ini", section: main, option: added, value: 2, no_extra_spaces: true}, register: r}
    - {name: uncomment, ini_file: {path: "{{ work }}/a.ini", section: main, option: commented, value: "5"}, register: r}
    - {name: global, ini_file: {path: "{{ work }}/a.ini", section: null, option: global, value: "2"}, register: r}
    - {name: newsection, ini_file: {path: "{{ work }}/a.ini", section: fresh, option: a, value: b}, register: r}
    - {name: values, ini_file: {path: "{{ work }}/a.ini", section: repeat, option: v, values: ["3", "4"]}, register: r}
    - {name: nonexclusive, ini_file: {path: "{{ work }}/a.ini", section: repeat, option: w, values: ["1"], exclusive: false}, register: r}
    - {name: rm-option, ini_file: {path: "{{ work }}/a.ini", section: main, option: other, state: absent}, register: r}
    - {name: rm-section, ini_file: {path: "{{ work }}/a.ini", section: drop, state: absent}, register: r}
    - {name: novalue, ini_file: {path: "{{ work }}/a.ini", section: flags, option: skip-name, allow_no_value: true}, register: r}
    - {name: create, ini_file: {path: "{{ work }}/sub/new.ini", section: s, option: o, value: v, mode: "0600"}, register: r}
    - {name: nocreate, ini_file: {path: "{{ work }}/none.ini", section: s, option: o, value: v, create: false}, register: r, ignore_errors: true}
    - {name: novalue-error, ini_file: {path: "{{ work }}/a.ini", section: s, option: o}, register: r, ignore_errors: true}
    - {name: nonewline, ini_file: {path: "{{ work }}/b.ini", section: s, option: o, value: v}, register: r}
`,
      {
        setup(w) {
          writeFileSync(join(w, 'a.ini'), INI);
          writeFileSync(join(w, 'b.ini'), '[s]\no = v');
        },
      },
    );
    const f = ['changed', 'msg', 'failed', 'path', 'rc'];
    assertSame(d, Object.fromEntries(['change', 'add', 'uncomment', 'global', 'newsection', 'values', 'nonexclusive', 'rm-option', 'rm-section', 'novalue', 'create', 'nocreate', 'novalue-error', 'nonewline'].map((t) => [t, f])));
  });

  it('check mode reports the change and leaves the file', async () => {
    const d = await differential(`
- hosts: all
  gather_facts: false
  tasks:
    - {name: change, ini_file: {path: "{{ work }}/a.ini", section: main, option: key, value: new}, register: r}
`, { runs: 1, args: ['--check'], setup: (w) => writeFileSync(join(w, 'a.ini'), INI) });
    assertSame(d, { change: ['changed', 'msg'] });
  });
});
