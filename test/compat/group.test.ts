// group: creating (gid, system), changing the gid and removing real local groups on this machine
// (needs root; the tools run one after the other, each run ends by removing the groups), compared
// with ansible-playbook 2.14: results and counts over two runs, and check mode.
import { execFileSync } from 'node:child_process';
import { assertSame, differential, skipUnlessRoot, skipWithoutAnsible } from './harness.js';

const NAMES = ['lvsplaycmpa', 'lvsplaycmpb'];
const cleanup = (): void => {
  for (const n of NAMES) {
    try {
      execFileSync('groupdel', [n], { stdio: 'ignore' });
    } catch {
      // not there
    }
  }
};

describe('compat: group (differential against ansible-playbook; root)', function () {
  this.timeout(180_000);
  before(async function () {
    await skipWithoutAnsible(this);
    skipUnlessRoot(this, 'the group test creates local groups and needs root');
    cleanup();
  });
  after(cleanup);

  const pb = `
- hosts: all
  gather_facts: false
  tasks:
    - {name: add, group: {name: ${NAMES[0]}, gid: 64991}, register: r}
    - {name: system, ansible.builtin.group: {name: ${NAMES[1]}, system: true}, register: r}
    - {name: again, group: {name: ${NAMES[0]}}, register: r}
    - {name: regid, group: {name: ${NAMES[0]}, gid: 64992}, register: r}
    - {name: remove, group: {name: ${NAMES[1]}, state: absent}, register: r}
    - {name: remove-missing, group: {name: ${NAMES[1]}, state: absent}, register: r}
    - {name: cleanup, group: {name: ${NAMES[0]}, state: absent}, when: last | default(false) | bool}
`;
  const f = ['changed', 'failed', 'name', 'state', 'gid', 'system'];
  const all = Object.fromEntries(['add', 'again', 'regid', 'remove', 'remove-missing'].map((t) => [t, f]));

  it('manages groups like Ansible, idempotently', async () => {
    const d = await differential(pb, { sequential: true, runArgs: (i) => (i === 1 ? ['-e', 'last=true'] : []) });
    assertSame(d, { ...all, system: ['changed', 'failed', 'name', 'state', 'system'] });
  });

  it('check mode changes nothing', async () => {
    assertSame(await differential(pb, { sequential: true, runs: 1, args: ['--check'] }), all);
  });
});
