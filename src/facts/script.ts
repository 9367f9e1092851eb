// The one fact-gathering probe: a POSIX sh script (dash/busybox safe) that prints labelled
// sections; every section is parsed by a pure function. Read-only, sends no network traffic.

export const SECTION_PREFIX = '@@lvsplay-fact:';

const sections = [
  ['os_release', 'cat /etc/os-release 2>/dev/null || cat /usr/lib/os-release 2>/dev/null'],
  ['redhat_release', 'cat /etc/redhat-release 2>/dev/null'],
  ['debian_version', 'cat /etc/debian_version 2>/dev/null'],
  ['uname', 'uname -s; uname -r; uname -m; uname -n; uname -v'],
  ['hostname', 'hostname 2>/dev/null || cat /proc/sys/kernel/hostname'],
  ['hosts', 'cat /etc/hosts 2>/dev/null'],
  ['id', 'id -u; id -un'],
  ['proc1', 'cat /proc/1/comm 2>/dev/null'],
  [
    'paths',
    'for f in /run/systemd/system /dev/.run/systemd /dev/.systemd /sbin/openrc /etc/init /etc/init.d /etc/dinit.d /proc/net/ip_vs; do [ -e "$f" ] && echo "$f"; done; ' +
      'for c in apt-get dnf yum zypper apk pacman initctl systemctl; do p=$(command -v "$c" 2>/dev/null) && echo "bin:$c:$p"; done; ' +
      '[ -L /sbin/init ] && echo "init_link:$(readlink -f /sbin/init)"',
  ],
  [
    'ipvs',
    'modprobe -n -q ip_vs 2>/dev/null && echo modprobe; ' +
      'ls /lib/modules/"$(uname -r)"/kernel/net/netfilter/ipvs/ 2>/dev/null | grep "^ip_vs\\.ko" | sed "s/^/module:/"; ' +
      'grep -q "/ip_vs\\.ko" /lib/modules/"$(uname -r)"/modules.builtin 2>/dev/null && echo builtin',
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
  ...sections.map(([name, cmd]) => `echo '${SECTION_PREFIX}${name}'; { ${cmd}; } 2>/dev/null`),
  `echo '${SECTION_PREFIX}end'`,
  'true',
].join('\n');

/** Split the probe output into its sections (missing sections are ''). */
export function splitSections(raw: string): Sections {
  const out = {} as Record<string, string>;
  for (const [name] of sections) out[name] = '';
  let cur: string | undefined;
  const buf: string[] = [];
  const flush = () => {
    if (cur !== undefined && cur !== 'end') out[cur] = buf.join('\n').replace(/\n+$/, '');
    buf.length = 0;
  };
  for (const line of raw.split('\n')) {
    if (line.startsWith(SECTION_PREFIX)) {
      flush();
      cur = line.slice(SECTION_PREFIX.length).trim();
    } else if (cur !== undefined) buf.push(line);
  }
  flush();
  return out as Sections;
}
