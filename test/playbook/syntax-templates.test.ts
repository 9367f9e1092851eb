// Issue 17: `--syntax-check` (and every run, before touching a host) finds a broken expression
// anywhere a template can be, at the FILE:LINE:COL of the value, and runs nothing. Each place of
// a playbook Ansible templates has a case; the look-alikes that are not templates (or are valid
// ones) are not flagged. Engine-neutral: messages differ between nunjucks and Jinja2, positions
// do not.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const CLI = resolve(dirname(fileURLToPath(import.meta.url)), '../../cli/lvsplay.js');

function lvsplay(args: string[], cwd: string) {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', cwd, env: { ...process.env, NO_COLOR: '1', LVSPLAY_LAB_DIR: '/nonexistent' } });
  return { rc: r.status, out: r.stdout, err: r.stderr };
}

/** A scratch project: files by relative path. */
function project(files: Record<string, string>): string {
  const d = mkdtempSync(join(tmpdir(), 'lvsplay-syntpl-'));
  for (const [p, t] of Object.entries(files)) {
    mkdirSync(dirname(join(d, p)), { recursive: true });
    writeFileSync(join(d, p), t);
  }
  return d;
}

/** LINE:COL of the first occurrence of `marker` in `text` (1-based). */
function posOf(text: string, marker: string): string {
  const i = text.indexOf(marker);
  assert.ok(i >= 0, `marker ${marker} not in the text`);
  const before = text.slice(0, i).split('\n');
  return `${before.length}:${before[before.length - 1].length + 1}`;
}

// A play whose first task would create a file: a broken template anywhere must stop the run before it.
const HEAD = `- hosts: localhost
  gather_facts: false
  tasks:
    - name: first task runs nothing
      file: path={{ playbook_dir }}/created state=touch
`;

interface Case {
  place: string;
  /** Text after HEAD (task list level), or a whole playbook when `play` is set. */
  yaml: string;
  play?: boolean;
  /** Other files of the project. */
  files?: Record<string, string>;
  /** File (default pb.yml) and the text its position must point at. */
  file?: string;
  at: string;
}

