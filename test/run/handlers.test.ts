// Handlers: definition order, once per flush, listen, meta: flush_handlers, lost on failure unless
// --force-handlers (outputs compared with ansible-playbook 2.14 on the same playbooks).
import { strict as assert } from 'node:assert';
import { memInventory, run } from './helpers.js';

const inv = () => memInventory({ web1: {}, web2: {} }, { web: ['web1', 'web2'] });

const PB = `
- hosts: web
  gather_facts: false
  tasks:
    - name: notify both
      command: "true"
      notify: [second, first]
    - name: notify first again
      command: "true"
      notify: first
    - name: web2 fails
      command: "false"
      when: inventory_hostname == 'web2'
    - name: unchanged does not notify
      command: "true"
      changed_when: false
      notify: third
  handlers:
    - name: first
      debug: msg=first
    - name: second
      debug: msg=second
    - name: third
      debug: msg=third
`;

describe('executor: handlers', () => {
  it('run once each, in definition order, at the end of the section; lost for a failed host', async () => {
    const r = await run(PB, { inventory: inv(), opts: { forks: 1 } });
    assert.equal(r.rc, 2);
    const order = r.events.filter((e) => e.type === 'task_start' && e.handler).map((e) => (e as { name: string }).name);
    assert.deepEqual(order, ['first', 'second']);
    assert.deepEqual(r.results('first').map((e) => e.host), ['web1']);
    assert.deepEqual(r.results('second').map((e) => e.host), ['web1']);
    assert.equal(r.results('third').length, 0);
    assert.match(r.text, /RUNNING HANDLER \[first\] \*+\nok: \[web1\] => \{\n    "msg": "first"\n\}\n\nRUNNING HANDLER \[second\]/);
    assert.deepEqual(r.recap.web2, { ok: 2, changed: 2, unreachable: 0, failed: 1, skipped: 0, rescued: 0, ignored: 0 });
  });

  it('--force-handlers runs them for the failed host too', async () => {
    const r = await run(PB, { inventory: inv(), opts: { forks: 1, forceHandlers: true } });
    assert.equal(r.rc, 2);
    assert.deepEqual(r.results('first').map((e) => e.host).sort(), ['web1', 'web2']);
    assert.deepEqual(r.results('second').map((e) => e.host).sort(), ['web1', 'web2']);
    assert.equal(r.recap.web2.ok, 4);
  });

  it('force_handlers: true on the play does the same', async () => {
    const r = await run(PB.replace('gather_facts: false', 'gather_facts: false\n  force_handlers: true'), { inventory: inv() });
    assert.deepEqual(r.results('first').map((e) => e.host).sort(), ['web1', 'web2']);
  });

  it('listen topics and meta: flush_handlers', async () => {
    const r = await run(`
- hosts: all
  gather_facts: false
  tasks:
    - command: "true"
      notify: restart stack
    - meta: flush_handlers
    - name: after flush
      debug: msg=after
    - command: "true"
      notify: restart stack
  handlers:
    - name: restart db
      debug: msg=db
      listen: restart stack
    - name: restart web
      debug: msg=web
      listen: restart stack
`);
    assert.equal(r.rc, 0);
    // the meta task has its banner, as in Ansible (test/cli/meta-output.test.ts)
    assert.deepEqual(r.tasks, ['command', 'meta', 'restart db', 'restart web', 'after flush', 'command', 'restart db', 'restart web']);
  });

  it('handlers notify other handlers; each notified handler runs once per flush', async () => {
    const r = await run(`
- hosts: all
  gather_facts: false
  tasks:
    - command: "true"
      notify: a
  handlers:
    - name: a
      command: "true"
      notify: b
    - name: b
      debug: msg=b
`);
    assert.deepEqual(r.tasks, ['command', 'a', 'b']);
  });

  it('pre_tasks handlers flush before roles/tasks, post_tasks after', async () => {
    const r = await run(`
- hosts: all
  gather_facts: false
  pre_tasks:
    - command: "true"
      notify: h
  tasks:
    - name: main
      command: "true"
      notify: h
  post_tasks:
    - name: post
      debug: msg=post
  handlers:
    - name: h
      debug: msg=h
`);
    assert.deepEqual(r.tasks, ['command', 'h', 'main', 'h', 'post']);
  });
});
