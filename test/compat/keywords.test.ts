// Keyword inheritance and templating at every level (play, block, role, import, include, task),
// run by lvsplay and by ansible-playbook 2.14 on the same files: the same exit code, the same recap
// and the same files left behind. A difference is a failure, printed with both outputs.
import assert from 'node:assert/strict';
import { runBoth, skipWithoutOracle } from './oracle.js';

const INV = 'h1 ansible_connection=local\nh2 ansible_connection=local\n';

function same(files: Record<string, string>, args: string[] = []): void {
  const { lvsplay, ansible } = runBoth({ 'inventory.ini': INV, ...files }, args);
  const view = (o: typeof lvsplay) => ({ rc: o.rc, recap: o.recap, files: o.files });
  assert.deepEqual(view(lvsplay), view(ansible), `lvsplay and ansible-playbook differ\n--- lvsplay:\n${lvsplay.output}\n--- ansible-playbook:\n${ansible.output}`);
  assert.ok(Object.keys(ansible.recap).length > 0, `no recap from ansible-playbook:\n${ansible.output}`);
}

describe('compat: task keywords resolved as ansible-playbook 2.14 does (differential, connection: local)', function () {
  this.timeout(240_000);
  before(function () {
    skipWithoutOracle(this);
  });

  it('check_mode on the play (the play changes nothing), overridden by a templated block value, and back by a task', () => {
    same({
      'pb.yml': `
- hosts: all
  gather_facts: false
  check_mode: true
  tasks:
    - copy: { dest: "{{ out }}/{{ inventory_hostname }}.play", content: "play\\n" }
    - block:
        - copy: { dest: "{{ out }}/{{ inventory_hostname }}.block", content: "block\\n" }
        - copy: { dest: "{{ out }}/{{ inventory_hostname }}.task", content: "task\\n" }
          check_mode: "{{ 'yes' }}"
      check_mode: "{{ inventory_hostname == 'h1' }}"
`,
    });
  });

  it('--check on the command line; check_mode: false on a task still runs it', () => {
    same(
      {
        'pb.yml': `
- hosts: all
  gather_facts: false
  tasks:
    - copy: { dest: "{{ out }}/{{ inventory_hostname }}.a", content: "a\\n" }
    - copy: { dest: "{{ out }}/{{ inventory_hostname }}.b", content: "b\\n" }
      check_mode: false
    - command: "touch {{ out }}/{{ inventory_hostname }}.c"
`,
      },
      ['--check'],
    );
  });

  it('environment merges play < block < task, inner keys win, values templated', () => {
    same({
      'pb.yml': `
- hosts: all
  gather_facts: false
  environment: { A: play, B: play, HOSTNAME_SEEN: "{{ inventory_hostname }}" }
  tasks:
    - block:
        - shell: 'echo "$A $B $C $HOSTNAME_SEEN" > {{ out }}/{{ inventory_hostname }}.env'
          environment: { C: task }
      environment: { B: block, C: block }
`,
    });
  });

  it('ignore_errors templated on a block; any_errors_fatal templated on the play stops every host', () => {
    same({
      'pb.yml': `
- hosts: all
  gather_facts: false
  vars: { tolerate: true }
  tasks:
    - block:
        - command: /bin/false
      ignore_errors: "{{ tolerate }}"
    - copy: { dest: "{{ out }}/{{ inventory_hostname }}.after-ignored", content: "x\\n" }
- hosts: all
  gather_facts: false
  any_errors_fatal: "{{ 'true' }}"
  tasks:
    - command: /bin/false
      when: inventory_hostname == 'h1'
    - copy: { dest: "{{ out }}/{{ inventory_hostname }}.after-fatal", content: "x\\n" }
`,
    });
  });

  it('run_once templated on a block; no_log templated on the play hides nothing that changes the outcome', () => {
    same({
      'pb.yml': `
- hosts: all
  gather_facts: false
  no_log: "{{ 1 == 1 }}"
  tasks:
    - block:
        - copy: { dest: "{{ out }}/{{ inventory_hostname }}.once", content: "once\\n" }
      run_once: "{{ 'yes' }}"
    - copy: { dest: "{{ out }}/{{ inventory_hostname }}.each", content: "each\\n" }
`,
    });
  });

  it('gather_facts templated false gathers nothing; become and become_user templated', () => {
    same({
      'pb.yml': `
- hosts: all
  gather_facts: "{{ gather | default(false) | bool }}"
  tasks:
    - copy:
        dest: "{{ out }}/{{ inventory_hostname }}.facts"
        content: "defined={{ ansible_distribution is defined }}\\n"
    - command: id -un
      register: who
      become: "{{ true }}"
      become_user: "{{ lookup('env', 'USER') | default('root', true) }}"
      changed_when: false
    - copy: { dest: "{{ out }}/{{ inventory_hostname }}.who", content: "{{ who.stdout }}\\n" }
`,
    });
  });

  it('keywords of an import (static) pass to its tasks; of include_tasks (dynamic) they act on the include only', () => {
    for (const args of [[], ['--tags', 't1']]) {
      same(
        {
          'inc.yml': `
- set_fact: { go: false }
- copy: { dest: "{{ out }}/{{ inventory_hostname }}.{{ label }}", content: "x\\n" }
`,
          'pb.yml': `
- hosts: all
  gather_facts: false
  tasks:
    - import_tasks: inc.yml
      vars: { label: imported }
      when: go | default(true)
      tags: [t1]
    - set_fact: { go: true }
      tags: [t1]
    - include_tasks: inc.yml
      vars: { label: included }
      when: go | default(true)
      tags: [t1]
`,
        },
        args,
      );
    }
  });

  it('role keywords (become, when on the role entry) pass to every task of the role', () => {
    same({
      'roles/r/tasks/main.yml': `
- copy: { dest: "{{ out }}/{{ inventory_hostname }}.role", content: "{{ role_name }}\\n" }
`,
      'pb.yml': `
- hosts: all
  gather_facts: false
  roles:
    - role: r
      when: inventory_hostname == 'h2'
      become: "{{ false }}"
`,
    });
  });

  it("a role's handlers inherit the keywords of the role's application: a roles: entry, a dependency, import_role", () => {
    const role = (n: string) => ({
      [`roles/${n}/tasks/main.yml`]: `- { command: "true", notify: ${n}-handler, changed_when: true }\n`,
      [`roles/${n}/handlers/main.yml`]: `- name: ${n}-handler\n  shell: 'echo "$MARK" > {{ out }}/{{ inventory_hostname }}.${n}'\n`,
    });
    same({
      ...role('entry'),
      ...role('dep'),
      ...role('checked'),
      ...role('imported'),
      'roles/outer/meta/main.yml': 'dependencies:\n  - role: dep\n    environment: { MARK: from-dependency }\n',
      'roles/outer/tasks/main.yml': '- { command: "true" }\n',
      'pb.yml': `
- hosts: all
  gather_facts: false
  environment: { MARK: from-play }
  roles:
    - role: entry
      environment: { MARK: from-role-entry }
    - role: outer
    - role: checked
      check_mode: true
  tasks:
    - import_role: { name: imported }
      environment: { MARK: from-import }
`,
    });
  });

  it('timeout templated on a task (it fails past it), throttle templated on a block', () => {
    same({
      'pb.yml': `
- hosts: all
  gather_facts: false
  vars: { secs: 1 }
  tasks:
    - block:
        - command: sleep 6
          timeout: "{{ secs }}"
          ignore_errors: true
        - copy: { dest: "{{ out }}/{{ inventory_hostname }}.t", content: "t\\n" }
      throttle: "{{ secs }}"
`,
    });
  });

  it('play order (inventory, reverse_inventory, sorted, reverse_sorted) with serial: 1 works the hosts in that order', () => {
    for (const order of ['inventory', 'reverse_inventory', 'sorted', 'reverse_sorted']) {
      same({
        'inventory.ini': 'b ansible_connection=local\na ansible_connection=local\nc ansible_connection=local\n',
        'pb.yml': `
- hosts: all
  gather_facts: false
  order: ${order}
  serial: 1
  tasks:
    - shell: echo {{ inventory_hostname }} >> {{ out }}/order
`,
      });
    }
  });

  it('module_defaults on the play, a block (templated) and a task merge per argument; the task\'s own arguments win; FQCN keys match short names', () => {
    same({
      'pb.yml': `
- hosts: all
  gather_facts: false
  vars: { greeting: block }
  module_defaults:
    copy: { content: "play\\n", mode: "0600" }
  tasks:
    - copy: { dest: "{{ out }}/{{ inventory_hostname }}.play" }
    - block:
        - copy: { dest: "{{ out }}/{{ inventory_hostname }}.block" }
        - copy: { dest: "{{ out }}/{{ inventory_hostname }}.task", content: "own\\n" }
        - ansible.builtin.copy: { dest: "{{ out }}/{{ inventory_hostname }}.fqcn" }
          module_defaults:
            ansible.builtin.copy: { content: "fqcn\\n" }
      module_defaults:
        copy: { content: "{{ greeting }}\\n" }
    - shell: stat -c %a {{ out }}/{{ inventory_hostname }}.play > {{ out }}/{{ inventory_hostname }}.mode
`,
    });
  });
});
