// The YAML tag `!unsafe`: a string, list or mapping written with it is data, never a template —
// wherever it is written (play, block and task vars, vars files, role defaults, group_vars, inventory,
// module arguments, loops) and wherever it is copied (set_fact, filters, loops, combine). Run by
// lvsplay and by ansible-playbook 2.14 on the same files: the same exit code, recap and files.
import assert from 'node:assert/strict';
import { runBoth, skipWithoutOracle } from './oracle.js';

const INV = 'h1 ansible_connection=local\nh2 ansible_connection=local\n';

function same(files: Record<string, string>): void {
  const { lvsplay, ansible } = runBoth({ 'inventory.ini': INV, ...files });
  const view = (o: typeof lvsplay) => ({ rc: o.rc, recap: o.recap, files: o.files });
  assert.deepEqual(view(lvsplay), view(ansible), `lvsplay and ansible-playbook differ\n--- lvsplay:\n${lvsplay.output}\n--- ansible-playbook:\n${ansible.output}`);
  assert.ok(Object.keys(ansible.recap).length > 0, `no recap from ansible-playbook:\n${ansible.output}`);
  assert.ok(Object.keys(ansible.files).length > 0, 'the runs wrote nothing to compare');
}

const dump = (name: string, expr: string): string => `    - copy: { dest: "{{ out }}/{{ inventory_hostname }}-${name}", content: "{{ ${expr} | to_json }}" }\n`;

describe('compat: the YAML tag !unsafe (differential, connection: local)', function () {
  this.timeout(240_000);
  before(function () {
    skipWithoutOracle(this);
  });

  it('strings, lists and mappings tagged !unsafe stay literal; a template with the same text is still rendered', () => {
    same({
      'pb.yml': `- hosts: all
  gather_facts: false
  vars:
    secret_word: RENDERED
    word: !unsafe '{{ secret_word }}'
    sentence: !unsafe "a {{ secret_word }} and {% if true %}x{% endif %}"
    words: !unsafe ['w{{ secret_word }}', plain, 3]
    table: !unsafe
      key: 'k{{ secret_word }}'
      other: "{{ secret_word }}"
    same_text_template: 'w{{ secret_word }}'
    same_text_again: '{{ secret_word }}'
  tasks:
${dump('word', 'word')}${dump('sentence', 'sentence')}${dump('words', 'words')}${dump('table', 'table')}${dump('templates', '[same_text_template, same_text_again]')}${dump('compare', '[words[0] == same_text_template, word == same_text_again, word | length]')}`,
    });
  });

  it('!unsafe values copied by set_fact, filters, combine and join stay literal; safe parts of the same render are rendered', () => {
    same({
      'pb.yml': `- hosts: all
  gather_facts: false
  vars:
    target: SEEN
    raw: !unsafe '{{ target }}'
    rawlist: !unsafe ['x{{ target }}', y]
    rawmap: !unsafe { a: '{{ target }}' }
  tasks:
    - set_fact:
        copied: "{{ raw }}"
        folded: >
          {{ raw }}
        joined: "{{ rawlist | join('+') }}"
        merged: "{{ rawmap | combine({'b': '{{ target }}' }) }}"
        upper: "{{ raw | upper }}"
        listed: "{{ [raw, target] }}"
    - set_fact:
        second_hop: "{{ copied }}"
        third_hop: "{{ merged.a }}"
${dump('copied', '[copied, folded, joined, merged, upper, listed]')}${dump('hops', '[second_hop, third_hop, second_hop == raw]')}`,
    });
  });

  it('module arguments, loop lists and loop items tagged !unsafe are not templated; files written with !unsafe content are literal', () => {
    same({
      'pb.yml': `- hosts: all
  gather_facts: false
  vars:
    v: VALUE
    items_var: !unsafe ['{{ v }}', 'b{{ v }}']
  tasks:
    - copy:
        dest: "{{ out }}/{{ inventory_hostname }}-content"
        content: !unsafe "{{ v }} {% raw %}{% endraw %}"
    - copy: { dest: "{{ out }}/{{ inventory_hostname }}-loop-{{ idx }}", content: "{{ item }}" }
      loop: !unsafe ['{{ v }}', '{# c #}']
      loop_control: { index_var: idx }
    - copy: { dest: "{{ out }}/{{ inventory_hostname }}-var-{{ idx }}", content: "{{ item }}" }
      loop: "{{ items_var }}"
      loop_control: { index_var: idx }
    - name: !unsafe "name {{ v }}"
      copy: { dest: "{{ out }}/{{ inventory_hostname }}-named", content: "{{ v }}" }
`,
    });
  });

  it('!unsafe in vars files, role defaults and vars, group_vars and a YAML inventory', () => {
    same({
      'group_vars/all.yml': "from_group: !unsafe '{{ nope }}'\n",
      'vf.yml': "from_file: !unsafe ['{{ nope }}']\n",
      'roles/r/defaults/main.yml': "from_defaults: !unsafe '{% nope %}'\n",
      'roles/r/vars/main.yml': "from_role_vars: !unsafe { k: '{{ nope }}' }\n",
      'roles/r/tasks/main.yml': dump('role', '[from_defaults, from_role_vars, from_group, from_file]').replace(/^ {4}/, ''),
      'pb.yml': `- hosts: all
  gather_facts: false
  vars_files: [vf.yml]
  roles: [r]
  tasks:
${dump('play', '[from_group, from_file]')}`,
    });
  });

  it('conditions on !unsafe values: compared as data; a condition that renders to unsafe text fails as in Ansible', () => {
    same({
      'pb.yml': `- hosts: all
  gather_facts: false
  vars:
    flag: !unsafe '{{ true }}'
    name_only: !unsafe 'x'
  tasks:
    - copy: { dest: "{{ out }}/{{ inventory_hostname }}-compared", content: "yes" }
      when: flag == '{{ "{{" }} true }}'
    - copy: { dest: "{{ out }}/{{ inventory_hostname }}-bare", content: "yes" }
      when: name_only == 'x'
    - debug: { msg: checked }
      when: "{{ flag }}"
      register: r
      ignore_errors: true
${dump('failed', '[r is failed]')}`,
    });
  });
  it('a hostvars entry left as written (its variable is a role variable, not in hostvars) is data through with_* items and a template through loop items, also when an !unsafe value has its text', () => {
    same({
      'hv.yml': 'hv_val: ["x{{ role_only }}"]\n',
      'roles/r/vars/main.yml': 'role_only: R1\n',
      'roles/r/tasks/main.yml': `- include_vars: { file: "{{ playbook_dir }}/hv.yml" }
- set_fact: "{{ item.key }}={{ hostvars[inventory_hostname][item.value] }}"
  with_dict: { literal: hv_val }
- set_fact: "{{ item.key }}={{ hostvars[inventory_hostname][item.value] }}"
  loop: "{{ {'rendered': 'hv_val'} | dict2items }}"
${dump('hv', '[literal, rendered, literal[0] == same_text, rendered[0] == same_text]').replace(/^ {4}/, '')}  vars:
    same_text: !unsafe 'x{{ role_only }}'
`,
      'pb.yml': '- hosts: all\n  gather_facts: false\n  roles: [r]\n',
    });
  });
});
