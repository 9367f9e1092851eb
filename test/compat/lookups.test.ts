// Lookups that read the controller and the inventory (first_found in roles, template, password,
// inventory_hostnames) and refusals, run by lvsplay and by ansible-playbook 2.14 on the same tree:
// the same exit code, recap and files written under out/.
import assert from 'node:assert/strict';
import { runBoth, skipWithoutOracle } from './oracle.js';

const INV = 'ctl ansible_connection=local\n[web]\nw1\nw2\nw3\n[db]\nd1\nw2\n[app:children]\nweb\n';

/** Both tools agree; returns the files ansible-playbook wrote (tests check the run got where it should). */
function same(files: Record<string, string>, rc?: number): Record<string, string> {
  const { lvsplay, ansible } = runBoth({ 'inventory.ini': INV, ...files });
  const view = (o: typeof lvsplay) => ({ rc: o.rc, recap: o.recap, files: o.files });
  assert.deepEqual(view(lvsplay), view(ansible), `lvsplay and ansible-playbook differ\n--- lvsplay:\n${lvsplay.output}\n--- ansible-playbook:\n${ansible.output}`);
  if (rc !== undefined) assert.equal(ansible.rc, rc, ansible.output);
  return ansible.files;
}

const play = (tasks: string, extra = ''): string => `
- hosts: ctl
  gather_facts: false
${extra}${tasks ? `  tasks:\n${tasks}` : ''}`;

