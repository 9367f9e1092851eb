// The namespace lab end to end (needs root and the lab rootfs; skips with the reason otherwise).
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { labUp, labDown, labStatus, sshArgs, readState } from '../../src/lab/index.js';
import { skipWithoutLab } from '../helpers/lab.js';

const DIR = '/var/lib/lvsplay/labs/labtest';
const SUBNET = '10.152.0.0/24';

function ssh(dir: string, node: string, cmd: string): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    execFile('ssh', sshArgs(dir, node, [cmd]), { timeout: 120_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : 255) : 0;
      resolve({ code, out: (stdout + stderr).trim() });
    });
  });
}

/** Everything that could be left of a lab on the machine. */
function leftovers(name: string, dir: string): string[] {
  const out: string[] = [];
  const netns = existsSync('/run/netns') ? readdirSync('/run/netns') : [];
  out.push(...netns.filter((n) => n.startsWith(`lvsplay-${name}-`)).map((n) => `netns ${n}`));
  out.push(...readdirSync('/sys/class/net').filter((l) => l === `lvp-${name}`).map((l) => `link ${l}`));
  for (const line of readFileSync('/proc/mounts', 'utf8').split('\n')) if (line.includes(dir) || line.includes(`lvsplay-${name}-`)) out.push(`mount ${line}`);
  for (const p of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      if (/^State:\s+Z/m.test(readFileSync(`/proc/${p}/status`, 'utf8'))) continue;
      const cmd = readFileSync(`/proc/${p}/cmdline`, 'utf8').replace(/\0/g, ' ');
      if (cmd.includes(dir)) out.push(`process ${p}: ${cmd}`);
    } catch {
      /* gone */
    }
  }
  if (existsSync(`${dir}/hosts`)) out.push(`dir ${dir}/hosts`);
  if (existsSync(`${dir}/state.json`)) out.push(`file ${dir}/state.json`);
  return out;
}

