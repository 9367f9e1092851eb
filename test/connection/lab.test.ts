// SSH and facts against namespace lab hosts, using the lab's own inventory variables
// (own lab dir /var/lib/lvsplay/labs/ssh, subnet 10.153.0.0/24).
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { skipWithoutLab, useLab, type TestLab } from '../helpers/lab.js';
import { loadInventory } from '../../src/inventory/index.js';
import { createConnection } from '../../src/connection/index.js';
import { gatherFacts } from '../../src/facts/index.js';
import { ConnectionError } from '../../src/errors.js';
import type { Connection, Vars } from '../../src/types.js';

describe('ssh + facts on lab hosts (namespace lab "ssh", 10.153.0.0/24)', function () {
  this.timeout(180_000);
  let lab: TestLab;
  const vars = new Map<string, Vars>();
  const conns: Connection[] = [];

  before(async function () {
    skipWithoutLab(this);
    lab = await useLab('ssh', { hosts: 2, subnet: '10.153.0.0/24' });
    const inv = await loadInventory([lab.inventory]);
    for (const h of lab.hosts) vars.set(h.name, inv.hostVars(h.name));
  });
  after(async () => {
    await Promise.all(conns.map((c) => c.close()));
    await lab?.down();
  });

  const open = (host: string, v: Vars = vars.get(host)!): Connection => {
    const c = createConnection(host, v, { sshConfigFile: '/nonexistent' });
    conns.push(c);
    return c;
  };

  it('connects with the inventory vars (strict host key checking on the lab known_hosts) and gathers facts in one exec', async () => {
    for (const h of lab.hosts) {
      const c = open(h.name);
      assert.equal(c.address, `${h.addr}:22`);
      const facts = await gatherFacts(c, { user: 'root' });
      assert.equal(c.execCount, 1);
      assert.equal(facts.hostname, h.name);
      assert.equal(facts.os_family, 'Debian');
      assert.equal(facts.pkg_mgr, 'apt');
      assert.equal(facts.service_mgr, 'sysvinit', 'lab PID 1 is not systemd');
      assert.deepEqual(facts.default_ipv4, {}, 'the lab has no default route');
      assert.equal((facts.eth0 as { ipv4: { address: string } }).ipv4.address, h.addr);
      assert.deepEqual(facts.all_ipv4_addresses, [h.addr]);
    }
  });

  it('a host key that does not match the lab known_hosts stops the host with a clear message', async () => {
    const h = lab.hosts[0];
    const kh = join(lab.dir, 'ssh-test-wrong-known_hosts');
    const other = join(lab.dir, 'ssh-test-otherkey');
    execFileSync('sh', ['-c', `rm -f ${other} ${other}.pub; ssh-keygen -q -t ed25519 -N '' -f ${other}`]);
    const pub = execFileSync('cat', [`${other}.pub`]).toString().split(' ').slice(0, 2).join(' ');
    writeFileSync(kh, `${h.addr} ${pub}\n`);
    const c = open(h.name, { ...vars.get(h.name), lvsplay_known_hosts: kh });
    const err = await c.exec('true').catch((e: unknown) => e);
    assert.ok(err instanceof ConnectionError, String(err));
    assert.match(err.message, new RegExp(`^${h.name} \\(${h.addr.replace(/\./g, '\\.')}:22\\): host key mismatch: known_hosts says ssh-ed25519 SHA256:`));
  });
});
