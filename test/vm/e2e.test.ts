// End-to-end on four real VMs (their own kernel, with IPVS), driven by the real Vagrantfile:
// `vagrant up` -> lvsplay provisions with playbooks/site.yml -> round robin through the VIP,
// a health check taking a real server out and back, director failover and preemption ->
// `vagrant destroy` leaves nothing behind. Opt-in (slow, ~10-20 min): LVSPLAY_VM=1, or
// test/vm/run.sh (which CI calls; LVSPLAY_SKIP_VM=1 skips it).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { VagrantSshHost } from '../../src/inventory/vagrant.js';
import { clusterStatus, inventoryOf, lvsplay, seenBy, vrrp } from './day2.js';
import { day2Cases } from './day2-cases.js';
import { clearStale, clientGet, ensureBox, guest, inLab, labDown, labUp, repoRoot, run, sshTargets, until, vagrant, vmLabConfig } from './lab.js';

const c = vmLabConfig();
const VIP = `${c.subnet}.100`;
const URL = `http://${VIP}/`;
const NODES = ['node01', 'node02', 'node03', 'node04'];
const RIP: Record<string, string> = { node02: `${c.subnet}.12`, node03: `${c.subnet}.13` };
// keepalived's defaults in roles/lvs_director: delay_loop 6, retry 3, delay_before_retry 3, connect_timeout 3.
const CHECK_WINDOW_MS = (6 + 3 * (3 + 3) + 15) * 1000;

