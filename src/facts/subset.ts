// gather_subset and filter, with the semantics Ansible documents: every gather starts from the
// `min` collectors; `all` adds every subset, `!all` takes away all but `min`, `!min` takes away
// `min`, `!x` takes away x unless x is also named; `filter` keeps the facts whose name (with or
// without `ansible_`) matches one of the shell-style patterns.
import { minimatch } from 'minimatch';
import type { Vars } from '../types.js';

/** Which subset (Ansible's collector name) each fact belongs to; interface facts are `network`. */
const OWNER: Record<string, string> = {};
const own = (subset: string, names: string[]) => names.forEach((n) => (OWNER[n] = subset));
own('distribution', ['distribution_file_parsed', 'distribution_file_path', 'distribution_file_variety', 'distribution', 'distribution_version', 'distribution_major_version', 'distribution_minor_version', 'distribution_release', 'os_family']);
own('platform', ['system', 'kernel', 'kernel_version', 'architecture', 'machine', 'nodename', 'hostname', 'fqdn', 'domain', 'machine_id', 'python_version', 'userspace_bits', 'userspace_architecture']);
own('cmdline', ['cmdline', 'proc_cmdline']);
own('dns', ['dns']);
own('apparmor', ['apparmor']);
own('selinux', ['selinux', 'selinux_python_present']);
own('fips', ['fips']);
own('caps', ['system_capabilities', 'system_capabilities_enforced']);
own('user', ['user_id', 'user_uid', 'user_gid', 'user_gecos', 'user_dir', 'user_shell', 'real_user_id', 'effective_user_id', 'real_group_id', 'effective_group_id']);
own('env', ['env']);
own('date_time', ['date_time']);
own('lsb', ['lsb']);
own('pkg_mgr', ['pkg_mgr']);
own('service_mgr', ['service_mgr']);
own('python', ['python']);
own('local', ['ansible_local']);
own('hardware', ['processor', 'processor_count', 'processor_cores', 'processor_threads_per_core', 'processor_vcpus', 'processor_nproc', 'memtotal_mb', 'memfree_mb', 'swaptotal_mb', 'swapfree_mb', 'memory_mb', 'mounts', 'uptime_seconds', 'lvm', 'device_links',
  'bios_date', 'bios_vendor', 'bios_version', 'board_asset_tag', 'board_name', 'board_serial', 'board_vendor', 'board_version', 'chassis_asset_tag',
  'chassis_serial', 'chassis_vendor', 'chassis_version', 'product_name', 'product_serial', 'product_uuid', 'product_version', 'system_vendor', 'form_factor']);
own('loadavg', ['loadavg']);
own('chroot', ['is_chroot']);
own('iscsi', ['iscsi_iqn']);
own('nvme', ['hostnqn']);
own('fibre_channel_wwn', ['fibre_channel_wwn']);
own('virtual', ['virtualization_type', 'virtualization_role', 'virtualization_tech_guest', 'virtualization_tech_host']);
// lvsplay's own facts (its roles read them): always there
own('lvsplay', ['lvsplay_ipvs', 'lvsplay_ipvs_loaded', 'lvsplay_service_mgr']);

