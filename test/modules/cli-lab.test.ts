// Issue 4's "Done when", through the real CLI like a user (`node dist/cli/lvsplay.js -i <lab inventory>
// playbook.yml`) on a fresh 3-host namespace lab ("modules", 10.154.0.0/24): every module converges,
// the second run changes nothing, --check / --diff, exec channels per host (recap event of --json),
// sshd killed mid-run -> UNREACHABLE + exit 4, a wrong host key stops only that host, module warnings.
// The steps share one lab and run in order.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, readlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { labDown, readState, sshArgs } from '../../src/lab/index.js';
import type { RecapCounts, RunEvent } from '../../src/types.js';
import { skipWithoutLab, useLab, type TestLab } from '../helpers/lab.js';
import { holdLab } from './lablock.js';
import { PLAYBOOK, REMOTE_TASKS, TEMPLATE } from './cli-lab-playbook.js';
import { unwrapped } from '../helpers/warnings.js';

const CLI = resolve(dirname(fileURLToPath(import.meta.url)), '../../cli/lvsplay.js');
const LAB_DIR = '/var/lib/lvsplay/labs/modules';
const SUBNET = '10.154.0.0/24';

interface Run {
  rc: number | null;
  out: string;
  err: string;
}

/** `lvsplay ARGS...` in DIR, as a user runs it (no colours). */
function lvsplay(cwd: string, args: string[]): Promise<Run> {
  return new Promise((res) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd, env: { ...process.env, NO_COLOR: '1', LVSPLAY_LAB_DIR: LAB_DIR } });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('close', (rc) => res({ rc, out, err }));
  });
}

/** PLAY RECAP lines -> counts per host. */
function recap(out: string): Record<string, Record<string, number>> {
  const i = out.lastIndexOf('PLAY RECAP');
  assert.ok(i >= 0, `no PLAY RECAP in:\n${out}`);
  const hosts: Record<string, Record<string, number>> = {};
  for (const line of out.slice(i).split('\n').slice(1)) {
    const m = /^(\S+)\s+:\s+(.*)$/.exec(line);
    if (!m) continue;
    hosts[m[1]] = Object.fromEntries([...m[2].matchAll(/(\w+)=(\d+)/g)].map((x) => [x[1], Number(x[2])]));
  }
  return hosts;
}

/** The output of one task (from its TASK banner to the next banner). */
function section(out: string, task: string): string {
  const i = out.indexOf(`TASK [${task}]`);
  assert.ok(i >= 0, `no task '${task}' in:\n${out}`);
  const j = out.indexOf('\n\n', out.indexOf('\n', i) + 1);
  return out.slice(i, j < 0 ? undefined : j);
}

function events(out: string): RunEvent[] {
  return out
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as RunEvent);
}

function recapEvent(evs: RunEvent[]): { hosts: Record<string, RecapCounts>; execs: Record<string, number> } {
  const r = evs.find((e): e is Extract<RunEvent, { type: 'recap' }> => e.type === 'recap');
  assert.ok(r, 'a recap event');
  assert.ok(r.execs, 'the recap event has exec counts per host');
  return { hosts: r.hosts, execs: r.execs };
}

