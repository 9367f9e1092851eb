// Tiny local .deb packages and file: apt repositories for the apt tests (no network): packages named
// lvsplay-test-pkg-*, without files except an optional conffile under /etc; a `stable` suite and a
// `next` suite marked NotAutomatic (like experimental: only used when asked for with -t or name=version).
// isolateApt() returns a prefix that runs a tool in a mount namespace with overlays on the apt/dpkg
// state and /etc (upper directories in the test's scratch space), sources only these repositories.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { q } from '../../src/shell.js';

export interface TestPkg {
  name: string;
  version: string;
  suite?: 'stable' | 'next';
  depends?: string;
  conffile?: string; // content of /etc/<name>.conf
  /** More files (absolute path -> content; under /usr/bin: mode 755). */
  files?: Record<string, string>;
  /** A preinst script (run by dpkg while it unpacks the package). */
  preinst?: string;
}

function buildDeb(dir: string, p: TestPkg): string {
  const root = join(dir, 'build', `${p.name}_${p.version}`);
  mkdirSync(join(root, 'DEBIAN'), { recursive: true });
  const control = [`Package: ${p.name}`, `Version: ${p.version}`, 'Architecture: all', 'Maintainer: lvsplay tests <root@localhost>', ...(p.depends ? [`Depends: ${p.depends}`] : []), 'Description: lvsplay apt test package'];
  writeFileSync(join(root, 'DEBIAN', 'control'), `${control.join('\n')}\n`);
  if (p.conffile !== undefined) {
    mkdirSync(join(root, 'etc'), { recursive: true });
    writeFileSync(join(root, 'etc', `${p.name}.conf`), p.conffile);
    writeFileSync(join(root, 'DEBIAN', 'conffiles'), `/etc/${p.name}.conf\n`);
  }
  for (const [path, content] of Object.entries(p.files ?? {})) {
    mkdirSync(join(root, dirname(path)), { recursive: true });
    writeFileSync(join(root, path), content, { mode: path.startsWith('/usr/bin/') ? 0o755 : 0o644 });
  }
  if (p.preinst !== undefined) writeFileSync(join(root, 'DEBIAN', 'preinst'), p.preinst, { mode: 0o755 });
  const out = join(dir, 'debs', `${p.name}_${p.version}_all.deb`);
  execFileSync('dpkg-deb', ['--root-owner-group', '--build', root, out], { stdio: 'ignore', env: { ...process.env, SOURCE_DATE_EPOCH: '1700000000' } });
  return out;
}

/** Builds the packages into DIR/debs and the repositories DIR/repo/{stable,next}. */
export function buildRepo(dir: string, pkgs: TestPkg[]): void {
  mkdirSync(join(dir, 'debs'), { recursive: true });
  for (const suite of ['stable', 'next'] as const) mkdirSync(join(dir, 'repo', suite), { recursive: true });
  for (const p of pkgs) {
    const deb = buildDeb(dir, p);
    if (p.suite) execFileSync('cp', [deb, join(dir, 'repo', p.suite)]);
  }
  for (const suite of ['stable', 'next']) {
    const r = join(dir, 'repo', suite);
    const packages = execFileSync('dpkg-scanpackages', ['-m', '.', '/dev/null'], { cwd: r, stdio: ['ignore', 'pipe', 'ignore'] });
    writeFileSync(join(r, 'Packages'), packages);
    const sum = createHash('sha256').update(readFileSync(join(r, 'Packages'))).digest('hex');
    const release = [`Origin: lvsplay-test`, `Label: lvsplay-test`, `Suite: lvsplay-${suite}`, `Codename: lvsplay-${suite}`, ...(suite === 'next' ? ['NotAutomatic: yes', 'ButAutomaticUpgrades: yes'] : []), 'Date: Tue, 14 Nov 2023 22:13:20 UTC', 'SHA256:', ` ${sum} ${packages.length} Packages`];
    writeFileSync(join(r, 'Release'), `${release.join('\n')}\n`);
  }
}

const OVERLAID = ['/var/lib/dpkg', '/var/lib/apt', '/var/cache/apt', '/var/log', '/etc'];

/** Harness prefix: a new mount namespace with the apt/dpkg state and /etc overlaid (kept across the runs of one tool). */
export function isolateApt(repoDir: string): (work: string) => string[] {
  return (work) => {
    const ov = join(work, '..', 'apt-overlay');
    const script = [
      'set -e',
      `ov=${q(ov)}; repo=${q(join(repoDir, 'repo'))}`,
      ...OVERLAID.map((d) => {
        const n = d.replace(/\//g, '_');
        return `mkdir -p "$ov/${n}/up" "$ov/${n}/wk"; mount -t overlay overlay -o "lowerdir=${d},upperdir=$ov/${n}/up,workdir=$ov/${n}/wk" ${d}`;
      }),
      'if [ ! -e "$ov/seeded" ]; then',
      '  rm -rf /etc/apt/sources.list.d/* /etc/apt/preferences.d/*',
      '  printf "deb [trusted=yes] file:%s/stable ./\\ndeb [trusted=yes] file:%s/next ./\\n" "$repo" "$repo" > /etc/apt/sources.list',
      `  echo 'APT::Sandbox::User "root";' > /etc/apt/apt.conf.d/99lvsplay-test`,
      '  apt-get update -q >"$ov/update.log" 2>&1 || { cat "$ov/update.log" >&2; exit 1; }',
      '  touch "$ov/seeded"',
      'fi',
      'set +e; "$@"',
    ].join('\n');
    return ['unshare', '--mount', '--propagation', 'private', 'sh', '-c', script, 'sh'];
  };
}
