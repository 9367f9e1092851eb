// systemd / systemd_service and service's systemd-only arguments on THIS host, where systemd is not
// PID 1: both tools must fail the same tasks the same way (systemctl's "System has not been booted
// with systemd" error, "Service is in unknown state", a failed daemon-reload), agree on what works
// offline (is-enabled of an installed unit) and refuse service's masked/daemon_reload under another
// service manager. Nothing on the host changes: the offline enable/mask checks run in check mode.
// The paths that need a running systemd are covered by recorded fixtures (test/fixtures/modules/systemd).
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { assertSame, differential, skipWithoutAnsible } from './harness.js';

describe('compat: systemd on a host without systemd as PID 1 (differential against ansible-playbook)', function () {
  this.timeout(180_000);
  before(async function () {
    await skipWithoutAnsible(this);
    if (existsSync('/run/systemd/system')) {
      console.log('      (skipped: this host runs systemd; the test is about a host where it does not)');
      this.skip();
    }
  });

  const pb = `
- hosts: all
  gather_facts: false
  tasks:
    - {name: start, systemd: {name: cron, state: started}, register: r, ignore_errors: true}
    - {name: unknown-state, ansible.builtin.systemd_service: {name: ssh, state: started}, register: r, ignore_errors: true}
    - {name: enabled-offline, ansible.builtin.systemd: {name: ssh, enabled: true}, register: r, check_mode: true}
    - {name: masked-offline, systemd_service: {unit: ssh, masked: false}, register: r, check_mode: true}
    - {name: missing-enable, systemd: {name: lvsplaynosuchunit, enabled: false}, register: r, ignore_errors: true}
    - {name: glob, systemd: {name: 'ss*', masked: false}, register: r, ignore_errors: true}
    - {name: no-name, systemd: {state: started}, register: r, ignore_errors: true}
    - {name: reload, systemd: {daemon_reload: true}, register: r, ignore_errors: true}
    - {name: reload-check, systemd: {daemon-reload: true}, register: r, check_mode: true}
    - {name: nothing, systemd: {}, register: r}
    - {name: service-masked, service: {name: cron, masked: true, state: started}, register: r, ignore_errors: true}
    - {name: service-reload-systemd, service: {name: cron, daemon_reload: true, state: started, use: systemd}, register: r, ignore_errors: true}
    - {name: service-reload-alias, service: {name: cron, daemon-reload: true, state: started, use: systemd}, register: r, ignore_errors: true}
`;
  const f = ['changed', 'failed', 'name', 'state', 'enabled', 'status', 'msg', 'rc', 'stderr', 'stdout'];
  const same = Object.fromEntries(['start', 'unknown-state', 'enabled-offline', 'masked-offline', 'missing-enable', 'glob', 'no-name', 'reload', 'reload-check', 'nothing', 'service-reload-systemd', 'service-reload-alias'].map((t) => [t, f]));

  it('fails and succeeds on the same tasks as Ansible, with the same messages (no systemd as PID 1 here)', async () => {
    const d = await differential(pb, { runs: 1 });
    assertSame(d, { ...same, 'service-masked': ['changed', 'failed'] });
    const msg = String(d.lvsplay.runs[0].tasks.get('service-masked')?.msg);
    assert.match(msg, /^Unsupported parameters for \(ansible\.legacy\.service\) module: masked/);
  });

  it('check mode: the same (no daemon-reload is run)', async () => {
    assertSame(await differential(pb, { runs: 1, args: ['--check'] }), same);
  });
});
