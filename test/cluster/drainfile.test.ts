// drain/undrain's host_vars edits (src/cluster/hostvarsfile.ts) and the status probe's shell syntax.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyEdit, drainEdit, hostVarsFile, undrainEdit } from '../../src/cluster/hostvarsfile.js';
import { probeScript } from '../../src/cluster/probe.js';

describe('cluster drain/undrain: host_vars/REALSERVER.yml', () => {
  let dir = '';
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'lvsplay-drainfile-'));
    writeFileSync(join(dir, 'inventory.ini'), '[real_servers]\nnode03\n');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('creates host_vars/NAME.yml beside the inventory, and undrain removes it again', () => {
    const f = hostVarsFile(join(dir, 'inventory.ini'), 'node03');
    assert.equal(f, join(dir, 'host_vars', 'node03.yml'));
    applyEdit(drainEdit(f));
    assert.equal(readFileSync(f, 'utf8'), 'lvsplay_undrain_weight: null\nlvs_weight: 0\n');
    const u = undrainEdit(f);
    assert.equal(u.text, null);
    applyEdit(u);
    assert.ok(!existsSync(f));
  });

  it('keeps comments and other keys, saves and restores the previous weight; a second drain keeps the saved one', () => {
    mkdirSync(join(dir, 'host_vars'));
    const f = join(dir, 'host_vars', 'node03.yaml');
    writeFileSync(f, '# the big one\nlvs_weight: 3 # more traffic\nlvs_rip: 10.0.0.33\n');
    assert.equal(hostVarsFile(dir, 'node03'), f, 'an existing .yaml file is the one edited (a directory inventory source)');
    applyEdit(drainEdit(f));
    applyEdit(drainEdit(f));
    const drained = readFileSync(f, 'utf8');
    assert.match(drained, /^# the big one\n/);
    assert.match(drained, /^lvs_weight: 0 # more traffic$/m);
    assert.match(drained, /^lvsplay_undrain_weight: 3$/m);
    assert.match(drained, /^lvs_rip: 10\.0\.0\.33$/m);
    applyEdit(undrainEdit(f));
    assert.equal(readFileSync(f, 'utf8'), '# the big one\nlvs_weight: 3 # more traffic\nlvs_rip: 10.0.0.33\n');
  });

  it('undrain of a host lvsplay did not drain, and a host_vars directory, are refused', () => {
    mkdirSync(join(dir, 'host_vars', 'node04'), { recursive: true });
    writeFileSync(join(dir, 'host_vars', 'node03.yml'), 'lvs_weight: 0\n');
    assert.throws(() => undrainEdit(hostVarsFile(dir, 'node03')), /has no lvsplay_undrain_weight: the host was not drained by lvsplay/);
    assert.throws(() => hostVarsFile(dir, 'node04'), /is a directory/);
  });
});

describe('cluster status: the probe script', () => {
  for (const shell of ['dash', 'bash', 'sh']) {
    it(`parses under ${shell} -n (directors and real servers)`, function () {
      if (spawnSync('sh', ['-c', `command -v ${shell}`]).status !== 0) this.skip();
      const s = probeScript({ director: { conf: "/etc/keepalived/keep alived's.conf", checks: [{ name: 'n2', ip: '10.0.0.2', port: '80', path: '/' }, { name: 'n3', ip: '2001:db8::3', port: '8080', path: 'health' }] }, realServer: { iface: 'eth0' } });
      const r = spawnSync(shell, ['-n'], { input: s, encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
      assert.match(s, /'http:\/\/\[2001:db8::3\]:8080\/health'/);
    });
  }
});
