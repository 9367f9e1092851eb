// Unit tests of `cluster status`'s parsers and model. Fixtures in test/fixtures/cluster:
//  status/*.out — probe outputs RECORDED on the namespace lab (keepalived 2.2.7 --vrrp, no IPVS);
//  status/keepalived-2.2.7-backup.data — keepalived's USR1 text dump, recorded there (password masked);
//  ipvsadm/*.txt — WRITTEN BY HAND from ipvsadm(8)'s documented format (no IPVS in this kernel),
//  except ipvsadm/vm-*.txt: RECORDED on the VM suite's node01 (ipvsadm 1.31, Debian 12 kernel 6.1).
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { mergeIpvs, parseIpvsadm } from '../../src/cluster/ipvsadm.js';
import { parseKeepalivedData, parseKeepalivedJson } from '../../src/cluster/keepalived.js';
import type { ProbeOutput, Topology } from '../../src/cluster/model.js';
import { buildStatus } from '../../src/cluster/problems.js';
import { probeScript, splitSections } from '../../src/cluster/probe.js';
import { colorsFor, renderStatus } from '../../src/cluster/render.js';
import { stalledBackups } from '../../src/cluster/status.js';
import { ROOT } from './clustervars.js';

const FIX = path.join(ROOT, 'test/fixtures/cluster');
const read = (...p: string[]): string => readFileSync(path.join(FIX, ...p), 'utf8');
const topo = (): Topology => JSON.parse(read('status', 'topology.json')) as Topology;
const outputs = (over: Record<string, string> = {}): ProbeOutput[] =>
  ['node01', 'node02', 'node03', 'node04'].map((h) => ({ host: h, ok: true, stdout: over[h] ?? read('status', `${h}.out`) }));
const withIpvs = (out: string, list: string): string => out.replace('@@lvsplay:ipvs@@\nunavailable\n', `@@lvsplay:ipvs@@\n${list}`);
const plain = colorsFor({ isTTY: false }, {});

describe('cluster status: ipvsadm parser (hand-written listings from the documented format)', () => {
  it('reads services, schedulers, flags and real servers of `ipvsadm -Ln`', () => {
    const t = parseIpvsadm(read('ipvsadm', 'list.txt'));
    assert.equal(t.version, '1.2.1');
    assert.deepEqual(t.services.map((s) => [s.protocol, s.addr, s.scheduler, s.flags.join(' ')]), [['TCP', '192.168.150.100:80', 'rr', 'persistent 50'], ['UDP', '192.168.150.100:53', 'wlc', '']]);
    assert.deepEqual(t.services[0].realServers, [
      { addr: '192.168.150.2:80', forward: 'Route', weight: 1, activeConn: 3, inactConn: 12 },
      { addr: '192.168.150.3:80', forward: 'Route', weight: 0, activeConn: 2, inactConn: 7 },
    ]);
  });
  it('merges --stats and --rate by address', () => {
    const t = mergeIpvs(read('ipvsadm', 'list.txt'), read('ipvsadm', 'stats.txt'), read('ipvsadm', 'rate.txt'));
    assert.deepEqual(t.services[0].stats, { conns: 1234, inPkts: 56789, outPkts: 0, inBytes: 4567890, outBytes: 0 });
    assert.deepEqual(t.services[0].realServers[0].rate, { conns: 12, inPkts: 300, outPkts: 0, inBytes: 24000, outBytes: 0 });
    assert.equal(t.services[1].realServers[0].stats?.conns, 10);
  });
  it('reads the K/M suffixes of listings without --exact', () => {
    const t = parseIpvsadm(read('ipvsadm', 'stats-k.txt'), 'stats');
    assert.equal(t.services[0].stats?.inBytes, 4567000);
  });
});