describe('compat: lookups on the controller (differential against ansible-playbook)', function () {
  this.timeout(240_000);
  before(function () {
    skipWithoutOracle(this);
  });

  it('first_found in a role: vars/ for include_vars, files/ for copy, templates/ for template, files/paths/skip', () => {
    const files = same({
      'pb.yml': play('', '  roles: [r]\n'),
      'roles/r/vars/Plan9.yml': 'os_word: plan9\n',
      'roles/r/vars/default.yml': 'os_word: default\n',
      'roles/r/files/b.txt': 'bee\n',
      'roles/r/files/sub/c.txt': 'sea\n',
      'roles/r/templates/t.j2': 'word={{ os_word }}\n',
      'files/top.txt': 'top\n',
      'roles/r/tasks/main.yml': `
- include_vars: "{{ item }}"
  with_first_found: ["{{ nosuch_os }}.yml", "Debian.yml", "default.yml"]
- copy: {src: "{{ item }}", dest: "{{ out }}/copied.txt"}
  with_first_found: [a.txt, b.txt]
- template: {src: "{{ item }}", dest: "{{ out }}/templated.txt"}
  with_first_found: [{files: [none.j2, t.j2]}]
- copy:
    dest: "{{ out }}/found.txt"
    content: |
      {{ lookup('first_found', 'a.txt', 'sub/c.txt') | replace(role_path, 'R') }}
      {{ lookup('first_found', {'files': ['x.txt', 'c.txt'], 'paths': ['files/sub']}) | replace(role_path, 'R') }}
      {{ lookup('first_found', 'nope.txt', {'files': 'x.txt,b.txt', 'paths': 'nope:.'}) | replace(role_path, 'R') }}
      {{ lookup('first_found', 'top.txt') | replace(playbook_dir, 'P') }}
      {{ query('first_found', 'none.txt', skip=True) }}
      {{ lookup('file', 'b.txt') }}|{{ lookup('file', 'top.txt') }}|{{ lookup('file', 'sub/c.txt') }}
      {{ ansible_search_path | map('replace', playbook_dir, 'P') | list }}
- debug: {msg: "{{ lookup('first_found', 'none.txt') }}"}
  ignore_errors: true
- name: string terms do not take paths= (Ansible 2.14)
  debug: {msg: "{{ lookup('first_found', 'x.txt', 'c.txt', paths=['nope', 'sub']) }}"}
  ignore_errors: true
- name: files= alone searches nothing (Ansible 2.14)
  debug: {msg: "{{ query('first_found', files=['b.txt']) }}"}
  ignore_errors: true
`,
    });
    assert.deepEqual(Object.keys(files).sort(), ['copied.txt', 'found.txt', 'templated.txt'], JSON.stringify(files));
  });

  it('template lookup: search path, variables, template_vars; fileglob in a role', () =>
    same({
      'pb.yml': play(`
    - copy: {dest: "{{ out }}/t.txt", content: "{{ lookup('template', 'greet.j2') }}"}
    - copy: {dest: "{{ out }}/tv.txt", content: "{{ lookup('template', 'greet.j2', template_vars={'who': 'there'}) }}"}
    - copy: {dest: "{{ out }}/glob.txt", content: "{{ query('fileglob', '*.cfg') | map('basename') | sort }} {{ lookup('fileglob', 'none/*.x') }}"}
    - copy: {dest: "{{ out }}/globs.txt", content: "{{ item | basename }}"}
      with_fileglob: ["files/one.*"]
`, '  vars: {who: world, n: 3}\n'),
      'templates/greet.j2': 'hello {{ who }}{% for i in range(n) %}!{% endfor %}\n',
      'files/one.cfg': '1\n',
      'two.cfg': '2\n',
    }));

  it('template lookup: variable_/comment_ start and end strings (the file\'s #jinja2: header over them), jinja2_native accepted', () =>
    same({
      'pb.yml': play(`
    - copy: {dest: "{{ out }}/d.txt", content: "{{ lookup('template', 'delims.j2', variable_start_string='[[', variable_end_string=']]', comment_start_string='<#', comment_end_string='#>') }}"}
    - copy: {dest: "{{ out }}/n.txt", content: "{{ lookup('template', 'delims.j2', variable_start_string='[[', variable_end_string=']]', jinja2_native=true) }}"}
    - copy: {dest: "{{ out }}/h.txt", content: "{{ lookup('template', 'header.j2', variable_start_string='[[', variable_end_string=']]') }}"}
`, '  vars: {x: 1}\n'),
      'templates/delims.j2': 'a=[[ x ]] {{ kept }} <# gone #> [[ y | default(3) ]]{% if x %} if{% endif %}\n',
      'templates/header.j2': "#jinja2: variable_start_string: '<<', variable_end_string: '>>'\n<< x >> [[ x ]]\n",
    }, 0));

  it('template lookup convert_data: text that looks like a dict, list or bool becomes one (not with convert_data=False)', () =>
    same({
      'pb.yml': play(`
    - copy:
        dest: "{{ out }}/types.json"
        content: "{{ [lookup('template', 'd.j2') is mapping, lookup('template', 'd.j2', convert_data=False) is string, lookup('template', 'l.j2') is sequence and lookup('template', 'l.j2') is not string, lookup('template', 'b.j2') is boolean, lookup('template', 'bad.j2') is string, query('template', 'd.j2', convert_data=True)[0] is mapping] | to_json }}"
    - copy: {dest: "{{ out }}/values.json", content: "{{ [lookup('template', 'd.j2'), lookup('template', 'l.j2'), lookup('template', 'b.j2'), lookup('template', 'bad.j2')] | to_json }}"}
    - copy: {dest: "{{ out }}/text.txt", content: "{{ lookup('template', 'd.j2', convert_data=False) }}|"}
`, '  vars: {x: 1}\n'),
      'templates/d.j2': '{"foo": "{{ \'bar\' }}", "n": {{ x }}, "t": true, "z": null}\n',
      'templates/l.j2': "[{{ x }}, 'two']\n",
      'templates/b.j2': '{{ x == 1 }}\n',
      'templates/bad.j2': '[{{ x }}, oops\n',
    }, 0));

  it("varnames: Python's re.search per pattern, in order; a bad pattern and a non-string term fail with Ansible's messages", () =>
    same({
      'pb.yml': play(`
    - set_fact: { bad: "{{ lookup('varnames', '*', wantlist=True) }}" }
      register: r1
      ignore_errors: true
    - set_fact: { bad: "{{ lookup('varnames', True, wantlist=True) }}" }
      register: r2
      ignore_errors: true
    - copy:
        dest: "{{ out }}/v.json"
        content: "{{ [lookup('varnames', '^qz_.+', '^qa', wantlist=True), lookup('varnames', 'z_\\\\d$'), lookup('varnames', '(?i)^QA'), r1 is failed, r1.msg | regex_search('Unable to use [^.]*'), r2 is failed, r2.msg | regex_search('Invalid setting identifier[^.]*')] | to_json }}"
`, '  vars: {qz_1: 1, qz_2: 2, qa_1: 3, qzz: 4}\n'),
    }, 0));

  it("sequence: shortcut (hex-digit words, no sign) and k=v forms as Ansible's, Python's int(x, 0), and its error messages", () =>
    same({
      'pb.yml': play(`
    - copy:
        dest: "{{ out }}/ok.json"
        content: "{{ [query('sequence', '5'), query('sequence', '2-6'), query('sequence', '0x0a-0x0c/1:h%x'), query('sequence', 'start=0b11 end=1_0 stride=3'), query('sequence', 'count=3 start=5'), query('sequence', 'start=1 end=3 format=n%02d'), query('sequence', 'end=0o7 start=0o5'), query('sequence', 'start=5 end=1 stride=-2')] | to_json }}"
    - set_fact: { x: "{{ lookup('sequence', 'A-4/2') }}" }
      register: e0
      ignore_errors: true
    - set_fact: { x: "{{ lookup('sequence', 'start=A end=3') }}" }
      register: e1
      ignore_errors: true
    - set_fact: { x: "{{ lookup('sequence', 'start=1 end=x') }}" }
      register: e2
      ignore_errors: true
    - set_fact: { x: "{{ lookup('sequence', 'junk') }}" }
      register: e3
      ignore_errors: true
    - set_fact: { x: "{{ lookup('sequence', 'end=3 junk foo=1') }}" }
      register: e4
      ignore_errors: true
    - set_fact: { x: "{{ lookup('sequence', 'start=010 end=12') }}" }
      register: e5
      ignore_errors: true
    - set_fact: { x: "{{ lookup('sequence', '4-1/-1') }}" }
      register: e6
      ignore_errors: true
    - set_fact: { x: "{{ lookup('sequence', 'end=3 count=q') }}" }
      register: e7
      ignore_errors: true
    - copy:
        dest: "{{ out }}/errors.json"
        content: "{{ [e0.msg | regex_search(pat), e1.msg | regex_search(pat), e2.msg | regex_search(pat), e3.msg | regex_search(pat), e4.msg | regex_search(pat), e5.msg | regex_search(pat), e6.msg | regex_search(pat), e7.msg | regex_search(pat)] | to_json }}"
`, '  vars: {pat: "(can.t parse|unrecognized|must specify|unknown error)[^.]*"}\n'),
    }, 0));

  it("subelements: items, nested keys, skip_missing (other flags ignored), a skipped registered result, and Ansible's error messages", () =>
    same({
      'pb.yml': play(`
    - copy:
        dest: "{{ out }}/ok.json"
        content: "{{ [lookup('subelements', users, 'g', wantlist=true), lookup('subelements', users, 'm.h.k', wantlist=true), lookup('subelements', users, 'zz', fl, wantlist=true), lookup('subelements', sk, 'g', wantlist=true)] | to_json }}"
    - set_fact: { x: "{{ lookup('subelements', 9001, 'g', wantlist=true) }}" }
      register: e0
      ignore_errors: true
    - set_fact: { x: "{{ lookup('subelements', 'str', 'g', wantlist=true) }}" }
      register: e1
      ignore_errors: true
    - set_fact: { x: "{{ lookup('subelements', users, 'm.p', wantlist=true) }}" }
      register: e2
      ignore_errors: true
    - set_fact: { x: "{{ lookup('subelements', users, 'm.h.nope', wantlist=true) }}" }
      register: e3
      ignore_errors: true
    - set_fact: { x: "{{ lookup('subelements', users, 'm.p.q', wantlist=true) }}" }
      register: e4
      ignore_errors: true
    - set_fact: { x: "{{ lookup('subelements', users, 5, wantlist=true) }}" }
      register: e5
      ignore_errors: true
    - set_fact: { x: "{{ lookup('subelements', users, 'zz', wantlist=true) }}" }
      register: e6
      ignore_errors: true
    - set_fact: { x: "{{ lookup('subelements', users, 'g', 'flags', wantlist=true) }}" }
      register: e7
      ignore_errors: true
    - copy:
        dest: "{{ out }}/errors.json"
        content: "{{ [e0.msg | regex_search(pat), e1.msg | regex_search(pat), e2.msg | regex_search(pat), e3.msg | regex_search(pat), e4.msg | regex_search(pat), e5.msg | regex_search(pat), e6.msg | regex_search(pat), e7.msg | regex_search(pat)] | to_json }}"
`, `  vars:
    users: [{name: a, g: [1, 2], m: {p: x, h: {k: [1]}}}, {name: b, g: [3], m: {p: y, h: {k: [2]}}}]
    fl: {skip_missing: 'yes', other: 1}
    sk: {skipped: true, x: 1}
    pat: "(subelements lookup|could not find|the key)[^.]*"
`),
    }, 0));

  it('password lookup: creates the file once (0600), reuses it, length and chars', () =>
    same({
      'pb.yml': play(`
    - set_fact:
        p1: "{{ lookup('password', 'secrets/pw1 length=12 chars=digits') }}"
        p2: "{{ lookup('password', 'secrets/pw2', chars=['ascii_lowercase', 'digits']) }}"
        p3: "{{ lookup('password', '/dev/null length=5') }}"
    - set_fact:
        again: "{{ lookup('password', 'secrets/pw1 length=12 chars=digits') }}"
    - stat: {path: "{{ playbook_dir }}/secrets/pw1"}
      register: st
    - copy:
        dest: "{{ out }}/pw.txt"
        content: |
          {{ p1 | length }} {{ p1 is match('^[0-9]{12}$') }} {{ p1 == again }}
          {{ p2 | length }} {{ p2 is match('^[a-z0-9]+$') }}
          {{ p3 | length }}
          {{ st.stat.mode }} {{ lookup('file', playbook_dir ~ '/secrets/pw1') == p1 }}
`),
    }));

  it('inventory_hostnames: groups, children, unions, exclusions, intersections, with_inventory_hostnames', () =>
    same({
      'pb.yml': play(`
    - copy:
        dest: "{{ out }}/hosts.txt"
        content: |
          {{ lookup('inventory_hostnames', 'web') }}
          {{ query('inventory_hostnames', 'all:!ctl') | sort }}
          {{ query('inventory_hostnames', 'app:&db') }}
          {{ query('inventory_hostnames', 'db,w3') }}
          {{ query('inventory_hostnames', 'nosuch') }}
    - lineinfile: {path: "{{ out }}/loop.txt", line: "{{ item }}", create: true}
      with_inventory_hostnames: ["web:!w1"]
`),
    }));

  it('an unknown with_<name> is refused at load (rc 4), an unknown lookup fails the task (rc 2)', () => {
    same({ 'pb.yml': play(`    - debug: {msg: "{{ item }}"}\n      with_nosuch: [a]\n`) }, 4);
    same({ 'pb.yml': play(`    - debug: {msg: "{{ lookup('nosuch', 'a') }}"}\n    - copy: {dest: "{{ out }}/x", content: x}\n`) }, 2);
  });
});
