// The hardware, host, local-facts and subset parsers on hand-written probe sections (shapes as
// Ansible 2.14 reports them; the differential test/compat/facts.test.ts proves them on this host).
import assert from 'node:assert/strict';
import { cpuFacts, deviceLinkFacts, dmiFacts, lvmFacts, memoryFacts, mountFacts } from '../../src/facts/hardware.js';
import { envFacts, lsbFacts, virtualFacts } from '../../src/facts/host.js';
import { localFacts } from '../../src/facts/local.js';
import { filterFacts, resolveSubsets, selectFacts } from '../../src/facts/subset.js';
import { chrootFacts, cmdlineFacts, dnsFacts, loadavgFacts, storageIdFacts } from '../../src/facts/min.js';

/** /proc/cpuinfo of `sockets` sockets x `cores` cores x `threads` threads (only the lines that count). */
function cpuinfo(sockets: number, cores: number, threads: number): string {
  const out: string[] = [];
  let n = 0;
  for (let s = 0; s < sockets; s++) {
    for (let c = 0; c < cores; c++) {
      for (let t = 0; t < threads; t++) {
        out.push(`processor\t: ${n++}`, 'vendor_id\t: GenuineIntel', 'model name\t: Test CPU', `physical id\t: ${s}`, `siblings\t: ${cores * threads}`, `core id\t\t: ${c}`, `cpu cores\t: ${cores}`, '');
      }
    }
  }
  return out.join('\n');
}

