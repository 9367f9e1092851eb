// Installed packages as Ansible's package_facts lists them. apt: what python3-apt's cache says —
// name (name:arch for a foreign architecture), version, arch, category (the section) and origin
// (the Origin of the first package file holding the installed version, '' for dpkg's status file),
// read here from dpkg-query and `apt-cache policy`. rpm: name, version, release, epoch, arch.
import { mark } from '../../src/probe.js';

export interface Pkg {
  name: string;
  version: string;
  arch: string;
  category?: string;
  origin?: string;
  release?: string;
  epoch?: number | null;
  source: string;
}

export const APT_PROBE = [
  'export LC_ALL=C',
  mark('arch'),
  'dpkg --print-architecture',
  mark('dpkg'),
  "dpkg-query -W -f '${db:Status-Status}\\t${Package}\\t${Architecture}\\t${Version}\\t${Section}\\n'",
  mark('policy'),
  "apt-cache policy $(dpkg-query -W -f '${db:Status-Status} ${Package}:${Architecture}\\n' | awk '$1!=\"not-installed\" && $1!=\"config-files\"{print $2}') 2>/dev/null",
  mark('files'),
  'apt-cache policy 2>/dev/null',
  // the section of the installed version's first record (the archive's, which may differ from dpkg's)
  mark('show'),
  "apt-cache show $(dpkg-query -W -f '${db:Status-Status} ${Package}:${Architecture}=${Version}\\n' | awk '$1!=\"not-installed\" && $1!=\"config-files\"{print $2}') 2>/dev/null | grep -E '^(Package|Architecture|Section):|^$'",
].join('\n');

/** `apt-cache show` records (Package/Architecture/Section lines, blank-separated): "name arch" -> section. */
function sectionsOf(show: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const rec of show.split(/\n\s*\n/)) {
    const f = Object.fromEntries(rec.split('\n').map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 1).trim()]));
    if (f.Package && f.Section !== undefined && !out.has(`${f.Package} ${f.Architecture}`)) out.set(`${f.Package} ${f.Architecture}`, f.Section);
  }
  return out;
}

/** `apt-cache policy` without arguments: package file (as printed after its priority) -> its release's o= (Origin). */
function origins(files: string): Map<string, string> {
  const out = new Map<string, string>();
  let cur: string | undefined;
  for (const line of files.split('\n')) {
    const f = /^ -?\d+ (.+)$/.exec(line);
    if (f) {
      cur = f[1].trim();
      out.set(cur, '');
      continue;
    }
    const r = /^\s+release (.*)$/.exec(line);
    if (r && cur !== undefined) out.set(cur, /(?:^|,)o=([^,]*)/.exec(r[1])?.[1] ?? '');
  }
  return out;
}

/** `apt-cache policy PKG...`: package -> the package file listed first under its installed (***) version. */
function firstFiles(policy: string): Map<string, string> {
  const out = new Map<string, string>();
  let pkg: string | undefined;
  let next = false;
  for (const line of policy.split('\n')) {
    const h = /^(\S+):$/.exec(line);
    if (h) {
      pkg = h[1];
      next = false;
    } else if (/^ \*\*\* /.test(line)) next = true;
    else if (next && pkg !== undefined) {
      const m = /^\s+-?\d+ (.+)$/.exec(line);
      if (m) out.set(pkg, m[1].trim());
      next = false;
    }
  }
  return out;
}

export function parseApt(sec: Map<string, string>): Record<string, Pkg[]> {
  const native = (sec.get('arch') ?? '').trim();
  const first = firstFiles(sec.get('policy') ?? '');
  const orig = origins(sec.get('files') ?? '');
  const section = sectionsOf(sec.get('show') ?? '');
  const out: Record<string, Pkg[]> = {};
  for (const line of (sec.get('dpkg') ?? '').split('\n')) {
    const [status, name, arch, version, dpkgSection] = line.split('\t');
    if (!name || status === 'not-installed' || status === 'config-files') continue;
    const key = arch === native || arch === 'all' ? name : `${name}:${arch}`;
    const file = first.get(key);
    (out[key] ??= []).push({ name: key, version, arch, category: section.get(`${name} ${arch}`) ?? dpkgSection, origin: file === undefined ? '' : (orig.get(file) ?? ''), source: 'apt' });
  }
  return out;
}

export const RPM_PROBE = `${mark('rpm')}\nrpm -qa --qf '%{NAME}\\t%{VERSION}\\t%{RELEASE}\\t%{EPOCH}\\t%{ARCH}\\n' 2>/dev/null`;

export function parseRpm(text: string): Record<string, Pkg[]> {
  const out: Record<string, Pkg[]> = {};
  for (const line of text.split('\n')) {
    const [name, version, release, epoch, arch] = line.split('\t');
    if (!name || arch === undefined) continue;
    (out[name] ??= []).push({ name, version, release, epoch: epoch === '(none)' ? null : Number(epoch), arch, source: 'rpm' });
  }
  return out;
}
