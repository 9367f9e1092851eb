#!/bin/sh
# lvsplay lab host init. Started by `lvsplay lab up` as
#   nsenter --net=/run/netns/NS unshare --mount --uts --ipc --pid --fork --kill-child sh init.sh NODE ADDR/PREFIX ROOTFS HOSTDIR
# so it runs as PID 1 of a new PID namespace, in a private mount namespace, inside the host's network
# namespace (eth0 is already there). It builds the host's root (overlay over the clean Debian ROOTFS,
# writes on a tmpfs that vanishes with the host), pivots into it, starts syslogd and sshd, then stays
# PID 1 reaping orphans. Nothing it mounts is visible outside the host.
set -eu
NODE=$1 ADDR=$2 ROOTFS=$3 HOSTDIR=$4
M=$HOSTDIR/mnt
R=$M/root

mount -t tmpfs -o mode=0755 lvsplay-$NODE "$M"
mkdir "$M/upper" "$M/work" "$R"
mount -t overlay -o "lowerdir=$ROOTFS,upperdir=$M/upper,workdir=$M/work" overlay "$R"
# Per-host files prepared by `lab up`: hostname, hosts, machine-id, ssh host key, authorized_keys, apt proxy.
cp -a "$HOSTDIR/root/." "$R/"

# Kernel filesystems of the host: own /proc; /proc/sys read-only except net (per network namespace).
mount -t proc proc "$R/proc"
mount --bind "$R/proc/sys" "$R/proc/sys"
mount -o remount,bind,ro "$R/proc/sys"
mount --bind "$R/proc/sys/net" "$R/proc/sys/net"
mount -o remount,bind,rw "$R/proc/sys/net"
mount -t sysfs -o ro,nosuid,nodev,noexec sysfs "$R/sys"
# Minimal /dev.
mount -t tmpfs -o mode=0755,nosuid,size=64k dev "$R/dev"
cp -a /dev/null /dev/zero /dev/full /dev/random /dev/urandom /dev/tty "$R/dev/"
mkdir "$R/dev/pts" "$R/dev/shm"
mount -t devpts -o newinstance,ptmxmode=0666,mode=0620,gid=5 devpts "$R/dev/pts"
mount -t tmpfs -o mode=1777,nosuid,nodev shm "$R/dev/shm"
ln -s pts/ptmx "$R/dev/ptmx"
ln -s /proc/self/fd "$R/dev/fd"
ln -s /proc/self/fd/0 "$R/dev/stdin"
ln -s /proc/self/fd/1 "$R/dev/stdout"
ln -s /proc/self/fd/2 "$R/dev/stderr"
mount -t tmpfs -o mode=0755,nosuid,nodev run "$R/run"
mkdir -p "$R/run/sshd" "$R/run/lock"
mount -t tmpfs -o mode=1777,nosuid,nodev tmp "$R/tmp"

# Network: lo + eth0 (veth into the lab bridge). No default route: nothing leaves the lab.
ip -b - <<IP
link set lo up
addr add $ADDR dev eth0
link set eth0 up
IP
hostname "$NODE"

# Become the host: the old root (with everything of the machine) is detached entirely.
cd "$R"
pivot_root . .
umount -l .
cd /
exec </dev/null
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8
unset OLDPWD

busybox syslogd
/usr/sbin/sshd
echo "lvsplay-lab: $NODE up (pid namespace init, sshd started)"

# PID 1: stay, reap orphans (dash reaps every child while waiting), exit on TERM (the host ends).
trap 'exit 0' TERM INT
while :; do
  sleep 86400 &
  wait $! || true
done
