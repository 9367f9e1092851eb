// The top-level Vagrantfile's address choice, evaluated by Ruby (no Vagrant, no VirtualBox needed):
// a recording stand-in for `Vagrant.configure` logs every `vm.network` call per machine, and the
// Vagrantfile's own constants (PROVIDER, SUBNET, VIP, CLUSTER) are printed as JSON.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const VAGRANTFILE = fileURLToPath(new URL('../../../Vagrantfile', import.meta.url));

const STUB = `
require "json"
$networks = {}
class Rec
  def initialize(machine = nil) = (@machine = machine)
  def respond_to_missing?(*) = true
  def method_missing(name, *args, **kw, &blk)
    case name
    when :define then blk&.call(Rec.new(args[0])); nil
    when :network then ($networks[@machine] ||= []) << { "type" => args[0].to_s }.merge(kw.transform_keys(&:to_s)); nil
    else Rec.new(@machine) # settings, providers, triggers: recorded nowhere, blocks not run
    end
  end
end
module Vagrant
  module Errors; class VagrantError < StandardError; end; end
  def self.configure(_version) = yield(Rec.new)
end
load ${JSON.stringify(VAGRANTFILE)}
puts JSON.generate({ provider: PROVIDER, subnet: SUBNET, vip: VIP, cluster: CLUSTER, networks: $networks })
`;

interface Evaluated {
  provider: string;
  subnet: string;
  vip: string;
  cluster: { hostVars: Record<string, Record<string, unknown>>; vars: Record<string, unknown> };
  networks: Record<string, { type: string; ip: string; netmask: string }[]>;
}

function hasRuby(): boolean {
  return spawnSync('ruby', ['--version']).status === 0;
}

function evaluate(env: Record<string, string>, path = '/usr/bin:/bin'): Evaluated {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('LVSPLAY_') && !k.startsWith('VAGRANT_')));
  const r = spawnSync('ruby', ['-e', STUB], { env: { ...clean, PATH: path, ...env }, encoding: 'utf8' });
  assert.equal(r.status, 0, `ruby failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as Evaluated;
}

/** Machine -> its private address, and the VIP, as Vagrant and the inventory would get them. */
function addresses(e: Evaluated): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [m, nets] of Object.entries(e.networks)) {
    assert.equal(nets.length, 1);
    assert.equal(nets[0].type, 'private_network');
    assert.equal(nets[0].netmask, '255.255.255.0');
    const hv = e.cluster.hostVars[m];
    assert.equal(hv.lvs_dip ?? hv.lvs_rip, nets[0].ip, `${m}: the inventory's address is Vagrant's`);
    out[m] = nets[0].ip;
  }
  out.vip = e.vip;
  assert.equal(e.cluster.vars.lvs_vip, e.vip);
  return out;
}

const inside = (ip: string, net: string, bits: number): boolean => {
  const n = (a: string): number => a.split('.').reduce((x, o) => x * 256 + Number(o), 0);
  return Math.floor(n(ip) / 2 ** (32 - bits)) === Math.floor(n(net) / 2 ** (32 - bits));
};

describe('vm: the Vagrantfile picks addresses that work as typed, per provider (evaluated with Ruby)', function () {
  this.timeout(30_000);
  before(function () {
    if (!hasRuby()) {
      console.log('    SKIP: no ruby on PATH (the Vagrantfile is Ruby)');
      this.skip();
    }
  });

  it('VirtualBox: 192.168.57.0/24, inside the host-only range VirtualBox allows (192.168.56.0/21), clear of the host (.1) and of vboxnet0 DHCP', () => {
    const a = addresses(evaluate({ LVSPLAY_PROVIDER: 'virtualbox' }));
    assert.deepEqual(a, { node01: '192.168.57.11', node02: '192.168.57.12', node03: '192.168.57.13', node04: '192.168.57.14', vip: '192.168.57.100' });
    for (const ip of Object.values(a)) {
      assert.ok(inside(ip, '192.168.56.0', 21), `${ip} is in VirtualBox's default networks.conf range`);
      assert.ok(!inside(ip, '192.168.56.0', 24), `${ip} is not on vboxnet0 (DHCP server .100, leases .101-.254)`);
      assert.notEqual(ip.split('.')[3], '1', 'the host-only adapter of the host is .1');
    }
  });

  it('libvirt: the notes\' 192.168.150.0/24 (the VM suite sets its own subnet)', () => {
    assert.deepEqual(addresses(evaluate({ LVSPLAY_PROVIDER: 'libvirt' })), {
      node01: '192.168.150.11', node02: '192.168.150.12', node03: '192.168.150.13', node04: '192.168.150.14', vip: '192.168.150.100',
    });
  });

  it('LVSPLAY_SUBNET wins over the provider default (any of its accepted spellings)', () => {
    for (const s of ['192.168.150', '192.168.150.0', '192.168.150.0/24']) {
      const e = evaluate({ LVSPLAY_PROVIDER: 'virtualbox', LVSPLAY_SUBNET: s });
      assert.equal(e.subnet, '192.168.150');
      assert.equal(addresses(e).node04, '192.168.150.14');
    }
  });

  it('without LVSPLAY_PROVIDER: VirtualBox (and its subnet) when VBoxManage is on PATH, else libvirt', () => {
    const bin = mkdtempSync(join(tmpdir(), 'lvsplay-vbox-'));
    try {
      writeFileSync(join(bin, 'VBoxManage'), '#!/bin/sh\nexit 0\n');
      chmodSync(join(bin, 'VBoxManage'), 0o755);
      const vb = evaluate({}, `${bin}:/usr/bin:/bin`);
      assert.deepEqual([vb.provider, vb.vip], ['virtualbox', '192.168.57.100']);
      const lv = evaluate({});
      assert.deepEqual([lv.provider, lv.vip], ['libvirt', '192.168.150.100']);
    } finally {
      rmSync(bin, { recursive: true, force: true });
    }
  });
});
