// Every module for real on a namespace lab host (real sshd, apt through the lab proxy, sysvinit,
// per-namespace net sysctls): converge, then a second plan has no steps; execs are counted
// (facts: 1, unchanged task: 1, changed task: 2).
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Connection, TaskModule, Vars } from '../../src/types.js';
import { createConnection } from '../../src/connection/index.js';
import { gatherFacts } from '../../src/facts/index.js';
import { skipWithoutLab, useLab, type TestLab } from '../helpers/lab.js';
import { holdLab } from './lablock.js';
import { runTask, type RunOutcome } from '../helpers/realctx.js';
import { sysctl } from '../../tasks/sysctl.js';
import { ipAddress } from '../../tasks/ip_address.js';
import { apt, pkg } from '../../tasks/package.js';
import { template } from '../../tasks/template.js';
import { copy } from '../../tasks/copy.js';
import { file } from '../../tasks/file.js';
import { lineinfile } from '../../tasks/lineinfile.js';
import { service } from '../../tasks/service.js';
import { waitFor } from '../../tasks/wait_for.js';
import { uri } from '../../tasks/uri.js';

const LAB_DIR = '/var/lib/lvsplay/labs/modules';

describe('modules on a lab host (namespace lab "modules", 10.154.0.0/24; needs root)', function () {
  this.timeout(300_000);
  let lab: TestLab | undefined;
  let conn: Connection;
  let facts: Vars;
  let release: (() => void) | undefined;
  const tpl = mkdtempSync(join(tmpdir(), 'lvsplay-modtest-'));

  before(async function () {
    skipWithoutLab(this, undefined, '      ');
    this.timeout(1_200_000);
    release = await holdLab(LAB_DIR, 900_000, (m) => console.log(`      ${m}`)); // cli-lab.test.ts uses it too
    lab = await useLab('modules', { hosts: 2, subnet: '10.154.0.0/24' });
    const h = lab.hosts[0];
    conn = createConnection(h.name, {
      ansible_host: h.addr,
      ansible_user: 'root',
      ansible_ssh_private_key_file: `${LAB_DIR}/id_ed25519`,
      ansible_ssh_common_args: `-o UserKnownHostsFile=${LAB_DIR}/known_hosts -o StrictHostKeyChecking=yes`,
    });
    await conn.connect();
    const n = conn.execCount;
    facts = await gatherFacts(conn);
    assert.equal(conn.execCount - n, 1, 'gathering facts costs one exec');
  });

  after(async () => {
    await conn?.close();
    release?.();
    // the lab stays up for the other suites of this run; test/helpers/lab.ts takes it down after the last test
  });

  const sh = async (cmd: string): Promise<string> => (await conn.exec(cmd)).stdout.trim();
  const run = (mod: TaskModule, args: Vars): Promise<RunOutcome> => runTask(conn, mod, args, { facts, filesDir: tpl });

  /** Converge: first run changes (2 execs), second run has no steps (1 exec). */
  async function converge(mod: TaskModule, args: Vars): Promise<RunOutcome> {
    const first = await run(mod, args);
    assert.equal(first.changed, true, `${mod.name}: first run changes`);
    assert.equal(first.execs, 2, `${mod.name}: a changed task costs 2 execs (probe + apply)`);
    const second = await run(mod, args);
    assert.deepEqual(second.plan.steps, [], `${mod.name}: second plan has no steps`);
    assert.equal(second.changed, false);
    assert.equal(second.execs, 1, `${mod.name}: an unchanged task costs 1 exec`);
    return first;
  }

  it('facts say Debian / apt / sysvinit', () => {
    assert.equal(facts.os_family, 'Debian');
    assert.equal(facts.pkg_mgr, 'apt');
    assert.equal(facts.service_mgr, 'sysvinit');
  });

  it('sysctl: arp_ignore live and in /etc/sysctl.d, idempotent', async () => {
    await sh('sysctl -qw net.ipv4.conf.all.arp_ignore=0; rm -f /etc/sysctl.d/60-lvs.conf');
    const r = await converge(sysctl, { name: 'net.ipv4.conf.all.arp_ignore', value: 1, sysctl_set: true, sysctl_file: '/etc/sysctl.d/60-lvs.conf' });
    assert.equal(r.plan.diff?.[0].after, 'net.ipv4.conf.all.arp_ignore=1\n');
    assert.equal(await sh('sysctl -n net.ipv4.conf.all.arp_ignore'), '1');
    assert.equal(await sh('cat /etc/sysctl.d/60-lvs.conf'), 'net.ipv4.conf.all.arp_ignore=1');
  });

  it('sysctl: "Invalid argument" fails the task', async () => {
    await assert.rejects(run(sysctl, { name: 'net.ipv4.ip_forward', value: 'abc', sysctl_set: true, sysctl_file: '/etc/sysctl.d/61-bad.conf' }), /Invalid argument/);
    await sh('rm -f /etc/sysctl.d/61-bad.conf');
  });

  it('ip_address: VIP/32 on lo as lo:2, live and in /etc/network/interfaces.d; then absent', async () => {
    await sh('ip addr del 10.154.0.100/32 dev lo 2>/dev/null; rm -f /etc/network/interfaces.d/lvsplay-*; true');
    await converge(ipAddress, { address: '10.154.0.100/32', interface: 'lo', label: 'lo:2' });
    assert.match(await sh('ip -o addr show dev lo'), /inet 10\.154\.0\.100\/32 .* lo:2/);
    assert.match(await sh('cat /etc/network/interfaces.d/lvsplay-lo-2'), /iface lo:2 inet static\n\s+address 10\.154\.0\.100\n\s+netmask 255\.255\.255\.255/);
    await converge(ipAddress, { address: '10.154.0.100/32', interface: 'lo', state: 'absent' });
    assert.doesNotMatch(await sh('ip -o addr show dev lo'), /10\.154\.0\.100/);
    assert.equal(await sh('ls /etc/network/interfaces.d/ 2>/dev/null'), '');
  });

  it('apt: installs keepalived and ipvsadm for real (apt-get through the lab proxy), then ok', async () => {
    await sh('DEBIAN_FRONTEND=noninteractive apt-get remove -y -q keepalived ipvsadm >/dev/null 2>&1; true');
    const r = await converge(pkg, { name: ['keepalived', 'ipvsadm'], update_cache: true, cache_valid_time: 3600 });
    assert.ok(r.plan.steps.some((s) => s.describe.startsWith('apt-get install')));
    assert.match(await sh("dpkg-query -W -f='${Status}' keepalived"), /install ok installed/);
    // update_cache on installed packages: no "changed" noise
    const again = await run(apt, { name: 'keepalived', update_cache: true });
    assert.equal(again.changed, false);
  });

  it('template: keepalived.conf validated with keepalived -t before the move; a bad one leaves the file untouched', async () => {
    await sh('rm -f /etc/keepalived/keepalived.conf*');
    const good = 'vrrp_instance VI_1 {\n  state MASTER\n  interface eth0\n  virtual_router_id 51\n  priority 100\n  advert_int 1\n  virtual_ipaddress {\n    10.154.0.100/24 dev eth0 label eth0:2\n  }\n}\n';
    writeFileSync(join(tpl, 'keepalived.conf.j2'), good);
    const args = { src: 'keepalived.conf.j2', dest: '/etc/keepalived/keepalived.conf', mode: '0640', validate: 'keepalived -t -f %s', backup: true };
    const r = await converge(template, args);
    assert.equal(r.plan.diff?.[0].before, '');
    assert.equal(await sh('stat -c %a /etc/keepalived/keepalived.conf'), '640');
    writeFileSync(join(tpl, 'keepalived.conf.j2'), good.replace('virtual_router_id 51', 'virtual_router_id 51\n  nb_get_retry 3\n  bogus_keyword {'));
    await assert.rejects(run(template, args), /validation failed/);
    assert.equal(await sh('cat /etc/keepalived/keepalived.conf'), good.trim());
    assert.equal(await sh('ls -a /etc/keepalived | grep -c lvsplay || true'), '0', 'no temp file left behind');
    writeFileSync(join(tpl, 'keepalived.conf.j2'), good);
  });

  it('service (sysvinit): keepalived started and verified, idempotent, stopped', async () => {
    await sh('service keepalived stop >/dev/null 2>&1; true');
    await converge(service, { name: 'keepalived', state: 'started' });
    assert.match(await sh('pidof keepalived || true'), /\d+/);
    const rs = await run(service, { name: 'keepalived', state: 'restarted' });
    assert.equal(rs.changed, true);
    assert.match(await sh('pidof keepalived || true'), /\d+/, 'running after restart');
    await converge(service, { name: 'keepalived', state: 'stopped' });
    assert.equal(await sh('pidof keepalived || echo none'), 'none');
  });

  it('service: a daemon that exits right after a "successful" start fails the task (no IPVS: virtual_server kills keepalived)', async () => {
    await sh('service keepalived stop >/dev/null 2>&1; for i in 1 2 3 4 5 6 7 8 9 10; do pidof keepalived >/dev/null || break; sleep 0.5; done');
    await sh(
      "cat > /etc/keepalived/keepalived.conf <<'E'\nvirtual_server 10.154.0.100 80 {\n  lb_algo rr\n  lb_kind DR\n  protocol TCP\n  real_server 10.154.0.12 80 {\n    weight 1\n  }\n}\nE",
    );
    await assert.rejects(run(service, { name: 'keepalived', state: 'started' }), /not running after start|stopped again/);
    await sh('service keepalived stop >/dev/null 2>&1; true');
  });

  it('service: enabled via update-rc.d, idempotent', async () => {
    await sh('update-rc.d keepalived disable >/dev/null 2>&1; true');
    await converge(service, { name: 'keepalived', enabled: true });
    assert.match(await sh('ls /etc/rc2.d/'), /S\d\dkeepalived/);
  });

  it('copy, file, lineinfile converge', async () => {
    await sh('rm -rf /srv/t');
    await converge(file, { path: '/srv/t/d', state: 'directory', mode: '0750' });
    await converge(copy, { content: 'hello\n', dest: '/srv/t/d/a.txt', mode: '0600', owner: 'nobody' });
    assert.equal(await sh('stat -c "%a %U" /srv/t/d/a.txt'), '600 nobody');
    await converge(lineinfile, { path: '/srv/t/d/a.txt', regexp: '^x=', line: 'x=1' });
    assert.equal(await sh('cat /srv/t/d/a.txt'), 'hello\nx=1');
    await converge(file, { path: '/srv/t/link', state: 'link', src: 'd/a.txt' });
    await converge(file, { path: '/srv/t', state: 'absent' });
  });

  it('wait_for and uri from the target: busybox httpd started there (uri uses busybox wget: no curl on the host)', async () => {
    await sh('mkdir -p /srv/www && echo ok > /srv/www/index.html; (busybox httpd -p 8080 -h /srv/www </dev/null >/dev/null 2>&1 &)');
    const w = await run(waitFor, { port: 8080, timeout: 10, sleep: 0.2 });
    assert.equal(w.execs, 1);
    assert.equal(w.changed, false);
    const u = await run(uri, { url: 'http://127.0.0.1:8080/index.html', return_content: true });
    assert.equal(u.execs, 1);
    assert.equal(u.fields.status, 200);
    assert.equal(u.fields.content, 'ok\n');
    await assert.rejects(run(uri, { url: 'http://127.0.0.1:8080/missing' }), /Status code was 404/);
    await sh('pkill -f "busybox httpd -p 8080" ; true');
    const st = await run(waitFor, { port: 8080, state: 'stopped', timeout: 10, sleep: 0.2 });
    assert.equal(st.execs, 1);
    await assert.rejects(run(waitFor, { port: 8080, timeout: 1, sleep: 0.2 }), /Timeout when waiting for 127.0.0.1:8080/);
  });
});
