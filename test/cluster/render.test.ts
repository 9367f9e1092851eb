// The director template renders with the engine exactly as real Ansible renders it (the expected
// files were produced by ansible-playbook, see test/fixtures/cluster/render/ansible-render.yml),
// and real keepalived accepts the result when it is installed on this machine.
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Templar } from '../../src/vars/templar.js';
import { LAB, NOTES, ROOT, hostVars } from './clustervars.js';

const TEMPLATE = path.join(ROOT, 'roles/lvs_director/templates/keepalived.conf.j2');
const FIX = path.join(ROOT, 'test/fixtures/cluster/render');

function keepalivedBinary(): string | undefined {
  const cands = [process.env.LVSPLAY_KEEPALIVED, '/usr/sbin/keepalived'].filter((x): x is string => !!x);
  for (const c of cands) {
    try {
      execFileSync(c, ['--version'], { stdio: 'ignore' });
      return c;
    } catch {
      // not this one
    }
  }
  return undefined;
}

describe('cluster: keepalived.conf.j2 renders like Ansible', () => {
  // the run's own templar (the one lvsplay renders templates with), not a second wrapper
  const templar = new Templar();
  const r = { render: (text: string, vars: Record<string, unknown>, file = TEMPLATE) => templar.renderString(text, vars, file) };
  const text = readFileSync(TEMPLATE, 'utf8');
  for (const [name, topo] of [['notes', NOTES], ['lab', LAB]] as const) {
    for (const host of ['node01', 'node04']) {
      it(`${name} inventory, ${host}: same text as ansible-playbook rendered`, () => {
        const out = r.render(text, hostVars(topo, 'lvs_director', host), TEMPLATE);
        const expected = readFileSync(path.join(FIX, name, `${host}.keepalived.conf`), 'utf8');
        assert.equal(out, expected);
      });
    }
  }

  it('the engine Templar (strict undefined, lazy vars) renders the same text', () => {
    const t = new Templar();
    for (const [name, topo] of [['notes', NOTES], ['lab', LAB]] as const) {
      const out = t.renderString(text, hostVars(topo, 'lvs_director', 'node01'), TEMPLATE);
      assert.equal(out, readFileSync(path.join(FIX, name, 'node01.keepalived.conf'), 'utf8'));
    }
  });

  it('node01 is MASTER with the VIP on eth0:2, node04 BACKUP; retry, never nb_get_retry', () => {
    const n1 = r.render(text, hostVars(NOTES, 'lvs_director', 'node01'));
    const n4 = r.render(text, hostVars(NOTES, 'lvs_director', 'node04'));
    assert.match(n1, /state MASTER\n/);
    assert.match(n4, /state BACKUP\n/);
    assert.match(n1, /192\.168\.150\.100\/24 dev eth0 label eth0:2\n/);
    assert.match(n1, /virtual_server 192\.168\.150\.100 80 \{/);
    assert.match(n1, /real_server 192\.168\.150\.2 80 \{/);
    assert.match(n1, /retry 3\n/);
    assert.doesNotMatch(n1, /nb_get_retry/);
  });

  it('explicit lists: two virtual servers, TCP_CHECK, unicast peers, nopreempt', () => {
    const vars = {
      ...hostVars(LAB, 'lvs_director', 'node01'),
      keepalived_unicast: true,
      keepalived_nopreempt: true,
      lvs_virtual_servers: [{}, { port: 443, check: 'TCP_CHECK', sched: 'wlc', real_servers: [{ ip: '10.155.0.50', weight: 3 }] }],
    };
    const out = r.render(text, vars);
    assert.match(out, /state BACKUP\n/); // nopreempt needs BACKUP everywhere
    assert.match(out, /nopreempt\n/);
    assert.match(out, /unicast_src_ip 10\.155\.0\.11\n\s+unicast_peer \{\n\s+10\.155\.0\.14\n\s+\}/);
    assert.match(out, /virtual_server 10\.155\.0\.100 443 \{\n\s+delay_loop 6\n\s+lvs_sched wlc/);
    assert.match(out, /real_server 10\.155\.0\.50 443 \{\n\s+weight 3\n\s+TCP_CHECK \{\n\s+connect_port 443/);
  });

  it('lvs_conn_sync: lvs_sync_daemon following the first vrrp_instance where IPVS is available; never without IPVS or with --vrrp (keepalived would crash in a loop)', () => {
    const sync = (vars: Record<string, unknown>) => /^ {4}lvs_sync_daemon .*$/m.exec(r.render(text, vars))?.[0].trim();
    const notes = hostVars(NOTES, 'lvs_director', 'node04');
    assert.equal(sync(notes), 'lvs_sync_daemon eth0 VI_1');
    assert.equal(sync({ ...notes, ansible_lvsplay_ipvs: true }), 'lvs_sync_daemon eth0 VI_1');
    assert.equal(sync({ ...notes, ansible_lvsplay_ipvs: false }), undefined, 'the fact says no IPVS');
    assert.equal(sync({ ...notes, ansible_lvsplay_ipvs: false, lvs_ipvs_available: true }), 'lvs_sync_daemon eth0 VI_1', 'the variable wins over the fact');
    assert.equal(sync({ ...notes, lvs_vrrp_only: true }), undefined);
    assert.equal(sync({ ...notes, lvs_conn_sync: false }), undefined);
    assert.equal(sync({ ...notes, lvs_conn_sync: 'false' }), undefined);
    assert.equal(sync(hostVars(LAB, 'lvs_director', 'node01')), undefined, 'the namespace lab has no IPVS');
    assert.equal(sync({ ...notes, lvs_conn_sync_interface: 'eth1', lvs_conn_sync_id: 7 }), 'lvs_sync_daemon eth1 VI_1 id 7');
    assert.equal(sync({ ...notes, keepalived_vrrp_instances: [{ name: 'WEB' }, { name: 'DB', virtual_router_id: 52 }] }), 'lvs_sync_daemon eth0 WEB');
    assert.equal(sync({ ...notes, keepalived_vrrp_instances: [{ virtual_router_id: 52 }] }), 'lvs_sync_daemon eth0 VI_1');
  });

  const ka = keepalivedBinary();
  it(`real keepalived -t accepts the rendered configs${ka ? '' : ' (SKIPPED: keepalived not installed here; set LVSPLAY_KEEPALIVED)'}`, function () {
    if (!ka) {
      console.log('    keepalived binary not found: install keepalived or set LVSPLAY_KEEPALIVED');
      this.skip();
    }
    const dir = mkdtempSync(path.join(tmpdir(), 'lvsplay-ka-'));
    try {
      for (const host of ['node01', 'node04']) {
        const f = path.join(dir, `${host}.conf`);
        writeFileSync(f, r.render(text, hostVars(NOTES, 'lvs_director', host)));
        execFileSync(ka!, ['-t', '-f', f], { stdio: 'pipe' }); // throws on a non-zero exit
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
