// The shape of registered results, run by lvsplay and by ansible-playbook 2.14 on the same files and
// dumped as JSON: internal `_ansible_*` keys are not kept (debug, loop items); a loop's aggregate has
// `skipped` (false unless every item skipped: then 'All items skipped') and `failed` only on failure.
// Not compared (known differences): Ansible's `invocation` and discovered-interpreter facts; lvsplay's
// `false_condition` in skipped items (Ansible 2.15's field).
import { assertBothSame, skipWithoutOracle } from './oracle.js';

const INV = 'h1 ansible_connection=local\n';

describe('compat: registered results (differential, connection: local)', function () {
  this.timeout(120_000);
  before(function () {
    skipWithoutOracle(this);
  });

  it('debug (plain and in a loop), loops with some, all and no items skipped, a failed loop', () => {
    assertBothSame({
      'inventory.ini': INV,
      'pb.yml': `- hosts: all
  gather_facts: false
  tasks:
    - debug: msg=x
      register: plain
    - debug: msg="{{ item }}"
      loop: [1, 2]
      register: looped
    - debug: msg="{{ item }}"
      loop: [1, 2]
      when: item == 2
      register: some
    - debug: msg="{{ item }}"
      loop: [1, 2]
      when: false
      register: every
    - debug: msg=x
      loop: []
      register: none
    - command: "{{ item }}"
      loop: ["true", "false"]
      register: failing
      ignore_errors: true
    - copy:
        dest: "{{ out }}/r.json"
        content: "{{ {'plain': plain, 'looped': looped, 'some': [some.skipped, some.msg, some.changed, some.failed is defined], 'every': [every.skipped, every.msg, every.changed, every.failed is defined], 'none': none, 'failing': failing.results | map('dict2items') | map('rejectattr', 'key', 'in', ['start', 'end', 'delta', 'invocation', 'ansible_facts']) | map('items2dict') | list, 'ff': [failing.failed, failing.msg, failing.skipped, failing.changed]} | to_nice_json }}"
`,
    });
  });
});
