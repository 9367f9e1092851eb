// tempfile: created files/directories (name shape, mode, state, owner) compared with ansible-playbook 2.14; check mode skips.
import { assertSame, differential, skipWithoutAnsible } from './harness.js';

describe('compat: tempfile (differential against ansible-playbook)', function () {
  this.timeout(120_000);
  before(async function () {
    await skipWithoutAnsible(this);
  });

  it('creates unique files and directories with Ansible result fields; skipped in check mode', async () => {
    const d = await differential(
      `
- hosts: all
  gather_facts: false
  tasks:
    - {name: file, tempfile: {path: "{{ work }}", prefix: pre., suffix: .conf}, register: f}
    - {name: dir, ansible.builtin.tempfile: {state: directory, path: "{{ work }}"}, register: t}
    - name: shape
      debug:
        msg: "{{ f.path | default('') | regex_replace('[A-Za-z0-9_]{8}', 'R') }} {{ t.path | default('') | regex_replace('[A-Za-z0-9_]{8}', 'R') }}"
    - {name: file-stat, stat: {path: "{{ f.path }}"}, register: s, when: f.path is defined}
    - {name: dir-stat, stat: {path: "{{ t.path }}"}, register: s, when: t.path is defined}
    - {name: cleanup, command: "rm -rf {{ f.path }} {{ t.path }}", when: f.path is defined}
`,
      { runArgs: (i) => (i === 1 ? ['--check'] : []) },
    );
    const attrs = ['uid', 'gid', 'owner', 'group', 'mode', 'state', 'size', 'changed', 'skipped', 'msg'];
    assertSame(d, { file: attrs, dir: attrs, shape: ['msg'], 'file-stat': ['stat.isreg', 'stat.mode', 'skipped'], 'dir-stat': ['stat.isdir', 'stat.mode', 'skipped'] });
  });
});
