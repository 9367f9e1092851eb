// package_facts on this host (Debian, apt; ansible-playbook 2.14 reads python3-apt's cache, lvsplay
// dpkg-query + apt-cache policy), compared with ansible-playbook 2.14: every installed package's
// entries (name, version, arch, category, origin, source), the `packages` variable, the refusals,
// counts over two runs and check mode. rpm is covered by a fixture (no rpm database here).
import assert from 'node:assert/strict';
import { assertSame, differential, skipWithoutAnsible } from './harness.js';

describe('compat: package_facts (differential against ansible-playbook; this host: apt)', function () {
  this.timeout(180_000);
  before(async function () {
    await skipWithoutAnsible(this);
  });

  const pb = `
- hosts: all
  gather_facts: false
  tasks:
    - {name: auto, package_facts: {}, register: r}
    - {name: apt, ansible.builtin.package_facts: {manager: apt}, register: r}
    - {name: listed, package_facts: {manager: [apt, auto], strategy: all}, register: r}
    - {name: seen, debug: {msg: "{{ packages['bash'][0].version }} {{ ansible_facts.packages | length }}"}, register: r}
    - {name: unknown, package_facts: {manager: dpkg}, register: r, ignore_errors: true}
`;
  const f = ['changed', 'failed', 'msg', 'ansible_facts.packages'];
  const all = { auto: f, apt: f, listed: f, seen: f, unknown: f };

  it('lists the same packages as Ansible (all fields), changes nothing', async () => {
    const d = await differential(pb);
    assertSame(d, all);
    const pk = (d.lvsplay.runs[0].tasks.get('auto')?.ansible_facts as { packages: Record<string, unknown[]> }).packages;
    assert.ok(Object.keys(pk).length > 10, 'few packages');
    assert.equal(d.lvsplay.runs[1].counts.changed, 0);
  });

  it('check mode: the same', async () => {
    assertSame(await differential(pb, { runs: 1, args: ['--check'] }), all);
  });
});
