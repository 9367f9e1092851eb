// Lab naming, addressing, inventory, apt sources, keys and argv parsing (no root needed).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeConfig, ctlLinkName, inSubnet } from '../../src/lab/config.js';
import { inventoryText } from '../../src/lab/inventory.js';
import { readAptSources, mainMirror, mirrorHosts } from '../../src/lab/sources.js';
import { newKey } from '../../src/lab/keys.js';
import { parseLabArgs } from '../../src/lab/cli.js';
import { UsageError } from '../../src/errors.js';

describe('lab: configuration', () => {
  it('default topology: node01/node04 directors with priorities, node02/node03 real servers, .10+N addresses, VIP .100', () => {
    const c = makeConfig({ dir: '/var/lib/lvsplay/labs/default' });
    assert.equal(c.name, 'default');
    assert.deepEqual(c.hosts.map((h) => [h.name, h.addr, h.groups.join(',')]), [
      ['node01', '10.150.0.11', 'directors'],
      ['node02', '10.150.0.12', 'real_servers'],
      ['node03', '10.150.0.13', 'real_servers'],
      ['node04', '10.150.0.14', 'directors'],
    ]);
    assert.equal(c.hosts[0].vars.keepalived_priority, 100);
    assert.equal(c.hosts[3].vars.keepalived_priority, 50);
    assert.equal(c.controller, '10.150.0.1');
    assert.equal(c.vip, '10.150.0.100');
    assert.equal(c.swNs, 'lvsplay-default-sw');
  });

  it('other sizes: every host is a real server; the subnet is normalised', () => {
    const c = makeConfig({ dir: '/x/big', hosts: 50, subnet: '10.153.0.7/24' });
    assert.equal(c.subnet, '10.153.0.0/24');
    assert.equal(c.hosts.length, 50);
    assert.ok(c.hosts.every((h) => h.groups.join() === 'real_servers'));
    assert.equal(c.hosts[49].addr, '10.153.0.60');
  });

  it('a larger subnet holds more hosts: .11 up, skipping the VIP (.100), up to the broadcast address', () => {
    const c = makeConfig({ dir: '/x/huge', hosts: 500, subnet: '10.190.0.0/22' });
    assert.equal(c.hosts.length, 500);
    assert.equal(c.hosts[88].addr, '10.190.0.99'); // node89
    assert.equal(c.hosts[89].addr, '10.190.0.101'); // node90: .100 is the VIP
    assert.equal(c.hosts[499].addr, '10.190.1.255'); // node500: not the /22's broadcast (10.190.3.255)
    assert.equal(c.hosts[499].name, 'node500');
    assert.equal(new Set(c.hosts.map((h) => h.addr)).size, 500);
    assert.ok(!c.hosts.some((h) => h.addr === c.vip || h.addr === c.controller));
    assert.equal(makeConfig({ dir: '/x/b', hosts: 1000, subnet: '10.190.0.0/22' }).hosts[999].addr, '10.190.3.243');
    assert.throws(() => makeConfig({ dir: '/x/b', hosts: 81 }), /1\.\.80 on a \/24 .*--subnet with \/22 gives up to 1000/);
    assert.throws(() => makeConfig({ dir: '/x/b', hosts: 500, subnet: '10.190.0.0/23' }), /1\.\.499 on a \/23/);
  });

  it('root-namespace link names fit in 15 characters and differ per lab', () => {
    const names = ['default', 'a', 'modules-and-more-things', 'Lab.With_Dots', 'cluster', 'cluster2'];
    const links = names.map(ctlLinkName);
    for (const l of links) assert.ok(l.length <= 15, l);
    assert.equal(new Set(links).size, names.length);
  });

  it('bad settings are usage errors that say what was expected', () => {
    assert.throws(() => makeConfig({ dir: '/x/d', subnet: '10.150.0.0' }), (e: Error) => e instanceof UsageError && /CIDR/.test(e.message));
    assert.throws(() => makeConfig({ dir: '/x/d', hosts: 0 }), /1\.\.80/);
    assert.throws(() => makeConfig({ dir: '/x/d', name: 'bad name!' }), /lab name/);
    assert.equal(inSubnet('10.150.0.200', '10.150.0.0/24'), true);
    assert.equal(inSubnet('10.151.0.1', '10.150.0.0/24'), false);
  });

  it('the inventory has the groups, per-host connection vars, known_hosts and lab vars', () => {
    const text = inventoryText(makeConfig({ dir: '/l/d' }));
    assert.match(text, /\[directors\]\nnode01 ansible_host=10\.150\.0\.11 ansible_user=root ansible_ssh_private_key_file=\/l\/d\/id_ed25519 keepalived_priority=100\nnode04 .*keepalived_priority=50\n/);
    assert.match(text, /\[real_servers\]\nnode02 ansible_host=10\.150\.0\.12 .*\nnode03 /);
    assert.match(text, /ansible_ssh_common_args='-o UserKnownHostsFile=\/l\/d\/known_hosts -o StrictHostKeyChecking=yes'/);
    for (const v of ['lvsplay_known_hosts=/l/d/known_hosts', 'lvs_vip=10.150.0.100', 'lvs_vip_prefix=24', 'lvs_interface=eth0', 'lvs_ipvs_available=false', 'lvs_vrrp_only=true'])
      assert.ok(text.includes(`\n${v}\n`), v);
    assert.ok(inventoryText(makeConfig({ dir: '/l/d', subnet: '10.150.0.0/16' })).includes('\nlvs_vip_prefix=16\n'), 'VIP prefix follows the subnet');
  });
});