const CASES: Case[] = [
  { place: 'free-form k=v of debug (an unclosed call)', yaml: `    - debug: msg="{{ x | default( }}"\n`, at: 'msg=' },
  { place: 'free-form k=v of set_fact', yaml: `    - set_fact: a="{{ b ]}}"\n`, at: 'a="{{' },
  { place: 'free-form k=v of file (a later argument)', yaml: `    - file: path=/tmp/x mode="{{ m ]] }}"\n`, at: 'mode=' },
  { place: 'free-form command line', yaml: `    - command: echo {{ x( }}\n`, at: 'echo {{ x(' },
  { place: 'free-form shell line with chdir=', yaml: `    - shell: echo {{ y ]] }} chdir=/tmp\n`, at: 'echo {{ y' },
  { place: 'module arguments as a mapping', yaml: `    - copy:\n        dest: /tmp/x\n        content: "{{ c | }}"\n`, at: '"{{ c |' },
  { place: 'args:', yaml: `    - command: pwd\n      args:\n        chdir: "{{ d( }}"\n`, at: '"{{ d(' },
  { place: 'when (a bare expression)', yaml: `    - debug: msg=hi\n      when: x ==\n`, at: 'x ==' },
  { place: "assert's that (a bare expression in a list)", yaml: `    - assert:\n        that:\n          - 1 == 1\n          - y in [\n`, at: 'y in [' },
  { place: "assert's that (one string)", yaml: `    - assert: {that: "z | default( == 1"}\n`, at: '"z |' },
  { place: 'when (a list item)', yaml: `    - debug: msg=hi\n      when:\n        - true\n        - (x\n`, at: '(x' },
  { place: 'changed_when', yaml: `    - command: pwd\n      changed_when: [false, "x and"]\n`, at: '"x and"' },
  { place: 'failed_when with braces', yaml: `    - command: pwd\n      failed_when: "{{ x"\n`, at: '"{{ x"' },
  { place: 'until', yaml: `    - command: pwd\n      register: r\n      until: "r.rc =="\n      retries: 1\n`, at: '"r.rc' },
  { place: 'loop', yaml: `    - debug: msg=hi\n      loop: "{{ [1, }}"\n`, at: '"{{ [1,' },
  { place: 'with_items item', yaml: `    - debug: msg=hi\n      with_items: [a, "{{ b( }}"]\n`, at: '"{{ b(' },
  { place: 'loop_control.label', yaml: `    - debug: msg=hi\n      loop: [1]\n      loop_control:\n        label: "{{ item ]] }}"\n`, at: '"{{ item ]]' },
  { place: 'task name', yaml: `    - name: "step {{ n | }}"\n      debug: msg=hi\n`, at: '"step' },
  { place: 'become_user', yaml: `    - command: pwd\n      become_user: "{{ u. }}"\n`, at: '"{{ u.' },
  { place: 'delegate_to', yaml: `    - command: pwd\n      delegate_to: "{{ h[ }}"\n`, at: '"{{ h[' },
  { place: 'environment value', yaml: `    - command: pwd\n      environment:\n        PATH: "{{ p ]] }}"\n`, at: '"{{ p ]]' },
  { place: 'ignore_errors template', yaml: `    - command: pwd\n      ignore_errors: "{{ ie | }}"\n`, at: '"{{ ie |' },
  { place: 'task vars', yaml: `    - debug: msg=hi\n      vars:\n        tv: "{{ 1 + }}"\n`, at: '"{{ 1 +' },
  { place: 'task vars, nested in a list', yaml: `    - debug: msg=hi\n      vars:\n        tv:\n          list: [ok, "{% if %}"]\n`, at: '"{% if' },
  { place: 'notify', yaml: `    - command: pwd\n      notify: "h {{ ]] }}"\n  handlers:\n    - name: h\n      debug: msg=hi\n`, at: '"h {{' },
  { place: 'block name, keyword and vars', yaml: `    - block:\n        - debug: msg=hi\n      vars:\n        bv: "{% for %}"\n`, at: '"{% for' },
  { place: 'remote_user of a block', yaml: `    - block:\n        - debug: msg=hi\n      remote_user: "{{ ru) }}"\n`, at: '"{{ ru)' },
  { place: 'task inside a block', yaml: `    - block:\n        - debug: msg="{{ inner( }}"\n`, at: 'msg="{{ inner' },
  { place: 'rescue', yaml: `    - block:\n        - debug: msg=hi\n      rescue:\n        - debug: msg="{{ resc( }}"\n`, at: 'msg="{{ resc' },
  { place: 'include_tasks name', yaml: `    - include_tasks: "{{ inc( }}.yml"\n`, at: '{{ inc(' },
  { place: 'include_tasks parameters', yaml: `    - include_tasks:\n        file: other.yml\n      vars:\n        p: "{{ q ]] }}"\n`, at: '"{{ q ]]' },
  { place: 'handler', yaml: `    - command: pwd\n  handlers:\n    - name: h\n      debug: msg="{{ hh ]] }}"\n`, at: 'msg="{{ hh' },
  { place: 'play name', play: true, yaml: `- hosts: localhost\n  name: "play {{ x ]}}"\n  tasks:\n    - file: path={{ playbook_dir }}/created state=touch\n`, at: '"play' },
  { place: 'play vars', play: true, yaml: `- hosts: localhost\n  vars:\n    pv: "{{ 1 + }}"\n  tasks:\n    - file: path={{ playbook_dir }}/created state=touch\n`, at: '"{{ 1 +' },
  { place: 'play environment', play: true, yaml: `- hosts: localhost\n  environment:\n    A: "{{ e ]]}}"\n  tasks:\n    - file: path={{ playbook_dir }}/created state=touch\n`, at: '"{{ e ]]' },
  {
    place: 'vars_files',
    play: true,
    yaml: `- hosts: localhost\n  vars_files: [vf.yml]\n  tasks:\n    - file: path={{ playbook_dir }}/created state=touch\n`,
    files: { 'vf.yml': 'ok: 1\nvf: "{% if %}"\n' },
    file: 'vf.yml',
    at: '"{% if',
  },
  {
    place: 'role defaults',
    play: true,
    yaml: `- hosts: localhost\n  roles: [r]\n  tasks:\n    - file: path={{ playbook_dir }}/created state=touch\n`,
    files: { 'roles/r/defaults/main.yml': 'd1: ok\nd2: "{{ a | b( }}"\n', 'roles/r/tasks/main.yml': '- debug: msg=hi\n' },
    file: 'roles/r/defaults/main.yml',
    at: '"{{ a',
  },
  {
    place: 'role vars',
    play: true,
    yaml: `- hosts: localhost\n  roles: [r]\n`,
    files: { 'roles/r/vars/main.yml': 'v: "{{ [ }}"\n', 'roles/r/tasks/main.yml': '- file: path={{ playbook_dir }}/created state=touch\n' },
    file: 'roles/r/vars/main.yml',
    at: '"{{ [',
  },
  {
    place: 'a role task',
    play: true,
    yaml: `- hosts: localhost\n  roles: [r]\n`,
    files: { 'roles/r/tasks/main.yml': '- file: path={{ playbook_dir }}/created state=touch\n- debug: msg="{{ rt( }}"\n' },
    file: 'roles/r/tasks/main.yml',
    at: 'msg="{{ rt',
  },
  {
    place: 'an imported task file',
    yaml: `    - import_tasks: t.yml\n`,
    files: { 't.yml': '- debug: msg=hi\n- debug: msg="{{ it( }}"\n' },
    file: 't.yml',
    at: 'msg="{{ it',
  },
];

