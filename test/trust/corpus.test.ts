// Bad input never reaches a host: every corpus case gets one clear message with FILE:LINE:COL and
// ansible-playbook's exit code. Here the hosts are unreachable on purpose (127.0.0.1 port 1): a case
// that wrongly got past validation would try to connect and exit 3, never touch anything.
// The same corpus against live lab hosts (files compared before/after) is in corpus-lab.test.ts.
import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { caseArgs, checkCaseOutput, corpusCases } from './corpus.js';
import { lvsplay, tmpDir, writeFiles } from './helpers.js';

const SAFE_INVENTORY = `# every host is loopback port 1: nothing listens, nothing can be changed
[directors]
node01 ansible_host=127.0.0.1 ansible_port=1
node04 ansible_host=127.0.0.1 ansible_port=1

[real_servers]
node02 ansible_host=127.0.0.1 ansible_port=1
node03 ansible_host=127.0.0.1 ansible_port=1

[all:vars]
lvs_vip=10.0.0.100
`;

describe('trust: bad-input corpus (no host reachable)', function () {
  this.timeout(60000);
  const cases = corpusCases();
  const inv = join(writeFiles(tmpDir(), { 'safe.ini': SAFE_INVENTORY }), 'safe.ini');

  it('has at least 40 cases, each with a description, exit code, FILE:LINE:COL and message', () => {
    assert.ok(cases.length >= 40, `only ${cases.length} cases`);
    for (const c of cases) {
      assert.ok(c.expect.desc && typeof c.expect.exit === 'number' && c.expect.where && c.expect.message, c.name);
      assert.doesNotThrow(() => new RegExp(c.expect.message), c.name);
    }
  });

  for (const c of cases) {
    if (c.expect.lab) continue; // needs a real host (keepalived -t): corpus-lab.test.ts
    it(`${c.name}: ${c.expect.desc} -> exit ${c.expect.exit}, ${c.expect.where}`, () => {
      checkCaseOutput(c, lvsplay(caseArgs(c, inv), c.dir));
    });
  }
});
