// More gaps found by running ansible-core 2.14's integration targets under lvsplay (bench/targets),
// each our own small playbook run by lvsplay and by ansible-playbook 2.14 alike: the same exit
// code, recap and files written.
import { assertBothSame, skipWithoutOracle } from './oracle.js';

describe('compat: gaps from the integration-target yardstick, part 2 (differential, connection: local)', function () {
  this.timeout(240_000);
  before(function () {
    skipWithoutOracle(this);
  });

  it("free-form command text over several lines: backslash continuations joined, line ends kept (the last too), k=v lines taken as arguments; `cmd` as Ansible's", () => {
    assertBothSame({
      'inventory.ini': 'h1 ansible_connection=local\n',
      'pb.yml': `- hosts: all
  gather_facts: false
  tasks:
    - shell: |
        echo this is a \\
        "multi line" \\
        "with a new line
        in quotes" \\
        | tr a-z A-Z
        echo "second  line"
      register: r1
    - shell: |
        creates={{ out }}/nothing-here
        echo "test"
      register: r2
    - shell: |
        cat <<EOF
        One
          Two
            Three
        EOF
      register: r3
    - command: >-
        printf '%s|'
        a b
      register: r4
    - command: "echo one\\ntwo"
      register: r5
    - copy:
        dest: "{{ out }}/r.json"
        content: "{{ [r1, r2, r3, r4, r5] | map(attribute='cmd') | list | to_json }}\\n{{ [r1, r2, r3, r4, r5] | map(attribute='stdout') | list | to_json }}"
`,
    });
  });

  it('a templated ansible_python_interpreter ({{ ansible_playbook_python }}): the python facts are still gathered', () => {
    assertBothSame({
      'inventory.ini': 'h1 ansible_connection=local ansible_python_interpreter="{{ ansible_playbook_python }}"\n',
      'pb.yml': `- hosts: all
  tasks:
    - copy:
        dest: "{{ out }}/py.json"
        content: "{{ [ansible_facts.python.version_info[0] >= 3, ansible_python.type, ansible_python_version is defined] | to_json }}"
`,
    });
  });

  it('lineinfile as Ansible: backrefs twice (the second leaves the file), regexp or search_string that no longer matches while the line is there, firstmatch on regexp', () => {
    const li = (name: string, args: string): string => `    - lineinfile: { path: "{{ out }}/f.txt", ${args} }
      register: ${name}
`;
    assertBothSame({
      'inventory.ini': 'h1 ansible_connection=local\n',
      'pb.yml': `- hosts: all
  gather_facts: false
  tasks:
    - copy: { dest: "{{ out }}/f.txt", content: "one\\nREF a line REF\\nkey = 1\\nkey = 2\\nlast" }
${li('b1', 'line: "This is line 3", backrefs: true, regexp: "^(REF) .* \\\\1$"')}${li('b2', 'line: "This is line 3", backrefs: true, regexp: "^(REF) .* \\\\1$"')}${li('b3', 'line: "got \\\\1", backrefs: true, regexp: "^nothing (.*)$"')}${li('s1', 'line: "key = 3", search_string: "key = 2"')}${li('s2', 'line: "key = 3", search_string: "key = 2"')}${li('f1', 'line: "key = first", regexp: "^key =", firstmatch: true')}${li('f2', 'line: "key = first", regexp: "^key =", firstmatch: true')}${li('r1', 'line: "one", regexp: "^uno$"')}${li('i1', 'line: "after one", insertafter: "^one$"')}${li('i2', 'line: "after one", insertafter: "^one$"')}${li('e1', 'line: "tail", regexp: ""')}${li('e2', 'line: "tail2", search_string: ""')}    - copy:
        dest: "{{ out }}/changed.json"
        content: "{{ [b1, b2, b3, s1, s2, f1, f2, r1, i1, i2, e1, e2] | map(attribute='changed') | list | to_json }}\\n{{ [e1.warnings, e2.warnings] | to_json }}"
`,
    });
  });
  it('a role given by path is named by that path (banner, role_name), and another name for the same directory is another role', () => {
    assertBothSame({
      'inventory.ini': 'h1 ansible_connection=local\n',
      'sub/myrole/tasks/main.yml': '- copy: { dest: "{{ out }}/{{ tag }}", content: "{{ role_name }}|{{ ansible_role_name }}" }\n',
      'pb.yml': `- hosts: all
  gather_facts: false
  roles:
    - { role: sub/myrole, tag: a }
    - { role: ./sub/myrole, tag: b }
    - role: sub/myrole
      tag: a
  tasks:
    - include_role: { name: sub/myrole }
      vars: { tag: c }
    - import_role: { name: ./sub/myrole }
      vars: { tag: d }
`,
    });
  });
  it('the any and all tests, truthy/falsy with convert_bool', () => {
    assertBothSame({
      'inventory.ini': 'h1 ansible_connection=local\n',
      'pb.yml': `- hosts: all
  gather_facts: false
  tasks:
    - copy:
        dest: "{{ out }}/t.json"
        content: "{{ r | to_json }}"
      vars:
        r:
          - "{{ [[true, false] is any, [false] is any, [] is any, [0, ''] is any, [1, 'x'] is all, [true, false] is all, [] is all] }}"
          - "{{ ['on' is truthy(convert_bool=True), 'off' is truthy(convert_bool=True), 'fred' is truthy(convert_bool=True), 'off' is truthy, 'no' is falsy(convert_bool=True), 0 is falsy(convert_bool=True), 2 is truthy(convert_bool=True)] }}"
`,
    });
  });
  it('include_vars of a file or directory that is not there fails the task at run time with `message`, as Ansible', () => {
    assertBothSame({
      'inventory.ini': 'h1 ansible_connection=local\n',
      'pb.yml': `- hosts: all
  gather_facts: false
  tasks:
    - include_vars: { file: "{{ lookup('first_found', ['nope.yml'], errors='ignore') }}" }
      register: a
      ignore_errors: true
    - include_vars: nope.yml
      register: b
      ignore_errors: true
    - include_vars: { dir: nodir }
      register: c
      ignore_errors: true
    - copy:
        dest: "{{ out }}/r.json"
        content: "{{ r | to_json }}"
      vars:
        r:
          - "{{ [a, b, c] | map(attribute='failed') | list }}"
          - "{{ a.message }}"
          - "{{ b.message is search('^Could not find or access .nope.yml.') }}"
          - "{{ c.message.endswith('nodir directory does not exist') }}"
          - "{{ [a, b, c] | map(attribute='ansible_facts') | list }}"
          - "{{ [a, b, c] | map(attribute='ansible_included_var_files') | list }}"
`,
    });
  });
  it("chdir through a symlink: the command's $PWD is the physical directory, as after Python's os.chdir", () => {
    assertBothSame({
      'inventory.ini': 'h1 ansible_connection=local\n',
      'pb.yml': `- hosts: all
  gather_facts: false
  tasks:
    - file: { path: "{{ out }}/root/site", state: directory }
    - file: { path: "{{ out }}/ln", state: link, src: "{{ out }}/root" }
    - shell: dirname "$PWD"
      args: { chdir: "{{ out }}/ln/site" }
      register: c1
    - command: pwd
      args: { chdir: "{{ out }}/ln/site" }
      register: c2
    - copy: { dest: "{{ out }}/pwd.json", content: "{{ [c1.stdout | basename, c2.stdout | replace(out, '')] | to_json }}" }
`,
    });
  });
});