describe('facts: hardware and host parsers', () => {
  it('processors: sockets, cores per socket, threads per core and vcpus as Ansible counts them', () => {
    const f = cpuFacts(cpuinfo(2, 4, 2), '16', 'x86_64');
    assert.deepEqual(
      [f.processor_count, f.processor_cores, f.processor_threads_per_core, f.processor_vcpus, f.processor_nproc],
      [2, 4, 2, 16, 16],
    );
    assert.deepEqual((f.processor as string[]).slice(0, 3), ['0', 'GenuineIntel', 'Test CPU']);
    assert.equal((f.processor as string[]).length, 48);
  });

  it('memory in MB with the real/nocache/swap breakdown', () => {
    const f = memoryFacts('MemTotal: 2048000 kB\nMemFree: 1024000 kB\nBuffers: 10240 kB\nCached: 102400 kB\nSwapCached: 0 kB\nSwapTotal: 1048576 kB\nSwapFree: 1048576 kB\n');
    assert.deepEqual(f, {
      memtotal_mb: 2000,
      memfree_mb: 1000,
      swaptotal_mb: 1024,
      swapfree_mb: 1024,
      memory_mb: { real: { total: 2000, used: 1000, free: 1000 }, nocache: { free: 1110, used: 890 }, swap: { total: 1024, free: 1024, used: 0, cached: 0 } },
    });
  });

  it('mounts: real devices only, statfs numbers, bind mounts, uuids and escaped paths', () => {
    const f = mountFacts(
      [
        'proc /proc proc rw 0 0',
        '/dev/sda1 / ext4 rw,relatime 0 0',
        '/dev/sda1 /srv/my\\040data ext4 rw 0 0',
        'nfs:/export /mnt/nfs nfs4 rw 0 0',
        '@statfs',
        '4096 4096 1000 400 300 500 100 /',
        '@bind',
        '/srv/my\\040data',
        '@uuid',
        '1234-abcd /dev/sda1',
      ].join('\n'),
    );
    const m = f.mounts as Record<string, unknown>[];
    assert.deepEqual(m.map((x) => [x.mount, x.device, x.fstype, x.options, x.uuid]), [
      ['/', '/dev/sda1', 'ext4', 'rw,relatime', '1234-abcd'],
      ['/srv/my data', '/dev/sda1', 'ext4', 'rw,bind', '1234-abcd'],
      ['/mnt/nfs', 'nfs:/export', 'nfs4', 'rw', 'N/A'],
    ]);
    assert.deepEqual([m[0].size_total, m[0].size_available, m[0].block_used, m[0].inode_used], [4096000, 1228800, 600, 400]);
  });

  it('lsb from lsb_release -a or /etc/lsb-release; env with multi-line values; DMI NA when missing', () => {
    assert.deepEqual(lsbFacts('Distributor ID:\tUbuntu\nDescription:\tUbuntu 22.04.4 LTS\nRelease:\t22.04\nCodename:\tjammy').lsb, {
      id: 'Ubuntu', description: 'Ubuntu 22.04.4 LTS', release: '22.04', codename: 'jammy', major_release: '22',
    });
    assert.deepEqual(lsbFacts('@file\nDISTRIB_ID=Ubuntu\nDISTRIB_RELEASE=22.04\nDISTRIB_CODENAME=jammy\nDISTRIB_DESCRIPTION="Ubuntu 22.04 LTS"').lsb, {
      id: 'Ubuntu', release: '22.04', codename: 'jammy', description: 'Ubuntu 22.04 LTS', major_release: '22',
    });
    assert.deepEqual(envFacts('HOME=/root\nMSG=a\nb\nPATH=/bin').env, { HOME: '/root', MSG: 'a\nb', PATH: '/bin' });
    const dmi = dmiFacts('product_name=KVM\nchassis_type=1\nsys_vendor=QEMU\nboard_serial=');
    assert.deepEqual([dmi.product_name, dmi.form_factor, dmi.system_vendor, dmi.board_serial], ['KVM', 'Other', 'QEMU', 'NA']);
    assert.equal(virtualFacts('0::/\n@environ\n', dmi, new Set()).virtualization_type, 'kvm');
    assert.equal(virtualFacts('0::/\n@environ\ncontainer=podman', {}, new Set()).virtualization_type, 'podman');
  });

  it('device links by target device, masters from slaves', () => {
    const ls = (n: string, t: string) => `lrwxrwxrwx 1 root root 10 Jan  1 00:00 ${n} -> ../../${t}`;
    const f = deviceLinkFacts(['@id', 'total 0', ls('wwn-0x5', 'sda'), ls('ata-DISK', 'sda'), ls('ata-DISK-part1', 'sda1'), '@uuid', ls('abcd-1234', 'sda1'), '@label', '@masters', '/sys/block/dm-0/slaves/sda2'].join('\n'));
    assert.deepEqual(f.device_links, {
      ids: { sda: ['ata-DISK', 'wwn-0x5'], sda1: ['ata-DISK-part1'] },
      uuids: { sda1: ['abcd-1234'] },
      labels: {},
      masters: { sda2: ['dm-0'] },
    });
  });

  it("LVM from vgs/lvs/pvs, 'N/A' without them", () => {
    assert.deepEqual(lvmFacts(''), { lvm: 'N/A' });
    assert.deepEqual(lvmFacts('@vgs\n  vg0,1,2,0,wz--n-,99.00,10.00\n@lvs\n  root,vg0,-wi-ao----,50.00\n@pvs\n  /dev/sda2,vg0,lvm2,a--,99.00,10.00'), {
      lvm: {
        vgs: { vg0: { size_g: '99.00', free_g: '10.00', num_lvs: '2', num_pvs: '1' } },
        lvs: { root: { size_g: '50.00', vg: 'vg0' } },
        pvs: { '/dev/sda2': { size_g: '99.00', free_g: '10.00', vg: 'vg0' } },
      },
    });
  });

  it('load average, chroot, iSCSI/NVMe/FC identifiers', () => {
    assert.deepEqual(loadavgFacts('0.50 0.25 0.10 1/100 42'), { loadavg: { '1m': 0.5, '5m': 0.25, '15m': 0.1 } });
    assert.deepEqual(chrootFacts('debian_chroot=\n2049 2\n2049 2\nfs ext2/ext3'), { is_chroot: false });
    assert.deepEqual(chrootFacts('debian_chroot=\n2049 5123\n2049 2\nfs ext2/ext3'), { is_chroot: true });
    assert.deepEqual(chrootFacts('debian_chroot=\n2049 256\nfs btrfs'), { is_chroot: false }); // /proc/1/root not readable
    assert.deepEqual(storageIdFacts('InitiatorName=iqn.1993-08.org.debian:01:abc\n@nvme\nnqn.2014-08.org.nvmexpress:uuid:1\n@fc\n0x21000024ff3dd2a0'), {
      iscsi_iqn: 'iqn.1993-08.org.debian:01:abc', hostnqn: 'nqn.2014-08.org.nvmexpress:uuid:1', fibre_channel_wwn: ['21000024ff3dd2a0'],
    });
  });

  it('kernel command line and resolv.conf', () => {
    assert.deepEqual(cmdlineFacts('ro quiet console=tty0 console=ttyS0'), {
      cmdline: { ro: true, quiet: true, console: 'ttyS0' },
      proc_cmdline: { ro: true, quiet: true, console: ['tty0', 'ttyS0'] },
    });
    assert.deepEqual(dnsFacts('# x\nnameserver 10.0.0.1\nnameserver 10.0.0.2\nsearch a.example b.example\noptions ndots:2 rotate').dns, {
      nameservers: ['10.0.0.1', '10.0.0.2'], search: ['a.example', 'b.example'], options: { ndots: '2', rotate: true },
    });
  });
});