describe('cluster status: ipvsadm parser on listings recorded on a real director (the VM suite)', () => {
  it('reads node01 after site.yml: rr persistent 50, both real servers Route weight 1 (lines padded with trailing blanks)', () => {
    const t = mergeIpvs(read('ipvsadm', 'vm-list.txt'), read('ipvsadm', 'vm-stats.txt'), read('ipvsadm', 'vm-rate.txt'));
    assert.equal(t.version, '1.2.1');
    assert.deepEqual(t.services.map((s) => [s.protocol, s.addr, s.scheduler, s.flags.join(' ')]), [['TCP', '10.160.0.100:80', 'rr', 'persistent 50']]);
    const zero = { conns: 0, inPkts: 0, outPkts: 0, inBytes: 0, outBytes: 0 };
    assert.deepEqual(t.services[0].stats, zero);
    assert.deepEqual(t.services[0].rate, zero);
    assert.deepEqual(t.services[0].realServers, ['10.160.0.12:80', '10.160.0.13:80'].map((addr) => ({ addr, forward: 'Route', weight: 1, activeConn: 0, inactConn: 0, stats: zero, rate: zero })));
  });
  it('reads node01 during `cluster drain node03` with a held connection: weight 0, ActiveConn 1, counters', () => {
    const t = mergeIpvs(read('ipvsadm', 'vm-drain-list.txt'), read('ipvsadm', 'vm-drain-stats.txt'), read('ipvsadm', 'vm-drain-rate.txt'));
    const [n2, n3] = t.services[0].realServers;
    assert.deepEqual([n2.addr, n2.weight, n2.activeConn, n2.inactConn], ['10.160.0.12:80', 1, 0, 972]);
    assert.deepEqual([n3.addr, n3.weight, n3.activeConn, n3.inactConn], ['10.160.0.13:80', 0, 1, 0]);
    assert.deepEqual(t.services[0].stats, { conns: 1575, inPkts: 7209, outPkts: 0, inBytes: 542747, outBytes: 0 });
    assert.deepEqual(n3.rate, { conns: 0, inPkts: 1, outPkts: 0, inBytes: 60, outBytes: 0 });
  });
});

describe("cluster status: keepalived's dumps (recorded from keepalived 2.2.7)", () => {
  it('JSON dump: state, priorities, VIPs, adverts (MASTER and BACKUP)', () => {
    const m = parseKeepalivedJson(splitSections(read('status', 'node01.out')).get('dumpbody')!);
    const b = parseKeepalivedJson(splitSections(read('status', 'node04.out')).get('dumpbody')!);
    assert.deepEqual([m[0].name, m[0].state, m[0].priority, m[0].vrid, m[0].advertInt, m[0].authType, m[0].vips], ['VI_1', 'MASTER', 100, 51, 1, 'PASS', ['10.198.164.100/24']]);
    assert.deepEqual([b[0].state, b[0].priority], ['BACKUP', 50]);
    assert.ok(b[0].advertsReceived! > 0);
  });
  it('text data dump (USR1), the fallback without JSON support', () => {
    const [i] = parseKeepalivedData(read('status', 'keepalived-2.2.7-backup.data'));
    assert.deepEqual([i.name, i.state, i.vrid, i.priority, i.effectivePriority, i.advertInt, i.authType, i.vips, i.masterRouter],
      ['VI_1', 'BACKUP', 51, 50, 50, 1, 'PASS', ['10.198.164.100/24'], '10.198.164.11']);
  });
  it('the probe masks auth_pass on the host (JSON auth_data, text Password, keepalived.conf)', () => {
    const s = probeScript({ director: { conf: '/etc/keepalived/keepalived.conf', checks: [] } });
    assert.match(s, /auth_data/);
    assert.match(s, /auth_pass\\\)\[\[:space:\]\]\.\*\/\\1 \*\*\*/);
    for (const h of ['node01', 'node04']) assert.ok(!/auth_pass (?!\*\*\*)/.test(read('status', `${h}.out`)));
  });
});