describe('lab: apt sources (mirror allow-list)', () => {
  it('reads deb822 and one-line sources; only deb entries; hosts for the proxy', () => {
    const d = mkdtempSync(join(tmpdir(), 'lvsplay-src-'));
    mkdirSync(join(d, 'list.d'));
    writeFileSync(
      join(d, 'list.d', 'debian.sources'),
      'Types: deb\n# comment\nURIs: http://mirror.example/debian/\nSuites: bookworm bookworm-updates\nComponents: main\n\nTypes: deb-src\nURIs: http://src.example/debian\nSuites: bookworm\n',
    );
    writeFileSync(join(d, 'sources.list'), '# x\ndeb [signed-by=/k.gpg arch=amd64] http://sec.example:8080/debian-security bookworm-security main\n');
    const s = readAptSources(join(d, 'list.d'), join(d, 'sources.list'));
    assert.deepEqual(s.map((x) => x.uri), ['http://mirror.example/debian', 'http://sec.example:8080/debian-security']);
    assert.equal(mainMirror(s), 'http://mirror.example/debian');
    assert.deepEqual(mirrorHosts(s), ['mirror.example', 'sec.example:8080']);
  });
});

describe('lab: keys', () => {
  it('generated ed25519 keys are loadable by OpenSSH and match their public line', function () {
    try {
      execFileSync('ssh-keygen', ['-?'], { stdio: 'ignore' });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
        console.log('      SKIP: ssh-keygen not installed');
        this.skip();
      }
    }
    const d = mkdtempSync(join(tmpdir(), 'lvsplay-key-'));
    for (let i = 0; i < 40; i++) {
      const k = newKey(`k${i}`);
      writeFileSync(join(d, 'k'), k.private, { mode: 0o600 });
      const pub = execFileSync('ssh-keygen', ['-y', '-f', join(d, 'k')]).toString().trim();
      assert.equal(pub.split(' ').slice(0, 2).join(' '), k.public.split(' ').slice(0, 2).join(' '));
    }
  });
});

describe('lab: command line', () => {
  it('parses options before and after the command, `--` for ssh commands', () => {
    const a = parseLabArgs(['--lab-dir', '/d', 'up', '--hosts=6', '--subnet', '10.1.2.0/24']);
    assert.equal(a.cmd, 'up');
    assert.equal(a.dir, '/d');
    assert.equal(a.hosts, 6);
    assert.equal(a.subnet, '10.1.2.0/24');
    const s = parseLabArgs(['ssh', 'node01', '--', 'ls', '-la', '--hosts']);
    assert.deepEqual(s.rest, ['node01', 'ls', '-la', '--hosts']);
  });
  it('unknown commands and options are usage errors with a suggestion', () => {
    assert.throws(() => parseLabArgs(['stauts']), (e: Error) => e instanceof UsageError && /did you mean 'status'/.test(e.message));
    assert.throws(() => parseLabArgs(['up', '--host', '3']), /unknown option '--host'/);
    assert.throws(() => parseLabArgs(['up', '--hosts', 'many']), /expects a number/);
  });
});