describe('facts: facts.d (ansible_local)', () => {
  it('JSON, INI (lower-cased keys, string values), executables and their failures, unreadable content', () => {
    const out = [
      '@@lvsplay-local:a.fact:r', '{"x": 1}',
      '@@lvsplay-local:b.fact:r', '[s]', 'Key=1', 'flag = true',
      '@@lvsplay-local:c.fact:x', '{"ran": true}', '', '@@lvsplay-rc:0',
      '@@lvsplay-local:d.fact:x', '', '@@lvsplay-rc:3',
      '@@lvsplay-local:e.fact:r', 'just text',
    ].join('\n');
    assert.deepEqual(localFacts(out, '/f').ansible_local, {
      a: { x: 1 },
      b: { s: { key: '1', flag: 'true' } },
      c: { ran: true },
      d: 'Failure executing fact script (/f/d.fact), rc: 3, err: ',
      e: 'error loading facts as JSON or ini - please check content: /f/e.fact',
    });
  });
});

describe('facts: gather_subset and filter', () => {
  const sorted = (s: Set<string>) => [...s].sort();
  it("selects subsets with Ansible's rules (min always, !all keeps min, named ones survive exclusion, needed ones follow)", () => {
    assert.ok(resolveSubsets(['all']).has('hardware'));
    assert.ok(!resolveSubsets(['!all']).has('hardware'));
    assert.ok(resolveSubsets(['!all']).has('local'));
    assert.ok(!resolveSubsets(['!hardware']).has('network')); // no `all` named: only min
    assert.ok(resolveSubsets(['all', '!hardware']).has('network'));
    assert.deepEqual(sorted(resolveSubsets(['!all', '!min', 'distribution'])), ['distribution']);
    assert.deepEqual(sorted(resolveSubsets(['!all', '!min', 'hardware'])), ['hardware', 'platform']);
    assert.deepEqual(sorted(resolveSubsets(['!all', '!min', 'network'])), ['distribution', 'network', 'platform']);
    assert.throws(() => resolveSubsets(['nonsense']), /^Error: Bad subset 'nonsense' given to Ansible\. gather_subset options allowed: all, all_ipv4_addresses, all_ipv6_addresses, apparmor,/);
    assert.deepEqual(sorted(resolveSubsets(['!all', '!min', 'os_family'])), ['distribution']); // a fact name stands for its subset
  });

  it('keeps lvsplay facts, adds gather_subset/module_setup; filter matches with or without ansible_', () => {
    const f = selectFacts({ distribution: 'Debian', memtotal_mb: 1, eth0: {}, lvsplay_ipvs: true }, ['!all', '!min', 'distribution']);
    assert.deepEqual(f, { distribution: 'Debian', lvsplay_ipvs: true, gather_subset: ['!all', '!min', 'distribution'], module_setup: true });
    assert.deepEqual(Object.keys(filterFacts({ ...f, memtotal_mb: 1 }, ['ansible_dist*', '*_mb'])), ['distribution', 'memtotal_mb']);
    assert.deepEqual(Object.keys(filterFacts({ distribution: 'x', os_family: 'y' }, ['distribution'])), ['distribution']);
  });
});
