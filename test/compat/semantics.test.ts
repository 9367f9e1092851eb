// Semantics ansible-core's own integration targets rely on (set_fact in loops and its k=v booleans,
// templated names, `vars:` as a list, clear_host_errors, notify on import_tasks, role layouts,
// include_vars of a directory, ...), run by lvsplay and by ansible-playbook 2.14 on the same files:
// the same exit code, recap and files written (variables dumped as JSON). A difference is a failure.
import assert from 'node:assert/strict';
import { runBoth, skipWithoutOracle } from './oracle.js';

const INV = 'h1 ansible_connection=local\n';

/** Run both tools; assert the same rc, recap and out/ files; returns both outputs. */
function same(files: Record<string, string>): { lvsplay: string; ansible: string } {
  const { lvsplay, ansible } = runBoth({ 'inventory.ini': INV, ...files });
  const view = (o: typeof lvsplay) => ({ rc: o.rc, recap: o.recap, files: o.files });
  assert.deepEqual(view(lvsplay), view(ansible), `lvsplay and ansible-playbook differ\n--- lvsplay:\n${lvsplay.output}\n--- ansible-playbook:\n${ansible.output}`);
  assert.ok(Object.keys(ansible.recap).length > 0, `no recap from ansible-playbook:\n${ansible.output}`);
  return { lvsplay: lvsplay.output, ansible: ansible.output };
}

/** A play on all hosts without facts, with these tasks (YAML, indented by 4). */
const play = (tasks: string, head = ''): string => `- hosts: all\n  gather_facts: false\n${head}  tasks:\n${tasks}`;
/** A task writing `{{ expr | to_json }}` to out/NAME. */
const dump = (name: string, expr: string): string => `    - copy: { dest: "{{ out }}/${name}", content: "{{ ${expr} | to_json }}" }\n`;

