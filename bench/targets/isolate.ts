// The sandbox every target runs in, for both tools alike: new mount, UTS, network and PID
// namespaces (only a loopback interface, so anything reaching for the network fails the same way
// under both tools), overlays on /etc, /var, /usr, /home and /root (packages, users, cron tables,
// hostnames and services changed by a target vanish with the namespace), a private /tmp and /run/lock.
// `base` (the scratch directory, under the host's /tmp) stays visible at the same path.

const OVERLAID = ['etc', 'var', 'usr', 'home', 'root', 'opt', 'srv'];

/** The argv prefix that runs a command inside the sandbox; the command's argv follows it. */
export function sandbox(base: string, ovl: string): string[] {
  const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  const mounts = OVERLAID.map(
    (d) =>
      `mkdir -p ${q(`${ovl}/${d}/u`)} ${q(`${ovl}/${d}/w`)} && ` +
      `mount -t overlay overlay -o lowerdir=/${d},upperdir=${q(`${ovl}/${d}/u`)},workdir=${q(`${ovl}/${d}/w`)} /${d}`,
  );
  const script = [
    'set -e',
    'ip link set lo up',
    ...mounts,
    `mount --bind ${q(base)} /mnt`,
    'mount -t tmpfs -o mode=1777 tmpfs /tmp',
    // a private /run/lock: lvsplay's per-host lock of one target's run does not hold up another's
    // (every target's host is the same machine, `testhost`, in its own sandbox)
    'if [ -d /run/lock ]; then mount -t tmpfs -o mode=1777 tmpfs /run/lock; fi',
    `mkdir -p ${q(base)}`,
    `mount --bind /mnt ${q(base)}`,
    'umount /mnt',
    'exec "$@"',
  ].join('\n');
  return ['unshare', '--mount', '--uts', '--net', '--pid', '--fork', '--kill-child', '--mount-proc', '--propagation', 'private', 'sh', '-c', script, 'sandbox'];
}
