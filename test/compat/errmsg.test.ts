// Error messages in results, as content reads them (`result.msg == ...`, `'...' in result.msg`,
// `result.msg.startswith(...)`): our own playbooks run by lvsplay and by ansible-playbook 2.14,
// the registered texts dumped as JSON and compared. Where Ansible follows its words with a position
// paragraph ("\n\n..."), lvsplay follows them with its own FILE:LINE:COL: the words before it are
// compared, and both are asserted to name the playbook after it.
import assert from 'node:assert/strict';
import { assertBothSame, skipWithoutOracle } from './oracle.js';

const INV = 'h1 ansible_connection=local\n';
const play = (body: string): string => `- hosts: all\n  gather_facts: false\n${body}`;
const dump = (name: string, expr: string): string => `    - copy: { dest: "{{ out }}/${name}", content: "{{ ${expr} | to_json }}" }\n`;
/** A failing task registered as `reg`, its failure ignored. */
const failing = (reg: string, task: string): string => `    - ${task}\n      register: ${reg}\n      ignore_errors: true\n`;
/** One failing task per case, registered under the case's name; `task` makes the task of a case's text. */
const failingEach = (cases: Record<string, string>, task: (text: string) => string = (t) => t): string =>
  Object.entries(cases)
    .map(([k, text]) => failing(k, task(text)))
    .join('');
/** The words before the position paragraph, and whether the paragraph names the playbook. */
const words = (reg: string): string => `[${reg}.msg.split('\\n\\n')[0], 'pb.yml' in ${reg}.msg.split('\\n\\n')[1], ${reg}.changed is defined]`;

