// Path arguments are expanded on the host as AnsibleModule's `path` type does (expandvars, then
// expanduser, in the module's environment): `~`, `~user`, `$VAR` and `${VAR}` — an unset variable
// stays as written; copy/template `dest` get their `~` from the action plugin first (the account's
// home of the connecting or become user, not HOME of any environment). Before, lvsplay took
// `path: ~/x` literally and made a directory named `~` in its working directory. Differential
// against ansible-playbook 2.14: the module's HOME set by the play's `environment` (inside each
// tool's scratch directory); results, counts and files compared. copy/template to `~` are checked
// with `--check` (the account's home is the machine's real one: nothing is written there).
import { writeFileSync } from 'node:fs';
import { assertSame, differential, skipWithoutAnsible } from './harness.js';

describe('compat: ~ and $VAR in path arguments expand on the host (differential against ansible-playbook)', function () {
  this.timeout(240_000);
  before(async function () {
    await skipWithoutAnsible(this);
  });

  it('file, lineinfile, stat, command chdir/creates, find paths, template and copy dest; twice', async () => {
    const d = await differential(
      `
- hosts: all
  gather_facts: false
  environment:
    HOME: "{{ work }}/home"
    APPDIR: "{{ work }}/app"
  tasks:
    - name: home
      file: {path: "~", state: directory, mode: "0755"}
    - name: conf dir
      file: {path: "~/conf.d", state: directory, mode: "0755"}
    - name: a line
      lineinfile: {path: "~/conf.d/app.conf", line: "x=1", create: true, mode: "0644"}
    - name: var dir
      file: {path: "$APPDIR/data", state: directory, mode: "0755"}
    - name: braces and an unset variable
      file: {path: "\${APPDIR}/n$LVSPLAY_SURELY_UNSET", state: directory, mode: "0755"}
    - name: stat
      stat: {path: "~/conf.d/app.conf", get_checksum: false}
    - name: creates
      command: {cmd: "touch done", chdir: "~", creates: "~/done"}
    - name: find
      find: {paths: ["~/conf.d", "$APPDIR"], file_type: any}
    - name: template
      template: {src: t.j2, dest: "~/lvsplay-hostpaths-t.txt", mode: "0644"}
      check_mode: true
    - name: copy
      copy: {content: "c\\n", dest: "$APPDIR/c.txt", mode: "0644"}
    - name: copy home
      copy: {content: "h\\n", dest: "~/lvsplay-hostpaths-h.txt", mode: "0644"}
      check_mode: true
    - name: root home
      stat: {path: "~root", get_checksum: false}
    - name: unknown user stays literal
      stat: {path: "~lvsplay-no-such-user/x", get_checksum: false}
`,
      {
        runs: 2,
        beside(dir) {
          writeFileSync(`${dir}/t.j2`, 'home is {{ 1 + 1 }}\n');
        },
      },
    );
    assertSame(d, {
      home: ['changed', 'path', 'state'],
      'conf dir': ['changed', 'path'],
      'a line': ['changed', 'msg'],
      'var dir': ['changed', 'path'],
      'braces and an unset variable': ['changed', 'path'],
      stat: ['stat.exists', 'stat.path', 'stat.isreg'],
      creates: ['changed', 'stdout', 'rc'],
      find: ['matched', 'examined'],
      template: ['changed', 'dest'],
      copy: ['changed', 'dest'],
      'copy home': ['changed', 'dest'],
      'root home': ['stat.exists', 'stat.path', 'stat.isdir'],
      'unknown user stays literal': ['stat.exists'],
    });
  });
});
