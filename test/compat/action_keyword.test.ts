// Ansible's old-style task forms: `action: module k=v`, `action: {module: m, ...}` (with `args:`),
// `local_action:` (delegated to localhost), in tasks and handlers — run by lvsplay and by
// ansible-playbook 2.14: the same exit code, recap and files written.
import { assertBothSame, skipWithoutOracle } from './oracle.js';

describe('compat: the action and local_action task keywords (differential, connection: local)', function () {
  this.timeout(240_000);
  before(function () {
    skipWithoutOracle(this);
  });

  it('action as a string and as a mapping, with args:, free-form commands, local_action, a handler', () => {
    assertBothSame({
      'inventory.ini': 'h1 ansible_connection=local\n',
      'pb.yml': `- hosts: all
  gather_facts: false
  tasks:
    - action: copy content=hello dest={{ out }}/a.txt
      notify: wrote
    - action:
        module: copy
        content: mapped
        dest: "{{ out }}/b.txt"
    - action: slurp
      args: { src: "{{ out }}/a.txt" }
      register: s
    - action: shell echo {{ s.content | b64decode }} > {{ out }}/c.txt
    - local_action: command echo local
      register: l
    - local_action:
        module: copy
        content: "{{ l.stdout }} {{ s.content | b64decode }} {{ l.changed }}"
        dest: "{{ out }}/d.txt"
    - name: a named one
      action: ansible.builtin.stat path={{ out }}/a.txt
      register: st
    - action: copy content="{{ st.stat.size }}" dest={{ out }}/e.txt
  handlers:
    - name: wrote
      action: copy content=handled dest={{ out }}/h.txt
`,
    });
  });
});
