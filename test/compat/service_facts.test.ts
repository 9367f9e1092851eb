// service_facts on this host (no systemd as PID 1: Ansible's sysv path, `service --status-all`),
// compared with ansible-playbook 2.14: the whole ansible_facts.services mapping, the fact as later
// tasks see it, counts, check mode. The systemd, chkconfig and OpenRC listings are covered by
// recorded fixtures (test/fixtures/modules/service_facts).
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { q } from '../../src/shell.js';
import { assertSame, differential, skipWithoutAnsible } from './harness.js';

const STUBS = fileURLToPath(new URL('../../../test/fixtures/stubs/', import.meta.url));

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

  it('the systemd path, with a stand-in systemctl and a PID 1 named systemd (pid+mount namespaces; no real systemd here)', async function () {
    if (process.getuid?.() !== 0) {
      console.log('      (skipped: needs root for unshare --pid --mount)');
      this.skip();
    }
    const dir = mkdtempSync(join(tmpdir(), 'lvsplay-sf-systemd-'));
    const state = join(dir, 'state');
    mkdirSync(state);
    symlinkSync('/bin/sh', join(dir, 'systemd'));
    const units = { 'web.service': 'active enabled', 'old.service': 'inactive masked', 'bad.service': 'failed enabled', 'lazy.service': 'inactive disabled unloaded', 'cron.service': 'inactive static' };
    for (const [u, st] of Object.entries(units)) writeFileSync(join(state, u), `${st}\n`);
    // PID 1 is a shell named systemd (it stays PID 1: the tool runs as its child); /usr/bin/systemctl is the stand-in
    const script = `mount --bind ${q(join(STUBS, 'systemctl'))} /usr/bin/systemctl || exit 99\n"$@"; rc=$?; exit $rc`;
    const prefix = (): string[] => ['unshare', '--pid', '--fork', '--mount', '--mount-proc', join(dir, 'systemd'), '-c', script, 'sh'];
    try {
      const d = await differential(pb, { prefix, env: { SYSTEMCTL_STUB_STATE: state } });
      assertSame(d, { gather: f, again: f, seen: f });
      const services = (d.lvsplay.runs[0].tasks.get('gather')?.ansible_facts as { services: Record<string, { source: string }> }).services;
      assert.deepEqual(Object.values(services).filter((x) => x.source === 'systemd').length, 5);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('check mode: the same', async () => {
    assertSame(await differential(pb, { runs: 1, args: ['--check'] }), { gather: f, seen: f });
  });
});
