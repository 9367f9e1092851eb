// Every with_* loop form and loop_control, run by lvsplay and by ansible-playbook 2.14 on the same
// playbook (connection: local): the same items (Ansible's exact shapes), loop variables, per-item
// results, recap counts and exit codes — including the failures (a lookup error fails the task in both).
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { differential, skipWithoutAnsible, type Differential, type Result } from './harness.js';

const ITEM_KEYS = ['item', 'msg', 'ansible_loop_var', 'ansible_index_var', 'ansible_loop', 'idx', 'outer', 'changed', 'skipped'];

/** A loop's result as compared: its aggregate flags and, per item, the fields above. */
function view(r: Result | undefined, withMsg: boolean): unknown {
  if (!r) return r;
  const results = Array.isArray(r.results) ? (r.results as Result[]).map((x) => Object.fromEntries(ITEM_KEYS.filter((k) => k in x).map((k) => [k, x[k]]))) : undefined;
  // a loop whose lookup failed before any item: Ansible's message (template errors carry lvsplay's own positions)
  const msg = withMsg && r.failed === true && !results ? r.msg : undefined;
  return { failed: r.failed === true, skipped: r.skipped === true, changed: r.changed === true, results, msg };
}

/** The tasks whose failure message is compared too: those failing in a lookup plugin of a with_* loop. */
const MSG_COMPARED = /^(map-|sub-|seq-|ff-fail|lines-fail|dict-bad|empty-nested)/;

function assertLoopsSame(d: Differential, tasks: string[]): void {
  const { ansible: a, lvsplay: l } = d;
  for (let i = 0; i < a.runs.length; i++) {
    const ctx = `--- ansible:\n${a.runs[i].output.slice(-4000)}\n--- lvsplay:\n${l.runs[i].output.slice(-4000)}`;
    assert.equal(l.runs[i].rc, a.runs[i].rc, `exit code\n${ctx}`);
    for (const t of tasks) {
      assert.ok(a.runs[i].tasks.has(t), `ansible ran no task named ${t}\n${ctx}`);
      const withMsg = MSG_COMPARED.test(t);
      assert.deepEqual(view(l.runs[i].tasks.get(t), withMsg), view(a.runs[i].tasks.get(t), withMsg), `task '${t}'\n${ctx}`);
    }
    assert.deepEqual(l.runs[i].counts, a.runs[i].counts, `recap counts\n${ctx}`);
  }
  assert.deepEqual(l.files, a.files, 'files left in the scratch directory');
}

const play = (tasks: string): string => `
- hosts: all
  gather_facts: false
  vars:
    users:
      - {name: alice, groups: [wheel, dev], authorized: {keys: [k1, k2]}}
      - {name: bob, groups: [dev]}
      - {name: carol, groups: []}
    ports: {http: 80, https: 443}
    letters: [a, b, c]
    nums: [1, 2]
    nestedlist: [[x, [y]], z]
  tasks:
${tasks}`;

async function same(tasks: string, names: string[], setup?: (w: string) => void, env?: NodeJS.ProcessEnv): Promise<void> {
  assertLoopsSame(await differential(play(tasks), { runs: 1, setup, env }), names);
}

