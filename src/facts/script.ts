// The one fact-gathering probe: a POSIX sh script (dash/busybox safe) that prints labelled
// sections; every section is parsed by a pure function. Read-only, sends no network traffic
// (a facts.d script the host's owner made executable is run, as Ansible runs it).

import { mark, sections as probeSections } from '../probe.js';
import { q as quote } from '../shell.js';
import { commandV, PYTHON_FALLBACK } from './discover.js';

export const SECTION_PREFIX = '@@lvsplay-fact:';
/** Marks each facts.d file inside the `local` section: `@@lvsplay-local:NAME:x` (executed) or `:r`, then `@@lvsplay-rc:N`. */
export const LOCAL_TAG = '@@lvsplay-local:';

export interface ProbeOptions {
  /** facts.d directory (Ansible's fact_path), default /etc/ansible/facts.d */
  factPath?: string;
  /** ansible_python_interpreter when set: the python whose facts are reported */
  python?: string;
  /** Interpreter discovery's fallback list (src/facts/discover.ts): each name's `command -v` answer, in the host's own PATH. */
  pythonFallback?: string[];
}

/**
 * The python whose facts are reported: ansible_python_interpreter when the inventory names one (not
 * auto discovery). A templated one (`{{ ansible_playbook_python }}`: the controller's python, which
 * lvsplay does not run) is discovered as 'auto' is.
 */
export function pythonOf(vars: Record<string, unknown>): string | undefined {
  const p = vars.ansible_python_interpreter;
  return typeof p === 'string' && !p.startsWith('auto') && !p.includes('{{') ? p : undefined;
}

/** The DMI files of /sys/devices/virtual/dmi/id that Ansible reports (src/facts/hardware.ts dmiFacts). */
export const DMI_FILES = ['bios_date', 'bios_vendor', 'bios_version', 'board_asset_tag', 'board_name', 'board_serial', 'board_vendor', 'board_version',
  'chassis_asset_tag', 'chassis_serial', 'chassis_vendor', 'chassis_version', 'chassis_type', 'product_name', 'product_serial', 'product_uuid',
  'product_version', 'sys_vendor'];

