// Distribution facts from /etc/os-release, /etc/redhat-release and /etc/debian_version (pure).
import type { Vars } from '../types.js';

/** os-release is KEY=value with optional shell quoting. */
export function parseOsRelease(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const m = /^([A-Z0-9_]+)=(.*)$/.exec(line.trim());
    if (!m) continue;
    let v = m[2].trim();
    if (/^".*"$/.test(v)) v = v.slice(1, -1).replace(/\\(["$`\\])/g, '$1');
    else if (/^'.*'$/.test(v)) v = v.slice(1, -1);
    out[m[1]] = v;
  }
  return out;
}

// os-release ID -> Ansible's ansible_distribution
const NAMES: Record<string, string> = {
  debian: 'Debian',
  ubuntu: 'Ubuntu',
  linuxmint: 'Linux Mint',
  raspbian: 'Debian',
  kali: 'Kali',
  devuan: 'Devuan',
  pop: 'Pop!_OS',
  centos: 'CentOS',
  rhel: 'RedHat',
  rocky: 'Rocky',
  almalinux: 'AlmaLinux',
  fedora: 'Fedora',
  ol: 'OracleLinux',
  amzn: 'Amazon',
  scientific: 'Scientific',
  cloudlinux: 'CloudLinux',
  virtuozzo: 'Virtuozzo',
  sles: 'SLES',
  'opensuse-leap': 'openSUSE Leap',
  'opensuse-tumbleweed': 'openSUSE Tumbleweed',
  alpine: 'Alpine',
  arch: 'Archlinux',
  gentoo: 'Gentoo',
};

// ansible_distribution -> ansible_os_family (Ansible's OS_FAMILY_MAP, the part that matters here)
const FAMILY: Record<string, string> = {
  Debian: 'Debian',
  Ubuntu: 'Debian',
  'Linux Mint': 'Debian',
  Kali: 'Debian',
  Devuan: 'Debian',
  'Pop!_OS': 'Debian',
  RedHat: 'RedHat',
  CentOS: 'RedHat',
  Rocky: 'RedHat',
  AlmaLinux: 'RedHat',
  Fedora: 'RedHat',
  OracleLinux: 'RedHat',
  Amazon: 'RedHat',
  Scientific: 'RedHat',
  CloudLinux: 'RedHat',
  Virtuozzo: 'RedHat',
  SLES: 'Suse',
  'openSUSE Leap': 'Suse',
  'openSUSE Tumbleweed': 'Suse',
  Alpine: 'Alpine',
  Archlinux: 'Archlinux',
  Gentoo: 'Gentoo',
};

/** "Rocky Linux release 9.3 (Blue Onyx)" -> { version: '9.3', release: 'Blue Onyx' } */
function parseRedhatRelease(text: string): { version?: string; release?: string } {
  const m = /release\s+([0-9][0-9.]*)\s*(?:\(([^)]*)\))?/.exec(text);
  return m ? { version: m[1], release: m[2]?.trim() } : {};
}

export function distributionFacts(sec: { os_release: string; redhat_release: string; debian_version: string }, system: string): Vars {
  const os = parseOsRelease(sec.os_release);
  const id = (os.ID ?? '').toLowerCase();
  const likes = (os.ID_LIKE ?? '').toLowerCase().split(/\s+/).filter(Boolean);
  let distribution = NAMES[id] ?? (os.NAME ? os.NAME.split(/\s+/)[0] : system || 'Unknown');
  if (!NAMES[id] && !os.NAME && sec.redhat_release) distribution = sec.redhat_release.split(/\s+/)[0];
  let version = os.VERSION_ID ?? '';
  let release = os.VERSION_CODENAME ?? os.UBUNTU_CODENAME ?? '';
  const rh = parseRedhatRelease(sec.redhat_release.trim());
  const family =
    FAMILY[distribution] ??
    (likes.some((l) => ['rhel', 'fedora', 'centos'].includes(l))
      ? 'RedHat'
      : likes.some((l) => ['debian', 'ubuntu'].includes(l))
        ? 'Debian'
        : likes.some((l) => l.startsWith('suse'))
          ? 'Suse'
          : distribution);
  if (family === 'RedHat' && distribution !== 'Fedora' && distribution !== 'Amazon' && rh.version) {
    // Ansible takes the full version (7.9.2009 -> 7.9) and the codename from the release file.
    version = rh.version.split('.').slice(0, 2).join('.');
    release = rh.release ?? release;
  }
  if (distribution === 'Debian') {
    const dv = sec.debian_version.trim();
    if (/^[0-9]+(\.[0-9]+)*$/.test(dv)) version = dv; // 12.5 (os-release only says 12)
    else if (!version) version = dv.split('/')[0] || 'n/a'; // testing/sid: "trixie/sid"
  }
  return {
    distribution,
    distribution_version: version || 'NA',
    distribution_major_version: (version || 'NA').split('.')[0],
    ...(version.includes('.') ? { distribution_minor_version: version.split('.')[1] } : {}),
    distribution_release: release || 'NA',
    os_family: family,
  };
}
