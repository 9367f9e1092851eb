// service_facts on this host (no systemd as PID 1: Ansible's sysv path, `service --status-all`),
// compared with ansible-playbook 2.14: the whole ansible_facts.services mapping, the fact as later
// tasks see it, counts, check mode. The systemd, chkconfig and OpenRC listings are covered by
// recorded fixtures (test/fixtures/modules/service_facts).
import assert from 'node:assert/strict';
import { assertSame, differential, skipWithoutAnsible } from './harness.js';

describe('compat: service_facts (differential against ansible-playbook; this host: sysv)', function () {
  this.timeout(180_000);
  before(async function () {
    await skipWithoutAnsible(this);
  });

  const pb = `
- hosts: all
  gather_facts: false
  tasks:
    - {name: gather, service_facts: {}, register: r}
    - name: again
      ansible.builtin.service_facts:
      register: r
    - {name: seen, debug: {msg: "{{ ansible_facts.services | dict2items | map(attribute='value') | map(attribute='state') | list }} {{ services | length }}"}, register: r}
`;
  const f = ['changed', 'failed', 'skipped', 'msg', 'ansible_facts.services'];

  it('gathers the same services as Ansible, changes nothing', async () => {
    const d = await differential(pb);
    assertSame(d, { gather: f, again: f, seen: f });
    assert.ok(Object.keys((d.lvsplay.runs[0].tasks.get('gather')?.ansible_facts as { services: object }).services).length > 0, 'no services found');
    assert.equal(d.lvsplay.runs[1].counts.changed, 0);
  });

  it('check mode: the same', async () => {
    assertSame(await differential(pb, { runs: 1, args: ['--check'] }), { gather: f, seen: f });
  });
});
