// The hostname module's strategies as Ansible 2.14 has them on Linux: where the permanent name is
// kept (a file, a HOSTNAME= line, hostnamectl) and whether the running (kernel) name changes too.
// Chosen by `use`, else systemd when it runs as init, else by the os-release ID as Ansible maps
// distributions (Debian and friends: /etc/hostname only — the running name is left as it is).
import { q } from '../../src/shell.js';

export type StratName = 'file' | 'systemd' | 'alpine' | 'openrc' | 'redhat' | 'sles' | 'openbsd' | 'generic';

export interface Strategy {
  name: StratName;
  /** the file holding the permanent name (not for systemd) */
  file?: string;
  /** the running name changes with it (hostnamectl --transient, hostname -F) */
  setsCurrent: boolean;
}

/** `use` values (Ansible's choices) -> strategy; the BSD/macOS/Solaris ones are not supported here. */
export const USE: Record<string, StratName | undefined> = {
  alpine: 'alpine',
  debian: 'systemd', // as Ansible: use=debian means hostnamectl
  systemd: 'systemd',
  generic: 'generic',
  openbsd: 'openbsd',
  openrc: 'openrc',
  redhat: 'redhat',
  sles: 'sles',
  freebsd: undefined,
  macos: undefined,
  macosx: undefined,
  darwin: undefined,
  solaris: undefined,
};

const FILE_DISTROS = ['Debian', 'Kylin', 'Cumulus-linux', 'Kali', 'Parrot', 'Ubuntu', 'Linuxmint', 'Linaro', 'Devuan', 'Raspbian', 'Uos', 'Deepin', 'Neon', 'Void', 'Pop'];
const REDHAT_DISTROS = ['Redhat', 'Centos', 'Anolis', 'Cloudlinuxserver', 'Cloudlinux', 'Alinux', 'Scientific', 'Oracle', 'Virtuozzo', 'Amazon', 'Altlinux', 'Eurolinux'];

/** Ansible's get_distribution(): the os-release ID capitalised (amzn -> Amazon, rhel -> Redhat). */
export function distributionOf(id: string): string {
  const d = id ? id[0].toUpperCase() + id.slice(1).toLowerCase() : 'OtherLinux';
  return d === 'Amzn' ? 'Amazon' : d === 'Rhel' ? 'Redhat' : d;
}

/** The strategy Ansible picks without `use` (undefined: "cannot be used on platform"). */
export function autoStrategy(distribution: string, version: string, systemdRuns: boolean): StratName | undefined {
  if (systemdRuns) return 'systemd';
  if (FILE_DISTROS.includes(distribution)) return 'file';
  if (REDHAT_DISTROS.includes(distribution)) return 'redhat';
  if (distribution === 'Alpine') return 'alpine';
  if (distribution === 'Gentoo') return 'openrc';
  if (distribution === 'Sles' && Number(version) >= 10 && Number(version) <= 12) return 'sles';
  return undefined;
}

export function strategy(name: StratName): Strategy {
  const file = { file: '/etc/hostname', alpine: '/etc/hostname', openrc: '/etc/conf.d/hostname', redhat: '/etc/sysconfig/network', sles: '/etc/HOSTNAME', openbsd: '/etc/myname' } as Record<string, string>;
  return { name, file: file[name], setsCurrent: name === 'systemd' || name === 'alpine' };
}

/** The permanent name from the strategy's file (undefined: a line that should be there is not). */
export function permanentFrom(s: Strategy, text: string | undefined): string | undefined {
  if (text === undefined) return '';
  const lines = text.split('\n').map((l) => l.trim());
  if (s.name === 'openrc') {
    const l = lines.find((x) => x.startsWith('hostname='));
    return l === undefined ? undefined : l.slice(10).replace(/^"+|"+$/g, '');
  }
  if (s.name === 'redhat') {
    const l = lines.find((x) => x.startsWith('HOSTNAME'));
    return l === undefined ? undefined : l.split('=')[1]?.trim();
  }
  return text.trim();
}

/** The new content of the strategy's file, or undefined when Ansible would leave it (openrc without a hostname= line). */
export function fileWith(s: Strategy, text: string, name: string): string | undefined {
  if (s.name === 'openrc') {
    const lines = text.split('\n').map((l) => l.trim());
    if (lines[lines.length - 1] === '') lines.pop();
    const i = lines.findIndex((l) => l.startsWith('hostname='));
    if (i >= 0) lines[i] = `hostname="${name}"`;
    return `${lines.join('\n')}\n`;
  }
  if (s.name === 'redhat') {
    const lines = text.split(/(?<=\n)/).filter((l) => l !== '');
    let found = false;
    const out = lines.map((l) => (l.trim().startsWith('HOSTNAME') ? ((found = true), `HOSTNAME=${name}\n`) : l));
    return out.join('') + (found ? '' : `HOSTNAME=${name}\n`);
  }
  return `${name}\n`;
}

/** Shell printing Python's socket.getfqdn() of the running name: the first name with a dot among the reverse lookup's names, else its canonical name. */
export const FQDN_SH = [
  'h=$(hostname)',
  'ip=$(getent ahosts "$h" 2>/dev/null | awk \'NR==1{print $1}\')',
  'set -- $( [ -n "$ip" ] && getent hosts "$ip" 2>/dev/null | head -n 1 )',
  'if [ $# -ge 2 ]; then shift; f=$1; for n in "$@"; do case $n in *.*) f=$n; break;; esac; done; echo "$f"; else echo "$h"; fi',
].join('\n');

export const writeInPlace = (path: string, content: string): string => `printf '%s' ${q(content)} > ${q(path)}`;