describe('compat: error messages in results (differential against ansible-playbook)', function () {
  this.timeout(240_000);
  before(function () {
    skipWithoutOracle(this);
  });

  it('an undefined variable in a task option, a loop and a conditional: Ansible\'s words, no `changed`', () => {
    assertBothSame({
      'inventory.ini': INV,
      'pb.yml': play(`  vars:
    base: { k: 1 }
  tasks:
${failing('a', 'set_fact: { x: "{{ base | combine({\'k2\': {\'n\': [not_here]}}) }}" }')}${failing('b', 'debug: { msg: "{{ base.nokey }}" }')}${failing('c', 'command: echo {{ nope }}')}${failing('d', 'debug: { var: item }\n      loop: "{{ no_list }}"')}${failing('e', 'debug: { msg: x }\n      when: no_flag')}${failing('f', 'debug: { msg: x }\n      when: item == no_other\n      loop: [1]')}${failing('g', 'debug: { msg: "{{ item }} {{ no_third }}" }\n      loop: [1, 2]')}${dump('a', words('a'))}${dump('b', words('b'))}${dump('c', words('c'))}${dump('d', '[d.msg, d.changed is defined]')}${dump('e', words('e'))}${dump('f', words('f'))}${dump('g', words('g'))}`),
    });
  });

  it('failed_when and changed_when that cannot be evaluated: <which>_when_result in Ansible\'s words, the msg kept', () => {
    assertBothSame({
      'inventory.ini': INV,
      'pb.yml': play(`  tasks:
${failing('f', 'debug: { msg: kept }\n      failed_when: nope2 == 1')}${failing('c', 'debug: { msg: kept }\n      changed_when: "\'x\' | hash(\'nope\')"')}${dump('f', '[f.msg, f.failed_when_result, f.changed]')}${dump('c', '[c.msg, c.changed_when_result, c.changed, c is failed]')}`),
    });
  });

  it('assert\'s that, until and include_vars of a missing absolute path: Ansible\'s results', () => {
    const { lvsplay } = assertBothSame({
      'inventory.ini': INV,
      'pb.yml': play(`  tasks:
${failing('a', 'assert: { that: ["nope3 == 1"] }')}${failing('u', 'command: echo hi\n      until: nope5 == 1\n      retries: 1\n      delay: 0')}${failing('i', 'include_vars: /nonexistent-lvsplay/vars.yml')}${dump('a', 'a | dictsort')}${dump('u', 'u | dictsort')}${dump('i', 'i | dictsort')}`),
    });
    // lvsplay's place, once, on the line under each failure whose msg has none
    for (const name of ['nope3', 'nope5']) assert.match(lvsplay.output, new RegExp(`^\\s+\\S*pb\\.yml:\\d+:\\d+: undefined variable '${name}'$`, 'm'));
  });

  it('filters fail with Ansible\'s own text as the whole msg', () => {
    const cases: Record<string, string> = {
      combine_kw: "{{ [{}] | combine(foo='bar') }}",
      combine_types: "{{ [{'a': 1}, [2]] | combine }}",
      hash: "{{ 'x' | hash('nope') }}",
      regex_posix_ext: '{{ "]]^" | regex_escape(re_type="posix_extended") }}',
      regex_other: '{{ "]]^" | regex_escape(re_type="haha") }}',
      mandatory: '{{ hey | mandatory }}',
      mandatory_msg: "{{ hey | mandatory('a message of mine') }}",
      dict2items: '{{ [1] | dict2items }}',
      items2dict_type: '{{ true | items2dict }}',
      items2dict_items: '{{ [true] | items2dict }}',
      items2dict_keys: "{{ [{'key': 'a', 'nope': 1}] | items2dict }}",
      path_join: '{{ 5 | path_join }}',
      subelements_obj: "{{ true | subelements('x') }}",
      subelements_key: "{{ [{'n': 'a'}] | subelements('groups') }}",
      subelements_list: "{{ [{'n': 'a'}] | subelements('n') }}",
      to_uuid: '{{ "x" | to_uuid(namespace=22) }}',
      strftime: "{{ '%Y' | strftime('when') }}",
    };
    const tasks = failingEach(cases, (expr) => `set_fact: { v: "${expr.replace(/"/g, '\\"')}" }`);
    assertBothSame({
      'inventory.ini': INV,
      'pb.yml': play(`  tasks:\n${tasks}${dump('msgs', `[${Object.keys(cases).map((k) => `${k}.msg`).join(', ')}]`)}`),
    });
  });

  it('lookups fail in Ansible\'s words: the plugin and exception class named, AnsibleLookupError\'s text alone, vars as an undefined variable', () => {
    const cases: Record<string, string> = {
      file: "lookup('file', 'nope.txt')",
      file_dir: "lookup('file', '/')",
      template: "lookup('template', 'nope.j2')",
      pipe: "lookup('pipe', 'exit 3')",
      lines: "lookup('lines', 'exit 2')",
      first_found: "lookup('first_found', ['nope-a', 'nope-b'])",
      unvault: "lookup('unvault', 'nope.txt')",
      sequence: "lookup('sequence', 'start=x end=3')",
      dict: "lookup('dict', [1, 2])",
      subelements: "lookup('subelements', [{'a': 1}], 'b')",
      ini_headers: "lookup('ini', 'k section=s file=plain.txt')",
      ini_section: "lookup('ini', 'k section=nosection file=a.ini')",
      ini_option: "lookup('ini', 'k bogus=1 file=a.ini')",
      ini_missing: "lookup('ini', 'k', file='nofile.ini')",
    };
    const tasks = failingEach(cases, (expr) => `debug: { msg: "{{ ${expr.replace(/"/g, '\\"')} }}" }`);
    assertBothSame({
      'inventory.ini': INV,
      'plain.txt': 'no section header\n',
      'a.ini': '[s]\nk = v\n',
      'pb.yml': play(`  tasks:\n${tasks}${failing('v', 'debug: { msg: "{{ lookup(\'vars\', \'nosuch\') }}" }')}${dump('msgs', `[${Object.keys(cases).map((k) => `${k}.msg`).join(', ')}]`)}${dump('v', words('v'))}`),
    });
  });

  it('arguments an action plugin checks first (copy, template, fetch) fail in its words; every argument failure is not changed and says where', () => {
    const cases: Record<string, string> = {
      copy_no_dest: 'copy: { content: x }',
      copy_no_src: 'copy: { dest: "{{ out }}/zz" }',
      copy_both: 'copy: { src: pb.yml, content: x, dest: "{{ out }}/zz" }',
      template_no_dest: 'template: { src: pb.yml }',
      template_no_src: 'template: { dest: "{{ out }}/zz" }',
      template_state: 'template: { src: pb.yml, dest: "{{ out }}/zz", state: present }',
      fetch_no_dest: 'fetch: { src: /etc/hostname }',
      file_no_path: 'file: { state: directory }',
    };
    const tasks = failingEach(cases);
    const { lvsplay } = assertBothSame({
      'inventory.ini': INV,
      'pb.yml': play(`  tasks:\n${tasks}${dump('results', `[${Object.keys(cases).map((k) => `[${k}.msg, ${k}.changed, ${k}.failed, ${k}.exception | default('none')]`).join(', ')}]`)}`),
    });
    // where: lvsplay's place on the line under the failure (Ansible's msg has none)
    assert.match(lvsplay.output, /^\s+\S*pb\.yml:\d+:\d+: missing required argument 'path' for module file$/m);
    assert.match(lvsplay.output, /^\s+\S*pb\.yml:\d+:\d+: copy: src and content are mutually exclusive$/m);
  });

  it('copy and template failing in their action plugin: a source not found (the search list as Ansible prints it), an undefined variable in a template file', () => {
    const dump3 = (k: string): string => `[${k}.msg | replace(playbook_dir, 'PLAYBOOK_DIR'), ${k}.changed, ${k}.failed]`; // each tool runs in its own copy
    const inPlay = {
      copy_rel: 'copy: { src: nope.txt, dest: "{{ out }}/zz" }',
      copy_files: 'copy: { src: files/nope.txt, dest: "{{ out }}/zz" }',
      copy_abs: 'copy: { src: /nonexistent-lvsplay/abs.txt, dest: "{{ out }}/zz" }',
      template_rel: 'template: { src: nope.j2, dest: "{{ out }}/zz" }',
      template_undef: 'template: { src: bad.j2, dest: "{{ out }}/zz" }',
    };
    const inRole = { rcopy: 'copy: { src: nope.txt, dest: "{{ out }}/zz" }', rtemplate: 'template: { src: nope.j2, dest: "{{ out }}/zz" }' };
    const roleTasks = Object.entries(inRole)
      .map(([k, t]) => `- ${t}\n  register: ${k}\n  ignore_errors: true\n`)
      .join('');
    const { lvsplay } = assertBothSame({
      'inventory.ini': INV,
      'bad.j2': 'line one\nvalue {{ not_defined_here }}\n',
      'roles/r/tasks/main.yml': `${roleTasks}- copy: { dest: "{{ out }}/role", content: "{{ [${Object.keys(inRole).map(dump3).join(', ')}] | to_json }}" }\n`,
      'pb.yml': play(`  roles: [r]\n  tasks:\n${failingEach(inPlay)}${dump('play', `[${Object.keys(inPlay).map(dump3).join(', ')}]`)}`),
    });
    assert.match(lvsplay.output, /^\s+\S*bad\.j2:2:\d+: undefined variable 'not_defined_here'$/m);
  });

  it('iterators are lists where Ansible unrolls them (dict views, map, select, range); filters moved to Python give Python\'s values', () => {
    assertBothSame({
      'inventory.ini': INV,
      'pb.yml': play(`  vars:
    d: { bar: 123, x: a }
    items: '{{ d.items() }}'
    keys: '{{ d.keys() }}'
    nums: '{{ range(4) }}'
    mixed: 'x {{ d.items() }}'
  tasks:
${dump('views', '[items, keys, nums, mixed, items | first | last, nums | type_debug]')}${dump('compare', "[[1, 2] | map('int') == [1, 2], [1, 2, 3] | select('odd') == [1, 3], d.values() | list == [123, 'a']]")}${dump('shuffle', "[[1, 2, 3, 4, 5, 6, 7] | shuffle(seed='lvs'), 22 | shuffle, 'abc' | shuffle(seed=3)]")}${dump('dates', "[('2024-03-01 10:00:00' | to_datetime) > ('2024-02-28 10:00:00' | to_datetime), (('2024-03-01' | to_datetime('%Y-%m-%d')) - ('2024-02-28' | to_datetime('%Y-%m-%d'))).days, '%Y-%m-%d' | strftime(86400 * 365, utc=true), '%H:%M' | strftime('3600.0', utc=true)]")}${dump('escape', "['a.b*c d#e' | regex_escape, ']]^.x' | regex_escape(re_type='posix_basic')]")}${dump('comment', "['boo!' | comment, 'a\\nb' | comment('c'), 'x' | comment(decoration=''), 'x' | comment('cblock'), 'x' | comment('xml', prefix_count=2), 'x' | comment(prefix='\\n', prefix_count=3)]")}${dump('misc', "['x' | to_uuid, [{'k': 'a', 'v': 1}] | items2dict(key_name='k', value_name='v'), {'a': 1} | dict2items(key_name='n'), ['a', '/b', 'c'] | path_join, [{'n': 1, 'g': ['x', 'y']}] | subelements('g')]")}`),
    });
  });

  it('an undefined value given to a type-checking filter in a loop is an undefined variable: skipped when `when` is false, failed otherwise', () => {
    assertBothSame({
      'inventory.ini': INV,
      'pb.yml': play(`  tasks:
    - debug: { msg: "{{ item }}" }
      loop: "{{ not_set | dict2items }}"
      when: not_set is defined
      register: s
${failing('f', 'debug: { msg: "{{ item }}" }\n      loop: "{{ not_set | dict2items }}"')}${dump('s', '[s is skipped, f is failed, f.changed is defined]')}`),
    });
  });
});
