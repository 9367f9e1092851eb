// Facts: pure parsers on recorded probe outputs, the probe script under dash/busybox, and one real
// gathering over ssh on this machine.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FACTS_SCRIPT, gatherFacts, parseFacts } from '../../src/facts/index.js';
import { splitSections } from '../../src/facts/script.js';
import { parsePaths, pkgMgr, serviceMgr, hostnameFacts } from '../../src/facts/system.js';
import { networkFacts } from '../../src/facts/network.js';
import { SshConnection } from '../../src/connection/ssh.js';
import { type TestSshd, startSshdOrSkip, sshdSettings } from '../connection/sshd-helper.js';

const FIXTURES = join(process.cwd(), 'test', 'fixtures', 'facts');
const fixture = (name: string) => readFileSync(join(FIXTURES, name), 'utf8');

describe('facts: parsers on recorded probe outputs', () => {
  const cases: [string, string][] = [
    ['debian12-lab', 'Debian 12 lab-like host (hand-written fixture: custom PID 1, no default route, VIP on lo:2)'],
    ['ubuntu2204', 'Ubuntu 22.04 with systemd (recorded fixture: this machine cannot run Ubuntu)'],
    ['rocky9', 'Rocky Linux 9 with dnf and systemd (recorded fixture: this machine cannot run RHEL-family OSes)'],
    ['centos7', 'CentOS 7 with yum, IPVS loaded (recorded fixture: this machine cannot run CentOS)'],
  ];
  for (const [name, what] of cases) {
    it(`${what}: ${name}.txt -> ${name}.json`, () => {
      assert.deepEqual(parseFacts(fixture(`${name}.txt`)), JSON.parse(fixture(`${name}.json`)));
    });
  }

  it('the key facts of each fixture are what Ansible reports', () => {
    const f = (n: string) => parseFacts(fixture(`${n}.txt`));
    const pick = (x: Record<string, unknown>) => [x.distribution, x.distribution_major_version, x.os_family, x.pkg_mgr, x.lvsplay_service_mgr];
    assert.deepEqual(pick(f('debian12-lab')), ['Debian', '12', 'Debian', 'apt', 'sysvinit']);
    assert.deepEqual(pick(f('ubuntu2204')), ['Ubuntu', '22', 'Debian', 'apt', 'systemd']);
    assert.deepEqual(pick(f('rocky9')), ['Rocky', '9', 'RedHat', 'dnf', 'systemd']);
    assert.deepEqual(pick(f('centos7')), ['CentOS', '7', 'RedHat', 'yum', 'systemd']);
    assert.equal(f('centos7').distribution_version, '7.9');
    // Ansible's service_mgr is PID 1's own name when it is no known init system
    assert.equal(f('debian12-lab').service_mgr, 'lvsplay-init');
    assert.equal(f('rocky9').service_mgr, 'systemd');
    assert.equal(f('rocky9').distribution_release, 'Blue Onyx');
    assert.deepEqual(f('debian12-lab').default_ipv4, {});
    assert.equal((f('ubuntu2204').default_ipv4 as { gateway: string }).gateway, '192.168.122.1');
    assert.equal(f('debian12-lab').lvsplay_ipvs, false);
    assert.equal(f('rocky9').lvsplay_ipvs, true);
  });

  it('service_mgr: known PID 1 names win; unknown PID 1 falls through to file checks', () => {
    const p = (t: string) => parsePaths(t);
    assert.equal(serviceMgr('systemd', p('')), 'systemd');
    assert.equal(serviceMgr('openrc-init', p('')), 'openrc');
    assert.equal(serviceMgr('init', p('/sbin/openrc\n/etc/init.d')), 'openrc');
    assert.equal(serviceMgr('bash', p('/run/systemd/system')), 'systemd');
    // a container/lab PID 1 with /sbin/init -> systemd but no running systemd is not systemd
    assert.equal(serviceMgr('process_api', p('/etc/init.d\ninit_link:/usr/lib/systemd/systemd')), 'sysvinit');
    assert.equal(serviceMgr('', p('/etc/init.d\ninit_link:/usr/lib/systemd/systemd')), 'systemd');
    assert.equal(serviceMgr('tini', p('')), 'service');
  });

  it('pkg_mgr: CentOS 7 with dnf installed still uses yum (as Ansible); Fedora uses dnf', () => {
    const both = parsePaths('bin:dnf:/usr/bin/dnf\nbin:yum:/usr/bin/yum');
    assert.equal(pkgMgr('RedHat', '7', 'CentOS', both), 'yum');
    assert.equal(pkgMgr('RedHat', '8', 'AlmaLinux', both), 'dnf');
    assert.equal(pkgMgr('RedHat', '39', 'Fedora', both), 'dnf');
    assert.equal(pkgMgr('Alpine', '3', 'Alpine', parsePaths('bin:apk:/sbin/apk')), 'apk');
    assert.equal(pkgMgr('Debian', '12', 'Debian', parsePaths('')), 'unknown');
  });

  it('fqdn comes from /etc/hosts without a DNS query', () => {
    assert.deepEqual(hostnameFacts('web01', '127.0.1.1 web01.example.com web01\n'), {
      hostname: 'web01',
      fqdn: 'web01.example.com',
      domain: 'example.com',
    });
    assert.deepEqual(hostnameFacts('node01', '10.150.0.11 node01\n'), { hostname: 'node01', fqdn: 'node01', domain: '' });
  });

  it('lowest-metric default route wins; addresses of labelled aliases are listed', () => {
    const f = networkFacts({
      link: '2: eth0: <BROADCAST,UP> mtu 1500 state UP\\    link/ether 52:54:00:00:00:01 brd ff:ff:ff:ff:ff:ff\n3: eth1: <BROADCAST,UP> mtu 1500\\    link/ether 52:54:00:00:00:02 brd ff:ff:ff:ff:ff:ff',
      addr: '2: eth0    inet 10.0.0.2/24 brd 10.0.0.255 scope global eth0\\ x\n3: eth1    inet 10.1.0.2/16 scope global eth1\\ x',
      route: 'default via 10.0.0.1 dev eth0 metric 200\ndefault via 10.1.0.1 dev eth1 metric 100',
    });
    assert.equal((f.default_ipv4 as { interface: string }).interface, 'eth1');
    assert.equal((f.default_ipv4 as { netmask: string }).netmask, '255.255.0.0');
  });

  it('a truncated probe output still parses (missing sections are empty)', () => {
    const s = splitSections('@@lvsplay-fact:uname\nLinux\n');
    assert.equal(s.uname, 'Linux');
    assert.equal(s.os_release, '');
  });
});