describe('--syntax-check finds a broken template anywhere one can be (issue 17)', function () {
  this.timeout(60_000);
  const dirs: string[] = [];
  after(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  for (const c of CASES) {
    it(`${c.place}: error at FILE:LINE:COL, exit 4, nothing runs`, () => {
      const pb = c.play ? c.yaml : HEAD + c.yaml;
      const files = { 'pb.yml': pb, 'other.yml': '- debug: msg=hi\n', ...c.files };
      const d = project(files);
      dirs.push(d);
      const where = `${c.file ?? 'pb.yml'}:${posOf(files[(c.file ?? 'pb.yml') as keyof typeof files], c.at)}`;
      const sc = lvsplay(['--syntax-check', 'pb.yml'], d);
      assert.equal(sc.rc, 4, sc.err);
      assert.ok(sc.err.includes(`ERROR! ${where}: template syntax error`), `expected ${where} in:\n${sc.err}`);
      assert.equal(sc.err.match(/template syntax error/g)?.length, 1, sc.err);
      const run = lvsplay(['-i', 'localhost,', '-c', 'local', 'pb.yml'], d);
      assert.equal(run.rc, 4, run.err + run.out);
      assert.ok(run.err.includes(`${where}: template syntax error`), run.err);
      assert.ok(!existsSync(join(d, 'created')), 'a task ran before the check');
      assert.doesNotMatch(run.out, /TASK \[/);
    });
  }

  it('a run sends its strings to the engine as soon as the engine serves (checked while the inventory loads): the errors are the same, nothing runs, and the precheck reads that answer (no second request)', () => {
    const text = HEAD + CASES.filter((c) => !c.play && !c.files && !c.yaml.includes('handlers:')).map((c) => c.yaml).join('');
    const d = project({ 'pb.yml': text, 'other.yml': '' });
    dirs.push(d);
    const sc = lvsplay(['--syntax-check', 'pb.yml'], d);
    const r = spawnSync(process.execPath, [CLI, '-i', 'localhost,', '-c', 'local', 'pb.yml'], { encoding: 'utf8', cwd: d, env: { ...process.env, NO_COLOR: '1', LVSPLAY_LAB_DIR: '/nonexistent', LVSPLAY_TIMING: 'trace' } });
    assert.equal(r.status, 4, r.stderr);
    const errors = (out: string) => [...out.matchAll(/pb\.yml:\d+:\d+: template syntax error.*/g)].map((m) => m[0]);
    assert.ok(errors(sc.err).length >= 25, sc.err);
    assert.deepEqual(errors(r.stderr), errors(sc.err), 'the same errors as --syntax-check (which checks without posting)');
    assert.match(r.stderr, /^\[j2\] posted checks$/m);
    assert.doesNotMatch(r.stderr, /^\[j2\] checks /m, 'the precheck asked the engine again');
    assert.ok(!existsSync(join(d, 'created')), 'a task ran before the check');
  });

  it('every error of a playbook at once, in file order', () => {
    const text = HEAD + CASES.filter((c) => !c.play && !c.files && !c.yaml.includes('handlers:')).map((c) => c.yaml).join('');
    const d = project({ 'pb.yml': text, 'other.yml': '' });
    dirs.push(d);
    const sc = lvsplay(['--syntax-check', 'pb.yml'], d);
    assert.equal(sc.rc, 4);
    const lines = [...sc.err.matchAll(/pb\.yml:(\d+):(\d+): template syntax error/g)].map((m) => Number(m[1]));
    assert.ok(lines.length >= 25, sc.err);
    assert.deepEqual(lines, [...lines].sort((a, b) => a - b));
  });

  it('look-alikes are not flagged: raw blocks, quoted braces, comments, register, host data holding broken braces', () => {
    const pb = `- hosts: localhost
  gather_facts: false
  vars:
    literal: "{% raw %}{{ not ]] a template{% endraw %}"
    braces: "{{ '{{ x ]' }}"
    commented: "a {# ( #} b"
  tasks:
    - shell:
        cmd: "echo '{% raw %}{{ x ]}{% endraw %}'"
      register: out
    - command: printf '%s%s' '{' '{ host ]] data'
      register: hostdata
      changed_when: false
    - debug: msg="{{ hostdata.stdout }}"
    - debug: msg="{{ literal }} {{ braces }} {{ commented }}"
`;
    const d = project({ 'pb.yml': pb });
    dirs.push(d);
    const sc = lvsplay(['--syntax-check', 'pb.yml'], d);
    assert.equal(sc.rc, 0, sc.err);
    const run = lvsplay(['-i', 'localhost,', '-c', 'local', 'pb.yml'], d);
    assert.equal(run.rc, 0, run.err + run.out);
    assert.match(run.out, /"msg": "\{\{ host \]\] data"/);
    assert.match(run.out, /"msg": "\{\{ not \]\] a template \{\{ x \] a  b"/);
  });

  it('template: src files: a syntax error at the template line; other delimiters, a templated src and a missing file are left to the run', () => {
    const d = project({
      'pb.yml': `${HEAD}    - template: src=bad.j2 dest=/tmp/x\n    - template: src=delims.j2 dest=/tmp/y\n    - template: src=args.j2 dest=/tmp/z variable_start_string=[[ variable_end_string=]]\n    - template: src={{ dyn }}.j2 dest=/tmp/w\n    - template: src=absent.j2 dest=/tmp/v\n`,
      'templates/bad.j2': '#jinja2: trim_blocks: False\nok {{ x }}\n{% if x %}\nnever closed\n',
      'templates/delims.j2': '#jinja2: variable_start_string: "[%", variable_end_string: "%]"\n{{ not ]] a tag [% x %]\n',
      'templates/args.j2': '{{ not ]] a tag [[ x ]]\n',
    });
    dirs.push(d);
    const sc = lvsplay(['--syntax-check', 'pb.yml'], d);
    assert.equal(sc.rc, 4, sc.err);
    // Jinja2 reports the last line of the unclosed template (line 4 of the file, the header line counted); nunjucks' check gives no line
    assert.match(sc.err, /^ERROR! templates\/bad\.j2:4:1: template syntax error/);
    assert.equal(sc.err.match(/template syntax error/g)?.length, 1, sc.err);
    const run = lvsplay(['-i', 'localhost,', '-c', 'local', 'pb.yml'], d);
    assert.equal(run.rc, 4);
    assert.ok(!existsSync(join(d, 'created')));
  });

  it("register is not templated: a template there is refused at load (Ansible: Invalid variable name in 'register')", () => {
    const d = project({ 'pb.yml': `${HEAD}    - command: pwd\n      register: "{{ 'r' }}"\n` });
    dirs.push(d);
    const sc = lvsplay(['--syntax-check', 'pb.yml'], d);
    assert.equal(sc.rc, 4);
    assert.match(sc.err, /pb\.yml:7:17: 'register' must be a valid variable name .*not templated/);
  });

  it('!unsafe values are data: not checked as templates; a template with the same text as an !unsafe value read before it is rendered', () => {
    const d = project({ 'pb.yml': `${HEAD}    - debug:\n        msg: !unsafe "{{ x ("\n    - copy: { dest: "{{ playbook_dir }}/out", content: "{{ [lit, tpl] | to_json }}" }\n      vars: { x: X, lit: !unsafe "{{ x }}", tpl: "{{ x }}" }\n` });
    dirs.push(d);
    const r = lvsplay(['-i', 'localhost,', '-c', 'local', 'pb.yml'], d);
    assert.equal(r.rc, 0, r.out + r.err);
    assert.equal(readFileSync(join(d, 'out'), 'utf8'), '["{{ x }}", "X"]');
  });

  it('an !unsafe value with the text of a template read in an earlier file is a load error at the !unsafe value, naming the template', () => {
    const d = project({
      'pb.yml': `${HEAD}    - debug: { msg: "{{ x }}" }\n  roles: [r]\n`,
      'roles/r/defaults/main.yml': `x: 1\ny: !unsafe "{{ x }}"\n`,
    });
    dirs.push(d);
    const sc = lvsplay(['--syntax-check', 'pb.yml'], d);
    assert.equal(sc.rc, 4, sc.out + sc.err);
    assert.match(sc.err, /roles\/r\/defaults\/main\.yml:2:12: this !unsafe value has the exact text of the template written at pb\.yml:6:\d+, read earlier/);
  });

  it('lists and mappings nested in an !unsafe collection keep their content (ansible-core 2.14 empties them: a deliberate difference)', () => {
    const d = project({ 'pb.yml': `${HEAD}    - copy: { dest: "{{ playbook_dir }}/out", content: "{{ u | to_json }}" }\n      vars:\n        u: !unsafe [ { k: "{{ a }}" }, [b, "{{ c }}"] ]\n` });
    dirs.push(d);
    const r = lvsplay(['-i', 'localhost,', '-c', 'local', 'pb.yml'], d);
    assert.equal(r.rc, 0, r.out + r.err);
    assert.equal(readFileSync(join(d, 'out'), 'utf8'), '[{"k": "{{ a }}"}, ["b", "{{ c }}"]]');
  });

  it('host data with the exact text of a template written in the playbook: a warning naming the template, which stays literal', () => {
    const d = project({ 'pb.yml': `${HEAD}    - command: "echo {{ '{{' }} x }}"\n      register: r\n    - copy: { dest: "{{ playbook_dir }}/out", content: "{{ x }}" }\n      vars: { x: X }\n` });
    dirs.push(d);
    const r = lvsplay(['-i', 'localhost,', '-c', 'local', 'pb.yml'], d);
    assert.equal(r.rc, 0, r.out + r.err);
    assert.match(r.err, /\[WARNING\]: data from a host has the exact text of the template written at pb\.yml:8:\d+: .*stays literal text/);
    assert.equal(readFileSync(join(d, 'out'), 'utf8'), '{{ x }}');
  });
  it('argument errors stay load errors (exit 4, nothing runs) unless the task handles its failure (ignore_errors, a rescue): then the task fails at run time', () => {
    const bad = `    - file: { path: /tmp/x, bogus: 1 }\n    - debug: some words\n`;
    const d = project({ 'pb.yml': `${HEAD}${bad}` });
    dirs.push(d);
    const r = lvsplay(['-i', 'localhost,', '-c', 'local', 'pb.yml'], d);
    assert.equal(r.rc, 4, r.out + r.err);
    assert.match(r.err, /pb\.yml:6:29: unknown argument 'bogus' for module file/);
    assert.match(r.err, /pb\.yml:7:14: free-form arguments of module debug must be k=v pairs, got 'some'/);
    assert.ok(!existsSync(join(d, 'created')), 'the first task ran');
    const h = project({ 'pb.yml': `${HEAD}    - block:\n    ${bad.replace(/\n    /g, '\n        ').replace(/^    /, '    ')}      rescue:\n        - debug: { msg: rescued }\n` });
    dirs.push(h);
    const hr = lvsplay(['-i', 'localhost,', '-c', 'local', 'pb.yml'], h);
    assert.equal(hr.rc, 0, hr.out + hr.err);
    assert.match(hr.out, /unknown argument 'bogus' for module file/);
    assert.match(hr.out, /rescued/);
    assert.ok(existsSync(join(h, 'created')), 'the first task did not run');
  });
});
