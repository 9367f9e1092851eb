// `lvsplay check`: every defect of the notes' own setup is flagged at its line; a broken
// inventory is flagged at the inventory lines; site.yml passes with the notes' and the lab's
// inventories. (Modules not registered yet are stubbed: the checker only reads arguments.)
import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { checkKeepalivedFile, checkPlaybookFile } from '../../src/lint/run.js';
import { checkMain } from '../../src/lint/cli.js';
import type { Finding } from '../../src/lint/finding.js';
import { stubMissingModules } from '../cluster/stubmodules.js';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../..');
const FIX = path.join(ROOT, 'test/fixtures/cluster');
const SITE = path.join(ROOT, 'playbooks/site.yml');
const at = (fs: Finding[], rule: string): string[] => fs.filter((f) => f.rule === rule).map((f) => `${path.basename(f.pos.file)}:${f.pos.line}`);

describe('check: lvsplay check', () => {
  let unstub: () => void;
  before(() => {
    unstub = stubMissingModules();
  });
  after(() => unstub());

  it("flags each defect of the notes' keepalived.conf at its line", () => {
    const r = checkKeepalivedFile(path.join(FIX, 'notes/keepalived.conf'));
    assert.ok(r.findings.every((f) => f.severity === 'error'));
    assert.deepEqual(at(r.findings, 'syntax'), ['keepalived.conf:20']); // virtual_server never closed
    assert.deepEqual(at(r.findings, 'vip-mismatch'), ['keepalived.conf:20']); // .100 is not the VRRP VIP .10
    assert.match(r.findings.find((f) => f.rule === 'vip-mismatch')!.message, /192\.168\.150\.100 .*192\.168\.150\.10 at line 16/);
    assert.deepEqual(at(r.findings, 'deprecated'), ['keepalived.conf:24', 'keepalived.conf:36', 'keepalived.conf:49']); // nat_mask, nb_get_retry x2
    assert.equal(r.findings.length, 5);
  });

  it("flags the notes' non-persistent sysctls and lo VIP in their playbook, per line", async () => {
    const r = await checkPlaybookFile([path.join(FIX, 'notes/inventory.ini')], path.join(FIX, 'notes/site.yml'));
    const np = r.findings.filter((f) => f.rule === 'not-persistent');
    assert.deepEqual(np.map((f) => `${f.pos.line}:${f.pos.col}`), ['8:9', '9:9', '10:9', '11:9', '13:16']);
    assert.ok(np.every((f) => f.host === 'node02, node03'));
    assert.match(np[4].message, /lo VIP 192\.168\.150\.100/);
    // and the keepalived.conf defects of both directors' files
    assert.deepEqual(at(r.findings, 'syntax'), ['keepalived.conf:20', 'keepalived.node04.conf:18']);
    assert.deepEqual(at(r.findings, 'vip-mismatch'), ['keepalived.conf:20', 'keepalived.node04.conf:18']);
    assert.equal(at(r.findings, 'deprecated').length, 6);
    assert.deepEqual(r.directors, ['node01', 'node04']);
    assert.deepEqual(r.realServers, ['node02', 'node03']);
  });

  it('points cluster defects at the inventory lines that cause them', async () => {
    const r = await checkPlaybookFile([path.join(FIX, 'broken/inventory.ini')], SITE);
    const where = (rule: string) => r.findings.filter((f) => f.rule === rule).map((f) => `${path.basename(f.pos.file)}:${f.pos.line}:${f.pos.col}`);
    assert.deepEqual(where('priority'), ['inventory.ini:5:31']); // node04 keepalived_priority=100, like node01
    assert.deepEqual(where('router-id'), ['inventory.ini:5:55']); // node04 keepalived_router_id=52
    assert.deepEqual(where('vip-mismatch'), ['inventory.ini:8:31']); // node02 lvs_vip=10.0.0.200
    assert.deepEqual(where('rs-vip'), ['inventory.ini:8:1']);
    assert.deepEqual(where('auth-pass'), ['inventory.ini:12:1']);
    assert.deepEqual(where('value'), ['inventory.ini:13:1']); // lvs_sched=roundrobin
    assert.ok(!r.findings.some((f) => f.message.includes('secret-too-long')), 'the password is never printed');
  });

  it('flags directors that disagree on advert_int or auth_pass (split brain), never printing the password', async () => {
    const r = await checkPlaybookFile([path.join(FIX, 'shared/inventory.ini')], SITE);
    const f = r.findings.filter((x) => x.rule === 'shared-setting');
    assert.deepEqual(f.map((x) => `${x.host} ${path.basename(x.pos.file)}:${x.pos.line}`).sort(), ['node04 inventory.ini:5', 'node04 inventory.ini:5']);
    assert.ok(f.some((x) => /advert_int 2 differs from node01's 1/.test(x.message)), f.map((x) => x.message).join('\n'));
    assert.ok(f.some((x) => /auth_pass differs from node01's: .*split brain/.test(x.message)), f.map((x) => x.message).join('\n'));
    assert.ok(!r.findings.some((x) => /pass000/.test(x.message)), 'the password is never printed');
  });

  for (const [name, inv] of [
    ['the notes inventory (playbooks/inventory/notes.ini)', path.join(ROOT, 'playbooks/inventory/notes.ini')],
    ['a lab-shaped inventory', path.join(FIX, 'render/lab.ini')],
  ]) {
    it(`passes site.yml with ${name}`, async () => {
      const r = await checkPlaybookFile([inv], SITE);
      assert.deepEqual(r.findings.map((f) => `${f.pos.file}:${f.pos.line}: ${f.message}`), []);
      assert.deepEqual(r.directors, ['node01', 'node04']);
      assert.deepEqual(r.realServers, ['node02', 'node03']);
    });
  }

  it('flags an inventory without IPVS that does not ask for VRRP-only (the role would fail)', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'lvsplay-check-'));
    try {
      const inv = path.join(dir, 'lab.ini');
      writeFileSync(inv, readFileSync(path.join(FIX, 'render/lab.ini'), 'utf8').replace(/^lvs_vrrp_only=true\n/m, ''));
      const r = await checkPlaybookFile([inv], SITE);
      const f = r.findings.filter((x) => x.rule === 'would-fail');
      assert.deepEqual(f.map((x) => x.host), ['node01', 'node04']); // the message names each host
      assert.match(f[0].message, /no IPVS.*lvs_vrrp_only=true/);
      assert.match(f[0].pos.file, /roles\/lvs_director\/tasks\/main\.yml$/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('exits 1 on errors, 0 when clean, 5 on bad usage', async () => {
    const write = process.stdout.write.bind(process.stdout);
    const werr = process.stderr.write.bind(process.stderr);
    process.stdout.write = () => true;
    process.stderr.write = () => true;
    try {
      assert.equal(await checkMain([path.join(FIX, 'notes/keepalived.conf')]), 1);
      assert.equal(await checkMain(['-i', path.join(ROOT, 'playbooks/inventory/notes.ini'), SITE]), 0);
      assert.equal(await checkMain([SITE]), 5); // a playbook needs -i
      assert.equal(await checkMain(['/nonexistent.conf']), 5);
    } finally {
      process.stdout.write = write;
      process.stderr.write = werr;
    }
  });
});