const timings: [string, number][] = [];
// Vagrant's upload progress redraws one line thousands of times: keep the last state only.
const T0 = Date.now();
const log = (l: string) => {
  const line = l.split(/\r|\x1b\[K/).filter((x) => x.trim()).pop() ?? '';
  if (line) console.log(`      | +${Math.round((Date.now() - T0) / 1000)}s ${line}`);
};
async function step<T>(name: string, f: () => Promise<T>): Promise<T> {
  const t0 = Date.now();
  try {
    return await f();
  } finally {
    const s = (Date.now() - t0) / 1000;
    timings.push([name, s]);
    console.log(`      [vm timing] ${name}: ${s.toFixed(1)} s`);
  }
}

function missingPrerequisite(): string | undefined {
  if (process.env.LVSPLAY_SKIP_VM === '1') return 'LVSPLAY_SKIP_VM=1';
  if (process.env.LVSPLAY_VM !== '1') return 'opt-in: set LVSPLAY_VM=1 or run test/vm/run.sh (boots 4 VMs, ~10-20 min)';
  if (process.getuid?.() !== 0) return 'needs root';
  for (const cmd of ['qemu-system-x86_64', 'vagrant', 'libvirtd', 'virtlogd', 'virsh', 'debootstrap', 'dnsmasq', 'mkfs.ext4', 'qemu-img']) {
    try {
      execFileSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' });
    } catch {
      return `${cmd} not installed (see test/vm/run.sh for the packages)`;
    }
  }
  if (!existsSync(join(repoRoot, 'dist/cli/lvsplay.js'))) return 'dist/cli/lvsplay.js missing: build first (npm run build)';
  return undefined;
}

/** Hostnames answering through the VIP, one request from each client address. */
async function answers(clients: string[]): Promise<(string | undefined)[]> {
  const out: (string | undefined)[] = [];
  for (const src of clients) out.push(await clientGet(c, src, URL));
  return out;
}

/** Fresh client addresses on the cluster bridge: with persistence_timeout, a new client is a new rr choice. */
let nextClient = 200;
const clients = (n: number) => Array.from({ length: n }, () => `${c.subnet}.${nextClient++}`);
/** The continuous client's address (day2-cases.ts). */
const LOOP_SRC = `${c.subnet}.199`;

describe('vm: vagrant up + lvsplay site.yml on 4 VMs (real IPVS, keepalived failover)', function () {
  this.timeout(30 * 60 * 1000);
  let hosts: Map<string, VagrantSshHost>;
  let bridge = '';
  const on = (name: string, cmd: string) => guest(c, hosts.get(name)!, cmd);
  /** Wait until node01's health check has the real server back in its IPVS table at weight 1 (seen by `lvsplay cluster status`). */
  const restored = async (rs: string, name: string) => {
    const back = await step(name, () =>
      until(CHECK_WINDOW_MS, async () => {
        const e = seenBy((await clusterStatus(c)).s, rs, 'node01');
        return e?.inTable === true && e.httpOk === true && e.tableWeight === 1 ? true : undefined;
      }),
    );
    assert.ok(back.value, `cluster status: ${rs} not back in the IPVS table after ${back.elapsedMs} ms`);
  };

  before(async function () {
    const why = missingPrerequisite();
    if (why) {
      console.log(`      (skipped: ${why})`);
      this.skip();
    }
    mkdirSync(c.binDir, { recursive: true });
    writeFileSync(join(c.binDir, 'lvsplay'), `#!/bin/sh\nexec node ${join(repoRoot, 'dist/cli/lvsplay.js')} "$@"\n`, { mode: 0o755 });
    await step('lab up (netns, libvirtd, repo)', () => labUp(c, log));
    // Development only: LVSPLAY_VM_REUSE=1 runs the scenario on machines already up and provisioned.
    const reuse = process.env.LVSPLAY_VM_REUSE === '1' && (await sshTargets(c).then((m) => m.size === 4, () => false));
    if (reuse) console.log('      (LVSPLAY_VM_REUSE=1: reusing the running machines, not bringing them up)');
    else {
      const stale = await clearStale(c, log);
      if (stale.length) console.log(`      (an earlier run left these behind; destroyed first: ${stale.join(', ')})`);
      await step('box (image build, cached)', () => ensureBox(c, log));
    }
    // What a user types: one `vagrant up` (vagrant-libvirt starts the four machines in parallel);
    // the machine that completes the set runs lvsplay (the Vagrantfile's trigger).
    const ups = reuse ? [] : [await step('vagrant up (4 VMs) + lvsplay site.yml', () => vagrant(c, ['up', '--provider', 'libvirt'], log, 25 * 60 * 1000))];
    if (!reuse) {
      ups.forEach((u) => assert.equal(u.code, 0, `vagrant up failed:\n${u.stderr.slice(-4000)}`));
      assert.equal(ups.filter((u) => /lvsplay: all 4 machines are up/.test(u.stdout)).length, 1, 'lvsplay provisioned once, after the last machine');
    }
    hosts = await sshTargets(c);
    assert.deepEqual([...hosts.keys()].sort(), NODES);
    const info = await run('virsh', ['-c', 'qemu:///system', 'net-info', 'lvsplay-lan']);
    bridge = /Bridge:\s+(\S+)/.exec(info.stdout)?.[1] ?? '';
    assert.ok(bridge, `no bridge for lvsplay-lan: ${info.stdout}${info.stderr}`);
    for (let i = 199; i < 250; i++) await inLab(c, ['ip', 'addr', 'replace', `${c.subnet}.${i}/24`, 'dev', bridge]);
  });

  after(async function () {
    if (missingPrerequisite()) return;
    console.log('      [vm timing] summary:', timings.map(([n, s]) => `${n} ${s.toFixed(1)}s`).join('; '));
  });

  it('node01 holds the VIP and the IPVS table lists both real servers (lvs_sched rr, DR)', async () => {
    const a = await on('node01', `ip -o -4 addr show dev eth1; ipvsadm -Ln`);
    assert.match(a.stdout, new RegExp(`inet ${VIP.replace(/\./g, '\\.')}/24`));
    assert.match(a.stdout, new RegExp(`TCP  ${VIP}:80 rr persistent 50`));
    for (const rip of Object.values(RIP)) assert.match(a.stdout, new RegExp(`-> ${rip}:80\\s+Route`));
    const b = await on('node04', `ip -o -4 addr show dev eth1`);
    assert.doesNotMatch(b.stdout, new RegExp(`inet ${VIP}/`), 'the BACKUP must not hold the VIP');
  });

  it('lvsplay cluster status (--json and the table): node01 MASTER, node04 BACKUP, both IPVS tables from ipvsadm with node02 and node03 at weight 1', async () => {
    const { code, s } = await step('cluster status --json', () => clusterStatus(c));
    const v = vrrp(s);
    assert.equal(v.master, 'node01');
    assert.deepEqual(v.holders, ['node01']);
    assert.deepEqual(v.states, { node01: 'MASTER', node04: 'BACKUP' });
    for (const d of ['node01', 'node04']) {
      const t = s.directors.find((x) => x.host === d)?.ipvs;
      assert.ok(t, `${d}: no IPVS table in the status`);
      assert.deepEqual(t.services.map((sv) => [sv.protocol, sv.addr, sv.scheduler, sv.flags.join(' ')]), [['TCP', `${VIP}:80`, 'rr', 'persistent 50']]);
      const rss = t.services[0].realServers.map((r) => [r.addr, r.forward, r.weight]).sort();
      assert.deepEqual(rss, [[`${RIP.node02}:80`, 'Route', 1], [`${RIP.node03}:80`, 'Route', 1]]);
      for (const rs of ['node02', 'node03']) assert.deepEqual([seenBy(s, rs, d)?.inTable, seenBy(s, rs, d)?.httpOk], [true, true], `${rs} as ${d} sees it`);
    }
    assert.equal(code, 0, `problems: ${JSON.stringify(s.problems)}`);
    const raw = await on('node01', 'ipvsadm -Ln; echo @@; ipvsadm -Ln --stats --exact; echo @@; ipvsadm -Ln --rate --exact');
    console.log(`      node01's ipvsadm listings (-Ln, --stats --exact, --rate --exact):\n${raw.stdout.replace(/^/gm, '        ')}`);
    const tab = await lvsplay(c, ['cluster', 'status', '-i', inventoryOf(c)]);
    console.log(tab.stdout.replace(/^/gm, '        '));
    assert.equal(tab.code, 0, tab.stderr);
    assert.match(tab.stdout, /VIP \S+ held by node01/);
    assert.match(tab.stdout, /node01\s+MASTER\s+100/);
    assert.match(tab.stdout, /node04\s+BACKUP\s+50/);
    assert.match(tab.stdout, new RegExp(`${RIP.node03}:80\\s+Route\\s+1\\s`));
    assert.match(tab.stdout, /no problems found/);
  });

  it('requests to the VIP are answered by node02 and node03 in turn (round robin over new clients)', async () => {
    const got = await step('round robin', () => answers(clients(6)));
    assert.ok(got.every((g) => g === 'node02' || g === 'node03'), `answers: ${got.join(', ')}`);
    for (let i = 1; i < got.length; i++) assert.notEqual(got[i], got[i - 1], `not alternating: ${got.join(', ')}`);
  });

  it("node02's web server stopped: keepalived removes it within delay_loop+retries, node03 answers everything; started: it is back", async () => {
    await on('node02', 'systemctl stop nginx');
    // `lvsplay cluster status` itself shows it: HTTP check failed from node01, out of node01's table.
    const gone = await step('health check removes node02 (seen by cluster status)', () =>
      until(CHECK_WINDOW_MS, async () => {
        const e = seenBy((await clusterStatus(c)).s, 'node02', 'node01');
        return e?.inTable === false && e.httpOk === false ? true : undefined;
      }),
    );
    assert.ok(gone.value, `cluster status: node02 still in the IPVS table (or its HTTP check passing) after ${gone.elapsedMs} ms`);
    assert.doesNotMatch((await on('node01', 'ipvsadm -Ln')).stdout, new RegExp(`${RIP.node02}:80`));
    const got = await answers(clients(4));
    assert.deepEqual(got, ['node03', 'node03', 'node03', 'node03']);
    await on('node02', 'systemctl start nginx');
    await restored('node02', 'health check restores node02 (seen by cluster status)');
    const again = await answers(clients(4));
    assert.ok(again.includes('node02') && again.includes('node03'), `answers: ${again.join(', ')}`);
  });

  day2Cases({ c, url: URL, hosts: () => hosts, clients, answers, step, log, loopSrc: LOOP_SRC });

  it("node03 rebooted by lvsplay's reboot module (a real reboot: new boot id) comes back by itself with the VIP on lo:2, the ARP sysctls and nginx; the health check restores it and it answers; site.yml then changes nothing on it", async () => {
    const bootId = async () => (await on('node03', 'cat /proc/sys/kernel/random/boot_id')).stdout.trim();
    const before = await bootId();
    assert.match(before, /^[0-9a-f-]{36}$/);
    const pb = join(c.dotDir, 'reboot-node03.yml');
    writeFileSync(pb, '- hosts: node03\n  gather_facts: false\n  tasks:\n    - reboot: { msg: lvsplay VM suite, reboot_timeout: 300 }\n      register: r\n    - debug: { msg: "rebooted={{ r.rebooted }} elapsed={{ r.elapsed }}" }\n');
    const r = await step('reboot node03 (reboot module)', () => lvsplay(c, ['-i', inventoryOf(c), pb], log));
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /rebooted=True elapsed=\d+/);
    assert.match(r.stdout, /node03\s+: ok=2\s+changed=1\s+unreachable=0\s+failed=0/);
    const after = await bootId();
    assert.match(after, /^[0-9a-f-]{36}$/);
    assert.notEqual(after, before, 'the boot id did not change: node03 did not reboot');
    assert.match((await on('node03', 'ip -o -4 addr show dev lo')).stdout, new RegExp(`inet ${VIP.replace(/\./g, '\\.')}/32 .*lo:2`));
    assert.equal((await on('node03', 'sysctl -n net.ipv4.conf.all.arp_ignore net.ipv4.conf.all.arp_announce')).stdout.trim().split(/\s+/).join(' '), '1 2');
    assert.equal((await on('node03', 'systemctl is-active nginx')).stdout.trim(), 'active');
    await restored('node03', 'health check restores node03 after its reboot (seen by cluster status)');
    const got = await answers(clients(4));
    assert.ok(got.includes('node03') && got.includes('node02'), `answers after the reboot: ${got.join(', ')}`);
    const again = await step('site.yml after the reboot', () => lvsplay(c, ['-i', inventoryOf(c), 'playbooks/site.yml', '--limit', 'node03'], log));
    assert.equal(again.code, 0, again.stdout + again.stderr);
    assert.match(again.stdout, /node03\s+: ok=\d+\s+changed=0\s+unreachable=0\s+failed=0/, again.stdout);
  });

  it('keepalived stopped on node01: VIP and forwarding move to node04, requests still answered; started: node01 takes over', async () => {
    const vipOn = async (n: string) => (await on(n, 'ip -o -4 addr show dev eth1')).stdout.includes(`inet ${VIP}/`);
    const inPkts = async (n: string) => Number(/TCP\s+\S+:80\s+\d+\s+(\d+)/.exec((await on(n, 'ipvsadm -Ln --stats')).stdout)?.[1] ?? NaN);
    // The kernel refreshes the totals `ipvsadm --stats` shows from its estimator, every 2 s: read
    // the starting value after a refresh, and wait up to 6 s for the requests to show.
    const settledPkts = async (n: string) => {
      await new Promise((r) => setTimeout(r, 2500));
      return inPkts(n);
    };
    const grew = async (n: string, from: number) => (await until(6000, async () => ((await inPkts(n)) > from ? true : undefined), 500)).value === true;
    await on('node01', 'systemctl stop keepalived');
    const moved = await step('failover to node04', () => until(30_000, async () => ((await vipOn('node04')) ? true : undefined), 500));
    assert.ok(moved.value, 'node04 did not take the VIP');
    assert.equal(await vipOn('node01'), false, 'node01 still holds the VIP after keepalived stopped');
    const failed = vrrp((await step('cluster status after failover', () => clusterStatus(c))).s);
    assert.deepEqual([failed.master, failed.holders, failed.states], ['node04', ['node04'], { node01: 'DOWN', node04: 'MASTER' }]);
    const before = await settledPkts('node04');
    const got = await answers(clients(4));
    assert.ok(got.every((g) => g === 'node02' || g === 'node03'), `answers during failover: ${got.join(', ')}`);
    assert.ok(await grew('node04', before), `node04 forwarded nothing (InPkts stayed ${before})`);
    await on('node01', 'systemctl start keepalived');
    const back = await step('preemption back to node01', () => until(30_000, async () => ((await vipOn('node01')) && !(await vipOn('node04')) ? true : undefined), 500));
    assert.ok(back.value, 'node01 did not take the VIP back');
    const again1 = vrrp((await clusterStatus(c)).s);
    assert.deepEqual([again1.master, again1.holders, again1.states], ['node01', ['node01'], { node01: 'MASTER', node04: 'BACKUP' }]);
    const b1 = await settledPkts('node01');
    const again = await answers(clients(4));
    assert.ok(again.every((g) => g === 'node02' || g === 'node03'), `answers after preemption: ${again.join(', ')}`);
    assert.ok(await grew('node01', b1), `node01 forwarded nothing after taking over (InPkts stayed ${b1})`);
  });

  it('vagrant destroy + lab down leave no VM, network, namespace or LIBVIRT_* chain behind', async function () {
    if (process.env.LVSPLAY_VM_KEEP === '1') {
      console.log('      (LVSPLAY_VM_KEEP=1: machines kept for inspection)');
      this.skip();
    }
    const d = await step('vagrant destroy', () => vagrant(c, ['destroy', '-f'], log, 5 * 60 * 1000));
    assert.equal(d.code, 0, d.stderr);
    const doms = await run('virsh', ['-c', 'qemu:///system', 'list', '--all', '--name']);
    assert.equal(doms.stdout.trim(), '', `domains left: ${doms.stdout}`);
    await step('lab down', () => labDown(c, log));
    const ns = await run('ip', ['netns', 'list']);
    assert.doesNotMatch(ns.stdout, new RegExp(`^${c.ns}\\b`, 'm'));
    const links = await run('ip', ['-o', 'link']);
    assert.doesNotMatch(links.stdout, /virbr|vnet\d/, 'libvirt links left in the root namespace');
    for (const t of ['filter', 'nat', 'mangle']) {
      const ipt = await run('iptables', ['-t', t, '-S']);
      assert.doesNotMatch(ipt.stdout, /LIBVIRT_/, `LIBVIRT_* chains left in ${t}`);
    }
    const procs = await run('sh', ['-c', 'pgrep -x libvirtd; pgrep -x virtlogd; pgrep -x qemu-system-x86; true']);
    assert.equal(procs.stdout.trim(), '', `processes left: ${procs.stdout}`);
  });
});
