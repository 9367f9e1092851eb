// Lookups, filters and tests lvsplay has no port of run as ansible-core's own plugins on the
// controller (the builtin `config` lookup, collections' such as community.general's and
// ansible.utils'): lookup(), query() and with_<name>, the task's variables they read, their errors
// and errors=; filters and tests by FQCN and by the short names ansible-core redirects; compared
// with ansible-playbook 2.14 on the same files (an ansible.cfg beside the playbook, read by both).
import assert from 'node:assert/strict';
import { runBoth, skipWithoutOracle } from './oracle.js';

const INV = 'h1 ansible_connection=local ansible_python_interpreter=/usr/bin/python3\n';

function same(files: Record<string, string>, env: NodeJS.ProcessEnv = {}): { lvsplay: string; ansible: string } {
  const { lvsplay, ansible } = runBoth({ 'inventory.ini': INV, ...files }, [], env);
  const view = (o: typeof lvsplay) => ({ rc: o.rc, recap: o.recap, files: o.files });
  assert.deepEqual(view(lvsplay), view(ansible), `lvsplay and ansible-playbook differ\n--- lvsplay:\n${lvsplay.output}\n--- ansible-playbook:\n${ansible.output}`);
  assert.ok(Object.keys(ansible.recap).length > 0, ansible.output);
  return { lvsplay: lvsplay.output, ansible: ansible.output };
}

describe("compat: ansible-core's lookup plugins lvsplay has no port of (differential, connection: local)", function () {
  this.timeout(240_000);
  before(function () {
    skipWithoutOracle(this);
  });

  it("config: settings from ansible.cfg, the environment and the defaults; on_missing; an unknown setting's error", () => {
    const out = same(
      {
        'ansible.cfg': '[defaults]\nany_errors_fatal = True\nforks = 7\n',
        'pb.yml': `- hosts: all
  gather_facts: false
  tasks:
    - copy:
        dest: "{{ out }}/config"
        content: |
          {{ lookup('config', 'ANY_ERRORS_FATAL') }} {{ lookup('config', 'DEFAULT_FORKS') }} {{ lookup('ansible.builtin.config', 'DEFAULT_ROLES_PATH') }}
          {{ query('config', 'DEFAULT_TIMEOUT', 'DEFAULT_FORKS') }} {{ lookup('config', 'DEFAULT_BECOME_USER') }}
          {{ lookup('config', 'NO_SUCH_SETTING', on_missing='skip') }} {{ query('config', 'NO_SUCH_SETTING', on_missing='skip') }}
    - debug: { msg: "{{ lookup('config', 'NO_SUCH_SETTING') }}" }
      register: r
      ignore_errors: true
    - copy: { dest: "{{ out }}/error", content: "{{ r.msg }}" }
    - debug: { msg: "{{ lookup('config', 'NO_SUCH_SETTING', errors='ignore') }}" }
      register: r2
    - copy: { dest: "{{ out }}/ignored", content: "{{ r2.msg }}" }
`,
      },
      { ANSIBLE_TIMEOUT: '33' },
    );
    assert.match(out.ansible, /ok=/);
  });

  it("a collection's lookups: with_community.general.cartesian (on a task and an include_tasks), merge_variables reading the task's variables, random_string's shape", () => {
    same({
      'pb.yml': `- hosts: all
  gather_facts: false
  vars:
    a__to_merge: [1, 2]
    b__to_merge: [3]
    c__other: [9]
  tasks:
    - set_fact: { pairs: "{{ pairs | default([]) + [item] }}" }
      with_community.general.cartesian: [[1, 2], [a, b]]
    - copy:
        dest: "{{ out }}/lookups"
        content: |
          {{ pairs }}
          {{ query('community.general.cartesian', ['x'], [1, 2]) }}
          {{ lookup('community.general.merge_variables', '__to_merge', pattern_type='suffix') }}
          {{ lookup('community.general.random_string', length=16, special=false) | length }}
          {{ lookup('community.general.random_string', length=8, upper=false, numbers=false, special=false) is match('^[a-z]{8}$') }}
    - include_tasks: inc.yml
      with_community.general.cartesian: [[1, 2], [a]]
`,
      'inc.yml': '- copy: { dest: "{{ out }}/inc-{{ item | join }}", content: "{{ item }}" }\n',
    });
  });

  it("collections' filters and tests (FQCN and redirected short names), and a filter's own error as the task's msg", () => {
    same({
      'pb.yml': `- hosts: all
  gather_facts: false
  vars:
    l1: [{name: x, v: 1}, {name: y, v: 2}]
    l2: [{name: x, v: 3}]
  tasks:
    - copy:
        dest: "{{ out }}/filters"
        content: |
          {{ 'val' | community.general.dict_kv('k') }} {{ l1 | community.general.lists_mergeby(l2, 'name') }}
          {{ l1 | community.general.groupby_as_dict('name') }} {{ [1, [2, [3]]] | community.general.lists_union([4]) }}
          {{ '192.168.1.5/24' | ansible.utils.ipaddr('address') }} {{ '192.168.1.5/24' | ansible.utils.ipaddr('network') }}
          {{ '10.0.0.1' is ansible.utils.ip_address }} {{ 'x' is ansible.utils.ip_address }} {{ '10.0.0.0/8' is ansible.utils.subnet_of('10.0.0.0/7') }}
    - debug: { msg: "{{ 'not-an-address' | ansible.utils.ipaddr('wrong_query') }}" }
      register: r
      ignore_errors: true
    - copy: { dest: "{{ out }}/error", content: "{{ r.msg }}" }
`,
    });
  });
});
