// block/rescue/always, the rescued counter, any_errors_fatal, variable precedence in practice
// (expected output taken from ansible-playbook 2.14 on the same playbook and inventory).
import { strict as assert } from 'node:assert';
import { memInventory, run } from './helpers.js';

const inv = () =>
  memInventory({ web1: { v: 1 }, web2: { v: 2 }, db1: { v: 3 } }, { web: ['web1', 'web2'], db: ['db1'] }, { all: { gv: 'all' }, web: { gv: 'web' } });

const PB = `
- hosts: all
  gather_facts: false
  vars:
    pv: play
    both: play
  tasks:
    - block:
        - name: in block
          command: "false"
          when: inventory_hostname == 'web1'
        - name: after fail in block
          debug: msg=cont
      rescue:
        - name: rescue task
          debug: msg="rescued {{ ansible_failed_result.rc }}"
        - name: rescue fails on web1
          fail: msg=again
          when: inventory_hostname == 'web1'
      always:
        - name: always task
          debug: msg=always
    - name: precedence
      debug: msg="{{ gv }} {{ v }} {{ pv }} {{ both }} {{ tv }}"
      vars:
        tv: task
        both: task
    - name: fatal
      command: "false"
      when: inventory_hostname == 'web2'
      any_errors_fatal: true
    - name: not reached
      debug: msg=x
- hosts: all
  tasks:
    - debug: msg=neverruns
`;

describe('executor: blocks', () => {
  it('rescue runs for the failed host, always for all; rescued and failed counted as Ansible does', async () => {
    const r = await run(PB, { inventory: inv(), opts: { forks: 1, extraVars: { v: 'extra' } } });
    assert.equal(r.rc, 2);
    assert.deepEqual(r.results('rescue task').map((e) => e.host), ['web1']);
    assert.deepEqual(r.results('after fail in block').map((e) => e.host), ['web2', 'db1']);
    assert.deepEqual(r.results('always task').map((e) => e.host), ['web1', 'web2', 'db1']);
    assert.match(r.text, /"msg": "rescued 1"/);
    // precedence: group var (web) beats all; extra vars beat host vars; task vars beat play vars
    assert.match(r.text, /ok: \[web2\] => \{\n    "msg": "web extra play task task"\n\}/);
    assert.match(r.text, /ok: \[db1\] => \{\n    "msg": "all extra play task task"\n\}/);
    assert.equal(r.results('not reached').length, 0);
    assert.ok(!r.text.includes('neverruns'), 'any_errors_fatal stops the playbook');
    assert.match(
      r.text,
      /PLAY RECAP \*+\ndb1                        : ok=3    changed=0    unreachable=0    failed=0    skipped=2    rescued=0    ignored=0   \nweb1                       : ok=2    changed=0    unreachable=0    failed=1    skipped=0    rescued=1    ignored=0   \nweb2                       : ok=3    changed=0    unreachable=0    failed=1    skipped=1    rescued=0    ignored=0   \n/,
    );
  });

  it('a rescued host carries on with the play; always runs after a failure without rescue', async () => {
    const r = await run(`
- hosts: all
  gather_facts: false
  tasks:
    - block:
        - block:
            - fail: msg=inner
          always:
            - name: inner always
              debug: msg=ia
      rescue:
        - name: outer rescue
          debug: msg=or
    - name: carries on
      debug: msg=on
    - block:
        - fail: msg=unrescued
      always:
        - name: last always
          debug: msg=la
    - name: never
      debug: msg=never
`);
    assert.equal(r.rc, 2);
    assert.deepEqual(r.tasks, ['fail', 'inner always', 'outer rescue', 'carries on', 'fail', 'last always']);
    assert.deepEqual(r.recap.localhost, { ok: 4, changed: 0, unreachable: 0, failed: 1, skipped: 0, rescued: 1, ignored: 0 });
  });
});