const MIN = ['apparmor', 'caps', 'cmdline', 'date_time', 'distribution', 'dns', 'env', 'fips', 'local', 'lsb', 'pkg_mgr', 'platform', 'python', 'selinux', 'service_mgr', 'ssh_pub_keys', 'user'];
// facter and ohai (other tools' facts) are accepted and gather nothing, as on a host without them
const MORE = ['hardware', 'network', 'virtual', 'facter', 'ohai', 'chroot', 'loadavg', 'iscsi', 'nvme', 'fibre_channel_wwn'];
/** Fact names Ansible also accepts as a subset: they stand for the subset that gathers them. */
const ALIAS: Record<string, string> = {
  ...Object.fromEntries(['all_ipv4_addresses', 'all_ipv6_addresses', 'default_ipv4', 'default_ipv6', 'interfaces'].map((n) => [n, 'network'])),
  ...Object.fromEntries(['architecture', 'kernel', 'kernel_version', 'machine', 'machine_id', 'python_version', 'system'].map((n) => [n, 'platform'])),
  ...Object.fromEntries(['devices', 'mounts', 'processor', 'processor_cores', 'processor_count'].map((n) => [n, 'hardware'])),
  ...Object.fromEntries(['distribution_major_version', 'distribution_release', 'distribution_version', 'os_family'].map((n) => [n, 'distribution'])),
  ...Object.fromEntries(['effective_group_ids', 'effective_user_id', 'real_user_id', 'user_dir', 'user_gecos', 'user_gid', 'user_id', 'user_shell', 'user_uid'].map((n) => [n, 'user'])),
  ...Object.fromEntries(['ssh_host_key_dsa_public', 'ssh_host_key_ecdsa_public', 'ssh_host_key_ed25519_public', 'ssh_host_key_rsa_public', 'ssh_host_pub_keys'].map((n) => [n, 'ssh_pub_keys'])),
  ...Object.fromEntries(['system_capabilities', 'system_capabilities_enforced'].map((n) => [n, 'caps'])),
  ...Object.fromEntries(['virtualization_role', 'virtualization_tech_guest', 'virtualization_tech_host', 'virtualization_type'].map((n) => [n, 'virtual'])),
  is_chroot: 'chroot',
};
export const SUBSETS = [...MIN, ...MORE].sort();
const ALLOWED = [...SUBSETS, ...Object.keys(ALIAS)].sort();
/** Subsets whose collectors need others' facts: those are gathered too, even when excluded (as Ansible). */
const NEEDS: Record<string, string[]> = { hardware: ['platform'], network: ['distribution', 'platform'], pkg_mgr: ['distribution'], service_mgr: ['platform', 'distribution'] };

/** The subsets a gather_subset list selects; throws Ansible's message on an unknown name. */
export function resolveSubsets(given: string[]): Set<string> {
  const add = new Set<string>();
  const exclude = new Set<string>();
  const named = new Set<string>();
  for (const raw of ['min', ...given]) {
    const s = raw.trim();
    const not = s.startsWith('!');
    const given = not ? s.slice(1) : s;
    if (given !== 'all' && given !== 'min' && !ALLOWED.includes(given)) {
      throw new Error(`Bad subset '${given}' given to Ansible. gather_subset options allowed: all, ${ALLOWED.join(', ')}`);
    }
    const name = ALIAS[given] ?? given;
    const group = name === 'all' ? (not ? MORE : [...MIN, ...MORE]) : name === 'min' ? MIN : [name];
    for (const g of group) (not ? exclude : add).add(g);
    if (!not && name !== 'all' && name !== 'min') named.add(name);
  }
  for (const x of exclude) if (!named.has(x)) add.delete(x);
  for (const s of [...add]) for (const n of NEEDS[s] ?? []) add.add(n);
  return add;
}

/** Gathered facts (keys without `ansible_`) limited to the subsets; adds gather_subset and module_setup as Ansible does. */
export function selectFacts(facts: Vars, gatherSubset: string[] = ['all']): Vars {
  const keep = resolveSubsets(gatherSubset);
  const out: Vars = {};
  for (const [k, v] of Object.entries(facts)) {
    const owner = OWNER[k] ?? (k.startsWith('ssh_host_key_') ? 'ssh_pub_keys' : 'network');
    if (owner === 'lvsplay' || keep.has(owner)) out[k] = v;
  }
  out.gather_subset = gatherSubset;
  out.module_setup = true;
  return out;
}

/** setup's `filter`: the facts whose `ansible_` name or bare name matches a pattern (no gather_subset/module_setup then, as Ansible). */
export function filterFacts(facts: Vars, patterns: string[]): Vars {
  if (!patterns.length || patterns.every((p) => p === '*')) return facts;
  const out: Vars = {};
  for (const [k, v] of Object.entries(facts)) {
    if (k === 'gather_subset' || k === 'module_setup') continue;
    if (patterns.some((p) => minimatch(`ansible_${k}`, p, { dot: true }) || minimatch(k, p, { dot: true }))) out[k] = v;
  }
  return out;
}
