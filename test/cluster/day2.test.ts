// Issue 18 on a fresh namespace lab of its own ('h-cluster2', 4 hosts; root): day-2 operations
// driven through the real CLI. The lab has real keepalived (VRRP) but no IPVS: the IPVS parts (table,
// ActiveConn draining) are proven by the VM suite, not here (see the report in the branch history).
// Steps share the lab and run in order:
//   converge with node03 left out of real_servers -> cluster status (VRRP part, exit 0) ->
//   add node03 (inventory + one run: only the directors' keepalived.conf gains its block, reload) ->
//   failover seen by status -> split-brain guard (--limit node01 after an auth_pass change stops
//   before any change; the full run converges, never two VIP holders) -> rolling-upgrade.yml ->
//   drain/undrain -> --watch.
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { diffLines } from 'diff';
import { labDown } from '../../src/lab/index.js';
import { skipWithoutLab, type TestLab, useLab, LAB_ROOT } from '../helpers/lab.js';
import { ROOT } from './clustervars.js';
import { addrs, eventually, holds, lvsplay, parseEvents, vipPoller } from './labdrive.js';

const LAB = 'h-cluster2';
const LAB_DIR = `${LAB_ROOT}/${LAB}`;
const ns = (h: string): string => `lvsplay-${LAB}-${h}`;
const PLAYBOOK = 'playbooks/site.yml';
const WRITE = 'Write keepalived.conf (checked with keepalived -t on the host before it goes live)';

interface StatusJson {
  durationMs: number;
  exitCode: number;
  instances: { name: string; master?: string; holders: string[]; directors: { host: string; state: string; priority?: number }[] }[];
  directors: { host: string; ipvs: unknown; ipvsNote?: string; keepalived: { source: string } }[];
  realServers: { host: string; weight: number; perDirector: Record<string, { http?: string; httpOk?: boolean; inConf: boolean; confWeight?: number }> }[];
  problems: { severity: string; host?: string; message: string }[];
}

