// The clean Debian root filesystem every lab host overlays: built once with debootstrap, cached.
import { existsSync, mkdirSync, writeFileSync, rmSync, renameSync, readdirSync, copyFileSync, chmodSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { mainMirror } from './sources.js';
import { runLive, runOk } from './proc.js';

export const ROOTFS_DIR = process.env.LVSPLAY_ROOTFS ?? '/var/cache/lvsplay/rootfs-bookworm';
export const ROOTFS_PACKAGES = ['openssh-server', 'iproute2', 'procps', 'sudo', 'busybox', 'ca-certificates'];
const STAMP = 'etc/lvsplay-rootfs';

/** Packages added to a rootfs build by LVSPLAY_ROOTFS_EXTRA (comma or space separated), e.g. the
 *  bench's `python3` for ansible-playbook on hundreds of hosts; use it with its own LVSPLAY_ROOTFS
 *  dir, since a rootfs already built is reused as it is. */
export function extraPackages(env = process.env.LVSPLAY_ROOTFS_EXTRA ?? ''): string[] {
  const names = env.split(/[\s,]+/).filter(Boolean);
  const bad = names.find((n) => !/^[a-z0-9][a-z0-9+.-]*$/.test(n));
  if (bad !== undefined) throw new Error(`LVSPLAY_ROOTFS_EXTRA: '${bad}' is not a Debian package name`);
  return names;
}

export function rootfsReady(dir = ROOTFS_DIR): boolean {
  return existsSync(join(dir, STAMP));
}

/** Build the rootfs if missing. Builds into a temp dir and renames, so a crash never leaves a half cache. */
export async function ensureRootfs(
  log: (s: string) => void = console.error,
  dir = ROOTFS_DIR,
  rebuild = false,
): Promise<{ built: boolean; seconds: number }> {
  if (rootfsReady(dir) && !rebuild) return { built: false, seconds: 0 };
  const t0 = Date.now();
  const mirror = mainMirror();
  mkdirSync(dirname(dir), { recursive: true });
  // Leftovers of crashed builds.
  for (const f of readdirSync(dirname(dir))) {
    const base = dir.slice(dirname(dir).length + 1);
    const m = /\.(?:tmp|old)-(\d+)$/.exec(f);
    // Only those of builds that died (another `up` may be building right now).
    if (f.startsWith(`${base}.`) && m && !existsSync(`/proc/${m[1]}`)) rmSync(join(dirname(dir), f), { recursive: true, force: true });
  }
  const tmp = `${dir}.tmp-${process.pid}`;
  log(`lab: building the Debian rootfs once (debootstrap bookworm from ${mirror}) into ${dir} ...`);
  mkdirSync(join(tmp, 'etc/dpkg/dpkg.cfg.d'), { recursive: true });
  writeFileSync(join(tmp, 'etc/dpkg/dpkg.cfg.d/01-lvsplay-nodoc'), NODOC);
  const code = await runLive('debootstrap', [
    '--variant=minbase',
    `--include=${[...ROOTFS_PACKAGES, ...extraPackages()].join(',')}`,
    'bookworm',
    tmp,
    mirror,
  ]);
  if (code !== 0) {
    rmSync(tmp, { recursive: true, force: true });
    throw new Error(`debootstrap failed (exit ${code}); is the mirror ${mirror} reachable through apt's sources?`);
  }
  await configure(tmp);
  // An old or incomplete cache goes away (labs running on an old one keep their open lower dir files).
  if (rootfsReady(dir) && !rebuild) {
    rmSync(tmp, { recursive: true, force: true }); // another `up` built it meanwhile
    return { built: false, seconds: (Date.now() - t0) / 1000 };
  }
  if (existsSync(dir)) {
    const old = `${dir}.old-${process.pid}`;
    renameSync(dir, old);
    rmSync(old, { recursive: true, force: true });
  }
  try {
    renameSync(tmp, dir);
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    if (!rootfsReady(dir)) throw e; // else another `up` won the race
  }
  const seconds = (Date.now() - t0) / 1000;
  log(`lab: rootfs built in ${seconds.toFixed(1)} s`);
  return { built: true, seconds };
}

const NODOC = `# lvsplay lab: no docs, man pages or translations (fast installs)
path-exclude=/usr/share/doc/*
path-include=/usr/share/doc/*/copyright
path-exclude=/usr/share/man/*
path-exclude=/usr/share/info/*
path-exclude=/usr/share/lintian/*
path-exclude=/usr/share/locale/*
path-include=/usr/share/locale/locale.alias
`;

async function configure(root: string): Promise<void> {
  const w = (p: string, s: string, mode?: number): void => {
    mkdirSync(dirname(join(root, p)), { recursive: true });
    writeFileSync(join(root, p), s);
    if (mode) chmodSync(join(root, p), mode);
  };
  for (const d of ['usr/share/doc', 'usr/share/man', 'usr/share/info']) {
    const p = join(root, d);
    if (!existsSync(p)) continue;
    for (const f of readdirSync(p)) if (f !== 'copyright') rmSync(join(p, f), { recursive: true, force: true });
  }
  await runOk('chroot', [root, 'debconf-set-selections'], { input: 'man-db man-db/auto-update boolean false\n' });
  rmSync(join(root, 'var/lib/man-db/auto-update'), { force: true });
  // Services may start inside hosts (they are separate machines).
  w('usr/sbin/policy-rc.d', '#!/bin/sh\n# lvsplay lab: services may start inside lab hosts\nexit 0\n', 0o755);
  // Each host gets its own host key at `lab up`.
  for (const f of readdirSync(join(root, 'etc/ssh'))) if (f.startsWith('ssh_host_')) rmSync(join(root, 'etc/ssh', f));
  w(
    'etc/ssh/sshd_config.d/lvsplay-lab.conf',
    'HostKey /etc/ssh/ssh_host_ed25519_key\nPermitRootLogin prohibit-password\nPasswordAuthentication no\nUseDNS no\n',
  );
  await runOk('sed', ['-i', 's/^AcceptEnv/#AcceptEnv/', join(root, 'etc/ssh/sshd_config')]);
  // The machine's apt sources (the hosts reach them through the controller's proxy).
  rmSync(join(root, 'etc/apt/sources.list'), { force: true });
  mkdirSync(join(root, 'etc/apt/sources.list.d'), { recursive: true });
  if (existsSync('/etc/apt/sources.list')) copyFileSync('/etc/apt/sources.list', join(root, 'etc/apt/sources.list'));
  if (existsSync('/etc/apt/sources.list.d'))
    for (const f of readdirSync('/etc/apt/sources.list.d'))
      if (f.endsWith('.sources') || f.endsWith('.list'))
        copyFileSync(join('/etc/apt/sources.list.d', f), join(root, 'etc/apt/sources.list.d', f));
  await runOk('chroot', [root, 'apt-get', 'update', '-qq', '-o', 'APT::Sandbox::User=root']);
  await runOk('chroot', [root, 'apt-get', 'clean']);
  w('etc/resolv.conf', '');
  w('etc/machine-id', '');
  w('etc/hostname', 'localhost\n');
  mkdirSync(join(root, 'root/.ssh'), { recursive: true, mode: 0o700 });
  w(STAMP, `lvsplay lab rootfs: debootstrap --variant=minbase bookworm + ${ROOTFS_PACKAGES.join(' ')}\nbuilt ${new Date().toISOString()}\n`);
}
