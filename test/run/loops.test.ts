// Loops, when per item, register, changed_when/failed_when, ignore_errors, until/retries —
// expectations are what ansible-playbook prints and registers for the same playbook.
import { strict as assert } from 'node:assert';
import { run } from './helpers.js';

const play = (tasks: string, extra = '') => `
- hosts: all
  gather_facts: false
${extra}  tasks:
${tasks}`;

describe('executor: loops, when, register', () => {
  it('loops over items, evaluates when per item and registers results', async () => {
    const r = await run(
      play(`
    - name: echo items
      command: echo {{ item }}
      loop: [a, b, c]
      when: item != 'b'
      register: out
    - name: show
      debug:
        msg: "{{ out.results | map(attribute='stdout', default='-') | list }} {{ out.results[1].skipped }} {{ out.changed }}"
`),
    );
    assert.equal(r.rc, 0);
    assert.match(r.text, /changed: \[localhost\] => \(item=a\)\nskipping: \[localhost\] => \(item=b\) \nchanged: \[localhost\] => \(item=c\)\n/);
    // a skipped item's result has no stdout: without default='-' the list holds an undefined, and
    // printing it fails the task (Ansible 2.14: "'dict object' has no attribute 'stdout'")
    assert.match(r.text, /"msg": "\['a', '-', 'c'\] True True"/);
    assert.deepEqual(r.recap.localhost, { ok: 2, changed: 1, unreachable: 0, failed: 0, skipped: 0, rescued: 0, ignored: 0 });
  });

  it('loop_control: loop_var, index_var and label', async () => {
    const r = await run(
      play(`
    - name: users
      debug:
        msg: "{{ idx }}={{ u.name }}"
      loop: [{name: ann, uid: 1}, {name: bob, uid: 2}]
      loop_control:
        loop_var: u
        index_var: idx
        label: "{{ u.name }}"
`),
    );
    assert.equal(r.rc, 0);
    assert.match(r.text, /ok: \[localhost\] => \(item=ann\) => \{\n    "msg": "0=ann"\n\}/);
    assert.match(r.text, /ok: \[localhost\] => \(item=bob\) => \{\n    "msg": "1=bob"\n\}/);
  });

  it('a dict item is shown as Python repr', async () => {
    const r = await run(play(`    - command: "true"\n      loop: [{a: 1, b: x}]\n`));
    assert.match(r.text, /changed: \[localhost\] => \(item=\{'a': 1, 'b': 'x'\}\)/);
  });

  it('when false skips with the false condition; registered skipped result is defined', async () => {
    const r = await run(
      play(`
    - name: never
      command: "false"
      when: 1 == 2
      register: n
    - debug:
        msg: "{{ n.skipped }} {{ n.changed }} {{ n.false_condition }}"
`),
    );
    assert.equal(r.rc, 0);
    assert.match(r.text, /TASK \[never\] \*+\nskipping: \[localhost\]\n/);
    assert.match(r.text, /"msg": "True False 1 == 2"/);
    assert.equal(r.recap.localhost.skipped, 1);
  });

  it('changed_when and failed_when use the registered result', async () => {
    const r = await run(
      play(`
    - name: grep-like
      shell: echo present; exit 1
      register: g
      changed_when: false
      failed_when: g.rc not in [0, 1]
    - name: report
      debug:
        msg: "rc={{ g.rc }} changed={{ g.changed }} failed={{ g.failed }}"
    - name: always changed
      command: "true"
      changed_when: true
`),
    );
    assert.equal(r.rc, 0);
    assert.match(r.text, /TASK \[grep-like\] \*+\nok: \[localhost\]\n/);
    assert.match(r.text, /"msg": "rc=1 changed=False failed=False"/);
    assert.deepEqual(r.recap.localhost, { ok: 3, changed: 1, unreachable: 0, failed: 0, skipped: 0, rescued: 0, ignored: 0 });
  });

  it('a failing command prints fatal with rc/stdout/stderr, ignore_errors prints ...ignoring', async () => {
    const r = await run(
      play(`
    - name: boom
      shell: echo out; echo err >&2; exit 3
      ignore_errors: true
    - name: after
      debug: msg="still here"
`),
    );
    assert.equal(r.rc, 0);
    assert.match(r.text, /fatal: \[localhost\]: FAILED! => \{"ansible_facts": \{"discovered_interpreter_python": "[^"]+"\}, "changed": true, "cmd": "echo out; echo err >&2; exit 3", "delta": "[0-9:.]+", "end": "[^"]+", "msg": "non-zero return code", "rc": 3, "start": "[^"]+", "stderr": "err", "stderr_lines": \["err"\], "stdout": "out", "stdout_lines": \["out"\]\}\n\.\.\.ignoring\n/);
    assert.match(r.text, /"msg": "still here"/);
    assert.deepEqual(r.recap.localhost, { ok: 2, changed: 1, unreachable: 0, failed: 0, skipped: 0, rescued: 0, ignored: 1 });
  });

  it('a failed host stops; the run exits 2', async () => {
    const r = await run(play(`    - fail: msg=nope\n    - name: not reached\n      debug: msg=x\n`));
    assert.equal(r.rc, 2);
    assert.match(r.text, /fatal: \[localhost\]: FAILED! => \{"changed": false, "msg": "nope"\}/);
    assert.ok(!r.text.includes('not reached'));
    assert.equal(r.recap.localhost.failed, 1);
  });

  it('until/retries re-runs the task until the condition holds', async () => {
    const r = await run(
      play(`
    - name: count
      shell: n=$(cat {{ playbook_dir }}/n 2>/dev/null || echo 0); n=$((n+1)); echo $n > {{ playbook_dir }}/n; echo $n
      register: c
      until: c.stdout == '3'
      retries: 5
      delay: 0
    - debug: msg="attempts={{ c.attempts }} out={{ c.stdout }}"
`),
    );
    assert.equal(r.rc, 0);
    assert.match(r.text, /"msg": "attempts=3 out=3"/);
    const retries = r.events.filter((e) => e.type === 'progress' && e.text.startsWith('FAILED - RETRYING'));
    assert.equal(retries.length, 2);
  });

  it('until never true: failed after the retries', async () => {
    const r = await run(play(`    - command: "true"\n      register: x\n      until: false\n      retries: 2\n      delay: 0\n`));
    assert.equal(r.rc, 2);
    assert.match(r.text, /"attempts": 2/);
  });

  it('set_fact and register are host variables for later tasks, per host', async () => {
    const { memInventory } = await import('./helpers.js');
    const r = await run(
      play(`
    - set_fact:
        greeting: "hi {{ inventory_hostname }}"
        n: "{{ base * 2 }}"
    - debug: msg="{{ greeting }} {{ n }} {{ n is number }}"
`),
      { inventory: memInventory({ web1: { base: 1 }, web2: { base: 5 } }) },
    );
    assert.equal(r.rc, 0);
    assert.match(r.text, /ok: \[web1\] => \{\n    "msg": "hi web1 2 False"\n\}/); // set_fact of "{{ base * 2 }}" is the string "2" in ansible 2.14
    assert.match(r.text, /ok: \[web2\] => \{\n    "msg": "hi web2 10 False"\n\}/);
  });

  it('assert passes quietly or fails with fail_msg', async () => {
    const r = await run(
      play(`
    - assert:
        that: [1 + 1 == 2, "'a' in 'abc'"]
    - assert:
        that: 2 > 3
        fail_msg: "two is not more than three"
`),
    );
    assert.equal(r.rc, 2);
    assert.match(r.text, /ok: \[localhost\] => \{\n    "changed": false,\n    "msg": "All assertions passed"\n\}/);
    assert.match(r.text, /fatal: \[localhost\]: FAILED! => \{\n    "assertion": "2 > 3",\n    "changed": false,\n    "evaluated_to": false,\n    "msg": "two is not more than three"\n\}/);
  });

  it('debug var= prints the value, or VARIABLE IS NOT DEFINED!', async () => {
    const r = await run(play(`    - debug: var=x\n    - debug: var=nope\n`, '  vars:\n    x: [1, 2]\n'));
    assert.match(r.text, /ok: \[localhost\] => \{\n    "x": \[\n        1,\n        2\n    \]\n\}/);
    assert.match(r.text, /"nope": "VARIABLE IS NOT DEFINED!"/);
  });

  it('omit drops an argument', async () => {
    const r = await run(play(`    - command:\n        cmd: echo hi\n        chdir: "{{ nothing | default(omit) }}"\n      register: o\n    - debug: msg={{ o.stdout }}\n`));
    assert.equal(r.rc, 0);
    assert.match(r.text, /"msg": "hi"/);
  });
});