describe('compat: semantics of ansible-core integration targets (differential, connection: local)', function () {
  this.timeout(240_000);
  before(function () {
    skipWithoutOracle(this);
  });

  it('set_fact in a loop sees the facts the items before it set (accumulating a list)', () => {
    same({
      'pb.yml': play(`    - set_fact: { acc: "{{ acc | default([]) + [item] }}" }
      loop: [1, 2, 3]
    - set_fact: { words: "{{ words | default('') ~ item }}" }
      loop: [a, b]
${dump('acc', 'acc')}${dump('words', 'words')}`),
    });
  });

  it('set_fact k=v and string values yes/no/true/false become booleans (when: flag skips)', () => {
    same({
      'pb.yml': play(`    - set_fact: flag=false other=yes n=3 word=maybe
    - set_fact: { quoted: "True", templ: "{{ 'no' }}", sw: "on" }
    - copy: { dest: "{{ out }}/ran", content: "ran" }
      when: flag
${dump('sw', 'sw')}${dump('types', '[flag, other, n, word, quoted, templ] | map(\'type_debug\') | list')}`),
    });
  });

  it('a loop item whose arguments cannot be templated fails the whole task there: the items after it do not run, no results list', () => {
    same({
      'pb.yml': play(`    - command: "touch {{ out }}/{{ item.n }}"
      loop: [{ n: a }, { x: 1 }, { n: c }]
      register: r
      ignore_errors: true
    - debug: { msg: "{{ item.n }}" }
      loop: [{ n: a }, { x: 1 }, { n: c }]
      register: d
      ignore_errors: true
    - file: { path: "{{ out }}/{{ item }}", state: "{{ 'touch' if item != 'b' else 'bogus' }}" }
      loop: [f1, b, f2]
      register: f
      ignore_errors: true
${dump('keys', "[r.keys() | sort, 'results' in d, f.results | length, f.msg]")}`),
    });
  });

  it('file state=touch sets the times of an existing file to now: changed every time, as Ansible (preserve keeps them)', () => {
    same({
      'pb.yml': play(`    - file: { path: "{{ out }}/t", state: touch }
      register: t1
    - file: { path: "{{ out }}/t", state: touch }
      register: t2
    - file: { path: "{{ out }}/t", state: touch, modification_time: preserve, access_time: preserve }
      register: t3
${dump('changed', '[t1.changed, t2.changed, t3.changed]')}`),
    });
  });

  it("hostvars hold inventory, facts, include_vars, register, set_fact and extra vars — not play vars, vars_files or roles' variables; extract of a missing key is undefined", () => {
    same({
      'pb.yml': `- hosts: all
  gather_facts: false
  vars: { own: 1, pv: 2 }
  vars_files: [vf.yml]
  roles: [r]
  tasks:
    - include_vars: iv.yml
    - set_fact: { sf: 3 }
    - command: /bin/true
      register: reg
${dump('seen', "['ev', 'own', 'pv', 'vfv', 'rd', 'rv', 'ivv', 'sf', 'group_names', 'inventory_hostname', 'ansible_check_mode', 'role_name', 'ansible_play_hosts', 'nokey'] | map('extract', hostvars['h1']) | map('default', 'UNDEF') | map('string') | list + [hostvars['h1'].reg.rc, own, hostvars.h1.nokey | default('D'), hostvars['h1'].out == out] + (['h1'] | map('extract', hostvars, 'nokey') | map('default', 'E') | list)")}`,
      'inventory.ini': 'h1 ansible_connection=local own=100\n',
      'vf.yml': 'vfv: 1\n',
      'iv.yml': 'ivv: 1\n',
      'roles/r/defaults/main.yml': 'rd: 1\n',
      'roles/r/vars/main.yml': 'rv: 1\n',
      'roles/r/tasks/main.yml': '- debug: { msg: r }\n',
    });
  });

  it("a role imported inside a role (included or imported) sees the importing role's defaults and vars", () => {
    same({
      'pb.yml': play('    - include_role: { name: outer }\n', '  vars: { tag: included }\n') + play('    - import_role: { name: outer }\n', '  vars: { tag: imported }\n'),
      'roles/outer/defaults/main.yml': 'x_outer: 1\n',
      'roles/outer/vars/main.yml': 'v_outer: 2\n',
      'roles/outer/tasks/main.yml': '- import_role: { name: inner }\n',
      'roles/inner/tasks/main.yml': `- copy: { dest: "{{ out }}/{{ tag }}", content: "{{ [x_outer, v_outer] | to_json }}" }\n`,
    });
  });

  it('become connection variables may be templates (ansible_become, ansible_become_user, ansible_become_method in vars)', function () {
    if (process.getuid?.() !== 0) this.skip(); // sudo to another user needs root here
    same({
      'pb.yml': play(`    - command: whoami
      become: true
      vars: { ansible_become_user: "{{ u }}" }
      register: w1
    - command: whoami
      vars: { ansible_become: "{{ 'yes' }}", ansible_become_user: "{{ u }}", ansible_become_method: "{{ 'sudo' }}" }
      register: w2
${dump('who', '[w1.stdout, w2.stdout]')}`, '  vars: { u: nobody }\n'),
    });
  });

  it("file's internal _diff_peek: appears_binary from the first 8192 bytes (a missing file is text), changed false, no warning", () => {
    same({
      'pb.yml': play(`    - copy: { dest: "{{ out }}/bin.dat", content: "a\\u0000b" }
    - copy: { dest: "{{ out }}/txt.dat", content: "text" }
    - file: { path: "{{ out }}/{{ item }}", _diff_peek: yes }
      loop: [bin.dat, txt.dat, nosuch.dat]
      register: r
${dump('peek', "[r.results | map(attribute='appears_binary') | list, r.results | map(attribute='changed') | list, r.results[0].warnings is defined]")}`),
    });
  });

  it("file returns Ansible's path information (uid, gid, owner, group, mode, state, size; dest/src for touch and link), changed or not; mode '01777' accepted", () => {
    same({
      'pb.yml': play(`    - file: { path: "{{ out }}/d", state: directory, mode: "01777" }
      register: a
    - file: { path: "{{ out }}/d", state: directory }
      register: b
    - file: { path: "{{ out }}/f", state: touch, mode: "0640" }
      register: c
    - file: { path: "{{ out }}/f", mode: "0600" }
      register: d
    - file: { path: "{{ out }}/l", src: "{{ out }}/f", state: link }
      register: e
    - file: { path: "{{ out }}/l", src: "{{ out }}/f", state: link }
      register: g
    - file: { path: "{{ out }}/l", state: absent }
      register: h
${dump('info', "[a, b, c, d, e, g, h] | map('dict2items') | map('rejectattr', 'key', 'in', ['diff', 'changed', 'failed', 'path', 'dest', 'src', 'ansible_facts']) | map('items2dict') | map('dictsort') | list")}${dump('named', "[a, b, c, d, e, g, h] | map('dict2items') | map('selectattr', 'key', 'in', ['path', 'dest', 'src']) | map('map', attribute='key') | map('list') | list")}`),
    });
  });

  it('set_fact names may be templates (mapping and k=v forms)', () => {
    same({
      'pb.yml': play(
        `    - set_fact:
        "{{ prefix }}_one": 1
    - set_fact: "{{ prefix }}_two=2"
${dump('vals', '[dyn_one, dyn_two]')}`,
        '  vars: { prefix: dyn }\n',
      ),
    });
  });

  it('play and task vars given as a list of mappings, merged in order', () => {
    same({
      'pb.yml': play(
        `    - copy: { dest: "{{ out }}/v", content: "{{ a }} {{ b }} {{ c }}" }
      vars: [{ c: 3 }, { c: 4 }]
`,
        '  vars:\n    - { a: 1, b: 0 }\n    - { b: "{{ a + 1 }}" }\n',
      ),
    });
  });

  it('roles with only vars/ or only defaults/ are found; vars/main/ and defaults/main/ directories are merged', () => {
    same({
      'pb.yml': play(dump('vals', '[rv, rd, v1, v2, d1]'), '  roles: [onlyvars, onlydefaults, dirs]\n'),
      'roles/onlyvars/vars/main.yml': 'rv: V\n',
      'roles/onlydefaults/defaults/main.yml': 'rd: D\n',
      'roles/dirs/vars/main/a.yml': 'v1: one\nv2: early\n',
      'roles/dirs/vars/main/b.yml': 'v2: two\n',
      'roles/dirs/defaults/main/x.yml': 'd1: dd\nv1: overridden\n',
    });
  });

  it('a role importing its own task file (import_role / include_role tasks_from, import_tasks) is not a self-dependency', () => {
    same({
      'pb.yml': play('', '  roles: [r]\n'),
      'roles/r/tasks/main.yml': '- import_role: { name: r, tasks_from: other }\n- include_role: { name: r, tasks_from: other }\n- import_tasks: other.yml\n',
      'roles/r/tasks/other.yml': '- copy: { dest: "{{ out }}/other", content: x }\n',
    });
  });

  it('meta: clear_host_errors in always forgets the failure of the block (the play goes on, rc 0)', () => {
    same({
      'pb.yml': play(`    - block:
        - command: /bin/false
      always:
        - meta: clear_host_errors
    - copy: { dest: "{{ out }}/after", content: "after" }
`),
    });
  });

  it('notify on import_tasks applies to the imported tasks (a task notifying its own handler keeps it)', () => {
    same({
      'pb.yml': play(
        `    - import_tasks: t.yml
      notify: from-import
`,
        '',
      ).concat(`  handlers:
    - name: from-import
      copy: { dest: "{{ out }}/from-import", content: "1" }
    - name: own
      copy: { dest: "{{ out }}/own", content: "1" }
`),
      't.yml': '- command: /bin/true\n- command: /bin/true\n  notify: own\n',
    });
  });

  it('command with a missing or non-executable program fails as an exec does (not a shell rc 127)', () => {
    const keep = "{{ r | dict2items | rejectattr('key', 'in', ['ansible_facts', 'start', 'end', 'delta', 'invocation']) | items2dict | to_json(sort_keys=True) }}";
    same({
      'pb.yml': play(`    - command: /nonexistent/prog arg
      register: r1
      ignore_errors: true
    - command: no_such_program_xyz "two words"
      register: r2
      ignore_errors: true
    - command: ./notexec
      args: { chdir: "{{ out }}/.." }
      register: r3
      ignore_errors: true
    - command: echo found
      register: r4
${['r1', 'r2', 'r3', 'r4'].map((r) => `    - copy: { dest: "{{ out }}/${r}", content: "${keep.replace(/\br\b/, r)}" }\n`).join('')}`),
      notexec: 'echo hi\n',
    });
  });

  it("{{ }} in when (and failed_when) gives Ansible's warning, once per text; the condition still works", () => {
    const out = same({
      'pb.yml': play(`    - copy: { dest: "{{ out }}/a", content: a }
      when: "{{ flag }}"
    - copy: { dest: "{{ out }}/b", content: b }
      when: "{{ not flag }}"
    - command: /bin/true
      failed_when: "{{ flag }}"
      ignore_errors: true
`, '  vars: { flag: true }\n'),
    });
    // Ansible wraps its warnings at the terminal width; the words are the same
    const warnings = (o: string) => [...o.replace(/\s+/g, ' ').matchAll(/\[WARNING\]: (conditional statements .*?Found: \{\{ [^}]*\}\})/g)].map((m) => m[1]);
    assert.deepEqual(warnings(out.lvsplay), warnings(out.ansible));
    assert.equal(warnings(out.ansible).length, 3);
  });

  it('the deprecated include: static without a loop, dynamic with a loop or a templated name, with the deprecation warning', () => {
    const out = same({
      'pb.yml': play(`    - include: t.yml
      vars: { x: 1 }
    - include: "{{ 't' }}.yml"
      vars: { x: 2 }
    - include: t.yml
      loop: [3]
      vars: { x: "{{ item }}" }
`),
      't.yml': '- copy: { dest: "{{ out }}/x{{ x }}", content: "{{ x }}" }\n',
    });
    const said = (o: string) => o.replace(/\s+/g, ' ').includes('[DEPRECATION WARNING]: "include" is deprecated, use include_tasks/import_tasks instead.');
    assert.ok(said(out.ansible) && said(out.lvsplay), out.lvsplay);
  });

  it('failed_when_result is in the registered result (single task and each loop item, not the loop aggregate)', () => {
    same({
      'pb.yml': play(`    - command: /bin/true
      register: r
      failed_when: r.rc != 0
    - command: /bin/true
      register: rl
      loop: [1]
      failed_when: false
${dump('single', 'r.failed_when_result')}${dump('item', 'rl.results[0].failed_when_result')}${dump('agg', "rl.failed_when_result | default('absent')")}`),
    });
  });

  it('ansible_version is the 2.14 release lvsplay follows (content branching on it takes the 2.14 path)', () => {
    same({
      'pb.yml': play(`${dump('v', 'ansible_version')}${dump('ge', "ansible_version.full is version('2.14', '>=') and ansible_version.full is version('2.15', '<')")}`),
    });
  });

  it("raw runs without the task's environment, with Ansible's warning (once per task and host); shell gets it", () => {
    const out = same({
      'pb.yml': play(`    - raw: echo "FOO=$FOO" > {{ out }}/raw
      environment: { FOO: bar }
      loop: [1, 2]
    - raw: echo "FOO=$FOO" > {{ out }}/raw-empty
      environment: {}
    - shell: echo "FOO=$FOO" > {{ out }}/shell
      environment: { FOO: bar }
`, '  environment: {}\n'),
    });
    const warned = (o: string) => o.split('raw module does not support the environment keyword').length - 1;
    assert.equal(warned(out.lvsplay), warned(out.ansible), out.lvsplay);
    assert.equal(warned(out.ansible), 1, out.ansible);
  });

  it('a vars file with only comments is an empty mapping (vars_files and include_vars)', () => {
    same({
      'pb.yml': play(`    - include_vars: c.yml
      register: r
${dump('r', 'r.ansible_facts')}`, '  vars_files: [c.yml]\n'),
      'c.yml': '# only a comment\n# and another\n',
    });
  });

  it('include_vars dir with files_matching, ignore_files, depth, extensions, ignore_unknown_extensions and name', () => {
    const step = (n: string, args: string) => `    - include_vars: { dir: vd, ${args} }
      register: ${n}
      ignore_errors: true
${dump(n, `[${n}.ansible_facts | default(None), ${n}.ansible_included_var_files | default([]) | map('basename') | list, ${n}.message | default('') | basename, ${n}.failed]`)}`;
    same({
      'pb.yml': play(
        [
          step('all', 'name: all'),
          step('onlya', "files_matching: '^a', name: onlya"),
          step('shallow', 'ignore_files: [b.yml], depth: 1, name: shallow'),
          step('deep2', 'depth: 2, name: deep2'),
          step('js', 'extensions: [json], name: js'),
          step('jsonly', 'extensions: [json], ignore_unknown_extensions: true, name: jsonly'),
          step('top', "ignore_files: 'j.json c.yaml'"),
        ].join('') + dump('merged', '[a, b, d]'),
      ),
      'vd/a.yml': 'a: 1\nb: 0\n',
      'vd/b.yml': 'b: 2\n',
      'vd/j.json': '{"j": 4}\n',
      'vd/sub/c.yaml': 'c: 3\n',
      'vd/sub/deep/d.yml': 'd: 5\n',
      'vd/other/e.yml': 'e: 6\n',
    });
  });

  it('vars_files named by templates are chosen per host (inventory vars, alternatives, merged in order)', () => {
    same({
      'inventory.ini': 'h1 ansible_connection=local flavour=a\nh2 ansible_connection=local flavour=b\n',
      'pb.yml': play(
        `    - copy: { dest: "{{ out }}/{{ inventory_hostname }}", content: "{{ [common, val, alt, over] | to_json }}" }\n`,
        `  vars: { which: alt }\n  vars_files:\n    - common.yml\n    - "vars_{{ flavour }}.yml"\n    - ["missing_{{ flavour }}.yml", "{{ which }}.yml"]\n`,
      ),
      'common.yml': 'common: c\nover: common\n',
      'vars_a.yml': 'val: from-a\nover: a\n',
      'vars_b.yml': 'val: from-b\n',
      'alt.yml': 'alt: found\n',
    });
  });

  it('include_role is neither shown nor counted (unnamed, looped, named), as ansible-playbook 2.14', () => {
    const out = same({
      'pb.yml': play(`    - include_role: { name: r }
    - include_role: { name: r }
      loop: [1, 2]
    - name: named
      include_role: { name: r }
`),
      'roles/r/tasks/main.yml': '- copy: { dest: "{{ out }}/r", content: r }\n',
    });
    const banners = (o: string) => [...o.matchAll(/^TASK \[(.*?)\]/gm)].map((m) => m[1]);
    assert.deepEqual(banners(out.lvsplay), banners(out.ansible));
  });

  it("args given as a template: its mapping is the arguments, the task's own win; Ansible's warning", () => {
    const out = same({
      'pb.yml': play(
        `    - copy:
        content: own
      args: "{{ copy_args }}"
    - debug:
      args: "{{ { 'msg': 'from ' ~ inventory_hostname } }}"
      register: d
${dump('d', 'd.msg')}`,
        `  vars: { copy_args: { dest: "{{ out }}/f", content: ignored, mode: "0600" } }\n`,
      ),
    });
    const warned = (o: string) => (o.replace(/\s+/g, ' ').match(/Using a variable for a task's 'args' is unsafe/g) ?? []).length;
    assert.equal(warned(out.lvsplay), warned(out.ansible));
  });
  it("now(): the controller's time as a datetime (strftime with fmt, utc=true), usable in conditions and set_fact; a variable named like a global shadows it", () => {
    same({
      'pb.yml': play(`    - set_fact: { stamp: "{{ now() }}", year: "{{ now(fmt='%Y') }}" }
    - copy: { dest: "{{ out }}/cond", content: "yes" }
      when: now().year > 2000 and now(utc=true).year > 2000
${dump('now', "[year | int == now().year, now() | type_debug, stamp | type_debug, stamp[:4] == year, (now(true, '%Y') | int) - now().year | abs <= 1, now().strftime('%Y') == year]")}    - copy: { dest: "{{ out }}/shadowed", content: "{{ now }} {{ range }} {{ lookup('vars', 'now') }}" }
      vars: { now: a variable, range: [9] }
`),
    });
  });
  it('hostvars values are rendered leniently (an undefined variable keeps the text as written, element by element); with_* items are data', () => {
    same({
      'iv.yml': `hv_list: ["a{{ not_defined_here }}", "{{ 1 + 2 }}"]\nhv_map: { k: "{{ not_defined_here }}", j: "{{ 2 * 2 }}" }\nhv_ok: "{{ 5 }}"\n`,
      'pb.yml': play(`    - include_vars: { file: iv.yml }
    - set_fact: "{{ item.key }}={{ hostvars[inventory_hostname][item.value] }}"
      with_dict: { copied_list: hv_list, copied_map: hv_map }
    - set_fact: { direct_ok: "{{ hostvars[inventory_hostname].hv_ok }}" }
    - copy: { dest: "{{ out }}/{{ item }}", content: "{{ item }}" }
      with_items: ["{{ '{{' }} not_defined_here }}"]
      ignore_errors: true
${dump('hv', "[copied_list, copied_map, direct_ok, copied_list[0] == 'a' ~ '{{' ~ ' not_defined_here }}']")}    - debug: { msg: "{{ hostvars[inventory_hostname].hv_list }}" }
      register: later
      ignore_errors: true
${dump('later', 'later is failed')}`),
    });
  });
  it('argument errors of a task whose failure is handled (ignore_errors, a rescue) fail the task at run time, as Ansible; Ansible\'s message for free-form words', () => {
    const { lvsplay } = same({
      'pb.yml': play(`    - add_host: just some words
      ignore_errors: true
      register: r1
    - debug:
        words {{ "and a template" }}
      ignore_errors: true
      register: r2
    - action: slurp
      ignore_errors: true
      register: r3
    - file: { path: "{{ out }}/f", bogus: 1 }
      ignore_errors: true
      register: r4
    - block:
        - copy: { dest: "{{ out }}/c" }
          register: r5
      rescue:
        - copy: { dest: "{{ out }}/rescued", content: "{{ r5 is failed }}" }
    - file: { path: "{{ out }}/skipped", state: nonsense }
      when: false
      ignore_errors: true
      register: r6
${dump('flags', '[r1 is failed, r2 is failed, r3 is failed, r4 is failed, r6 is skipped, r2.msg]')}`),
    });
    assert.match(lvsplay, /invalid or malformed argument: 'words and a template'/);
  });
});