describe('cluster day-2 (issue 18): status, adding a real server, the split-brain guard, drain (root, namespace lab h-cluster2)', function () {
  this.timeout(600_000);
  let lab: TestLab | undefined;
  let tmp = '';
  let vip = '';
  const inv = (): string => join(tmp, 'inventory.ini');
  const onHost = async (h: string, cmd: string): Promise<string> => {
    const r = await lvsplay(LAB_DIR, ['lab', 'ssh', h, '--', cmd]);
    assert.equal(r.code, 0, `lab ssh ${h} -- ${cmd}: exit ${r.code}\n${r.stderr}`);
    return r.stdout;
  };
  const status = async (...extra: string[]): Promise<{ code: number; s: StatusJson; ms: number }> => {
    const t0 = Date.now();
    const r = await lvsplay(LAB_DIR, ['cluster', 'status', '-i', inv(), '--json', ...extra]);
    const ms = Date.now() - t0;
    assert.ok(r.stdout.startsWith('{'), `status --json printed JSON (exit ${r.code}):\n${r.stdout}${r.stderr}`);
    return { code: r.code, s: JSON.parse(r.stdout) as StatusJson, ms };
  };
  const vipOn = async (h: string): Promise<boolean> => holds(await addrs(ns(h), 'eth0'), vip);
  const vipOnNode01Only = async (): Promise<boolean> => (await vipOn('node01')) && !(await vipOn('node04'));
  /** The lab inventory with node03 moved from real_servers to a group of its own. */
  const writeInventory = (node03IsRealServer: boolean): void => {
    const text = readFileSync(lab!.inventory, 'utf8');
    const n3 = text.split('\n').find((l) => l.startsWith('node03 '))!;
    const rest = text.split('\n').filter((l) => l !== n3).join('\n');
    writeFileSync(inv(), node03IsRealServer ? text : `${rest.replace('[real_servers]\n', `[spare]\n${n3}\n\n[real_servers]\n`)}`);
  };

  before(async function () {
    skipWithoutLab(this, undefined, '      ');
    await labDown({ dir: LAB_DIR, log: () => undefined });
    lab = await useLab(LAB, { hosts: 4 });
    vip = /^lvs_vip=(\S+)$/m.exec(readFileSync(lab.inventory, 'utf8'))![1];
    tmp = mkdtempSync(join(tmpdir(), 'lvsplay-day2-'));
    writeInventory(false);
  });

  after(async () => {
    if (tmp) rmSync(tmp, { recursive: true, force: true });
    await lab?.down();
  });

  it('converges with node03 left out of real_servers (the directors balance to node02 only)', async () => {
    const r = await lvsplay(LAB_DIR, ['-i', inv(), PLAYBOOK]);
    assert.equal(r.code, 0, `site.yml exit ${r.code}:\n${r.stdout.slice(-4000)}${r.stderr}`);
    const conf = await onHost('node01', 'cat /etc/keepalived/keepalived.conf');
    assert.equal((conf.match(/real_server /g) ?? []).length, 1);
    assert.ok(await eventually(vipOnNode01Only, 10_000), 'the VIP settles on node01 only');
  });

  it('cluster status: node01 MASTER holds the VIP, node04 BACKUP, IPVS unavailable (no ip_vs), node02 answers HTTP from both directors; exit 0', async () => {
    const { code, s, ms } = await status();
    console.log(`      cluster status, 3 hosts probed: ${s.durationMs} ms probing, ${ms} ms for the whole command`);
    assert.deepEqual(s.problems, []);
    assert.equal(code, 0);
    const i = s.instances[0];
    assert.equal(i.name, 'VI_1');
    assert.equal(i.master, 'node01');
    assert.deepEqual(i.holders, ['node01']);
    assert.deepEqual(i.directors.map((d) => `${d.host} ${d.state} ${d.priority}`), ['node01 MASTER 100', 'node04 BACKUP 50']);
    for (const d of s.directors) {
      assert.equal(d.ipvs, null);
      assert.equal(d.ipvsNote, 'IPVS table unavailable on this host (no ip_vs)');
      assert.equal(d.keepalived.source, 'json', "keepalived's own JSON dump is the source");
    }
    assert.deepEqual(s.realServers.map((r) => [r.host, r.perDirector.node01.http, r.perDirector.node04.http]), [['node02', '200', '200']]);
    const text = await lvsplay(LAB_DIR, ['cluster', 'status', '-i', inv()]);
    assert.equal(text.code, 0);
    assert.match(text.stdout, new RegExp(`VIP ${vip.replace(/\./g, '\\.')} held by node01`));
    assert.match(text.stdout, /IPVS table unavailable on this host \(no ip_vs\)/);
    assert.doesNotMatch(text.stdout, /\x1b\[/, 'no colours into a pipe');
  });

  it("adding a real server: node03 into real_servers + one run — the directors' keepalived.conf gains exactly its block, keepalived reloaded (pid unchanged), nothing else changes", async () => {
    const before = { node01: await onHost('node01', 'cat /etc/keepalived/keepalived.conf'), node04: await onHost('node04', 'cat /etc/keepalived/keepalived.conf') };
    const pids = { node01: (await onHost('node01', 'cat /run/keepalived.pid')).trim(), node04: (await onHost('node04', 'cat /run/keepalived.pid')).trim() };
    writeInventory(true);
    const poller = vipPoller(ns('node01'), ns('node04'), vip, 'eth0', 50);
    const r = await lvsplay(LAB_DIR, ['-i', inv(), '--json', PLAYBOOK]);
    await new Promise((res) => setTimeout(res, 1500));
    await poller.stop();
    assert.equal(r.code, 0, `exit ${r.code}:\n${r.stdout.slice(-3000)}${r.stderr}`);
    const events = parseEvents(r.stdout);
    const dirChanged = events
      .filter((e) => e.type === 'host_result' && e.status === 'changed' && (e.host === 'node01' || e.host === 'node04'))
      .map((e) => `${e.host}: ${String(e.task).replace(/^.* : /, '')}`)
      .sort();
    assert.deepEqual(dirChanged, ['node01: reload keepalived', `node01: ${WRITE}`, 'node04: reload keepalived', `node04: ${WRITE}`].sort());
    const recap = events.find((e) => e.type === 'recap') as { hosts: Record<string, { changed: number; failed: number }> };
    const changed = Object.fromEntries(Object.entries(recap.hosts).map(([h, c]) => [h, c.changed]));
    console.log(`      changed counts: ${JSON.stringify(changed)}`);
    assert.equal(changed.node01, 2);
    assert.equal(changed.node04, 2);
    assert.equal(changed.node02, 0);
    assert.ok(changed.node03 > 0, 'node03 is set up as a real server in the same run');
    const n3 = lab!.hosts.find((h) => h.name === 'node03')!.addr;
    for (const d of ['node01', 'node04'] as const) {
      const after = await onHost(d, 'cat /etc/keepalived/keepalived.conf');
      const parts = diffLines(before[d], after);
      assert.deepEqual(parts.filter((p) => p.removed), [], `${d}: nothing removed`);
      const added = parts.filter((p) => p.added).map((p) => p.value).join('');
      assert.equal(added, [
        '', `    real_server ${n3} 80 {`, '        weight 1', '        HTTP_GET {', '            url {', '                path /', '                status_code 200',
        '            }', '            connect_timeout 3', '            retry 3', '            delay_before_retry 3', '        }', '    }', ''].join('\n'), `${d}: exactly node03's block was added`);
      assert.equal((await onHost(d, 'cat /run/keepalived.pid')).trim(), pids[d], `${d}: keepalived reloaded, not restarted`);
    }
    assert.deepEqual(poller.errors, []);
    assert.deepEqual(poller.samples.filter((s) => !s.master || s.backup), [], 'the VIP stayed on node01 only');
    const { code, s, ms } = await status();
    console.log(`      cluster status, 4 hosts probed: ${s.durationMs} ms probing, ${ms} ms for the whole command`);
    assert.equal(code, 0, JSON.stringify(s.problems));
    assert.deepEqual(s.realServers.map((x) => x.host), ['node02', 'node03']);
  });

  it('status sees a failover: keepalived stopped on node01 -> node04 MASTER holding the VIP, node01 DOWN (exit 2); started -> node01 MASTER again (exit 0)', async () => {
    const { prober } = await import('../../src/cluster/status.js');
    const { clusterInventory } = await import('../../src/cluster/topology.js');
    const p = prober(await clusterInventory(inv()));
    try {
      const t0 = Date.now();
      await onHost('node01', 'service keepalived stop </dev/null >/dev/null 2>&1');
      let seen: number | undefined;
      let last;
      while (Date.now() - t0 < 20_000) {
        last = await p.probe();
        const i = last.instances[0];
        if (i.master === 'node04' && i.holders.join() === 'node04') {
          seen = Date.now() - t0;
          break;
        }
      }
      console.log(`      failover seen by status ${seen} ms after 'service keepalived stop' on node01`);
      assert.ok(seen !== undefined, `status never showed node04 MASTER: ${JSON.stringify(last?.instances)}`);
      assert.equal(last!.instances[0].directors.find((d) => d.host === 'node01')!.state, 'DOWN');
      assert.ok(last!.problems.some((x) => x.host === 'node01' && x.message === 'keepalived is not running'));
      assert.equal(last!.exitCode, 2);
      await eventually(async () => (await onHost('node01', 'pidof keepalived >/dev/null && echo up || echo gone')).includes('gone'), 10_000);
      const t1 = Date.now();
      await onHost('node01', 'service keepalived start </dev/null >/dev/null 2>&1');
      let back: number | undefined;
      while (Date.now() - t1 < 20_000) {
        last = await p.probe();
        if (last.instances[0].master === 'node01' && last.instances[0].holders.join() === 'node01' && last.exitCode === 0) {
          back = Date.now() - t1;
          break;
        }
      }
      console.log(`      return seen by status ${back} ms after 'service keepalived start' on node01`);
      assert.ok(back !== undefined, `status never showed node01 MASTER again: ${JSON.stringify(last?.problems)}`);
    } finally {
      await p.close();
    }
  });

  it('split-brain guard: auth_pass changed, --limit node01 -> stopped before any change (exit 2, clear message); rolling-upgrade.yml (serial) stopped too; the VIP on node01 only', async () => {
    mkdirSync(join(tmp, 'group_vars'), { recursive: true });
    writeFileSync(join(tmp, 'group_vars', 'directors.yml'), 'keepalived_auth_pass: Rotated1\n');
    const confs = { node01: await onHost('node01', 'cat /etc/keepalived/keepalived.conf'), node04: await onHost('node04', 'cat /etc/keepalived/keepalived.conf') };
    const poller = vipPoller(ns('node01'), ns('node04'), vip, 'eth0', 50);
    const r = await lvsplay(LAB_DIR, ['-i', inv(), '--limit', 'node01', PLAYBOOK]);
    assert.equal(r.code, 2, `exit ${r.code}:\n${r.stdout.slice(-3000)}`);
    assert.match(r.stdout, /Directors must agree on each vrrp_instance's name, virtual_router_id, advert_int, auth_pass\s+and VIPs/);
    assert.match(r.stdout, /node04 \(outside this run\) has VI_1 virtual_router_id=51 advert_int=1 auth_pass=none vips=\S+; on disk/);
    assert.match(r.stdout, /-e lvsplay_allow_director_mismatch=true/);
    assert.doesNotMatch(r.stdout, /Rotated1/, 'the password is never printed');
    assert.doesNotMatch(r.stdout, /TASK \[lvs_director : Write keepalived\.conf/, 'no task after the guard ran');
    // a rolling run (serial: 1) cannot roll out a shared setting either: the guard runs per batch
    const roll = await lvsplay(LAB_DIR, ['-i', inv(), 'playbooks/rolling-upgrade.yml']);
    await poller.stop();
    assert.equal(roll.code, 2, `rolling-upgrade exit ${roll.code}:\n${roll.stdout.slice(-3000)}`);
    assert.match(roll.stdout, /node01 \(outside this run\) has VI_1 virtual_router_id=51 advert_int=1 auth_pass=none/);
    assert.doesNotMatch(roll.stdout, /TASK \[Stop keepalived/);
    for (const d of ['node01', 'node04'] as const) assert.equal(await onHost(d, 'cat /etc/keepalived/keepalived.conf'), confs[d], `${d}: keepalived.conf unchanged`);
    assert.deepEqual(poller.samples.filter((s) => !s.master || s.backup), [], 'the VIP stayed on node01 only');
  });

  it('split-brain guard: forced with -e lvsplay_allow_director_mismatch=true in --check, the run goes past the guard', async () => {
    const r = await lvsplay(LAB_DIR, ['-i', inv(), '--limit', 'node01', '--check', '-e', 'lvsplay_allow_director_mismatch=true', PLAYBOOK]);
    assert.equal(r.code, 0, `exit ${r.code}:\n${r.stdout.slice(-3000)}`);
    assert.match(r.stdout, /changed: \[node01\]/);
  });

  it('split-brain guard: the same change without --limit converges both directors, never two VIP holders', async () => {
    const poller = vipPoller(ns('node01'), ns('node04'), vip, 'eth0', 50);
    const r = await lvsplay(LAB_DIR, ['-i', inv(), PLAYBOOK]);
    await new Promise((res) => setTimeout(res, 5000)); // longer than the BACKUP's master-down timer (3 adverts + skew)
    await poller.stop();
    assert.equal(r.code, 0, `exit ${r.code}:\n${r.stdout.slice(-3000)}${r.stderr}`);
    const both = poller.samples.filter((s) => s.both);
    console.log(`      VIP polled ${poller.samples.length} times: on both ${both.length}, on node01 only ${poller.samples.filter((s) => s.master && !s.backup).length}`);
    assert.deepEqual(poller.errors, []);
    assert.deepEqual(both, [], 'never two VIP holders');
    for (const d of ['node01', 'node04']) assert.match(await onHost(d, 'cat /etc/keepalived/keepalived.conf'), /auth_pass Rotated1/);
    const { code, s } = await status();
    assert.equal(code, 0, JSON.stringify(s.problems));
    // and now --limit node01 passes the guard (node04 has the same settings on disk)
    const again = await lvsplay(LAB_DIR, ['-i', inv(), '--limit', 'node01', PLAYBOOK]);
    assert.equal(again.code, 0, again.stdout.slice(-2000));
  });

  it('rolling-upgrade.yml: the BACKUP first, then the MASTER hands the VIP over and takes it back; never two VIP holders, the longest gap reported', async () => {
    const poller = vipPoller(ns('node01'), ns('node04'), vip, 'eth0', 50);
    const r = await lvsplay(LAB_DIR, ['-i', inv(), '--json', 'playbooks/rolling-upgrade.yml']);
    await poller.stop();
    assert.equal(r.code, 0, `exit ${r.code}:\n${r.stdout.slice(-3000)}${r.stderr}`);
    const events = parseEvents(r.stdout).filter((e) => e.type === 'host_result');
    const at = (host: string, task: RegExp): number => events.findIndex((e) => e.host === host && task.test(String(e.task)));
    assert.ok(at('node04', /Verify keepalived is really running/) >= 0 && at('node04', /Verify keepalived/) < at('node01', /Stop keepalived/), 'node04 (BACKUP) is done before node01 stops');
    assert.ok(at('node01', /Wait until the BACKUP holds the VIP/) < at('node01', /Start keepalived/), 'node01 waits for node04 to hold the VIP');
    assert.ok(at('node01', /Wait until the VIP is back/) >= 0);
    const both = poller.samples.filter((x) => x.both);
    let gap = 0;
    let start: number | undefined;
    for (const x of poller.samples) {
      if (!x.master && !x.backup) start ??= x.t;
      else if (start !== undefined) {
        gap = Math.max(gap, x.t - start);
        start = undefined;
      }
    }
    const onBackup = poller.samples.filter((x) => x.backup && !x.master).length;
    console.log(`      VIP polled ${poller.samples.length} times: on node04 only ${onBackup}, on both ${both.length}, longest time on neither ${gap} ms (VRRP: the BACKUP waits its skew time after the priority-0 advert)`);
    assert.deepEqual(poller.errors, []);
    assert.deepEqual(both, [], 'never two VIP holders');
    assert.ok(onBackup > 0, 'the VIP was on node04 while node01 was upgraded');
    assert.ok(gap <= 2000, `the VIP was on neither director for ${gap} ms`);
    assert.ok(await vipOnNode01Only(), 'the VIP is back on node01');
  });

  it('drain node03: host_vars/node03.yml lvs_weight 0, weight 0 in both directors\' keepalived.conf (reload: pid unchanged), no waiting without IPVS; status flags it; undrain restores', async () => {
    const pid = (await onHost('node01', 'cat /run/keepalived.pid')).trim();
    const r = await lvsplay(LAB_DIR, ['cluster', 'drain', 'node03', '-i', inv(), '--timeout', '30']);
    assert.equal(r.code, 0, `drain exit ${r.code}:\n${r.stdout}${r.stderr}`);
    const file = join(tmp, 'host_vars', 'node03.yml');
    assert.match(r.stdout, new RegExp(`drain: wrote ${file.replace(/[/.]/g, '\\$&')}: lvs_weight: 0 \\(was unset; kept in lvsplay_undrain_weight for undrain\\)`));
    assert.equal(readFileSync(file, 'utf8'), 'lvsplay_undrain_weight: null\nlvs_weight: 0\n');
    assert.match(r.stdout, /IPVS table unavailable on this host \(no ip_vs\), not waiting/);
    assert.doesNotMatch(r.stdout, /restart keepalived/);
    const n3 = lab!.hosts.find((h) => h.name === 'node03')!.addr;
    for (const d of ['node01', 'node04']) assert.match(await onHost(d, 'cat /etc/keepalived/keepalived.conf'), new RegExp(`real_server ${n3.replace(/\./g, '\\.')} 80 \\{\\n\\s+weight 0\\n`));
    assert.equal((await onHost('node01', 'cat /run/keepalived.pid')).trim(), pid, 'reloaded, not restarted');
    const { code, s } = await status();
    assert.equal(code, 2);
    assert.ok(s.problems.some((p) => p.host === 'node03' && p.message.startsWith('lvs_weight 0 (drained)')), JSON.stringify(s.problems));
    // the next site.yml run keeps the weight
    const site = await lvsplay(LAB_DIR, ['-i', inv(), PLAYBOOK]);
    assert.equal(site.code, 0);
    assert.match(await onHost('node04', 'cat /etc/keepalived/keepalived.conf'), /weight 0/);

    const u = await lvsplay(LAB_DIR, ['cluster', 'undrain', 'node03', '-i', inv()]);
    assert.equal(u.code, 0, `undrain exit ${u.code}:\n${u.stdout}${u.stderr}`);
    assert.ok(!existsSync(file), 'the host_vars file drain created is gone');
    for (const d of ['node01', 'node04']) assert.doesNotMatch(await onHost(d, 'cat /etc/keepalived/keepalived.conf'), /weight 0/);
    assert.equal((await status()).code, 0);
  });

  it('status: an unreachable host (closed ssh port) -> exit 4, the others still shown', async () => {
    const text = readFileSync(inv(), 'utf8').replace('[real_servers]\n', `[real_servers]\nnode09 ansible_host=${lab!.hosts[0].addr} ansible_port=1 ansible_user=root\n`);
    const bad = join(tmp, 'unreachable.ini');
    writeFileSync(bad, text);
    const r = await lvsplay(LAB_DIR, ['cluster', 'status', '-i', bad, '--json']);
    assert.equal(r.code, 4, r.stdout + r.stderr);
    const s = JSON.parse(r.stdout) as StatusJson;
    assert.ok(s.problems.some((p) => p.host === 'node09' && p.message.startsWith('unreachable: ')), JSON.stringify(s.problems));
    assert.equal(s.instances[0].master, 'node01');
  });

  it('status --watch refreshes until Ctrl-C, then exits 0', async () => {
    const child = spawn(process.execPath, ['dist/cli/lvsplay.js', 'cluster', 'status', '-i', inv(), '--watch', '--interval', '0.3'], { cwd: ROOT, env: { ...process.env, LVSPLAY_LAB_DIR: LAB_DIR, NO_COLOR: '1' } });
    let out = '';
    child.stdout.on('data', (d) => (out += String(d)));
    const ok = await eventually(async () => (out.match(/^cluster status /gm) ?? []).length >= 2, 15_000);
    child.kill('SIGINT');
    const code = await new Promise<number | null>((res) => child.on('close', res));
    assert.ok(ok, `two refreshes:\n${out}`);
    assert.equal(code, 0);
  });
});
