// systemd / systemd_service and service's masked/daemon_reload with a STAND-IN systemctl: this
// machine has no systemd as PID 1, so both tools find test/fixtures/stubs/systemctl first on PATH
// (units kept as files in a state directory each tool starts from afresh). This proves the
// decisions, the parsing of `systemctl show` and the result fields (name, state, enabled, the whole
// `status`) equal to ansible-playbook 2.14's; it does not prove real systemd's behaviour.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';
import { assertSame, differential, skipWithoutAnsible } from './harness.js';

const STUBS = fileURLToPath(new URL('../../../test/fixtures/stubs/', import.meta.url));
const UNITS: Record<string, string> = { 'cron.service': 'inactive disabled', 'web.service': 'active enabled', 'old.service': 'inactive masked' };

describe('compat: systemd with a stand-in systemctl (differential against ansible-playbook; no real systemd here)', function () {
  this.timeout(240_000);
  const state = mkdtempSync(join(tmpdir(), 'lvsplay-systemctl-stub-'));
  const reset = (): void => {
    for (const f of readdirSync(state)) rmSync(join(state, f), { force: true });
    mkdirSync(state, { recursive: true });
    for (const [u, s] of Object.entries(UNITS)) writeFileSync(join(state, u), `${s}\n`);
  };
  const env = { PATH: `${STUBS}:${process.env.PATH}`, SYSTEMCTL_STUB_STATE: state };
  before(async function () {
    await skipWithoutAnsible(this);
  });
  after(() => rmSync(state, { recursive: true, force: true }));

  const pb = `
- hosts: all
  gather_facts: false
  tasks:
    - {name: start, systemd: {name: cron, state: started}, register: r}
    - {name: enable, ansible.builtin.systemd_service: {name: cron.service, enabled: true, daemon_reload: true}, register: r}
    - {name: running, systemd: {name: web, state: started, enabled: true}, register: r}
    - {name: restart, systemd: {unit: web, state: restarted}, register: r}
    - {name: reload, systemd: {name: web, state: reloaded, no_block: true}, register: r}
    - {name: stop-disable, systemd: {name: cron, state: stopped, enabled: false}, register: r}
    - {name: masked-start, systemd: {name: old, state: started}, register: r, ignore_errors: true}
    - {name: unmask, systemd: {name: old, masked: false}, register: r}
    - {name: mask, service: {name: old, masked: true, use: systemd}, register: r}
    - {name: missing, systemd: {name: lvsplaynosuch, state: started}, register: r, ignore_errors: true}
    - {name: missing-mask, systemd: {name: lvsplaynosuch2, masked: true}, register: r}
`;
  const f = ['changed', 'failed', 'msg', 'name', 'state', 'enabled', 'status'];
  const all = Object.fromEntries(['start', 'enable', 'running', 'restart', 'reload', 'stop-disable', 'masked-start', 'unmask', 'mask', 'missing', 'missing-mask'].map((t) => [t, f]));

  it('acts, reports and fails as Ansible does, over two runs', async () => {
    assertSame(await differential(pb, { sequential: true, env, setup: reset }), all);
  });

  it('converges: the second run changes nothing (changed=0)', async () => {
    const converge = `
- hosts: all
  gather_facts: false
  tasks:
    - {name: cron, systemd: {name: cron, state: started, enabled: true, daemon_reload: true}, register: r}
    - {name: web, service: {name: web, state: stopped, enabled: false, masked: false, use: systemd}, register: r}
    - {name: old, systemd: {name: old, masked: true}, register: r}
`;
    const d = await differential(converge, { sequential: true, env, setup: reset });
    assertSame(d, { cron: f, web: f, old: f });
    assert.equal(d.lvsplay.runs[0].counts.changed, 2);
    assert.equal(d.lvsplay.runs[1].counts.changed, 0);
  });

  it('check mode: the same, and the units are left as they were', async () => {
    const d = await differential(pb, { sequential: true, env, setup: reset, runs: 1, args: ['--check'] });
    assertSame(d, all);
    for (const [u, st] of Object.entries(UNITS)) assert.equal(readFileSync(join(state, u), 'utf8'), `${st}\n`, u);
    assert.ok(!existsSync(join(state, '.log')), 'daemon-reload ran in check mode');
  });
});