describe(`modules through the real CLI on a fresh lab ("modules", ${SUBNET}; needs root and the lab rootfs)`, function () {
  this.timeout(600_000);
  let lab: TestLab | undefined;
  let inv: string;
  const dir = mkdtempSync(join(tmpdir(), 'lvsplay-clilab-'));
  let firstRun: Run | undefined;
  let release: (() => void) | undefined;

  /** A command on a lab host over the lab's ssh (stdout, trimmed). */
  function onHost(node: string, cmd: string): string {
    const r = spawnSync('ssh', sshArgs(LAB_DIR, node, [cmd]), { encoding: 'utf8' });
    assert.equal(r.status, 0, `ssh ${node} ${cmd}: ${r.stderr}`);
    return r.stdout.trim();
  }

  before(async function () {
    skipWithoutLab(this, undefined, '      ');
    this.timeout(1_200_000);
    release = await holdLab(LAB_DIR, 900_000, (m) => console.log(`      ${m}`)); // lab.test.ts uses it too
    // a fresh lab: the first run must really converge hosts, not find them done by another test
    if (readState(LAB_DIR)) await labDown({ dir: LAB_DIR, log: () => undefined });
    lab = await useLab('modules', { hosts: 3, subnet: SUBNET });
    inv = lab.inventory;
    writeFileSync(join(dir, 'site.yml'), PLAYBOOK);
    writeFileSync(join(dir, 'keepalived.conf.j2'), TEMPLATE);
    writeFileSync(join(dir, 'facts.yml'), '- hosts: all\n  gather_facts: true\n  tasks: []\n');
  });

  after(async () => {
    // sshd of node03 was killed: take this lab down (the next run starts a fresh one anyway)
    if (lab) await labDown({ dir: LAB_DIR, log: () => undefined });
    release?.();
  });

  it('1a. a playbook using every module converges the fresh hosts (exit 0, changes on every host)', async () => {
    const r = await lvsplay(dir, ['-i', inv, 'site.yml']);
    firstRun = r;
    assert.equal(r.rc, 0, `${r.out}\n${r.err}`);
    const rc = recap(r.out);
    assert.deepEqual(Object.keys(rc).sort(), ['node01', 'node02', 'node03']);
    for (const [h, c] of Object.entries(rc)) {
      assert.equal(c.failed, 0, h);
      assert.equal(c.unreachable, 0, h);
    }
    // what a fresh host lacks (keepalived may come up started and enabled by its package)
    for (const t of ['sysctl: arp_ignore', 'ip_address: the VIP on lo', 'apt: keepalived', 'template: keepalived.conf, validated', 'lineinfile: keepalived options', 'file: web root', 'copy: the page', 'shell: busybox httpd on :8080']) {
      for (const h of ['node01', 'node02', 'node03']) assert.match(section(r.out, t), new RegExp(`^changed: \\[${h}\\]$`, 'm'), `${t} changed ${h}`);
    }
    assert.match(section(r.out, 'package: procps (already there)'), /^ok: \[node01\]$/m);
    for (const h of ['node01', 'node02', 'node03']) {
      assert.equal(onHost(h, 'sysctl -n net.ipv4.conf.all.arp_ignore'), '1');
      assert.equal(onHost(h, 'cat /etc/sysctl.d/60-lvs.conf'), 'net.ipv4.conf.all.arp_ignore=1');
      assert.match(onHost(h, 'ip -o addr show dev lo'), /inet 10\.154\.0\.100\/32 .* lo:2/);
      assert.match(onHost(h, "dpkg-query -W -f='${Status}' keepalived"), /install ok installed/);
      assert.match(onHost(h, 'cat /etc/keepalived/keepalived.conf'), new RegExp(`router_id ${h}\\b`));
      assert.equal(onHost(h, 'stat -c "%a %U" /etc/keepalived/keepalived.conf /srv/lvs/www /srv/lvs/www/index.html'), '640 root\n750 root\n644 www-data');
      assert.equal(onHost(h, 'grep ^DAEMON_ARGS= /etc/default/keepalived'), 'DAEMON_ARGS="-D"');
      assert.match(onHost(h, 'pidof keepalived || echo none'), /^\d+/);
      assert.match(onHost(h, 'ls /etc/rc2.d/'), /S\d\dkeepalived/);
    }
    assert.match(r.out, /TASK \[uri: the page through busybox httpd\][\s\S]*?ok: \[node01\]/);
  });

  it('1b. the second run reports changed=0 on every host', async () => {
    const r = await lvsplay(dir, ['-i', inv, 'site.yml']);
    assert.equal(r.rc, 0, `${r.out}\n${r.err}`);
    const rc = recap(r.out);
    for (const h of ['node01', 'node02', 'node03']) {
      assert.equal(rc[h]?.changed, 0, `${h}: ${JSON.stringify(rc[h])}\n${r.out}`);
      assert.equal(rc[h].ok, REMOTE_TASKS + 1, `${h}: every task ok (+ facts)`);
    }
  });

  it('1c. --check --diff on a host with a pending change: reports changed=1 and the diff, changes nothing there', async () => {
    onHost('node01', 'sysctl -qw net.ipv4.conf.all.arp_ignore=0 && echo net.ipv4.conf.all.arp_ignore=0 > /etc/sysctl.d/60-lvs.conf');
    const r = await lvsplay(dir, ['-i', inv, '--check', '--diff', 'site.yml']);
    assert.equal(r.rc, 0, `${r.out}\n${r.err}`);
    const rc = recap(r.out);
    assert.equal(rc.node01.changed, 1, r.out);
    assert.equal(rc.node02.changed, 0, r.out);
    assert.equal(rc.node03.changed, 0, r.out);
    assert.match(r.out, /TASK \[sysctl: arp_ignore\][\s\S]*?changed: \[node01\]/);
    assert.match(r.out, /^-net\.ipv4\.conf\.all\.arp_ignore=0$/m);
    assert.match(r.out, /^\+net\.ipv4\.conf\.all\.arp_ignore=1$/m);
    assert.match(r.out, /^--- before: \/etc\/sysctl\.d\/60-lvs\.conf$/m);
    // nothing changed on the host
    assert.equal(onHost('node01', 'sysctl -n net.ipv4.conf.all.arp_ignore'), '0');
    assert.equal(onHost('node01', 'cat /etc/sysctl.d/60-lvs.conf'), 'net.ipv4.conf.all.arp_ignore=0');
  });

  it('1d. --diff without --check applies the pending change and shows it', async () => {
    const r = await lvsplay(dir, ['-i', inv, '--diff', 'site.yml']);
    assert.equal(r.rc, 0, `${r.out}\n${r.err}`);
    assert.equal(recap(r.out).node01.changed, 1, r.out);
    assert.match(r.out, /^\+net\.ipv4\.conf\.all\.arp_ignore=1$/m);
    assert.equal(onHost('node01', 'sysctl -n net.ipv4.conf.all.arp_ignore'), '1');
    assert.equal(onHost('node01', 'cat /etc/sysctl.d/60-lvs.conf'), 'net.ipv4.conf.all.arp_ignore=1');
  });

  // Exec channels (round trips) per host, from the recap event of --json.
  it('2a. gathering facts costs 1 exec per host', async () => {
    const r = await lvsplay(dir, ['-i', inv, '--json', 'facts.yml']);
    assert.equal(r.rc, 0, r.err);
    const { execs } = recapEvent(events(r.out));
    assert.deepEqual(execs, { node01: 1, node02: 1, node03: 1 });
  });

  it(`2b. converged: every unchanged task costs at most 1 exec per host (facts + ${REMOTE_TASKS} tasks)`, async () => {
    const r = await lvsplay(dir, ['-i', inv, '--json', 'site.yml']);
    assert.equal(r.rc, 0, r.err);
    const evs = events(r.out);
    const { hosts, execs } = recapEvent(evs);
    console.log(`      execs per host: ${JSON.stringify(execs)}`);
    for (const h of ['node01', 'node02', 'node03']) {
      assert.equal(hosts[h].changed, 0, h);
      assert.ok(execs[h] <= 1 + REMOTE_TASKS, `${h}: ${execs[h]} execs > 1 (facts) + ${REMOTE_TASKS} (1 per unchanged task)`);
      // every task needs at least one round trip to know the host's state: the total is then exactly 1 per task
      assert.equal(execs[h], 1 + REMOTE_TASKS, h);
    }
  });

  it('2c. one pending change: the changed task costs at most 2 execs, the others still at most 1', async () => {
    onHost('node02', 'echo stale > /srv/lvs/www/index.html');
    const r = await lvsplay(dir, ['-i', inv, '--json', 'site.yml']);
    assert.equal(r.rc, 0, r.err);
    const evs = events(r.out);
    const { hosts, execs } = recapEvent(evs);
    console.log(`      execs per host: ${JSON.stringify(execs)}`);
    const changed = evs.filter((e) => e.type === 'host_result' && e.status === 'changed').map((e) => e.type === 'host_result' && `${e.host} ${e.task}`);
    assert.deepEqual(changed, ['node02 copy: the page']);
    assert.equal(hosts.node02.changed, 1);
    assert.ok(execs.node02 <= 1 + REMOTE_TASKS + 1, `node02: ${execs.node02} execs > 1 + ${REMOTE_TASKS} + 1 (the changed task: 2)`);
    for (const h of ['node01', 'node03']) assert.equal(execs[h], 1 + REMOTE_TASKS, h);
    // the changed task needs a probe and an apply: exactly 2, as every other task needs at least 1
    assert.equal(execs.node02, 1 + REMOTE_TASKS + 1);
    assert.equal(onHost('node02', 'cat /srv/lvs/www/index.html'), 'ok from node02');
  });

  it("3a. a wrong host key for node02 stops node02 with a message naming it and the mismatch; the others finish (exit 4)", async () => {
    // a copy of the lab's known_hosts where node02 has node01's key, and an inventory using it
    const kh = readFileSync(`${LAB_DIR}/known_hosts`, 'utf8').split('\n');
    const key01 = kh.find((l) => l.startsWith('node01,'))!.split(' ').slice(1).join(' ');
    const bad = kh.map((l) => (l.startsWith('node02,') ? `${l.split(' ')[0]} ${key01}` : l)).join('\n');
    assert.notEqual(bad, kh.join('\n'));
    writeFileSync(join(dir, 'known_hosts'), bad);
    writeFileSync(join(dir, 'bad-key.ini'), readFileSync(inv, 'utf8').replaceAll(`${LAB_DIR}/known_hosts`, join(dir, 'known_hosts')));
    writeFileSync(join(dir, 'hello.yml'), '- hosts: all\n  gather_facts: false\n  tasks:\n    - name: hello\n      command: hostname\n    - name: again\n      command: hostname\n');
    const r = await lvsplay(dir, ['-i', 'bad-key.ini', 'hello.yml']);
    assert.equal(r.rc, 4, `${r.out}\n${r.err}`);
    const line = r.out.split('\n').find((l) => l.startsWith('fatal: [node02]'));
    assert.ok(line, r.out);
    console.log(`      ${line}`);
    assert.match(line, /UNREACHABLE!/);
    assert.match(line, /node02/);
    assert.match(line, /host key/i);
    assert.match(line, /mismatch|does not match|changed|differs/i);
    const rc = recap(r.out);
    assert.equal(rc.node02.unreachable, 1);
    for (const h of ["node01", "node03"]) assert.deepEqual([rc[h].ok, rc[h].failed, rc[h].unreachable], [2, 0, 0], `${h}\n${r.out}\n${r.err}`);
    assert.doesNotMatch(section(r.out, 'again'), /node02/);
  });

  it('3b. sshd of node03 killed during a run: node03 UNREACHABLE, node01/node02 finish, exit 4', async () => {
    const init = readState(LAB_DIR)!.hosts.find((h) => h.name === 'node03')!.pid!;
    writeFileSync(
      join(dir, 'kill.yml'),
      '- hosts: all\n  gather_facts: false\n  tasks:\n    - name: first\n      command: hostname\n    - name: sleep\n      command: sleep 3\n    - name: after\n      command: hostname\n',
    );
    const run = lvsplay(dir, ['-i', inv, 'kill.yml']);
    // wait until node03 runs the sleep, then kill its sshd (listener and the connection's session processes)
    let sleeping: number[] = [];
    for (let i = 0; i < 300 && !sleeping.length; i++) {
      await new Promise((r) => setTimeout(r, 100));
      sleeping = pidsInHost(init, 'sleep', '3'); // not init's `sleep 86400`
    }
    assert.ok(sleeping.length, 'node03 ran the sleep');
    const sshd = pidsInHost(init, 'sshd');
    assert.ok(sshd.length >= 2, `sshd listener + session on node03: ${sshd}`);
    for (const p of sshd) process.kill(p, 'SIGKILL');
    const r = await run;
    console.log(`      ${section(r.out, 'sleep').split('\n').filter((l) => l.includes('node03')).join('\n      ')}`);
    assert.equal(r.rc, 4, `${r.out}\n${r.err}`);
    assert.match(section(r.out, 'sleep'), /^fatal: \[node03\]: UNREACHABLE! => /m);
    const rc = recap(r.out);
    assert.equal(rc.node03.unreachable, 1);
    assert.equal(rc.node03.ok, 1);
    for (const h of ['node01', 'node02']) assert.deepEqual([rc[h].ok, rc[h].failed, rc[h].unreachable], [3, 0, 0], h);
    assert.match(section(r.out, 'after'), /^changed: \[node01\]$/m);
    assert.match(section(r.out, 'after'), /^changed: \[node02\]$/m);
    assert.doesNotMatch(section(r.out, 'after'), /node03/);
  });

  it('4. module warnings (ip_address: no ifupdown in the lab) are printed as [WARNING]: lines, once per host', () => {
    assert.ok(firstRun, 'step 1a ran');
    for (const h of ['node01', 'node02', 'node03']) {
      const w = `[WARNING]: ifupdown is not installed on ${h}: the persisted address is used only once it is`;
      assert.equal(unwrapped(firstRun.err).split('\n').filter((l) => l.startsWith(w)).length, 1, `${w}\nin stderr:\n${firstRun.err}`);
    }
    assert.doesNotMatch(firstRun.out, /warnings/, 'not in the host lines either');
  });
});

/** The pids of processes (named `comm`) in the PID namespace of a lab host, whose recorded pid is the `unshare --pid --fork` that made it. */
export function pidsInHost(unshare: number, comm: string, args?: string): number[] {
  const ns = readlinkSync(`/proc/${unshare}/ns/pid_for_children`);
  const out: number[] = [];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      if (readlinkSync(`/proc/${d}/ns/pid`) !== ns) continue;
      if (readFileSync(`/proc/${d}/comm`, 'utf8').trim() !== comm) continue;
      if (args !== undefined && readFileSync(`/proc/${d}/cmdline`, 'utf8').split('\0').slice(1, -1).join(' ') !== args) continue;
      out.push(Number(d));
    } catch {
      /* exited meanwhile */
    }
  }
  return out;
}
