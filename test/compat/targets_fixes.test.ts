// Fixes found by running ansible-core 2.14's integration targets under lvsplay (bench/targets):
// each case is our own small playbook, run by lvsplay and by ansible-playbook 2.14 alike; the same
// exit code, recap and files written (values dumped as JSON) are asserted.
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assertBothSame, skipWithoutOracle } from './oracle.js';

const INV = 'h1 ansible_connection=local\n';
const play = (body: string): string => `- hosts: all\n  gather_facts: false\n${body}`;
const dump = (name: string, expr: string): string => `    - copy: { dest: "{{ out }}/${name}", content: "{{ ${expr} | to_json }}" }\n`;

describe('compat: fixes found by the integration-target yardstick (differential, connection: local)', function () {
  this.timeout(240_000);
  before(function () {
    skipWithoutOracle(this);
  });

  it('a handler may be include_tasks (by name, by listen topic, with when), run once when notified', () => {
    assertBothSame({
      'inventory.ini': INV,
      'cleanup.yml': `- copy: { dest: "{{ out }}/{{ tag }}", content: "{{ tag }}" }\n`,
      'pb.yml': play(`  tasks:
    - command: "true"
      notify: [by name, by name]
    - command: "true"
      notify: a topic
    - command: "true"
      notify: skipped one
  handlers:
    - name: by name
      include_tasks: cleanup.yml
      vars: { tag: named }
    - name: listener
      listen: a topic
      include_tasks: cleanup.yml
      vars: { tag: listened }
    - name: skipped one
      include_tasks: cleanup.yml
      vars: { tag: never }
      when: false
`),
    });
  });

  it('YAML scalars as PyYAML reads them: ".", "-." and "1e5" are strings, "1.25e+1" and ".5" floats', () => {
    assertBothSame({
      'inventory.ini': INV,
      'pb.yml': play(`  vars:
    - dot: .
    - dash: -.
    - exp: 1e5
    - signed: 1.25e+1
    - half: .5
    - under: 1_0.5
  tasks:
${dump('vals', '[dot, dash, exp, signed, half, under]')}${dump('types', '[dot is string, dash is string, exp is string, signed is float, half is float, under is float]')}`),
    });
  });

  it('a changed_when or failed_when that cannot be evaluated fails the task and says so in <which>_when_result', () => {
    assertBothSame({
      'inventory.ini': INV,
      'pb.yml': play(`  tasks:
    - command: echo out
      changed_when: not_defined_here
      register: c
      ignore_errors: true
    - command: echo out
      failed_when: also_undefined
      register: f
      ignore_errors: true
    - command: echo out
      failed_when: false
      register: ok
${dump('c', "[c is failed, c.stdout, c.changed_when_result is contains('not_defined_here'), c.failed_when_result is defined]")}${dump('f', "[f is failed, f.failed_when_result is contains('also_undefined'), f.changed_when_result is defined]")}${dump('ok', '[ok.failed_when_result, ok.changed_when_result is defined]')}`),
    });
  });

  it('free-form arguments that are one template give the whole mapping at run time (add_host, file)', () => {
    assertBothSame({
      'inventory.ini': INV,
      'pb.yml': play(`  vars:
    newhost: { name: added, groups: [extra], colour: blue }
    touch: { path: "{{ out }}/touched", state: touch, mode: "0640" }
  tasks:
    - add_host: "{{ newhost }}"
    - file: "{{ touch }}"
${dump('added', "[hostvars.added.colour, groups.extra]")}`),
    });
  });

  it("command: executable is ignored with Ansible's warning; no command and argv with a string fail with rc 256", () => {
    assertBothSame({
      'inventory.ini': INV,
      'pb.yml': play(`  tasks:
    - command: echo hi
      args: { executable: /bogus }
      register: ex
    - command:
      args: { chdir: / }
      register: none
      ignore_errors: true
    - command: echo a
      args: { argv: [echo, b] }
      register: both
      ignore_errors: true
${dump('ex', '[ex.stdout, ex.warnings | length]')}${dump('none', '[none is failed, none.msg, none.rc, none.cmd, none.stdout]')}${dump('both', '[both is failed, both.msg, both.rc]')}`),
    });
  });

  it('command/shell: a chdir that fails is Python\'s OSError message, nothing run', () => {
    assertBothSame({
      'inventory.ini': INV,
      'notdir': 'x\n',
      'pb.yml': play(`  tasks:
    - command: echo hi
      args: { chdir: "{{ out }}/../missing" }
      register: a
      ignore_errors: true
    - shell: echo hi
      args: { chdir: "{{ out }}/../notdir" }
      register: b
      ignore_errors: true
${dump('a', "[a is failed, a.msg | regex_replace('b.*missing', 'PATH'), a.rc, a.cmd]")}${dump('b', "[b is failed, b.msg | regex_replace('b.*notdir', 'PATH'), b.rc]")}`),
    });
  });

  it('command creates/removes: glob patterns, and in check mode changed (not skipped) with "Would not run"', () => {
    assertBothSame({
      'inventory.ini': INV,
      'pb.yml': play(`  tasks:
    - copy: { dest: "{{ out }}/made.txt", content: x }
    - command: echo run
      args: { creates: "{{ out }}/made.*" }
      register: g
    - command: echo run
      args: { creates: "{{ out }}/none.*" }
      register: c
      check_mode: true
    - command: echo run
      args: { removes: "{{ out }}/made.t?t" }
      register: r
      check_mode: true
    - command: echo run
      args: { creates: "{{ out }}/made.txt" }
      register: w
      check_mode: true
    - command: echo run
      register: s
      check_mode: true
${dump('g', "[g.changed, g.msg | regex_replace(out, 'OUT'), g.stdout | regex_replace(out, 'OUT')]")}${dump('c', "[c.changed, c is skipped, c.msg, c.rc]")}${dump('r', "[r.changed, r is skipped, r.msg]")}${dump('w', "[w.changed, w.msg | regex_replace(out, 'OUT')]")}${dump('s', '[s is skipped, s.changed]')}`),
    });
  });

  it('group_vars of a group that group_by creates apply to the hosts it adds', () => {
    assertBothSame({
      'inventory.ini': 'h1 ansible_connection=local kind=late\nh2 ansible_connection=local kind=other\n',
      'group_vars/made_late.yml': 'colour: red\n',
      'group_vars/all.yml': 'colour: none\n',
      'pb.yml': play(`  tasks:
    - group_by: { key: "made_{{ kind }}" }
- hosts: all
  gather_facts: false
  tasks:
    - copy: { dest: "{{ out }}/{{ inventory_hostname }}", content: "{{ colour }}" }
`),
    });
  });

  it('a loop over an undefined variable is skipped when the task\'s when is false, an error otherwise', () => {
    assertBothSame({
      'inventory.ini': INV,
      'pb.yml': play(`  tasks:
    - debug:
      with_items: ['{{ not_there }}']
      when: false
      register: s
    - debug: { msg: "{{ item }}" }
      loop: "{{ not_there_either }}"
      register: f
      ignore_errors: true
${dump('s', '[s is skipped]')}${dump('f', '[f is failed]')}`),
    });
  });

  it('== and != between lists or mappings compare values, as Python (also on values set_fact built)', () => {
    assertBothSame({
      'inventory.ini': INV,
      'pb.yml': play(`  tasks:
    - set_fact: "{{ item if item is string else item[0] }}={{ item }}"
      with_list: [a, [b, c]]
    - set_fact: { m: { k: [1, 2] } }
${dump('eq', "[b == ['b', 'c'], b != ['b', 'c'], [1] == [1], [1] != [2], m == {'k': [1, 2]}, {'x': 1} == {'x': 2}, [] == [], 'a' == 'a', 1 == 1.0]")}`),
    });
  });

  it('until: retries N is N+1 runs (a template per item allowed), attempts visible to failed_when, failed_when decides the status', () => {
    assertBothSame({
      'inventory.ini': INV,
      'pb.yml': play(`  tasks:
    - shell: echo run >> {{ out }}/runs-{{ n }}; wc -l < {{ out }}/runs-{{ n }}
      register: r
      until: r.stdout | int == n + 3
      retries: "{{ n + 2 }}"
      delay: 0
      loop: [0, 1]
      loop_control: { index_var: n }
      ignore_errors: true
    - shell: echo x >> {{ out }}/never
      register: a
      until: 1 == 0
      retries: 2
      delay: 0
      failed_when: a.attempts > 6
    - shell: echo x >> {{ out }}/default
      register: d
      until: false
      delay: 0
      ignore_errors: true
${dump('r', "[r.results | map(attribute='attempts') | list, r.results | map(attribute='failed') | list]")}${dump('a', '[a.attempts, a.failed, a.failed_when_result]')}${dump('d', '[d.attempts, d is failed]')}`),
    });
  });

  it('small gaps: a task or block with an empty name:, ping data=crash as a module failure, the realpath filter, reachable/unreachable tests', () => {
    assertBothSame({
      'inventory.ini': INV,
      'pb.yml': play(`  tasks:
    - name:
      ping:
      register: p
    - name:
      block:
        - ping: { data: crash }
          register: crash
          ignore_errors: true
    - file: { src: "{{ out }}", dest: "{{ out }}/../link", state: link }
${dump('p', "[p.ping, crash is failed, crash.msg, 'Exception: boom' in crash.module_stdout + crash.module_stderr, crash.rc]")}${dump('real', "[(out ~ '/../link/x/y') | realpath == out ~ '/x/y', p is reachable, p is unreachable]")}`),
    });
  });

  it('script: a quoted script name with a space runs; in diff mode the result has a diff; the started test', () => {
    assertBothSame({
      'inventory.ini': INV,
      'files/space path/hi.sh': '#!/bin/sh\necho "hi $1"\n',
      'pb.yml': play(`  tasks:
    - script: "'space path/hi.sh' there"
      register: s
    - lineinfile: { dest: "{{ out }}/f.txt", line: First, create: true }
      diff: true
      register: d
    - command: "true"
      register: c
${dump('s', '[s.rc, s.stdout]')}${dump('d', "[d.diff | length > 0, d.diff[0].before, d.diff[0].after]")}${dump('c', '[c is started]')}`),
    });
  });

  it('gather_facts as a task (with gather_subset); a dangling facts.d symlink is reported as Ansible does', () => {
    assertBothSame({
      'inventory.ini': INV,
      'pb.yml': play(`  tasks:
    - gather_facts:
        gather_subset: distribution
      when: ansible_distribution is not defined
    - file: { path: "{{ out }}/../facts.d", state: directory }
    - copy: { dest: "{{ out }}/../facts.d/good.fact", content: '{"a": 1}' }
    - file: { src: /nonexistent/target, dest: "{{ out }}/../facts.d/dead.fact", state: link, force: true }
    - setup: { fact_path: "{{ out }}/../facts.d", filter: "*local*" }
      register: s
${dump('facts', "[ansible_distribution is defined, ansible_facts.os_family is defined, s.ansible_facts.ansible_local.good, s.ansible_facts.ansible_local.dead.startswith('Could not stat fact')]")}`),
    });
  });

  it('include_vars hash_behaviour: merge merges a loaded mapping into the current one; without it, it replaces', () => {
    assertBothSame({
      'inventory.ini': INV,
      'one.yml': 'config: { a: 1, sub: { x: 1, l: [1] } }\n',
      'two.yml': 'config: { b: 2, sub: { y: 2, l: [2] } }\n',
      'pb.yml': play(`  tasks:
    - include_vars: one.yml
    - include_vars: { file: two.yml, hash_behaviour: merge }
${dump('merged', 'config')}    - include_vars: two.yml
${dump('replaced', 'config')}`),
    });
  });

  it("k=v arguments decode Python escapes as Ansible's parse_kv (replace regexp='\\b...'), lineinfile's missing-file message", () => {
    assertBothSame({
      'inventory.ini': INV,
      'pb.yml': play(`  tasks:
    - copy: { dest: "{{ out }}/p.txt", content: "quick fox\\n" }
    - replace: path={{ out }}/p.txt regexp='\\b(.+)\\b' replace='"\\1"'
      register: short
    - replace: path={{ out }}/p.txt regexp='\\\\b(fox)\\\\b' replace='[\\1]'
      register: escaped
    - set_fact: a='x\\ty' c="it\\'s" d=\\u00e9
    - lineinfile: { path: "{{ out }}/nope/x.txt", line: x }
      register: missing
      ignore_errors: true
${dump('r', "[short is changed, escaped is changed, a, c, d, missing.msg is search('does not exist !'), missing.rc]")}`),
    });
  });

  it("include_vars dir: in a role 'vars/...' is the role's vars directory; extensions may list '' for names without one", () => {
    assertBothSame({
      'inventory.ini': INV,
      'roles/r/vars/main.yml': 'base: 1\n',
      'roles/r/vars/extra/noext': 'noext_var: 2\n',
      'roles/r/vars/extra/b.yml': 'yml_var: 3\n',
      'roles/r/vars/extra/c.txt': 'txt_var: 4\n',
      'roles/r/tasks/main.yml': `- include_vars: { dir: vars/extra, extensions: ['', yml], ignore_unknown_extensions: true }
  register: inc
${dump('inc', "[noext_var, yml_var, txt_var is defined, inc.ansible_included_var_files | map('basename') | list]").replace(/^ {4}/, '')}`,
      'pb.yml': play('  roles: [r]\n'),
    });
  });

  it("lineinfile insertafter '^...$' matches a line before its newline (Python's $); a validate without %s fails with Ansible's text", () => {
    assertBothSame({
      'inventory.ini': INV,
      'pb.yml': play(`  tasks:
    - copy: { dest: "{{ out }}/t.txt", content: "line 1\\nline 2\\nline 3\\n" }
    - lineinfile: { dest: "{{ out }}/t.txt", line: after one, insertafter: '^line 1$' }
    - lineinfile: { dest: "{{ out }}/t.txt", line: x, validate: /bin/true }
      register: v
      ignore_errors: true
${dump('v', '[v is failed, v.msg]')}`),
    });
  });
  it('the fileglob filter: files only, wildcards in directories too, dot files only by a dot pattern, no match is []; path_join is os.path.join', () => {
    assertBothSame({
      'inventory.ini': INV,
      'pb.yml': play(`  tasks:
    - file: { path: "{{ out }}/g/sub", state: directory }
    - copy: { dest: "{{ out }}/g/{{ item }}", content: x }
      loop: [a.txt, b.txt, .hidden.txt, sub/c.txt, d.conf]
${dump('glob', "[(out ~ '/g/*.txt') | fileglob | map('basename') | sort, (out ~ '/*/sub/*.txt') | fileglob | map('relpath', out) | list, (out ~ '/g/*') | fileglob | map('basename') | sort, (out ~ '/g/.*') | fileglob | map('basename') | list, (out ~ '/nothing/*') | fileglob, (out ~ '/g/d.conf') | fileglob | map('basename') | list, (out ~ '/g/sub') | fileglob]")}${dump('join', "[('/etc', 'sub', '/test') | path_join, ('etc', 'sub/', 'x') | path_join, ['', 'a', '', 'b'] | path_join, ['a/../b', '.'] | path_join, 'one' | path_join]")}`),
    });
  });
  it("hostvars['localhost'] is the implicit localhost (connection local), listed once it was used; a host's hostvars print as a mapping", () => {
    assertBothSame({
      'inventory.ini': INV,
      'pb.yml': play(`  tasks:
${dump('hv', "[['localhost'] | map('extract', hostvars, 'ansible_connection') | list, 'localhost' in hostvars, hostvars.keys() | list, hostvars['localhost'].inventory_hostname, hostvars['h1'] is mapping, (hostvars['h1'] | string).startswith('{'), (hostvars['h1'] | string) is search('.inventory_hostname.: .h1.')]")}`),
    });
  });
  it('an inventory without hosts: the implicit localhost runs with ansible_connection=local as a variable, in hostvars too', () => {
    assertBothSame({
      'inventory.ini': '',
      'pb.yml': `- hosts: localhost
  gather_facts: false
  tasks:
${dump('local', "[ansible_connection, hostvars['localhost'].ansible_connection, hostvars.keys() | list, groups['all'], inventory_hostname]")}`,
    });
  });
  it('file state=touch: a new file whose owner cannot be set (become nobody) fails and is removed again', () => {
    const ww = mkdtempSync(join(tmpdir(), 'lvsplay-ww-'));
    chmodSync(ww, 0o1777);
    try {
      assertBothSame(
        {
          'inventory.ini': INV,
          'pb.yml': play(`  tasks:
    - file: { path: "{{ ww }}/baz.txt", state: touch, owner: root }
      become: true
      become_user: nobody
      register: r
      ignore_errors: true
    - stat: { path: "{{ ww }}/baz.txt" }
      register: s
${dump('touch', '[r is failed, s.stat.exists]')}`),
        },
        ['-e', `ww=${ww}`],
      );
    } finally {
      rmSync(ww, { recursive: true, force: true });
    }
  });

  /** Owners and groups by name and id, missing and existing. */
  const OWNERS = [['owner', 'lvsplay-no-user'], ['owner', '111111'], ['group', 'lvsplay-no-group'], ['group', '111112'], ['owner', 'root'], ['owner', '0'], ['group', 'root'], ['group', '0']];

  it('file in check mode: an owner or group that does not exist (by name or id) is a warning in the result (not kept in the registered results of a loop), an existing one is not', () => {
    assertBothSame(
      {
        'inventory.ini': INV,
        'pb.yml': play(`  tasks:
${OWNERS.map(([k, v], i) => `    - file: { path: /tmp/lvsplay-nonexistent-path, ${k}: "${v}" }\n      register: r${i}\n      ignore_errors: true\n      check_mode: true\n`).join('')}    - file: { path: /tmp/lvsplay-nonexistent-path, owner: "{{ item }}" }
      loop: [lvsplay-no-user, root]
      register: rl
      ignore_errors: true
      check_mode: true
${dump('warn', "[r0, r1, r2, r3, r4, r5, r6, r7] | map(attribute='warnings', default=[]) | list")}${dump('loopwarn', "rl.results | map(attribute='warnings', default='none') | list")}`),
      },
    );
  });
});
