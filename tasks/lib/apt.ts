// apt side of the package module: dpkg-query probe, apt-get steps.
import type { Plan, Step } from '../../src/types.js';
import { sh } from '../../src/shell.js';
import { TaskError } from '../../src/errors.js';
import { mark, sections } from '../../src/probe.js';
import { pkgAfter, type PkgRequest } from './pkgcommon.js';

export const STAMP = '/var/lib/apt/periodic/update-success-stamp';
export const UPDATE_STEP: Step = { describe: 'apt-get update', cmd: `apt-get update -q 2>&1\nmkdir -p /var/lib/apt/periodic && touch ${STAMP}` };

/**
 * dpkg's journal of an unfinished run: files named by numbers in /var/lib/dpkg/updates — what makes
 * apt-get refuse with "dpkg was interrupted, you must manually run 'dpkg --configure -a'" (a run
 * killed while dpkg unpacked or configured). lvsplay's apt then runs `dpkg --configure -a` before
 * its own step (Ansible's apt module fails with apt's message instead).
 */
const JOURNAL = 'ls /var/lib/dpkg/updates 2>/dev/null | grep -c "^[0-9]" || true';

/** The repair step: finish what the interrupted dpkg run left (packages left half-installed are then reinstalled by apt-get). */
function repairStep(dpkgOptions: string[]): Step {
  return {
    describe: 'dpkg --configure -a (an earlier dpkg run was interrupted)',
    cmd: sh`DEBIAN_FRONTEND=noninteractive dpkg ${dpkgOptions.map((x) => `--${x}`)} --configure -a 2>&1`,
  };
}

export function aptProbe(r: PkgRequest): string {
  const names = r.pkgs.map((p) => p.name);
  const lines = [mark('cache'), sh`stat -c %Y ${STAMP} 2>/dev/null || stat -c %Y /var/lib/apt/lists 2>/dev/null || echo 0`, mark('now'), 'date +%s', mark('journal'), JOURNAL];
  const rel = r.apt.defaultRelease ? ['-o', `APT::Default-Release=${r.apt.defaultRelease}`] : [];
  if (r.state === 'latest' && names.length) lines.push(mark('policy'), sh`LC_ALL=C apt-cache ${rel} policy ${names} 2>&1`);
  const globbed = r.pkgs.filter((p) => p.version !== undefined && isGlob(p.version)).map((p) => p.name);
  if (globbed.length) lines.push(mark('madison'), sh`LC_ALL=C apt-cache ${rel} madison ${globbed} 2>&1`);
  if (!names.length && r.apt.autoclean) lines.push(mark('autoclean'), sh`LC_ALL=C apt-get -s autoclean 2>&1`);
  else if (!names.length && r.apt.autoremove) lines.push(mark('autoremove'), sh`LC_ALL=C apt-get -s ${r.purge ? ['--purge'] : []} autoremove 2>&1`);
  if (names.length) lines.push(mark('pkgs'), sh`dpkg-query -W -f='\${Package} \${Status} \${Version}\\n' ${names} 2>&1; true`);
  return lines.join('\n');
}

interface Installed {
  version: string;
  state: string; // "install ok installed", "deinstall ok config-files", ...
}

/** apt-get's form of dpkg_options: each option as -o Dpkg::Options::=--OPTION. */
export function dpkgOpts(opts: string[]): string[] {
  return opts.flatMap((x) => ['-o', `Dpkg::Options::=--${x}`]);
}

