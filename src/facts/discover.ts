// Ansible's Python interpreter discovery (executor/interpreter_discovery.py, 2.14), for what it is
// seen by: the first module that runs on a host (and succeeds) brings back the fact
// `discovered_interpreter_python` in its result's `ansible_facts`; the host keeps it as a fact,
// visible as `discovered_interpreter_python` and `ansible_facts.discovered_interpreter_python`.
// lvsplay's modules need no Python on the host, but playbooks read the fact and compare results.
//
// Only when the interpreter is not set (`ansible_python_interpreter`, or interpreter_python in
// ansible.cfg / ANSIBLE_PYTHON_INTERPRETER, is unset or one of the auto modes). The host answers
// `command -v` for each name of the fallback list (in its order), `uname`, and its os-release; the
// distribution's entry of Ansible's map decides, else the first interpreter found (with Ansible's
// warnings, unless the mode is *_silent).
import type { Vars } from '../types.js';
import { parseOsRelease } from './os.js';
import { q } from '../shell.js';

export const DISCOVERY_MODES = ['auto', 'auto_legacy', 'auto_silent', 'auto_legacy_silent'] as const;

/** INTERPRETER_PYTHON_FALLBACK's default: the names looked for, in order. */
export const PYTHON_FALLBACK = ['python3.11', 'python3.10', 'python3.9', 'python3.8', 'python3.7', 'python3.6', 'python3.5', '/usr/bin/python3', '/usr/libexec/platform-python', 'python2.7', '/usr/bin/python', 'python'];

/** _INTERPRETER_PYTHON_DISTRO_MAP's default. */
const DISTRO_MAP: Record<string, Record<string, string>> = {
  redhat: { '6': '/usr/bin/python', '8': '/usr/libexec/platform-python', '9': '/usr/bin/python3' },
  debian: { '8': '/usr/bin/python', '10': '/usr/bin/python3' },
  fedora: { '23': '/usr/bin/python3' },
  ubuntu: { '14': '/usr/bin/python', '16': '/usr/bin/python3' },
};

/** Distribution.OS_FAMILY_MAP of Ansible's facts, as discovery uses it (names and families lowercased). */
const FAMILIES: Record<string, string[]> = {
  redhat: ['RedHat', 'RHEL', 'Fedora', 'CentOS', 'Scientific', 'SLC', 'Ascendos', 'CloudLinux', 'PSBM', 'OracleLinux', 'OVS', 'OEL', 'Amazon', 'Virtuozzo', 'XenServer', 'Alibaba', 'EulerOS', 'openEuler', 'AlmaLinux', 'Rocky', 'TencentOS', 'EuroLinux', 'Kylin Linux Advanced Server'],
  debian: ['Debian', 'Ubuntu', 'Raspbian', 'Neon', 'KDE neon', 'Linux Mint', 'SteamOS', 'Devuan', 'Kali', 'Cumulus Linux', 'Pop!_OS', 'Parrot', 'Pardus GNU/Linux', 'Uos', 'Deepin', 'OSMC'],
  suse: ['SuSE', 'SLES', 'SLED', 'openSUSE', 'openSUSE Tumbleweed', 'SLES_SAP', 'SUSE_LINUX', 'openSUSE Leap'],
  archlinux: ['Archlinux', 'Antergos', 'Manjaro'],
  mandrake: ['Mandrake', 'Mandriva'],
  solaris: ['Solaris', 'Nexenta', 'OmniOS', 'OpenIndiana', 'SmartOS'],
  slackware: ['Slackware'],
  altlinux: ['Altlinux'],
  sgml: ['SGML'],
  gentoo: ['Gentoo', 'Funtoo'],
  alpine: ['Alpine'],
  aix: ['AIX'],
  'hp-ux': ['HPUX'],
  darwin: ['MacOSX'],
  freebsd: ['FreeBSD', 'TrueOS'],
  clearlinux: ['Clear Linux OS', 'Clear Linux Mix'],
  dragonfly: ['DragonflyBSD', 'DragonFlyBSD', 'Gentoo/DragonflyBSD', 'Gentoo/DragonFlyBSD'],
  netbsd: ['NetBSD'],
};
const FAMILY_OF = new Map(Object.entries(FAMILIES).flatMap(([fam, names]) => names.map((n) => [n.toLowerCase(), fam] as const)));

const DOC = 'https://docs.ansible.com/ansible-core/2.14/reference_appendices/interpreter_discovery.html';

/** What the host answered: the interpreters `command -v` found (absolute paths, in the fallback order), its platform (uname), its os-release text. */
export interface DiscoveryProbe {
  found: string[];
  platform: string;
  osRelease: string;
}

/** What the facts probe that gathered a facts object answered to discovery (so that no second round trip asks), by that object. */
export const discoveryProbes = new WeakMap<object, DiscoveryProbe>();

export interface Discovered {
  python: string;
  warnings: string[];
}

/**
 * The discovery mode for a host, or undefined when its interpreter is given: the variable
 * ansible_python_interpreter first, then the configured interpreter_python (default auto).
 */
export function discoveryMode(v: Vars, configured: string | undefined): string | undefined {
  const given = v.ansible_python_interpreter;
  const value = typeof given === 'string' ? given.trim() : given === undefined || given === null ? (configured ?? 'auto').trim() : String(given);
  if (value === '' || (DISCOVERY_MODES as readonly string[]).includes(value)) return value || 'auto';
  return undefined;
}

