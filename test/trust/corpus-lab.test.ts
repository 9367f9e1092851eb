// The bad-input corpus against live lab hosts (a converged LVS cluster): every case gives its
// message and exit code, and no host changes: files under /etc /root /usr /var/lib /opt /srv
// (metadata, and checksums under /etc), net sysctls and addresses are compared before and after.
import { strict as assert } from 'node:assert';
import { readState } from '../../src/lab/index.js';
import { REPO, TRUST_SUBNET, labExec, lvsplay, snapshot, snapshotDiff, trustLabOrSkip } from './helpers.js';
import { hasAddress } from '../../src/lab/drill.js';
import { caseArgs, checkCaseOutput, corpusCases } from './corpus.js';
import type { TestLab } from '../helpers/lab.js';
import { join } from 'node:path';
import { existsSync } from 'node:fs';

describe('trust: bad-input corpus on the lab (hosts unchanged)', function () {
  this.timeout(600000);
  let lab: TestLab | undefined;
  const snaps = new Map<string, string>();
  const cases = corpusCases();

  before(async function () {
    lab = await trustLabOrSkip(this);
    // A converged cluster first (keepalived installed and running): the corpus then runs against it.
    const site = [join(REPO, 'playbooks/site.yml'), join(REPO, 'site.yml')].find(existsSync)!;
    const conv = lvsplay(['-i', lab.inventory, site]);
    assert.equal(conv.rc, 0, `site.yml converges on the trust lab:\n${conv.out}\n${conv.err}`);
    // keepalived's VRRP election puts the VIP on the MASTER some seconds after the converge ends:
    // wait for the cluster to settle (VIP on node01 only), or the snapshot races the election.
    const vip = (readState(lab.dir)?.subnet ?? TRUST_SUBNET).replace(/\.0\/\d+$/, '.100');
    const onHost = (n: string) => hasAddress(labExec(lab!.dir, n, 'ip -o addr show').out, vip);
    const deadline = Date.now() + 30000;
    while (!(onHost('node01') && !onHost('node04')) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    assert.ok(onHost('node01') && !onHost('node04'), `the VIP ${vip} settles on node01 only after the converge`);
    for (const h of lab.hosts) snaps.set(h.name, snapshot(lab.dir, h.name));
  });

  for (const c of cases) {
    it(`${c.name}: ${c.expect.desc}`, () => {
      checkCaseOutput(c, lvsplay(caseArgs(c, lab!.inventory), c.dir));
    });
  }

  it('no lab host changed: files, sysctls and addresses as before the corpus', function () {
    if (!lab) this.skip();
    for (const h of lab!.hosts) {
      const d = snapshotDiff(snaps.get(h.name)!, snapshot(lab!.dir, h.name));
      assert.deepEqual(d, [], `${h.name} changed:\n${d.slice(0, 40).join('\n')}`);
    }
  });
});
