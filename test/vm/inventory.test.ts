import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../../src/errors.js';
import { loadVagrantClusterFile, parseVagrantSshConfig, vagrantInventory } from '../../src/inventory/vagrant.js';

// Shape of real `vagrant ssh-config` output (vagrant 2.3.4, vagrant-libvirt 0.11.2).
const SSH_CONFIG = `Host node01
  HostName 10.160.1.21
  User vagrant
  Port 22
  UserKnownHostsFile /dev/null
  StrictHostKeyChecking no
  PasswordAuthentication no
  IdentityFile /work/main/.vagrant/machines/node01/libvirt/private_key
  IdentitiesOnly yes
  LogLevel FATAL
  PubkeyAcceptedKeyTypes +ssh-rsa
  HostKeyAlgorithms +ssh-rsa

Host node02
  HostName 10.160.1.22
  User vagrant
  Port 2222
  UserKnownHostsFile /dev/null
  StrictHostKeyChecking no
  IdentityFile "/home/a user/.vagrant.d/insecure_private_key"
  IdentitiesOnly yes
`;

describe('vm: lvsplay inventory --vagrant (vagrantInventory)', () => {
  it('parses every Host block of vagrant ssh-config, quoted paths included', () => {
    const hosts = parseVagrantSshConfig(SSH_CONFIG);
    assert.deepEqual(
      hosts.map((h) => [h.name, h.hostName, h.port, h.user, h.identityFile, h.strictHostKeyChecking]),
      [
        ['node01', '10.160.1.21', 22, 'vagrant', '/work/main/.vagrant/machines/node01/libvirt/private_key', false],
        ['node02', '10.160.1.22', 2222, 'vagrant', '/home/a user/.vagrant.d/insecure_private_key', false],
      ],
    );
  });

  it('writes connection variables, groups and [all:vars] as Ansible INI', () => {
    const ini = vagrantInventory(SSH_CONFIG, {
      groups: { directors: ['node01'], real_servers: ['node02'] },
      hostVars: { node01: { lvs_ip: '10.160.0.11', keepalived_priority: 100 } },
      vars: { lvs_vip: '10.160.0.100', ansible_become: true },
    });
    const lines = ini.split('\n');
    assert.ok(lines[0].startsWith('#'));
    assert.equal(
      lines[1],
      'node01 ansible_host=10.160.1.21 ansible_port=22 ansible_user=vagrant ansible_ssh_private_key_file=/work/main/.vagrant/machines/node01/libvirt/private_key lvs_ip=10.160.0.11 keepalived_priority=100',
    );
    assert.equal(lines[2], 'node02 ansible_host=10.160.1.22 ansible_port=2222 ansible_user=vagrant ansible_ssh_private_key_file="/home/a user/.vagrant.d/insecure_private_key"');
    assert.equal(ini.slice(ini.indexOf('[directors]')), '[directors]\nnode01\n\n[real_servers]\nnode02\n\n[all:vars]\nansible_ssh_common_args="-o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null"\nlvs_vip=10.160.0.100\nansible_become=true\n');
  });

  it('rejects a group naming a machine Vagrant does not know, listing the known ones', () => {
    assert.throws(
      () => vagrantInventory(SSH_CONFIG, { groups: { directors: ['node01', 'node09'] } }),
      (e: unknown) => e instanceof ConfigError && /node09/.test(e.message) && /node01, node02/.test(e.hint ?? ''),
    );
  });

  it('rejects text without Host entries and a host without HostName, with file:line', () => {
    assert.throws(() => vagrantInventory('', { source: 'x.cfg' }), (e: unknown) => e instanceof ConfigError && e.pos?.file === 'x.cfg');
    assert.throws(
      () => vagrantInventory('Host a\n  Port 22\n\nHost b\n  Port 22\n', {}),
      (e: unknown) => e instanceof ConfigError && /host a has no HostName/.test(e.message) && e.pos?.line === 1,
    );
    assert.throws(() => vagrantInventory('Host a\n  HostName 1.2.3.4\n  Port 99999\n'), (e: unknown) => e instanceof ConfigError && /bad Port/.test(e.message));
  });

  it('reads the cluster file the Vagrantfile writes; a missing file means no extras', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lvsplay-vagrant-'));
    assert.deepEqual(loadVagrantClusterFile(join(dir, 'none.json')), {});
    const f = join(dir, 'lvsplay-cluster.json');
    writeFileSync(f, JSON.stringify({ groups: { directors: ['node01'] }, vars: { lvs_vip: '10.0.0.100' } }));
    assert.deepEqual(loadVagrantClusterFile(f), { groups: { directors: ['node01'] }, hostVars: undefined, vars: { lvs_vip: '10.0.0.100' } });
    writeFileSync(f, '{"groups": [1]}');
    assert.throws(() => loadVagrantClusterFile(f), (e: unknown) => e instanceof ConfigError && e.pos?.file === f);
  });
});
