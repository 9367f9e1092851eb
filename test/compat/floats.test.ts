// Whole floats (issue 17): YAML's `8.0` is a float to Ansible, printed `8.0`; JS has one number
// type, so lvsplay keeps such a value boxed (src/vars/pyfloat.ts). Compared with ansible-playbook
// 2.14 on local hosts: play vars, vars files, INI and YAML inventory, -e (JSON and YAML), set_fact,
// loops, templates, copy/lineinfile/command/shell arguments, the environment, numeric keywords,
// role argument specs, and what the console prints (debug var/msg, loop labels, results).
import assert from 'node:assert/strict';
import { assertSameConsole as same, skipWithoutOracle } from './oracle.js';

describe('compat: whole floats print as Python prints them (differential against ansible-playbook)', function () {
  this.timeout(240_000);
  before(function () {
    skipWithoutOracle(this);
  });

  it('vars, vars files, inventory and -e values through templates, filters, debug, set_fact and loops', () => {
    const out = same(
      {
        'inventory.ini': 'h1 ansible_connection=local ini_f=3.0 ini_e=1e3 ini_i=4\n',
        'group_vars/all.yml': 'gv_f: 5.0\n',
        'vars.yml': 'file_f: 8.0\nnested: {a: 1.0, l: [2.0, 0.5]}\n',
        'pb.yml': `- hosts: all
  gather_facts: false
  vars_files: [vars.yml]
  vars:
    php_version: 7.0
    big: 1.0e+16
    tiny: 0.00001
    lst: "{{ [4 / 2, 1] }}"
    same: "{{ php_version }}"
  tasks:
    - debug: var=php_version
    - debug: msg="{{ php_version }}"
    - debug: var=nested
    - debug:
        msg: "{{ lst }} {{ lst[0] }} {{ same }} {{ same is float }} {{ big }} {{ tiny }} {{ gv_f }} {{ file_f }}"
    - debug: msg="{{ ini_f }} {{ ini_e }} {{ ini_i }} {{ ini_f | type_debug }} {{ ev }} {{ ej }} {{ ej | type_debug }} {{ ejl }}"
    - set_fact: sf=2.0 sf2="{{ 6.0 }}"
    - set_fact:
        sf3: 5.0
        sf4: "{{ nested.l }}"
    - debug: msg="{{ sf }} {{ sf2 }} {{ sf3 }} {{ sf3 | type_debug }} {{ sf4 }}"
    - debug: var=item
      loop: [1.0, 2, 2.5]
    - debug: msg="{{ item.key }}={{ item.value }}"
      loop: "{{ nested | dict2items }}"
    - copy:
        dest: "{{ out }}/values.txt"
        content: |
          {{ php_version }} {{ nested | to_json }} {{ [php_version] }}
          {{ nested | to_nice_yaml }}{{ nested | to_yaml }}{{ '%s %d %r' % (php_version, php_version, php_version) }}
`,
      },
      ['-e', '{"ej": 2.0, "ejl": [1e3, 0.5]}', '-e', 'ev=3.0'],
    );
    assert.match(out, /"php_version": 7\.0/);
  });

  it('module arguments: text where a module takes text, numbers where it takes numbers; the environment; numeric keywords', () => {
    same({
      'inventory.ini': 'h1 ansible_connection=local\n',
      'pb.yml': `- hosts: all
  gather_facts: false
  vars:
    ver: 2.0
    zero: 0.0
  tasks:
    - copy: { content: "{{ ver }}", dest: "{{ out }}/copy.txt" }
    - copy: { content: 3.0, dest: "{{ out }}/copy-literal.txt" }
    - lineinfile: { path: "{{ out }}/line.txt", line: "{{ ver }}", create: true }
    - lineinfile: { path: "{{ out }}/line.txt", line: 4.0 }
    - command: echo {{ ver }}
      register: c
    - command:
        argv: [echo, "{{ ver }}", 5.0]
      register: a
    - shell: echo "$X $Y"
      environment: { X: "{{ ver }}", Y: 6.0 }
      register: e
    - copy: { content: "{{ [c.stdout, a.stdout, e.stdout] | to_json }}", dest: "{{ out }}/results.txt" }
    - wait_for: { timeout: "{{ zero }}" }
      ignore_errors: true
    - command: "true"
      register: r
      until: r.rc == 0
      retries: 2.0
      delay: 0.0
    - debug: var=item
      loop: [1.0]
      loop_control: { pause: 0.0 }
`,
    });
  });

  it("a module's result and facts: a float it returns stays one (registered, printed, templated)", () => {
    same({
      'inventory.ini': 'h1 ansible_connection=local ansible_python_interpreter=/usr/bin/python3\n',
      'library/give.py': `#!/usr/bin/python3
import json
print(json.dumps({"changed": False, "v": 2.0, "l": [1.0, 0.5, 3], "text": "version 1.0, 2e3", "n": 4}))
`,
      'pb.yml': `- hosts: all
  gather_facts: false
  tasks:
    - give:
      register: r
    - debug: var=r.v
    - debug: msg="{{ r.v }} {{ r.l }} {{ r.text }} {{ r.n }} {{ r.v | type_debug }}"
    - setup: { gather_subset: [loadavg] }
    - debug: msg="{{ ansible_loadavg['1m'] | type_debug }}"
`,
    });
  });

  it('debug var= templates `{{ var }}` as an argument: a lone name keeps its type, a path or expression prints as text', () => {
    same({
      'inventory.ini': 'h1 ansible_connection=local ansible_python_interpreter=/usr/bin/python3\n',
      'library/give.py': '#!/usr/bin/python3\nimport json\nprint(json.dumps({"changed": False, "v": 2.0, "n": 4}))\n',
      'pb.yml': `- hosts: all
  gather_facts: false
  vars:
    d: {n: 4, w: 2.0, f: 2.5, s: "[1, 2]", t: "True", none: null, l: [1, 2.0], b: true, nested: {x: 1}}
    lst: [1, 2]
    w: 3.0
  tasks:
    - give:
      register: r
    - debug: var={{ item }}
      loop: [r.v, r.n, d.n, d.w, d.f, d.s, d.t, d.none, d.l, d.b, d.nested, d, w, "lst[0]", "lst | length", "1 + 2", nope, d.nope, r]
`,
    });
  });

  it('role argument specs read a whole float as Ansible does (a float: text for str, refused for int)', () => {
    same({
      'inventory.ini': 'h1 ansible_connection=local\n',
      'roles/r/meta/argument_specs.yml': `argument_specs:
  main:
    options:
      as_text: { type: str }
      as_float: { type: float }
      as_int: { type: int }
`,
      'roles/r/tasks/main.yml': '- copy: { content: "{{ as_text }} {{ as_float }}", dest: "{{ out }}/{{ name }}.txt" }\n',
      'pb.yml': `- hosts: all
  gather_facts: false
  tasks:
    - include_role: { name: r }
      vars: { name: good, as_text: 1.0, as_float: 2.0, as_int: 3 }
    - include_role: { name: r }
      vars: { name: bad, as_text: 1.0, as_float: 2.0, as_int: 3.0 }
      ignore_errors: true
`,
    });
  });
});
