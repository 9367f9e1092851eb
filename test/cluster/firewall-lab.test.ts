// Issue 18 ("the laptop lab works out of the box"): with a host firewall ACTIVE, site.yml opens what
// VRRP and the virtual service need (role lvs_firewall, imported by lvs_director and lvs_real_server),
// on the namespace lab 'h-fw18' with real nftables and ufw installed into its hosts:
//   node01, node04  directors, nftables with policy drop (ssh allowed)   node02  real server, ufw active
//   node03          real server, no firewall (the role leaves it alone)
// First the negative control (the firewall step turned off: VRRP is dropped, both directors hold
// the VIP), then the role's run (only the firewall tasks change; the VIP settles on node01 alone),
// idempotence and --check, and ufw on a director (node04 switched from nftables to ufw).
import { strict as assert } from 'node:assert';
import { labDown } from '../../src/lab/index.js';
import { LAB_ROOT, skipWithoutLab, type TestLab, useLab } from '../helpers/lab.js';
import { addrs, eventually, holds, lvsplay, parseEvents, run, vipPoller } from './labdrive.js';

const LAB = 'h-fw18';
const LAB_DIR = `${LAB_ROOT}/${LAB}`;
const PLAYBOOK = 'playbooks/site.yml';
const ns = (h: string): string => `lvsplay-${LAB}-${h}`;
const APT = 'DEBIAN_FRONTEND=noninteractive apt-get install -y -qq';
const NFT_DROP = `nft flush ruleset && nft -f - <<'EOF'
table inet filter {
  chain input {
    type filter hook input priority 0; policy drop;
    iif lo accept
    ct state established,related accept
    tcp dport 22 accept
  }
}
EOF`;
const UFW_ON = 'ufw allow 22/tcp >/dev/null && ufw --force enable >/dev/null && ufw status | head -1';