// Few processes: every fork costs 2-3 ms on a busy host and this probe runs at the start of every
// play. Files are read with the shell's own `read` (r), /proc/sys/kernel stands in for most of
// uname, PATH is searched without `command -v` in a subshell.
const PY = 'import sys,json;v=sys.version_info;print(json.dumps([sys.executable,list(v[:5]),sys.implementation.name if hasattr(sys,"implementation") else "cpython"]))';
const sections = (o: ProbeOptions) =>
  [
    // the environment as the host gives it, before this script changes PATH and LC_ALL
    ['env', 'printf "%s\\n" "$lvsplay_env"'],
    ['os_release', 'r /etc/os-release || r /usr/lib/os-release'],
    ['redhat_release', 'r /etc/redhat-release'],
    ['debian_version', 'r /etc/debian_version'],
    [
      'uname',
      'if [ -r /proc/sys/kernel/ostype ]; then r /proc/sys/kernel/ostype; r /proc/sys/kernel/osrelease; uname -m; r /proc/sys/kernel/hostname; r /proc/sys/kernel/version; ' +
        'else uname -s; uname -r; uname -m; uname -n; uname -v; fi',
    ],
    ['hostname', 'r /proc/sys/kernel/hostname || hostname'],
    ['hosts', 'r /etc/hosts'],
    ['id', 'i=$(id); i=${i#uid=}; n=${i%% *}; echo "${n%%(*}"; case $n in *"("*) n=${n#*"("}; echo "${n%")"}" ;; *) id -un ;; esac; g=${i#*gid=}; echo "${g%%[!0-9]*}"'],
    ['passwd', 'getent passwd "$(id -u)" || grep "^[^:]*:[^:]*:$(id -u):" /etc/passwd'],
    ['proc1', 'r /proc/1/comm'],
    [
      'paths',
      'for f in /run/systemd/system /dev/.run/systemd /dev/.systemd /sbin/openrc /etc/init /etc/init.d /etc/dinit.d /proc/net/ip_vs /.dockerenv /.dockerinit /run/.containerenv /proc/vz /proc/bc /proc/xen /proc/sys/xen /dev/kvm /sys/kernel/security/apparmor; do [ -e "$f" ] && echo "$f"; done; ' +
        'for c in apt-get dnf yum zypper apk pacman initctl systemctl lsb_release; do IFS=:; for d in $PATH; do [ -f "$d/$c" ] && [ -x "$d/$c" ] && { echo "bin:$c:$d/$c"; break; }; done; unset IFS; done; ' +
        '[ -L /sbin/init ] && echo "init_link:$(readlink -f /sbin/init)"',
    ],
    [
      'ipvs',
      'kr=; read -r kr < /proc/sys/kernel/osrelease || kr=$(uname -r); ' +
        'modprobe -n -q ip_vs 2>/dev/null && echo modprobe; ' +
        'for f in /lib/modules/"$kr"/kernel/net/netfilter/ipvs/ip_vs.ko*; do [ -e "$f" ] && echo "module:${f##*/}"; done; ' +
        'grep -q "/ip_vs\\.ko" /lib/modules/"$kr"/modules.builtin 2>/dev/null && echo builtin',
    ],
    ['link', 'ip -o link show 2>/dev/null'],
    ['addr', 'ip -o -4 addr show 2>/dev/null'],
    ['route', 'ip -4 route show default 2>/dev/null'],
    ['addr6', 'ip -o -6 addr show 2>/dev/null'],
    [
      'netsys',
      // readdir order (ls -U), as Ansible's glob.glob lists them: all_ipv4_addresses follows it
      'for d in $(ls -U /sys/class/net 2>/dev/null || ls /sys/class/net); do d=/sys/class/net/$d; echo "dev ${d##*/}"; [ -e "$d/device" ] && echo "pciid $(readlink "$d/device")"; ' +
        '[ -e "$d/device/driver/module" ] && echo "module $(readlink -f "$d/device/driver/module")"; s=; read -r s < "$d/speed" && echo "speed $s"; ' +
        'if [ -d "$d/bridge" ]; then b=; read -r b < "$d/bridge/bridge_id"; echo "bridge_id $b"; b=; read -r b < "$d/bridge/stp_state"; echo "stp $b"; ' +
        'printf "brif"; for x in "$d"/brif/*; do [ -e "$x" ] && printf " %s" "${x##*/}"; done; echo; fi; ' +
        'if [ -d "$d/bonding" ]; then for k in slaves mode miimon lacp_rate; do b=; read -r b < "$d/bonding/$k"; echo "bond_$k $b"; done; fi; done',
    ],
    ['route6', 'ip -6 route show default 2>/dev/null'],
    ['cmdline', 'r /proc/cmdline'],
    ['resolv', 'r /etc/resolv.conf'],
    ['security', '[ -e /sys/fs/selinux/enforce ] && { printf "selinux "; r /sys/fs/selinux/enforce; }; printf "fips "; r /proc/sys/crypto/fips_enabled; echo; ' +
        'for f in /lib/*/libselinux.so.1 /lib64/libselinux.so.1 /usr/lib/*/libselinux.so.1 /usr/lib64/libselinux.so.1; do [ -e "$f" ] && { echo libselinux; break; }; done'],
    ['ssh_keys', 'for f in /etc/ssh/ssh_host_*_key.pub; do [ -f "$f" ] && { printf "%s " "${f##*/}"; r "$f"; }; done'],
    ['caps', 'capsh --print | grep "^Current:"'],
    ['bits', 'getconf LONG_BIT'],
    ['loadavg', 'r /proc/loadavg'],
    ['devlinks', 'for k in id uuid label; do echo "@$k"; ls -l /dev/disk/by-$k; done; echo @masters; for p in /sys/block/*/slaves/*; do [ -e "$p" ] && echo "$p"; done'],
    [
      'lvm',
      'if [ "$(id -u)" = 0 ] && command -v vgs >/dev/null; then o="--noheadings --nosuffix --units g --separator ,"; ' +
        'echo @vgs; vgs $o; echo @lvs; command -v lvs >/dev/null && lvs $o; echo @pvs; command -v pvs >/dev/null && pvs $o; fi',
    ],
    ['chroot', 'echo "debian_chroot=${debian_chroot:-}"; stat -c "%d %i" / /proc/1/root/; echo "fs $(stat -f -c %T /)"'],
    ['storage_ids', 'r /etc/iscsi/initiatorname.iscsi; echo @nvme; r /etc/nvme/hostnqn; echo @fc; for f in /sys/class/fc_host/*/port_name; do [ -f "$f" ] && r "$f"; done'],
    ['date', "date '+%Y-%m-%d %H:%M:%S %Z %z %s %A %w %W %N'; date -u '+%Y-%m-%dT%H:%M:%S'"],
    ['cpuinfo', 'r /proc/cpuinfo'],
    ['nproc', 'nproc'],
    ['meminfo', 'r /proc/meminfo'],
    ['uptime', 'r /proc/uptime'],
    ['machine_id', 'r /etc/machine-id || r /var/lib/dbus/machine-id'],
    // mounts as /proc/mounts lists them; the statfs numbers of each real device's mount point; bind mounts (mountinfo root is not /)
    [
      'mounts',
      'r /proc/mounts; echo @statfs; set --; while read -r d m rest; do case $d in /*|*:/*) set -- "$@" "$m" ;; esac; done < /proc/mounts; ' +
        '[ $# -gt 0 ] && stat -f -c "%S %s %b %f %a %c %d %n" "$@"; echo @bind; while read -r a b c root m rest; do [ "$root" = / ] || echo "$m"; done < /proc/self/mountinfo; ' +
        'echo @uuid; for l in /dev/disk/by-uuid/*; do [ -L "$l" ] && echo "${l##*/} $(readlink -f "$l")"; done',
    ],
    // interpreter discovery's bootstrap (`command -v` of each name, a shell builtin) in the PATH the host gave
    ['interpreters', `p=$PATH; PATH=$lvsplay_path; ${commandV(o.pythonFallback ?? PYTHON_FALLBACK)}; PATH=$p`],
    ['lsb', 'if command -v lsb_release >/dev/null; then lsb_release -a; else echo @file; r /etc/lsb-release; fi'],
    [
      'python',
      `for p in ${o.python ? quote(o.python) : '/usr/bin/python3 python3 /usr/libexec/platform-python python /usr/bin/python python2'}; do command -v "$p" >/dev/null && { "$p" -c ${quote(PY)} && break; }; done`,
    ],
    [
      'local',
      `for f in ${quote(o.factPath ?? '/etc/ansible/facts.d')}/*.fact; do n=\${f##*/}; if [ -L "$f" ] && [ ! -e "$f" ]; then printf '\\n${LOCAL_TAG}%s:s\\n' "$n"; continue; fi; [ -f "$f" ] || continue; ` +
        `if [ -x "$f" ]; then printf '\\n${LOCAL_TAG}%s:x\\n' "$n"; "$f"; rc=$?; echo; echo "@@lvsplay-rc:$rc"; else printf '\\n${LOCAL_TAG}%s:r\\n' "$n"; r "$f"; fi; done`,
    ],
    ['virt', 'r /proc/1/cgroup; echo @environ; tr "\\0" "\\n" < /proc/1/environ | grep "^container="'],
    ['dmi', `for f in ${DMI_FILES.join(' ')}; do v=; read -r v < /sys/devices/virtual/dmi/id/$f; echo "$f=$v"; done`],
  ] as const;

export type SectionName = ReturnType<typeof sections>[number][0];
export type Sections = Record<SectionName, string>;

/** The probe script (one exec). `true` at the end: a missing command never fails the probe. */
export function factsScript(o: ProbeOptions = {}): string {
  return [
    'lvsplay_env=$(env)',
    'lvsplay_path=$PATH',
    'PATH="$PATH:/usr/sbin:/sbin"; LC_ALL=C; export PATH LC_ALL',
    // r FILE: print a text file with shell builtins only (fails like cat when it cannot be read)
    'r() { while IFS= read -r l || [ -n "$l" ]; do printf \'%s\n\' "$l"; done < "$1"; }',
    ...sections(o).map(([name, cmd]) => `${mark(name, SECTION_PREFIX)}; { ${cmd}; } 2>/dev/null`),
    mark('end', SECTION_PREFIX),
    'true',
  ].join('\n');
}

export const FACTS_SCRIPT = factsScript();

/** Split the probe output into its sections (missing sections are ''). */
export function splitSections(raw: string): Sections {
  const got = probeSections(raw, SECTION_PREFIX);
  const out = {} as Record<string, string>;
  for (const [name] of sections({})) out[name] = got.get(name) ?? '';
  return out as Sections;
}