describe('lab: namespace hosts (root)', function () {
  this.timeout(180_000);
  let ready = false;

  before(async function () {
    skipWithoutLab(this, undefined, '      ');
    await labDown({ dir: DIR, log: () => undefined }); // a leftover of an interrupted run
    const r = await labUp({ dir: DIR, subnet: SUBNET, name: 'labtest', log: () => undefined });
    assert.equal(r.already, false);
    ready = true;
  });

  after(async function () {
    if (ready) await labDown({ dir: DIR, log: () => undefined });
  });

  it('every host answers over ssh (strict host key checking) with its own hostname', async () => {
    const st = readState(DIR)!;
    assert.deepEqual(st.hosts.map((h) => h.name), ['node01', 'node02', 'node03', 'node04']);
    for (const h of st.hosts) {
      const r = await ssh(DIR, h.name, 'hostname; cat /etc/hostname');
      assert.equal(r.code, 0, r.out);
      assert.deepEqual(r.out.split('\n'), [h.name, h.name]);
    }
    const s = await labStatus(DIR);
    assert.equal(s.state, 'up');
    assert.ok(s.hosts.every((h) => h.running && h.sshd));
  });

  it('`up` again says it is already up and changes nothing', async () => {
    const before = readState(DIR)!.hosts.map((h) => h.pid);
    const r = await labUp({ dir: DIR, log: () => undefined });
    assert.equal(r.already, true);
    assert.deepEqual(readState(DIR)!.hosts.map((h) => h.pid), before);
  });

  it('a host sees only its own processes and has no route out', async () => {
    const r = await ssh(DIR, 'node02', 'cat /proc/1/cmdline | tr "\\0" " "; echo; ip route; ps -e --no-headers | wc -l');
    assert.equal(r.code, 0, r.out);
    const [init, ...rest] = r.out.split('\n');
    assert.match(init, /init\.sh node02 /);
    assert.ok(!rest.some((l) => l.startsWith('default')), r.out);
    assert.ok(Number(rest[rest.length - 1]) < 15, `too many processes visible: ${r.out}`);
  });

  it('a sysctl and a file set on one host are not seen on another host nor on the machine', async () => {
    const machineArp = readFileSync('/proc/sys/net/ipv4/conf/all/arp_ignore', 'utf8').trim();
    const target = machineArp === '1' ? '2' : '1';
    const marker = `/etc/lvsplay-labtest-${process.pid}`;
    const w = await ssh(DIR, 'node01', `sysctl -w net.ipv4.conf.all.arp_ignore=${target} && echo hello > ${marker}`);
    assert.equal(w.code, 0, w.out);
    assert.equal((await ssh(DIR, 'node01', 'cat /proc/sys/net/ipv4/conf/all/arp_ignore')).out, target);
    assert.equal((await ssh(DIR, 'node01', `cat ${marker}`)).out, 'hello');
    const other = await ssh(DIR, 'node02', `cat /proc/sys/net/ipv4/conf/all/arp_ignore; test -e ${marker} && echo present || echo absent`);
    assert.deepEqual(other.out.split('\n'), ['0', 'absent']);
    assert.equal(readFileSync('/proc/sys/net/ipv4/conf/all/arp_ignore', 'utf8').trim(), machineArp);
    assert.equal(existsSync(marker), false);
    // Outside /proc/sys/net the kernel settings are read-only in a host.
    const ro = await ssh(DIR, 'node01', 'echo 10 > /proc/sys/vm/swappiness');
    assert.notEqual(ro.code, 0);
    assert.match(ro.out, /Read-only file system/);
  });

  it('apt-get install in one host installs only there (through the controller proxy)', async () => {
    assert.notEqual((await ssh(DIR, 'node03', 'dpkg -s hello')).code, 0, 'precondition: hello not preinstalled');
    const r = await ssh(DIR, 'node03', 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq hello >/dev/null && hello');
    assert.equal(r.code, 0, r.out);
    assert.match(r.out, /Hello, world!/);
    assert.equal((await ssh(DIR, 'node03', 'dpkg -s hello >/dev/null && echo yes')).out, 'yes');
    assert.notEqual((await ssh(DIR, 'node02', 'dpkg -s hello')).code, 0);
    assert.equal(existsSync('/usr/bin/hello'), false);
  });

  it('hosts have no keepalived/ipvsadm preinstalled and reach nothing but the lab', async () => {
    const r = await ssh(DIR, 'node04', 'dpkg -s keepalived ipvsadm >/dev/null 2>&1; echo $?; ip route get 1.1.1.1 2>&1; ip route get 10.152.0.1');
    const [dpkg, out, inLab] = r.out.split('\n');
    assert.equal(dpkg, '1');
    assert.match(out, /unreachable/);
    assert.match(inLab, /dev eth0/);
  });

  it('`down` leaves no namespace, mount, process, link or state behind', async () => {
    await labDown({ dir: DIR, log: () => undefined });
    ready = false;
    assert.deepEqual(leftovers('labtest', DIR), []);
    assert.equal((await labStatus(DIR)).state, 'down');
  });
});

describe('lab: down after a crashed up (root)', function () {
  this.timeout(120_000);
  const dir = '/var/lib/lvsplay/labs/labcrash';

  before(function () {
    skipWithoutLab(this, undefined, '      ');
  });

  it('removes everything a killed `lab up` had created', async () => {
    await labDown({ dir, log: () => undefined });
    const cli = fileURLToPath(new URL('../../src/lab/cli.js', import.meta.url));
    const child = spawn(process.execPath, [cli, 'up', '--lab-dir', dir, '--subnet', '10.152.1.0/24', '--hosts', '6'], { stdio: 'ignore' });
    // Kill it as soon as it has started creating things.
    const t0 = Date.now();
    while (!existsSync(`${dir}/state.json`) && Date.now() - t0 < 20_000) await new Promise((r) => setTimeout(r, 5));
    await new Promise((r) => setTimeout(r, 150));
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    assert.ok(existsSync(`${dir}/state.json`), 'up had recorded its state');
    await labDown({ dir, log: () => undefined });
    assert.deepEqual(leftovers('labcrash', dir), []);
  });
});