describe('cluster: site.yml with an active host firewall (nftables, ufw) on the namespace lab (root; issue 18)', function () {
  this.timeout(600_000);
  let lab: TestLab | undefined;
  let vip = '';
  const onHost = async (h: string, cmd: string): Promise<string> => {
    const r = await lvsplay(LAB_DIR, ['lab', 'ssh', h, '--', cmd]);
    assert.equal(r.code, 0, `lab ssh ${h} -- ${cmd}: exit ${r.code}\n${r.stdout}${r.stderr}`);
    return r.stdout;
  };
  const holders = async (): Promise<string[]> => {
    const out: string[] = [];
    for (const h of ['node01', 'node04']) if (holds(await addrs(ns(h), 'eth0'), vip)) out.push(h);
    return out;
  };
  const onlyNode01 = async (): Promise<boolean> => (await holders()).join() === 'node01';
  /** site.yml with --json: exit code, hosts -> changed count, and "host: task" of each changed result. */
  const site = async (...extra: string[]): Promise<{ changed: Record<string, number>; tasks: string[] }> => {
    const r = await lvsplay(LAB_DIR, ['-i', 'lab', '--json', ...extra, PLAYBOOK]);
    assert.equal(r.code, 0, `site.yml ${extra.join(' ')} exit ${r.code}:\n${r.stdout.slice(-4000)}${r.stderr}`);
    const events = parseEvents(r.stdout);
    const recap = events.find((e) => e.type === 'recap') as { hosts: Record<string, { changed: number; failed: number }> } | undefined;
    assert.ok(recap, 'a recap event');
    const tasks = events
      .filter((e) => e.type === 'host_result' && e.status === 'changed')
      .map((e) => `${String(e.host)}: ${String(e.task).replace(/^.* : /, '')}`)
      .sort();
    return { changed: Object.fromEntries(Object.entries(recap.hosts).map(([h, c]) => [h, c.changed])), tasks };
  };
  const curlNode02 = () => run('curl', ['-sS', '-m', '3', `http://${lab!.hosts.find((h) => h.name === 'node02')!.addr}/`], {}, 10_000);
  // The imported role's task (named after what it opens), as ansible-playbook shows it too.
  const FW_DIRECTOR = 'Open VRRP and 80/tcp in the host firewall, if one is active';
  const FW_RS = 'Open 80/tcp in the host firewall, if one is active';

  before(async function () {
    skipWithoutLab(this, undefined, '      ');
    await labDown({ dir: LAB_DIR, log: () => undefined });
    lab = await useLab(LAB);
    vip = lab.hosts[0].addr.replace(/\.\d+$/, '.100');
    // Real firewalls from Debian's packages, into these lab hosts only (each host has its own root).
    await Promise.all([onHost('node01', `${APT} nftables`), onHost('node04', `${APT} nftables`), onHost('node02', `${APT} ufw`)]);
    await onHost('node01', NFT_DROP);
    await onHost('node04', NFT_DROP);
    assert.match(await onHost('node02', UFW_ON), /^Status: active/);
  });

  after(async () => {
    await lab?.down();
  });

  it('negative control: with the firewall steps off, the active firewalls drop VRRP and both directors hold the VIP', async () => {
    await site('-e', 'lvs_director_firewall=false', '-e', 'lvs_rs_firewall=false');
    assert.ok(await eventually(async () => (await holders()).length === 2, 15_000), `both directors take the VIP: ${(await holders()).join()}`);
    assert.notEqual((await curlNode02()).code, 0, 'ufw on node02 drops port 80 (the request times out)');
  });

  it('site.yml opens VRRP and 80/tcp: only the firewall tasks of the firewalled hosts change, the VIP settles on node01 alone', async () => {
    const r = await site();
    assert.deepEqual(r.tasks, [`node01: ${FW_DIRECTOR}`, `node02: ${FW_RS}`, `node04: ${FW_DIRECTOR}`]);
    assert.deepEqual(r.changed, { node01: 1, node02: 1, node03: 0, node04: 1 });
    assert.ok(await eventually(onlyNode01, 15_000), `the VIP on node01 only: ${(await holders()).join()}`);
    const rules = await onHost('node04', 'nft list chain inet filter input');
    assert.match(rules, /ip protocol vrrp ip daddr 224\.0\.0\.18 accept comment "lvsplay-vrrp"/);
    assert.match(rules, /tcp dport 80 accept comment "lvsplay-80-tcp"/);
    assert.match(rules, /policy drop;[\s\S]*tcp dport 22 accept/, "the user's rules stay");
    assert.match(await onHost('node02', 'ufw status'), /^80\/tcp\s+ALLOW\s+Anywhere/m);
    const curl = await curlNode02();
    assert.equal(curl.code, 0, `curl node02: ${curl.stderr}`);
    assert.equal(curl.stdout.trim(), 'node02', 'node02 answers through ufw');
  });

  it('the VIP stays on node01 alone with the firewalls active (polled for 6 s)', async () => {
    const p = vipPoller(ns('node01'), ns('node04'), vip, 'eth0', 100);
    await new Promise((res) => setTimeout(res, 6000));
    await p.stop();
    assert.deepEqual(p.errors, []);
    assert.ok(p.samples.length > 20, `${p.samples.length} samples`);
    assert.deepEqual(p.samples.filter((s) => !s.master || s.backup), [], 'every sample: node01 holds the VIP, node04 does not');
  });

  it('a second run changes nothing, and neither does --check (changed=0 on every host)', async () => {
    assert.deepEqual((await site()).changed, { node01: 0, node02: 0, node03: 0, node04: 0 });
    assert.deepEqual((await site('--check')).changed, { node01: 0, node02: 0, node03: 0, node04: 0 });
  });

  it('--check reports a missing rule without adding it; the next run adds it', async () => {
    await onHost('node02', 'ufw delete allow 80/tcp >/dev/null');
    const c = await site('--check');
    assert.deepEqual(c.tasks, [`node02: ${FW_RS}`]);
    assert.doesNotMatch(await onHost('node02', 'ufw status'), /^80\/tcp/m, 'check mode added nothing');
    assert.deepEqual((await site()).tasks, [`node02: ${FW_RS}`]);
    assert.match(await onHost('node02', 'ufw status'), /^80\/tcp\s+ALLOW/m);
  });

  it('ufw on a director: node04 switched from nftables to ufw loses the adverts (both MASTER), site.yml restores one MASTER', async () => {
    await onHost('node04', `nft flush ruleset && ${APT} ufw && ${UFW_ON}`);
    assert.ok(await eventually(async () => (await holders()).length === 2, 15_000), `ufw drops VRRP: both hold the VIP (${(await holders()).join()})`);
    const r = await site();
    assert.deepEqual(r.tasks, [`node04: ${FW_DIRECTOR}`]);
    assert.ok(await eventually(onlyNode01, 15_000), `the VIP on node01 only: ${(await holders()).join()}`);
    assert.match(await onHost('node04', 'grep -x -- "-A ufw-before-input -p 112 -d 224.0.0.18 -j ACCEPT" /etc/ufw/before.rules'), /112/);
    assert.deepEqual((await site()).changed, { node01: 0, node02: 0, node03: 0, node04: 0 });
  });
});