describe('facts: the probe script', () => {
  for (const shell of ['/bin/dash', '/bin/busybox']) {
    it(`runs under ${shell} and prints every section`, function () {
      if (!existsSync(shell)) {
        console.log(`    skipping: ${shell} missing`);
        return this.skip();
      }
      const args = shell.endsWith('busybox') ? ['sh', '-c', FACTS_SCRIPT] : ['-c', FACTS_SCRIPT];
      const out = execFileSync(shell, args).toString();
      const f = parseFacts(out);
      assert.equal(f.system, 'Linux');
      assert.ok(Array.isArray(f.interfaces) && (f.interfaces as string[]).includes('lo'));
      assert.match(out, /@@lvsplay-fact:end/);
    });
  }

  it('its builtin-only sections print what cat, uname, id and command -v print', () => {
    const sec = splitSections(execFileSync('/bin/sh', ['-c', FACTS_SCRIPT]).toString());
    const sh = (cmd: string) => execFileSync('/bin/sh', ['-c', cmd]).toString().replace(/\n+$/, '');
    assert.equal(sec.os_release, sh('cat /etc/os-release || cat /usr/lib/os-release'));
    assert.equal(sec.hosts, sh('cat /etc/hosts'));
    assert.equal(sec.proc1, sh('cat /proc/1/comm'));
    assert.equal(sec.uname, sh('uname -s; uname -r; uname -m; uname -n; uname -v'));
    assert.equal(sec.hostname, sh('hostname'));
    assert.equal(sec.id, sh('id -u; id -un; id -g'));
    const bins = sh('for c in apt-get dnf yum zypper apk pacman initctl systemctl lsb_release; do p=$(command -v "$c") && echo "bin:$c:$p"; done; true');
    assert.deepEqual(
      sec.paths.split('\n').filter((l) => l.startsWith('bin:')),
      bins.split('\n').filter(Boolean),
    );
  });
});

describe('facts: gathered over ssh from this machine (real sshd on 127.0.0.1)', function () {
  let sshd: TestSshd;
  let conn: SshConnection;
  before(async function () {
    sshd = await startSshdOrSkip(this);
    conn = new SshConnection(sshdSettings(sshd, 'self'));
  });
  after(async () => {
    await conn?.close();
    await sshd?.stop();
  });

  it('in exactly one exec, matching the same probe run locally', async () => {
    const before = conn.execCount;
    const facts = await gatherFacts(conn, { user: 'root' });
    assert.equal(conn.execCount - before, 1);
    const local = parseFacts(execFileSync('/bin/sh', ['-c', FACTS_SCRIPT]).toString());
    // what changes between two runs, or between a login over ssh and this process
    for (const k of ['date_time', 'uptime_seconds', 'memfree_mb', 'memory_mb', 'mounts', 'env', 'loadavg', 'gather_subset', 'module_setup']) {
      delete facts[k];
      delete local[k];
    }
    assert.deepEqual(facts, local);
    assert.equal(facts.distribution, 'Debian');
    assert.equal(facts.os_family, 'Debian');
    assert.equal(facts.pkg_mgr, 'apt');
    assert.equal(facts.user_id, 'root');
    assert.equal(typeof facts.lvsplay_ipvs, 'boolean');
  });
});
