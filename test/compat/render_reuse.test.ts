// Renders lvsplay answers without the engine or reuses (issue 17: speed) must not change what a run
// does: a lookup in a variable of a branch not taken runs as often as under ansible-playbook 2.14
// (Jinja2 resolves every name a template reads when its render starts, so Ansible templates that
// variable, lookups included), and randomness, time and lookups give a new value at every render
// even where the string and its variables are the same on every host and every loop item.
import { strict as assert } from 'node:assert';
import { assertBothSame, skipWithoutOracle } from './oracle.js';

describe('compat: renders reused or answered without the engine, as ansible-playbook 2.14', function () {
  this.timeout(120_000);
  before(function () {
    skipWithoutOracle(this);
  });

  it('lookups in untaken branches run as often, random/now/pipe differ at every render, on three hosts', () => {
    const { lvsplay } = assertBothSame({
      'inventory.ini': 'h1 ansible_connection=local\nh2 ansible_connection=local\nh3 ansible_connection=local\n',
      'pb.yml': `
- hosts: all
  gather_facts: false
  vars:
    a: A
    b: "{{ lookup('pipe', 'echo x >> ' ~ out ~ '/branch-' ~ inventory_hostname ~ '.log; echo B') }}"
    flag: true
    big: 1000000000
    name_text: "{{ 'plain ' ~ a }}"
    cfg: {mode: fast, list_text: "[1, 2]"}
  tasks:
    - name: the branch not taken, rendered four times per host
      debug: {msg: "{{ a if flag else b }}"}
      loop: [1, 2, 3, 4]
    - name: random on the same string and variables
      debug: {msg: "{{ big | random }}"}
      loop: [1, 2, 3]
      register: draws
    - name: a pipe lookup on the same string and variables
      debug: {msg: "{{ lookup('pipe', 'date +%s%N') }}"}
      loop: [1, 2, 3]
      register: stamps
    - name: now() on the same string and variables
      debug: {msg: "{{ now().isoformat() ~ a }}"}
      loop: [1, 2, 3]
      register: times
    - name: every value differs
      assert:
        that:
          - draws.results | map(attribute='msg') | unique | length == 3
          - stamps.results | map(attribute='msg') | unique | length == 3
          - times.results | map(attribute='msg') | unique | length == 3
    - name: lone variables and key paths holding text
      copy:
        dest: "{{ out }}/plain-{{ inventory_hostname }}.txt"
        content: "{{ [name_text, cfg.mode, cfg.list_text, a] | to_json }}"
`,
    });
    assert.equal(lvsplay.rc, 0, lvsplay.output);
    for (const h of ['h1', 'h2', 'h3']) assert.equal(lvsplay.files[`branch-${h}.log`], 'x\n'.repeat(4), `branch-${h}.log`);
  });
});