describe('cluster status: model and problems', () => {
  it('the recorded healthy lab: node01 MASTER holds the VIP, node04 BACKUP, both real servers answer, exit 0', () => {
    const s = buildStatus(topo(), outputs(), 300);
    assert.deepEqual(s.problems, []);
    assert.equal(s.exitCode, 0);
    assert.equal(s.instances[0].master, 'node01');
    assert.deepEqual(s.instances[0].holders, ['node01']);
    assert.deepEqual(s.instances[0].directors.map((d) => `${d.host} ${d.state} ${d.priority}`), ['node01 MASTER 100', 'node04 BACKUP 50']);
    assert.equal(s.directors[0].ipvsNote, 'IPVS table unavailable on this host (no ip_vs)');
    const text = renderStatus(s, plain);
    assert.match(text, /VIP 10\.198\.164\.100 held by node01/);
    assert.match(text, /node04 +BACKUP +50/);
    assert.match(text, /IPVS table unavailable on this host \(no ip_vs\)/);
    assert.match(text, /no problems found/);
  });
  it('two MASTERs holding the VIP: split brain, exit 2', () => {
    const o = outputs();
    const n4 = o[3].stdout.replace('"state":1', '"state":2').replace('2: eth0    inet 10.198.164.14/24', '2: eth0    inet 10.198.164.100/24 scope global secondary eth0:2\n2: eth0    inet 10.198.164.14/24');
    const s = buildStatus(topo(), outputs({ node04: n4 }), 300);
    assert.equal(s.exitCode, 2);
    assert.ok(s.problems.some((p) => /2 MASTERs \(node01, node04\): split brain/.test(p.message)), JSON.stringify(s.problems));
    assert.ok(s.problems.some((p) => /on node01 and node04: split brain/.test(p.message)));
  });
  it('no MASTER, and an unreachable director: exit 4', () => {
    const o = outputs();
    const s = buildStatus(topo(), [{ host: 'node01', ok: false, error: 'connect ECONNREFUSED', stdout: '' }, ...o.slice(1)], 300);
    assert.equal(s.exitCode, 4);
    assert.ok(s.problems.some((p) => p.host === 'node01' && /unreachable: connect ECONNREFUSED/.test(p.message)));
    assert.ok(s.problems.some((p) => /VI_1: no MASTER/.test(p.message)));
  });
  it('IPVS tables (hand-written listing): a real server that answers HTTP but is out of the table, and weight 0', () => {
    const list = [
      'IP Virtual Server version 1.2.1 (size=4096)', 'Prot LocalAddress:Port Scheduler Flags', '  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn',
      'TCP  10.198.164.100:80 rr persistent 50', '  -> 10.198.164.12:80             Route   0      4          1', '',
    ].join('\n');
    const o = outputs();
    const s = buildStatus(topo(), outputs({ node01: withIpvs(o[0].stdout, list), node04: withIpvs(o[3].stdout, list) }), 300);
    const msgs = s.problems.map((p) => `${p.host}: ${p.message}`);
    assert.ok(msgs.includes("node03: answers HTTP from node01 but is out of node01's IPVS table"), msgs.join('\n'));
    assert.ok(msgs.includes("node02: weight 0 in node01's IPVS table"), msgs.join('\n'));
    assert.equal(s.realServers[0].perDirector.node01.activeConn, 4);
    assert.match(renderStatus(s, plain), /TCP 10\.198\.164\.100:80 +rr persistent 50/);
  });
  it('config on disk differs from the running one (priority changed, not reloaded); lvs_weight 0 in the inventory', () => {
    const o = outputs();
    const n1 = o[0].stdout.replace('    priority 100\n', '    priority 120\n');
    const t = topo();
    t.realServers[1].weight = 0;
    const s = buildStatus(t, outputs({ node01: n1 }), 300);
    const msgs = s.problems.map((p) => `${p.host}: ${p.message}`);
    assert.ok(msgs.includes('node01: keepalived.conf on disk differs from the running config (not reloaded?): vrrp_instance VI_1: priority 100 -> 120'), msgs.join('\n'));
    assert.ok(msgs.some((m) => m.startsWith('node03: lvs_weight 0 (drained)')), msgs.join('\n'));
  });
  it('a real server whose HTTP check fails, and keepalived down on a director', () => {
    const o = outputs();
    const n1 = o[0].stdout.replace(/@@lvsplay:http node02 10\.198\.164\.12:80@@\ncode=200/, '@@lvsplay:http node02 10.198.164.12:80@@\ncode=');
    const n4 = o[3].stdout.replace(/pid=\d+\nfile=\S+\n@@lvsplay:dumpbody@@\n.*\n/, 'pid=\n');
    const s = buildStatus(topo(), outputs({ node01: n1, node04: n4 }), 300);
    const msgs = s.problems.map((p) => `${p.host}: ${p.message}`);
    assert.ok(msgs.includes('node02: HTTP check from node01 fails (no answer)'), msgs.join('\n'));
    assert.ok(msgs.includes('node04: keepalived is not running'), msgs.join('\n'));
    assert.equal(s.instances[0].directors[1].state, 'DOWN');
  });
  it('--watch: a BACKUP whose adverts-received counter stands still for more than 3 advert intervals is flagged', () => {
    const a = buildStatus(topo(), outputs(), 300);
    const b = buildStatus(topo(), outputs(), 300);
    stalledBackups(a, b, 2);
    assert.equal(b.problems.length, 0, 'within 3 advert intervals: nothing');
    stalledBackups(a, b, 5);
    assert.ok(b.problems.some((p) => p.host === 'node04' && /BACKUP received no VRRP advert in the last 5 s/.test(p.message)), JSON.stringify(b.problems));
    assert.equal(b.exitCode, 2);
    const c = buildStatus(topo(), outputs({ node04: read('status', 'node04.out').replace(/"advert_rcvd":(\d+)/, (_m, n: string) => `"advert_rcvd":${Number(n) + 5}`) }), 300);
    stalledBackups(a, c, 5);
    assert.deepEqual(c.problems, [], 'adverts arriving: nothing');
  });
});
