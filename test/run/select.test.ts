// Tags (-t, --skip-tags, always, never, inherited), --limit, --start-at-task, check mode.
import { strict as assert } from 'node:assert';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { memInventory, run } from './helpers.js';
import { shouldRun } from '../../src/run/tags.js';

const PB = `
- hosts: all
  gather_facts: false
  tasks:
    - name: t1 task
      debug: msg=t1
      tags: [t1]
    - name: never task
      debug: msg=never
      tags: [never]
    - name: never but asked
      debug: msg=nb
      tags: [never, debugonly]
    - name: always task
      debug: msg=always
      tags: [always]
    - name: untagged
      debug: msg=u
    - block:
        - name: inherits b
          debug: msg=b
      tags: [b]
`;

describe('executor: tags, limit, start-at-task', () => {
  it('shouldRun follows Ansible evaluate_tags', () => {
    assert.equal(shouldRun([], [], []), true);
    assert.equal(shouldRun(['never'], [], []), false);
    assert.equal(shouldRun(['never', 'x'], ['x'], []), true);
    assert.equal(shouldRun(['always'], ['x'], []), true);
    assert.equal(shouldRun(['always'], ['x'], ['always']), false);
    assert.equal(shouldRun(['a'], ['tagged'], []), true);
    assert.equal(shouldRun([], ['tagged'], []), false);
    assert.equal(shouldRun([], ['untagged'], []), true);
    assert.equal(shouldRun(['a'], [], ['all']), false);
    assert.equal(shouldRun(['always'], [], ['all']), true);
  });

  it('no tags: everything but never', async () => {
    const r = await run(PB);
    assert.deepEqual(r.tasks, ['t1 task', 'always task', 'untagged', 'inherits b']);
  });

  it('-t t1,b: tagged tasks, always, and tags inherited from blocks', async () => {
    const r = await run(PB, { opts: { tags: ['t1', 'b'] } });
    assert.deepEqual(r.tasks, ['t1 task', 'always task', 'inherits b']);
  });

  it('-t debugonly runs a never task; --skip-tags t1 skips it', async () => {
    assert.deepEqual((await run(PB, { opts: { tags: ['debugonly'] } })).tasks, ['never but asked', 'always task']);
    assert.deepEqual((await run(PB, { opts: { skipTags: ['t1', 'always'] } })).tasks, ['untagged', 'inherits b']);
  });

  it('play tags apply to all its tasks (even never-tagged ones, as Ansible: they now carry a selected tag)', async () => {
    const r = await run(PB.replace('gather_facts: false', 'gather_facts: false\n  tags: [p]'), { opts: { tags: ['p'] } });
    assert.deepEqual(r.tasks, ['t1 task', 'never task', 'never but asked', 'always task', 'untagged', 'inherits b']);
  });

  it('--limit restricts hosts; a play with no hosts says so', async () => {
    const inv = memInventory({ a1: {}, a2: {}, b1: {} }, { a: ['a1', 'a2'], b: ['b1'] });
    const r = await run(`
- hosts: a
  gather_facts: false
  tasks:
    - debug: msg=hi
- hosts: b
  gather_facts: false
  tasks:
    - debug: msg=hi
`, { inventory: inv, opts: { limit: 'a2' } });
    assert.deepEqual(Object.keys(r.recap), ['a2']);
    assert.match(r.text, /PLAY \[b\] \*+\nskipping: no hosts matched\n/);
  });

  it('--start-at-task skips the tasks before the named one', async () => {
    const r = await run(PB, { opts: { startAtTask: 'untagged' } });
    assert.deepEqual(r.tasks, ['untagged', 'inherits b']);
  });
});

describe('executor: check mode', () => {
  const CHECK = (dir: string) => `
- hosts: all
  gather_facts: false
  tasks:
    - name: create file
      shell: touch ${dir}/created
      register: c
    - name: registered in check mode
      debug: msg="{{ c.skipped }}"
    - name: creates satisfied
      command: echo hi
      args:
        creates: /
    - name: forced real run
      shell: touch ${dir}/forced
      check_mode: false
`;

  it('-C: a shell task does not run (skipped, as Ansible); check_mode: false still runs', async () => {
    const { tempTree } = await import('./helpers.js');
    const dir = tempTree({});
    const r = await run(CHECK(dir), { opts: { check: true } });
    assert.equal(r.rc, 0);
    assert.equal(existsSync(join(dir, 'created')), false);
    assert.equal(existsSync(join(dir, 'forced')), true);
    assert.match(r.text, /TASK \[create file\] \*+\nskipping: \[localhost\]\n/);
    assert.match(r.text, /"msg": true/);
    assert.match(r.text, /TASK \[creates satisfied\] \*+\nok: \[localhost\]\n/);
    assert.deepEqual(r.recap.localhost, { ok: 3, changed: 1, unreachable: 0, failed: 0, skipped: 1, rescued: 0, ignored: 0 });
  });

  it('without -C the file is created; creates= makes it ok the second time', async () => {
    const { tempTree } = await import('./helpers.js');
    const dir = tempTree({});
    const pb = `
- hosts: all
  gather_facts: false
  tasks:
    - name: once
      shell: touch ${dir}/made
      args:
        creates: ${dir}/made
`;
    const first = await run(pb);
    assert.match(first.text, /changed: \[localhost\]/);
    const second = await run(pb);
    assert.match(second.text, /TASK \[once\] \*+\nok: \[localhost\]\n/);
    assert.equal(second.recap.localhost.changed, 0);
  });

  it('check_mode: true on a task: planned but not applied', async () => {
    const { tempTree } = await import('./helpers.js');
    const dir = tempTree({});
    const r = await run(`
- hosts: all
  gather_facts: false
  tasks:
    - shell: touch ${dir}/x
      check_mode: true
`);
    assert.equal(existsSync(join(dir, 'x')), false);
    assert.equal(r.recap.localhost.skipped, 1);
  });
});
