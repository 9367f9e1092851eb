// The one fact-gathering probe: a POSIX sh script (dash/busybox safe) that prints labelled
// sections; every section is parsed by a pure function. Read-only, sends no network traffic.

import { mark, sections as probeSections } from '../probe.js';

export const SECTION_PREFIX = '@@lvsplay-fact:';

// Few processes: every fork costs 2-3 ms on a busy host and this probe runs at the start of every
// play. Files are read with the shell's own `read` (r), /proc/sys/kernel stands in for most of
// uname, PATH is searched without `command -v` in a subshell: ~9 processes instead of ~28, with
// the same sections (their parsers do not know the difference).
const sections = [
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
  ['id', 'i=$(id); i=${i#uid=}; n=${i%% *}; echo "${n%%(*}"; case $n in *"("*) n=${n#*"("}; echo "${n%")"}" ;; *) id -un ;; esac'],
  ['proc1', 'r /proc/1/comm'],
  [
    'paths',
    'for f in /run/systemd/system /dev/.run/systemd /dev/.systemd /sbin/openrc /etc/init /etc/init.d /etc/dinit.d /proc/net/ip_vs; do [ -e "$f" ] && echo "$f"; done; ' +
      'for c in apt-get dnf yum zypper apk pacman initctl systemctl; do IFS=:; for d in $PATH; do [ -f "$d/$c" ] && [ -x "$d/$c" ] && { echo "bin:$c:$d/$c"; break; }; done; unset IFS; done; ' +
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
  ['date', "date '+%Y-%m-%d %H:%M:%S %Z %z %s'"],
] as const;

export type SectionName = (typeof sections)[number][0];
export type Sections = Record<SectionName, string>;

/** The probe script (one exec). `true` at the end: a missing command never fails the probe. */
export const FACTS_SCRIPT = [
  'PATH="$PATH:/usr/sbin:/sbin"; LC_ALL=C; export PATH LC_ALL',
  // r FILE: print a text file with shell builtins only (fails like cat when it cannot be read)
  'r() { while IFS= read -r l || [ -n "$l" ]; do printf \'%s\n\' "$l"; done < "$1"; }',
  ...sections.map(([name, cmd]) => `${mark(name, SECTION_PREFIX)}; { ${cmd}; } 2>/dev/null`),
  mark('end', SECTION_PREFIX),
  'true',
].join('\n');

/** Split the probe output into its sections (missing sections are ''). */
export function splitSections(raw: string): Sections {
  const got = probeSections(raw, SECTION_PREFIX);
  const out = {} as Record<string, string>;
  for (const [name] of sections) out[name] = got.get(name) ?? '';
  return out as Sections;
}