describe('compat: with_* loops and loop_control (differential against ansible-playbook)', function () {
  this.timeout(180_000);
  before(function () {
    skipWithoutAnsible(this);
  });

  it('with_items flattens one level; with_list does not; loop keeps the list', () =>
    same(
      `
    - {name: items, debug: {msg: "{{ item }}"}, with_items: ["{{ letters }}", [d, [e, f]], g], register: r}
    - {name: list, debug: {msg: "{{ item }}"}, with_list: ["{{ letters }}", g], register: r}
    - {name: loop, debug: {msg: "{{ item }}"}, loop: "{{ nestedlist }}"}
    - {name: items-str, debug: {msg: "{{ item }}"}, with_items: "{{ letters }}"}
    - {name: items-scalar, debug: {msg: "{{ item }}"}, with_items: solo}
`,
      ['items', 'list', 'loop', 'items-str', 'items-scalar'],
    ));

  it('with_dict over a variable and a literal mapping: {key, value} items in order', () =>
    same(
      `
    - {name: dict, debug: {msg: "{{ item.key }}={{ item.value }}"}, with_dict: "{{ ports }}"}
    - {name: dict-literal, debug: {msg: "{{ item.key }}"}, with_dict: {b: 1, a: [2]}}
    - {name: dict-bad, debug: {msg: "{{ item }}"}, with_dict: "{{ letters }}", ignore_errors: true}
`,
      ['dict', 'dict-literal', 'dict-bad'],
    ));

  it('with_nested and with_together: item lists as Ansible shapes them (None fill)', () =>
    same(
      `
    - {name: nested, debug: {msg: "{{ item }}"}, with_nested: ["{{ letters }}", "{{ nums }}", [p]]}
    - {name: nested-literal, debug: {msg: "{{ item.0 }}-{{ item.1 }}"}, with_nested: [[a, b], [1, 2]]}
    - {name: together, debug: {msg: "{{ item }}"}, with_together: ["{{ letters }}", "{{ nums }}"]}
    - {name: nested-deep, debug: {msg: "{{ item }}"}, with_nested: [[a, [b, c]], x, [[1, 2], 3]]}
    - {name: together-deep, debug: {msg: "{{ item }}"}, with_together: [[1, [2, 3]], [a, b], solo]}
    - {name: nested-one, debug: {msg: "{{ item }}"}, with_nested: [[a, b]]}
`,
      ['nested', 'nested-literal', 'together', 'nested-deep', 'together-deep', 'nested-one'],
    ));

  it('with_subelements: parent without the list, nested key paths, skip_missing; a missing key fails', () =>
    same(
      `
    - {name: sub, debug: {msg: "{{ item.0.name }} {{ item.1 }}"}, with_subelements: ["{{ users }}", groups]}
    - {name: sub-path, debug: {msg: "{{ item.1 }}"}, with_subelements: ["{{ users }}", authorized.keys, {skip_missing: true}]}
    - {name: sub-skip, debug: {msg: "{{ item.0 }}"}, with_subelements: ["{{ users }}", authorized, {skip_missing: true}], ignore_errors: true}
    - {name: sub-missing, debug: {msg: "{{ item }}"}, with_subelements: ["{{ users }}", authorized.keys], ignore_errors: true}
    - {name: sub-fatal, debug: {msg: "{{ item }}"}, with_subelements: ["{{ users }}", nokey]}
    - {name: after, debug: {msg: not reached}}
`,
      ['sub', 'sub-path', 'sub-skip', 'sub-missing', 'sub-fatal'],
    ));

  it('with_sequence: k=v, count, stride, negative stride, format, the shortcut form; bad arguments fail', () =>
    same(
      `
    - {name: seq, debug: {msg: "{{ item }}"}, with_sequence: start=1 end=5}
    - {name: seq-count, debug: {msg: "{{ item }}"}, with_sequence: count=3}
    - {name: seq-stride, debug: {msg: "{{ item }}"}, with_sequence: start=0 end=10 stride=4 format=host%02d}
    - {name: seq-down, debug: {msg: "{{ item }}"}, with_sequence: start=5 end=1 stride=-2}
    - {name: seq-short, debug: {msg: "{{ item }}"}, with_sequence: 4-8/2:n%x}
    - {name: seq-hex, debug: {msg: "{{ item }}"}, with_sequence: start=0x0a end=0x0c format=%x}
    - {name: seq-tpl, debug: {msg: "{{ item }}"}, with_sequence: "start=1 end={{ nums | length }}"}
    - {name: seq-both, debug: {msg: "{{ item }}"}, with_sequence: start=1 end=3 count=2, ignore_errors: true}
    - {name: seq-back, debug: {msg: "{{ item }}"}, with_sequence: start=5 end=1, ignore_errors: true}
    - {name: seq-bad, debug: {msg: "{{ item }}"}, with_sequence: start=1 stop=3, ignore_errors: true}
`,
      ['seq', 'seq-count', 'seq-stride', 'seq-down', 'seq-short', 'seq-hex', 'seq-tpl', 'seq-both', 'seq-back', 'seq-bad'],
    ));

  it('with_indexed_items, with_flattened, with_random_choice of one, loop over lookup/query', () =>
    same(
      `
    - {name: indexed, debug: {msg: "{{ item.0 }}:{{ item.1 }}"}, with_indexed_items: "{{ letters }}"}
    - {name: flattened, debug: {msg: "{{ item }}"}, with_flattened: ["{{ nestedlist }}", [[[deep]]], letters, [a, None, b], [[c, ~]], d, 'null', e]}
    - {name: random, debug: {msg: "{{ item }}"}, with_random_choice: [only]}
    - {name: random-in, assert: {that: "item in letters"}, with_random_choice: "{{ letters }}"}
    - {name: query, debug: {msg: "{{ item }}"}, loop: "{{ query('dict', ports) }}"}
    - {name: q-nested, debug: {msg: "{{ item }}"}, loop: "{{ q('nested', letters, nums) }}"}
    - {name: wantlist, debug: {msg: "{{ item }}"}, loop: "{{ lookup('sequence', 'count=2', wantlist=True) }}"}
    - {name: lookup-joined, debug: {msg: "{{ lookup('sequence', 'count=3') }} {{ lookup('items', letters) }}"}}
`,
      ['indexed', 'flattened', 'random', 'query', 'q-nested', 'wantlist', 'lookup-joined'],
    ));

  it('loop_control: extended (ansible_loop.*), extended_allitems, index_var, loop_var, label', () =>
    same(
      `
    - name: ext
      debug: {msg: "{{ ansible_loop.index }}/{{ ansible_loop.length }} {{ ansible_loop.first }} {{ ansible_loop.last }} {{ ansible_loop.revindex0 }} {{ ansible_loop.previtem | default('-') }} {{ ansible_loop.nextitem | default('-') }}"}
      loop: "{{ letters }}"
      loop_control: {extended: true}
    - name: ext-noall
      debug: {msg: "{{ ansible_loop.allitems is defined }}"}
      with_items: "{{ nums }}"
      loop_control: {extended: true, extended_allitems: false}
    - name: idx
      debug: {msg: "{{ idx }} {{ outer }} {{ ansible_loop_var }} {{ ansible_index_var }} {{ ansible_loop is defined }}"}
      with_dict: "{{ ports }}"
      loop_control: {index_var: idx, loop_var: outer, label: "{{ outer.key }}"}
`,
      ['ext', 'ext-noall', 'idx'],
    ));

  it('loop_control fields as templates (loop_var, index_var, pause, extended, extended_allitems), on a task and on include_tasks', () =>
    same(
      `
    - name: tpl-lc
      debug: {msg: "{{ word }} {{ pos }} {{ ansible_loop_var }} {{ ansible_loop.index }} {{ ansible_loop.allitems is defined }}"}
      loop: "{{ letters }}"
      loop_control: {loop_var: "{{ 'wo' ~ 'rd' }}", index_var: "{{ iname }}", pause: "{{ p }}", extended: "{{ ext }}", extended_allitems: "{{ 'no' }}"}
      vars: {iname: pos, p: "0.1", ext: "yes"}
    - name: tpl-inc
      include_tasks: "{{ work }}/inc.yml"
      loop: [v1, v2]
      loop_control: {loop_var: "{{ lvname }}"}
      vars: {lvname: templated_name}
`,
      ['tpl-lc', 'shown'],
      (w) => writeFileSync(join(w, 'inc.yml'), '- {name: shown, copy: {dest: "{{ work }}/{{ templated_name }}", content: "{{ templated_name }}\\n"}}\n'),
    ));

  it('with_* over files: with_fileglob, with_first_found (paths, skip, undefined candidates), with_lines, file lookups', () =>
    same(
      `
    - {name: glob, debug: {msg: "{{ item | basename }}"}, with_fileglob: ["{{ work }}/conf/*.conf", "work/conf/b.*"]}
    - {name: glob-none, debug: {msg: "{{ item }}"}, with_fileglob: ["{{ work }}/conf/*.none"]}
    - {name: ff, debug: {msg: "{{ item | basename }}"}, with_first_found: ["{{ work }}/conf/none.conf", "{{ undefined_var }}.conf", "{{ work }}/conf/b.conf", "{{ work }}/conf/a.conf"]}
    - name: ff-paths
      debug: {msg: "{{ item | basename }}"}
      with_first_found:
        - files: [missing.conf, a.conf]
          paths: ["{{ work }}/nothere", "{{ work }}/conf"]
    - {name: ff-rel, debug: {msg: "{{ item | replace(work, 'W') }}"}, with_first_found: [nope.txt, work/conf/a.conf]}
    - {name: ff-skip, debug: {msg: "{{ item }}"}, with_first_found: [{files: [none.conf], paths: ["{{ work }}"], skip: true}]}
    - {name: ff-fail, debug: {msg: "{{ item }}"}, with_first_found: ["{{ work }}/none.conf"], ignore_errors: true}
    - {name: lines, debug: {msg: "{{ item }}"}, with_lines: "printf 'one\\\\ntwo words\\\\n\\\\nfour\\\\n'"}
    - {name: lines-fail, debug: {msg: "{{ item }}"}, with_lines: "exit 3", ignore_errors: true}
    - {name: file, debug: {msg: "{{ lookup('file', work ~ '/conf/a.conf') }}|{{ lookup('file', 'work/conf/b.conf') }}|{{ lookup('pipe', 'echo hi; echo there') }}"}}
`,
      ['glob', 'glob-none', 'ff', 'ff-paths', 'ff-rel', 'ff-skip', 'ff-fail', 'lines', 'lines-fail', 'file'],
      (w) => {
        mkdirSync(join(w, 'conf'));
        writeFileSync(join(w, 'conf', 'a.conf'), 'alpha\n\n');
        writeFileSync(join(w, 'conf', 'b.conf'), 'beta\n');
        writeFileSync(join(w, 'conf', '.hidden.conf'), 'h\n');
      },
    ));

  it('loops on include_tasks with with_items and with_dict (items reach the included tasks)', () =>
    same(
      `
    - {name: inc, include_tasks: "{{ work }}/inc.yml", with_dict: "{{ ports }}"}
    - {name: inc-items, include_tasks: "{{ work }}/inc.yml", with_items: [[{key: k, value: v}]]}
`,
      ['show'],
      (w) => writeFileSync(join(w, 'inc.yml'), '- {name: show, copy: {dest: "{{ work }}/{{ item.key }}", content: "{{ item.value }}\\n"}}\n'),
    ));

  it('include_role and include_tasks loops: loop_var, index_var, ansible_loop and with_first_found reach the included tasks', () =>
    same(
      `
    - name: role-loop
      include_role: {name: "{{ work }}/roles/r"}
      with_items: [[one, two]]
      loop_control: {loop_var: word, index_var: n, extended: true}
    - name: tasks-ff
      include_tasks: "{{ item }}"
      with_first_found: ["{{ work }}/nope.yml", "{{ work }}/inc.yml"]
`,
      ['written'],
      (w) => {
        mkdirSync(join(w, 'roles/r/tasks'), { recursive: true });
        writeFileSync(
          join(w, 'roles/r/tasks/main.yml'),
          '- {name: written, copy: {dest: "{{ work }}/{{ word }}", content: "{{ n }} {{ ansible_loop.index }}/{{ ansible_loop.length }} {{ ansible_loop_var | default(\'-\') }} {{ ansible_index_var | default(\'-\') }}\\n"}}\n',
        );
        writeFileSync(join(w, 'inc.yml'), '- {name: written, copy: {dest: "{{ work }}/ff", content: "{{ item | basename }} {{ ansible_loop is defined }}\\n"}}\n');
      },
    ));

  it('with_file, with_template, with_env, with_pipe, with_password, with_varnames; lookups in loop: with wantlist', () =>
    same(
      `
    - {name: wfile, debug: {msg: "{{ item }}"}, with_file: ["{{ work }}/conf/a.conf", work/conf/b.conf]}
    - {name: wtemplate, debug: {msg: "{{ item }}"}, with_template: ["{{ work }}/t.j2"]}
    - {name: wenv, debug: {msg: "{{ item }}"}, with_env: [LVSPLAY_LOOPS_TEST, LVSPLAY_UNSET_VAR]}
    - {name: wpipe, debug: {msg: "{{ item }}"}, with_pipe: ["echo one; echo two", "printf x"]}
    - {name: wpassword, debug: {msg: "{{ item | length }}"}, with_password: ["{{ playbook_dir }}/pw length=7"]}
    - {name: wpassword-again, assert: {that: "item == lookup('file', playbook_dir ~ '/pw')"}, with_password: ["{{ playbook_dir }}/pw length=7"]}
    - {name: wvarnames, debug: {msg: "{{ item }}"}, with_varnames: ["^lett"]}
    - {name: loopglob, debug: {msg: "{{ item | basename }}"}, loop: "{{ lookup('fileglob', work ~ '/conf/a.*', wantlist=True) }}"}
    - {name: with-when, debug: {msg: "{{ item }}"}, with_sequence: count=4, when: item | int is even}
`,
      ['wfile', 'wtemplate', 'wenv', 'wpipe', 'wvarnames', 'loopglob', 'with-when'],
      (w) => {
        mkdirSync(join(w, 'conf'));
        writeFileSync(join(w, 'conf', 'a.conf'), 'alpha\n\n');
        writeFileSync(join(w, 'conf', 'b.conf'), '  beta  \n');
        writeFileSync(join(w, 't.j2'), '{% for l in letters %}{{ l }}-{% endfor %}\n');
      },
      { LVSPLAY_LOOPS_TEST: 'from-env' },
    ));

  it('edge shapes and failures: undefined terms, empty lists, subelements over a mapping, a string to loop:', () =>
    same(
      `
    - {name: undef, debug: {msg: "{{ item }}"}, with_items: "{{ nosuch }}", ignore_errors: true}
    - {name: undef-in-list, debug: {msg: "{{ item }}"}, with_items: [a, "{{ nosuch }}"], ignore_errors: true}
    - {name: empty-items, debug: {msg: "{{ item }}"}, with_items: []}
    - {name: empty-random, debug: {msg: "{{ item }}"}, with_random_choice: []}
    - {name: empty-nested, debug: {msg: "{{ item }}"}, with_nested: [], ignore_errors: true}
    - {name: together-short, debug: {msg: "{{ item }}"}, with_together: [[a, b, c], [1], []]}
    - name: sub-map
      debug: {msg: "{{ item.0.name }}:{{ item.1 }}"}
      with_subelements:
        - {x: {name: one, l: [1, 2]}, y: {name: two, l: [3]}}
        - l
    - {name: loop-string, debug: {msg: "{{ item }}"}, loop: "{{ 'abc' }}", ignore_errors: true}
    - {name: dict-none, debug: {msg: "{{ item }}"}, with_dict: "{{ {} }}"}
    - {name: map-items, debug: {msg: "{{ item }}"}, with_items: "{{ ports }}"}
    - {name: map-list, debug: {msg: "{{ item }}"}, with_list: "{{ ports }}", ignore_errors: true}
    - {name: map-indexed, debug: {msg: "{{ item }}"}, with_indexed_items: "{{ ports }}", ignore_errors: true}
    - {name: map-together, debug: {msg: "{{ item }}"}, with_together: "{{ ports }}"}
    - {name: random-map, debug: {msg: "{{ item }}"}, with_random_choice: "{{ ports }}", ignore_errors: true}
`,
      ['undef', 'undef-in-list', 'empty-items', 'empty-random', 'empty-nested', 'together-short', 'sub-map', 'loop-string', 'dict-none', 'map-items', 'map-list', 'map-indexed', 'map-together', 'random-map'],
    ));

  it('vars and varnames lookups; an unknown variable fails, default= does not', () =>
    same(
      `
    - {name: vars, debug: {msg: "{{ item }}"}, loop: "{{ query('vars', 'letters', 'nums') }}"}
    - {name: vars-default, debug: {msg: "{{ lookup('vars', 'nope', default='dflt') }}"}}
    - {name: varnames, debug: {msg: "{{ item }}"}, loop: "{{ query('varnames', '^(let|num)') | sort }}"}
    - {name: with-vars, debug: {msg: "{{ item }}"}, with_vars: [ports]}
    - {name: vars-missing, debug: {msg: "{{ lookup('vars', 'nope') }}"}, ignore_errors: true}
`,
      ['vars', 'vars-default', 'varnames', 'with-vars', 'vars-missing'],
    ));
});
