// dnf/yum side of the package module: rpm -q probe, dnf/yum steps. (Cannot run on the Debian
// machines here: covered by recorded fixtures.)
import type { Plan, Step } from '../../src/types.js';
import { sh } from '../../src/shell.js';
import { mark, sections } from '../../src/probe.js';
import { pkgAfter, type PkgRequest } from './pkgcommon.js';

export function rpmProbe(r: PkgRequest, bin: 'dnf' | 'yum'): string {
  const names = r.pkgs.map((p) => p.name);
  if (!names.length) return 'true';
  const lines = [mark('pkgs'), sh`rpm -q --qf '%{NAME} %{VERSION}-%{RELEASE}\\n' ${names} 2>&1; true`];
  if (r.state === 'latest') lines.push(mark('updates'), sh`${bin} -q check-update ${names} 2>&1; echo "rc=$?"`);
  return lines.join('\n');
}

export function parseRpm(out: string): Map<string, string> {
  const m = new Map<string, string>();
  for (const line of out.split('\n')) {
    const w = line.trim().split(/\s+/);
    if (w.length === 2 && !line.includes('not installed')) m.set(w[0], w[1]);
  }
  return m;
}

/** Names with an update from `dnf check-update` (exit 100 when there are updates). */
export function parseCheckUpdate(out: string): Set<string> {
  const set = new Set<string>();
  if (!/rc=100\s*$/.test(out)) return set;
  for (const line of out.split('\n')) {
    const m = /^(\S+)\.(\S+)\s+\S+\s+\S+\s*$/.exec(line);
    if (m && !line.startsWith('rc=')) set.add(m[1]);
  }
  return set;
}

export function rpmPlan(r: PkgRequest, bin: 'dnf' | 'yum', stdout: string): Plan {
  const s = sections(stdout);
  const inst = parseRpm(s.get('pkgs') ?? '');
  const updates = parseCheckUpdate(s.get('updates') ?? '');
  const install: string[] = [];
  const upgrade: string[] = [];
  const remove: string[] = [];
  const before: string[] = [];
  const after: string[] = [];
  for (const p of r.pkgs) {
    const v = inst.get(p.name);
    before.push(`${p.name}: ${v ?? 'not installed'}`);
    if (r.state === 'absent') {
      if (v) remove.push(p.name);
      after.push(`${p.name}: not installed`);
    } else if (!v) {
      install.push(p.name);
      after.push(`${p.name}: installed`);
    } else if (r.state === 'latest' && updates.has(p.name)) {
      upgrade.push(p.name);
      after.push(`${p.name}: upgraded`);
    } else after.push(`${p.name}: ${v}`);
  }
  const steps: Step[] = [];
  const weak = r.installRecommends === false ? ['--setopt=install_weak_deps=False'] : [];
  if (r.updateCache && (install.length || upgrade.length || r.pkgs.length === 0)) steps.push({ describe: `${bin} makecache`, cmd: sh`${bin} -y -q makecache 2>&1` });
  if (install.length) steps.push({ describe: `${bin} install ${install.join(' ')}`, cmd: sh`${[bin, '-y', ...weak, 'install', ...install]} 2>&1` });
  if (upgrade.length) steps.push({ describe: `${bin} upgrade ${upgrade.join(' ')}`, cmd: sh`${[bin, '-y', ...weak, 'upgrade', ...upgrade]} 2>&1` });
  if (remove.length) steps.push({ describe: `${bin} remove ${remove.join(' ')}`, cmd: sh`${bin} -y remove ${remove} 2>&1` });
  const todo = [...install, ...upgrade, ...remove];
  const diff = todo.length ? [{ path: 'packages', before: `${before.join('\n')}\n`, after: `${after.join('\n')}\n` }] : [];
  return { steps, diff, result: { packages: todo }, after: pkgAfter(bin) };
}