/** The fallback list of a host (ansible_interpreter_python_fallback may replace it). */
export function fallbackList(v: Vars): string[] {
  const f = v.ansible_interpreter_python_fallback;
  return Array.isArray(f) && f.every((x) => typeof x === 'string') ? (f as string[]) : PYTHON_FALLBACK;
}

const MARK = '@@lvsplay-discovery-osrelease';

/** Ansible's bootstrap: `command -v` of each name of the list, in its order (also a section of the facts probe). */
export function commandV(list: string[]): string {
  return `for py in ${list.map((x) => q(x)).join(' ')}; do command -v "$py"; done`;
}

/** The shell that asks the host (Ansible's bootstrap, then the os-release its second step reads). */
export function discoveryScript(list: string[]): string {
  return `echo PLATFORM; uname; echo FOUND; ${commandV(list)}; echo ENDFOUND; echo ${MARK}; cat /etc/os-release 2>/dev/null || cat /usr/lib/os-release 2>/dev/null; true`;
}

/** The probe's answer from the script's output; undefined when it is not the expected shape. */
export function parseDiscovery(stdout: string): DiscoveryProbe | undefined {
  const m = /PLATFORM[\r\n]+([\s\S]*?)FOUND([\s\S]*?)ENDFOUND/.exec(stdout);
  if (!m || !stdout.startsWith('PLATFORM')) return undefined;
  const at = stdout.indexOf(`${MARK}\n`);
  return {
    platform: m[1].trim().toLowerCase(),
    found: m[2].split(/\r?\n/).filter((l) => l.startsWith('/')).map((l) => l.trim()),
    osRelease: at < 0 ? '' : stdout.slice(at + MARK.length + 1),
  };
}

/** distutils' LooseVersion components: numbers as numbers, letters as words, dots dropped. */
function loose(v: string): (number | string)[] {
  return v
    .split(/(\d+|[a-z]+|\.)/i)
    .filter((c) => c && c !== '.')
    .map((c) => (/^\d+$/.test(c) ? Number(c) : c));
}

function compareLoose(a: (number | string)[], b: (number | string)[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const x = a[i];
    const y = b[i];
    if (x === y) continue;
    if (typeof x !== typeof y) throw new TypeError(`'<' not supported between instances of '${typeof x === 'number' ? 'int' : 'str'}' and '${typeof y === 'number' ? 'int' : 'str'}'`);
    return x < y ? -1 : 1;
  }
  return a.length - b.length;
}

/** _version_fuzzy_match: the exact version's entry, else that of the nearest version below it (the oldest when below all). */
function fuzzyMatch(version: string, map: Record<string, string>): string {
  if (map[version]) return map[version];
  const keys = Object.keys(map).sort((a, b) => compareLoose(loose(a), loose(b)));
  const want = loose(version);
  let pos = 0;
  while (pos < keys.length && compareLoose(loose(keys[pos]), want) <= 0) pos++;
  return map[keys[pos === 0 ? 0 : pos - 1]];
}

class Fallback extends Error {}

/** discover_interpreter: the interpreter Ansible would settle on for a host that answered `probe`, and the warnings it would give. */
export function discover(probe: DiscoveryProbe | undefined, host: string, mode: string, list: string[]): Discovered {
  const legacy = mode.startsWith('auto_legacy');
  const silent = mode.endsWith('_silent');
  const warnings: string[] = [];
  const warn = (w: string) => {
    if (!silent) warnings.push(w);
  };
  let found = ['/usr/bin/python'];
  let platform = 'unknown';
  try {
    if (!probe) throw new Error('unexpected output from Python interpreter discovery');
    platform = probe.platform;
    found = probe.found;
    if (!found.length) {
      // Ansible warns here and its modules then fail; lvsplay's modules need no Python: the fact
      // is Ansible's, the warning would only be noise (an Ansible module run there fails, saying why)
      return { python: '/usr/bin/python', warnings };
    }
    if (platform !== 'linux') throw new Fallback();
    const os = parseOsRelease(probe.osRelease);
    const distro = (os.ID ?? '').trim();
    const version = os.VERSION_ID ?? '';
    if (!distro || !version) throw new Fallback();
    const map = DISTRO_MAP[distro.toLowerCase()] ?? DISTRO_MAP[FAMILY_OF.get(distro.toLowerCase()) ?? ''];
    if (!map) throw new Fallback();
    const wanted = fuzzyMatch(version, map);
    if (legacy && wanted !== '/usr/bin/python' && found.includes('/usr/bin/python')) {
      warn(`Distribution ${distro} ${version} on host ${host} should use ${wanted}, but is using /usr/bin/python for backward compatibility with prior Ansible releases. See ${DOC} for more information`);
      return { python: '/usr/bin/python', warnings };
    }
    if (!found.includes(wanted)) {
      if (!list.includes(wanted)) warn(`Platform interpreter ${wanted} on host ${host} is missing from bootstrap list`);
      warn(`Distribution ${distro} ${version} on host ${host} should use ${wanted}, but is using ${found[0]}, since the discovered platform python interpreter was not present. See ${DOC} for more information.`);
      return { python: found[0], warnings };
    }
    return { python: wanted, warnings };
  } catch (e) {
    if (!(e instanceof Fallback)) warn(`Unhandled error in Python interpreter discovery for host ${host}: ${(e as Error).message}`);
  }
  warn(`Platform ${platform} on host ${host} is using the discovered Python interpreter at ${found[0]}, but future installation of another Python interpreter could change the meaning of that path. See ${DOC} for more information.`);
  return { python: found[0], warnings };
}