const isGlob = (v: string): boolean => /[*?[]/.test(v);

/** A shell-style version pattern (Ansible matches name=version with fnmatch) as a RegExp. */
export function globRe(g: string): RegExp {
  const body = g.replace(/[.+^${}()|\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.').replace(/\[!/g, '[^');
  return new RegExp(`^${body}$`);
}

/** apt-cache madison: the available versions of each package, newest first. */
function parseMadison(out: string): Map<string, string[]> {
  const m = new Map<string, string[]>();
  for (const line of out.split('\n')) {
    const f = line.split('|').map((x) => x.trim());
    if (f.length >= 3) m.set(f[0], [...(m.get(f[0]) ?? []), f[1]]);
  }
  return m;
}

export function parseDpkg(out: string): Map<string, Installed> {
  const m = new Map<string, Installed>();
  for (const line of out.split('\n')) {
    const w = line.trim().split(/\s+/);
    if (w.length < 4 || line.startsWith('dpkg-query:')) continue;
    m.set(w[0], { state: w.slice(1, 4).join(' '), version: w[4] ?? '' });
  }
  return m;
}

export function parsePolicy(out: string): Map<string, { installed?: string; candidate?: string }> {
  const m = new Map<string, { installed?: string; candidate?: string }>();
  let cur: { installed?: string; candidate?: string } | undefined;
  for (const line of out.split('\n')) {
    const head = /^(\S+):\s*$/.exec(line);
    if (head) m.set(head[1], (cur = {}));
    const f = /^\s+(Installed|Candidate):\s*(\S+)/.exec(line);
    if (cur && f) {
      const v = f[2] === '(none)' ? undefined : f[2];
      if (f[1] === 'Installed') cur.installed = v;
      else cur.candidate = v;
    }
  }
  return m;
}

export function aptPlan(r: PkgRequest, stdout: string): Plan {
  const s = sections(stdout);
  const inst = parseDpkg(s.get('pkgs') ?? '');
  const policy = parsePolicy(s.get('policy') ?? '');
  const madison = parseMadison(s.get('madison') ?? '');
  const isIn = (n: string): Installed | undefined => {
    const i = inst.get(n);
    return i && / installed$/.test(i.state) ? i : undefined;
  };
  const todo: string[] = [];
  const before: string[] = [];
  const after: string[] = [];
  for (const p of r.pkgs) {
    const i = isIn(p.name);
    before.push(`${p.name}: ${i ? i.version : 'not installed'}`);
    if (r.state === 'absent') {
      const leftover = r.purge && inst.get(p.name)?.state.endsWith('config-files');
      if (i || leftover) todo.push(p.name);
      after.push(`${p.name}: ${i || leftover ? (r.purge ? 'purged' : 'removed') : 'not installed'}`);
      continue;
    }
    if (!i && r.apt.onlyUpgrade) {
      after.push(`${p.name}: not installed`);
      continue;
    }
    const cand = policy.get(p.name)?.candidate;
    // a pattern (name=1.2*) matches as Ansible's fnmatch and installs the newest matching version
    const re = p.version !== undefined && isGlob(p.version) ? globRe(p.version) : undefined;
    const fits = (v: string): boolean => (re ? re.test(v) : v === p.version); // exact, as Ansible's fnmatch without a pattern
    const need = !i || (p.version !== undefined && !fits(i.version)) || (r.state === 'latest' && cand !== undefined && cand !== i.version);
    const want = re && need ? madison.get(p.name)?.find((v) => re.test(v)) : p.version;
    if (need && re && want === undefined) throw new TaskError(`no available installation candidate for ${p.name}=${p.version}`);
    if (need) todo.push(want ? `${p.name}=${want}` : p.name);
    after.push(`${p.name}: ${need ? (want ?? (r.state === 'latest' && cand ? cand : 'installed')) : i!.version}`);
  }
  const age = Number(s.get('now') ?? 0) - Number(s.get('cache') ?? 0);
  const stale = r.cacheValidTime !== undefined ? age > r.cacheValidTime : r.pkgs.length === 0;
  const steps: Step[] = [];
  // update_cache: only when something is to be installed, or the cache is older than cache_valid_time,
  // or (like Ansible) update_cache alone without names and without cache_valid_time.
  if (r.updateCache && ((todo.length > 0 && r.state !== 'absent') || stale)) {
    steps.push(UPDATE_STEP);
  }
  const o = r.apt;
  const common = [...dpkgOpts(o.dpkgOptions), ...(o.force ? ['--force-yes'] : []), ...(o.autoremove ? ['--auto-remove'] : [])];
  if (todo.length && r.state !== 'absent') {
    const rec = r.installRecommends === undefined ? [] : [r.installRecommends ? '--install-recommends' : '--no-install-recommends'];
    // a package dpkg left half-installed (killed mid-unpack) has its version recorded: apt-get would
    // take it as installed and do nothing; --reinstall unpacks it again
    const broken = r.pkgs.some((p) => /half-installed|reinstreq/.test(inst.get(p.name)?.state ?? ''));
    const extra = [...(broken ? ['--reinstall'] : []), ...(o.onlyUpgrade ? ['--only-upgrade'] : []), ...(o.defaultRelease ? ['-t', o.defaultRelease] : []), ...rec, ...(o.allowDowngrade ? ['--allow-downgrades'] : [])];
    steps.push({
      describe: `apt-get install ${todo.join(' ')}`,
      cmd: sh`DEBIAN_FRONTEND=noninteractive apt-get install -y -q ${common} ${extra} ${todo} 2>&1`,
    });
  } else if (todo.length) {
    steps.push({ describe: `apt-get ${r.purge ? 'purge' : 'remove'} ${todo.join(' ')}`, cmd: sh`DEBIAN_FRONTEND=noninteractive apt-get remove -y -q ${common} ${r.purge ? ['--purge'] : []} ${todo} 2>&1` });
  } else if (!r.pkgs.length && o.autoclean) {
    // as Ansible 2.14: autoclean without names is the task's last word (changed when apt deletes a file: 'Del ')
    if (/^Del /m.test(s.get('autoclean') ?? '')) {
      steps.push({ describe: 'apt-get autoclean', cmd: sh`DEBIAN_FRONTEND=noninteractive apt-get -y ${dpkgOpts(o.dpkgOptions)} ${r.purge ? ['--purge'] : []} ${o.force ? ['--force-yes'] : []} autoclean 2>&1` });
    }
  } else if (!r.pkgs.length && o.autoremove && /The following packages will be REMOVED/.test(s.get('autoremove') ?? '')) {
    // like Ansible: autoremove without names is changed when apt would remove something
    steps.push({ describe: 'apt-get autoremove', cmd: sh`DEBIAN_FRONTEND=noninteractive apt-get autoremove -y -q ${common.filter((x) => x !== '--auto-remove')} ${r.purge ? ['--purge'] : []} 2>&1` });
  }
  // apt-get refuses to change anything after an interrupted dpkg run: finish it first
  if (steps.some((x) => x.describe !== UPDATE_STEP.describe) && Number(s.get('journal') ?? 0) > 0) steps.splice(steps[0] === UPDATE_STEP ? 1 : 0, 0, repairStep(o.dpkgOptions));
  const diff = todo.length ? [{ path: 'packages', before: `${before.join('\n')}\n`, after: `${after.join('\n')}\n` }] : [];
  return { steps, diff, result: { packages: todo, cache_updated: steps.some((x) => x.describe === 'apt-get update') }, after: pkgAfter('apt-get', true) };
}
