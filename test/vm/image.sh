#!/usr/bin/env bash
# Build (once, cached) the Vagrant libvirt box "lvsplay/debian12-ipvs": Debian bookworm minbase with
# the Debian 6.1 kernel (it ships ip_vs*.ko), systemd, sshd and the vagrant user; plus a local apt
# repository holding every .deb the playbooks install (keepalived, ipvsadm, a web server), which
# the VM lab serves to the guests over HTTP (guests have no route to any mirror).
#
#   test/vm/image.sh            build what is stale, print the box file path
#   LVSPLAY_VM_CACHE=DIR       cache directory (default /var/cache/lvsplay/vm)
#   LVSPLAY_VM_REPO_PKGS="..." packages for the guest repository (default below)
#
# Outputs in $CACHE: image/ (box.img, vmlinuz, initrd.img), repo/ (Packages + .debs),
# box/lvsplay-debian12-ipvs.box, stamps. Two cache levels: the guest image (slow: debootstrap,
# ~70-160 s) and the box archive around it (seconds), so editing box.Vagrantfile is cheap.
set -euo pipefail
CACHE=${LVSPLAY_VM_CACHE:-/var/cache/lvsplay/vm}
REPO_PKGS=${LVSPLAY_VM_REPO_PKGS:-"keepalived ipvsadm nginx-light busybox curl"}
# dbus: as on any installed Debian (systemd recommends it); without it `shutdown -r` cannot reach
# logind ("Failed to connect to bus"), so the reboot module's real reboot (e2e.test.ts) needs it
INCLUDE=linux-image-amd64,systemd-sysv,udev,openssh-server,iproute2,kmod,python3,sudo,curl,ifupdown,ca-certificates,dbus
HERE=$(cd "$(dirname "$0")" && pwd)
IMAGE_STAMP=$( { cat "$0" "$HERE/guest-config.sh"; echo "$REPO_PKGS $INCLUDE"; } | sha256sum | cut -c1-16)
STAMP=$IMAGE_STAMP-$(sha256sum < "$HERE/box.Vagrantfile" | cut -c1-8)
BOX=$CACHE/box/lvsplay-debian12-ipvs.box
IMG=$CACHE/image

if [[ -f $BOX && -f $CACHE/stamp && $(cat "$CACHE/stamp") == "$STAMP" && -s $CACHE/repo/Packages ]]; then
  echo "$BOX"; exit 0
fi
t0=$(date +%s)
log() { echo "[image +$(( $(date +%s) - t0 ))s] $*" >&2; }

# The mirror the machine's apt already uses (never a hard-coded host).
mirror() {
  local m=""
  if [[ -f /etc/apt/sources.list.d/debian.sources ]]; then
    m=$(awk '/^URIs:/{print $2; exit}' /etc/apt/sources.list.d/debian.sources)
  fi
  if [[ -z $m && -f /etc/apt/sources.list ]]; then
    m=$(awk '$1=="deb" && $0 !~ /security/ {for(i=2;i<=NF;i++) if ($i ~ /^https?:/) {print $i; exit}}' /etc/apt/sources.list)
  fi
  [[ -n $m ]] || { echo "image.sh: no Debian mirror found in the machine's apt sources" >&2; exit 1; }
  echo "$m"
}

build_image() {
  local WORK=$CACHE/work ROOT=$CACHE/work/rootfs MIRROR KVER
  MIRROR=$(mirror)
  mkdir -p "$CACHE"
  rm -rf "$WORK" "$IMG/stamp"
  mkdir -p "$WORK"
  log "debootstrap bookworm from $MIRROR"
  debootstrap --variant=minbase --include="$INCLUDE" bookworm "$ROOT" "$MIRROR" >"$WORK/debootstrap.log" 2>&1 \
    || { tail -30 "$WORK/debootstrap.log" >&2; exit 1; }

  in_root() { chroot "$ROOT" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin DEBIAN_FRONTEND=noninteractive "$@"; }

  log "downloading the guest repository: $REPO_PKGS"
  rm -f "$ROOT/etc/apt/sources.list"
  cp /etc/apt/sources.list.d/debian.sources "$ROOT/etc/apt/sources.list.d/" 2>/dev/null || cp /etc/apt/sources.list "$ROOT/etc/apt/"
  mount --bind /proc "$ROOT/proc"
  trap 'umount "$CACHE/work/rootfs/proc" 2>/dev/null || true' EXIT
  in_root apt-get clean   # drop debootstrap's own .debs: the repository holds only what guests lack
  in_root apt-get update -qq
  # shellcheck disable=SC2086
  in_root apt-get install -y -qq --download-only --no-install-recommends $REPO_PKGS >/dev/null
  rm -rf "$CACHE/repo.new"; mkdir -p "$CACHE/repo.new"
  cp "$ROOT"/var/cache/apt/archives/*.deb "$CACHE/repo.new/"
  (cd "$CACHE/repo.new" && dpkg-scanpackages -m . /dev/null > Packages 2>/dev/null)
  rm -rf "$CACHE/repo"; mv "$CACHE/repo.new" "$CACHE/repo"
  in_root apt-get clean
  rm -rf "$ROOT"/var/lib/apt/lists/* "$ROOT"/etc/apt/sources.list.d/*
  : > "$ROOT/etc/apt/sources.list"   # the Vagrantfile points guests at the lab repository
  umount "$ROOT/proc"; trap - EXIT

  log "configuring the guest"
  "$HERE/guest-config.sh" "$ROOT"

  KVER=$(ls "$ROOT/lib/modules" | sort -V | tail -1)
  ls "$ROOT/lib/modules/$KVER/kernel/net/netfilter/ipvs/ip_vs.ko"* >/dev/null  # the whole point
  rm -rf "$IMG"; mkdir -p "$IMG"
  cp "$ROOT/boot/vmlinuz-$KVER" "$IMG/vmlinuz"
  cp "$ROOT/boot/initrd.img-$KVER" "$IMG/initrd.img"
  chmod 644 "$IMG/vmlinuz" "$IMG/initrd.img"
  rm -rf "$ROOT"/boot/* "$ROOT"/usr/share/doc/* "$ROOT"/usr/share/man/* "$ROOT"/usr/share/locale/*

  log "filesystem image (kernel $KVER)"
  truncate -s 4G "$WORK/root.raw"
  mkfs.ext4 -q -L lvsroot -d "$ROOT" "$WORK/root.raw"
  qemu-img convert -O qcow2 "$WORK/root.raw" "$IMG/box.img"
  rm -rf "$WORK"
  echo "$IMAGE_STAMP" > "$IMG/stamp"
}

if [[ -f $IMG/stamp && $(cat "$IMG/stamp") == "$IMAGE_STAMP" && -f $IMG/box.img && -s $CACHE/repo/Packages ]]; then
  log "guest image is current; packaging the box only"
else
  build_image
fi

# A box may carry a Vagrantfile; it is merged under the user's. It boots the kernel directly.
echo '{"provider": "libvirt", "format": "qcow2", "virtual_size": 4}' > "$IMG/metadata.json"
cp "$HERE/box.Vagrantfile" "$IMG/Vagrantfile"
mkdir -p "$CACHE/box"
tar -C "$IMG" -cf "$BOX.new" metadata.json Vagrantfile box.img vmlinuz initrd.img
mv "$BOX.new" "$BOX"
echo "$STAMP" > "$CACHE/stamp"
log "done: $BOX ($(du -h "$BOX" | cut -f1))"
echo "$BOX"
