// apt's `deb` argument: install .deb files on the host with dpkg -i (their missing dependencies
// first, through apt-get), as Ansible 2.14 does; a file whose version is installed is left alone.
import type { Plan, Step } from '../../src/types.js';
import { TaskError } from '../../src/errors.js';
import { sh } from '../../src/shell.js';
import { mark, sections } from '../../src/probe.js';
import { pkgAfter, type PkgRequest } from './pkgcommon.js';
import { UPDATE_STEP, dpkgOpts } from './apt.js';

/** apt-get treats an argument as a file only when it contains a slash. */
const asFile = (f: string): string => (f.includes('/') ? f : `./${f}`);

export function debProbe(r: PkgRequest): string {
  return r.apt.deb
    .map((f, i) =>
      [
        mark(`deb${i}`),
        '(',
        sh`f=${f}; [ -r "$f" ] || { echo "NOFILE"; exit 0; }; p=$(dpkg-deb -f "$f" Package); v=$(dpkg-deb -f "$f" Version)`,
        'echo "PKG $p"; echo "VER $v"',
        `echo "INST $(dpkg-query -W -f='\${Status} \${Version}' "$p" 2>/dev/null)"`,
        `iv=$(dpkg-query -W -f='\${Version}' "$p" 2>/dev/null); [ -n "$iv" ] && dpkg --compare-versions "$iv" gt "$v" && echo LATER`,
        sh`LC_ALL=C apt-get -s install ${asFile(f)} 2>&1 | sed -n 's/^Inst \\([^ ]*\\) .*/DEP \\1/p'`,
        ') ; true',
      ].join('\n'),
    )
    .join('\n');
}

export function debPlan(r: PkgRequest, stdout: string): Plan {
  if (r.state !== 'present') throw new TaskError('deb only supports state=present');
  const s = sections(stdout);
  const o = r.apt;
  const files: string[] = [];
  const deps = new Set<string>();
  const before: string[] = [];
  const after: string[] = [];
  r.apt.deb.forEach((f, i) => {
    const out = s.get(`deb${i}`) ?? '';
    if (/^NOFILE$/m.test(out)) throw new TaskError(`Unable to install package: E:Could not open file ${f} - open (2: No such file or directory)`);
    const field = (k: string): string => new RegExp(`^${k} ?(.*)$`, 'm').exec(out)?.[1]?.trim() ?? '';
    const name = field('PKG');
    const ver = field('VER');
    const inst = /^install ok installed (\S+)$/.exec(field('INST'));
    if (inst && inst[1] === ver) return;
    if (/^LATER$/m.test(out) && !(o.force || o.allowDowngrade)) throw new TaskError('A later version is already installed');
    for (const m of out.matchAll(/^DEP (\S+)$/gm)) if (m[1] !== name) deps.add(m[1]);
    files.push(f);
    before.push(`${name}: ${inst ? inst[1] : 'not installed'}`);
    after.push(`${name}: ${ver}`);
  });
  const steps: Step[] = [];
  // update_cache: as for names, only when something is to be installed
  if (r.updateCache && files.length) steps.push(UPDATE_STEP);
  if (deps.size) {
    const rec = r.installRecommends === undefined ? [] : [r.installRecommends ? '--install-recommends' : '--no-install-recommends'];
    steps.push({
      describe: `apt-get install ${[...deps].join(' ')} (dependencies)`,
      cmd: sh`DEBIAN_FRONTEND=noninteractive apt-get install -y -q ${dpkgOpts(o.dpkgOptions)} ${o.force ? ['--force-yes'] : []} ${rec} ${o.allowDowngrade ? ['--allow-downgrades'] : []} ${[...deps]} 2>&1`,
    });
  }
  if (files.length) {
    const opts = [...o.dpkgOptions.map((x) => `--${x}`), ...(o.force ? ['--force-all'] : [])];
    steps.push({ describe: `dpkg -i ${files.join(' ')}`, cmd: sh`DEBIAN_FRONTEND=noninteractive dpkg ${opts} -i ${files} 2>&1` });
  }
  const diff = files.length ? [{ path: 'packages', before: `${before.join('\n')}\n`, after: `${after.join('\n')}\n` }] : [];
  return { steps, diff, result: {}, after: pkgAfter('dpkg', true) };
}
