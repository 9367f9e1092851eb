#!/usr/bin/env bash
# Turn a debootstrapped root filesystem ($1) into a Vagrant base box guest: vagrant user with the
# well-known insecure key (Vagrant replaces it on first boot), passwordless sudo, DHCP on eth0 via
# systemd-networkd (Vagrant's Debian guest plugin then writes networkd files for the private
# network), fresh machine-id and ssh host keys on every clone, serial console.
set -euo pipefail
ROOT=$1
[[ -d $ROOT/etc ]] || { echo "guest-config.sh: $ROOT is not a root filesystem" >&2; exit 1; }
PUB=${VAGRANT_INSECURE_PUB:-$(ls /usr/share/rubygems-integration/all/gems/vagrant-*/keys/vagrant.pub 2>/dev/null | head -1)}
[[ -f $PUB ]] || { echo "guest-config.sh: vagrant's insecure public key not found (install vagrant)" >&2; exit 1; }

echo debian > "$ROOT/etc/hostname"
printf '127.0.0.1 localhost\n127.0.1.1 debian\n::1 localhost ip6-localhost ip6-loopback\n' > "$ROOT/etc/hosts"
# Empty machine-id: systemd generates one per boot of each clone, so DHCP leases differ.
: > "$ROOT/etc/machine-id"; rm -f "$ROOT/var/lib/dbus/machine-id"
echo 'LABEL=lvsroot / ext4 defaults,noatime 0 1' > "$ROOT/etc/fstab"

mkdir -p "$ROOT/etc/systemd/network"
printf '[Match]\nName=eth0\n[Network]\nDHCP=ipv4\n[DHCPv4]\nClientIdentifier=mac\n' > "$ROOT/etc/systemd/network/10-eth0.network"
ln -sf /lib/systemd/system/systemd-networkd.service "$ROOT/etc/systemd/system/multi-user.target.wants/systemd-networkd.service"
mkdir -p "$ROOT/etc/systemd/system/sockets.target.wants"
ln -sf /lib/systemd/system/systemd-networkd.socket "$ROOT/etc/systemd/system/sockets.target.wants/systemd-networkd.socket"
printf 'auto lo\niface lo inet loopback\nsource /etc/network/interfaces.d/*\n' > "$ROOT/etc/network/interfaces"
# Do not wait for "network online" at boot: nothing here needs it and it costs seconds under TCG.
ln -sf /dev/null "$ROOT/etc/systemd/system/systemd-networkd-wait-online.service"
ln -sf /dev/null "$ROOT/etc/systemd/system/apt-daily.timer"
ln -sf /dev/null "$ROOT/etc/systemd/system/apt-daily-upgrade.timer"
ln -sf /dev/null "$ROOT/etc/systemd/system/e2scrub_reap.service"
# ifupdown only brings up lo here (~9 s under TCG); Vagrant configures eth1 through networkd.
ln -sf /dev/null "$ROOT/etc/systemd/system/networking.service"

# ssh host keys are made on the first boot of each clone: ed25519 and ECDSA only, because an
# RSA key takes ~35 s to generate under software emulation (ssh-keygen -A makes all three).
# systemd expands $VAR and ${VAR} in Exec lines itself: the shell's own variables are written $$.
rm -f "$ROOT"/etc/ssh/ssh_host_*
mkdir -p "$ROOT/etc/systemd/system/ssh.service.d"
cat > "$ROOT/etc/systemd/system/ssh.service.d/hostkeys.conf" <<'UNIT'
[Service]
ExecStartPre=
ExecStartPre=/bin/sh -c 'for t in ed25519 ecdsa; do f=/etc/ssh/ssh_host_$${t}_key; [ -s $$f ] || ssh-keygen -q -t $$t -N "" -f $$f; done'
ExecStartPre=/usr/sbin/sshd -t
UNIT
printf 'UseDNS no\nPasswordAuthentication no\nHostKey /etc/ssh/ssh_host_ed25519_key\nHostKey /etc/ssh/ssh_host_ecdsa_key\n' \
  > "$ROOT/etc/ssh/sshd_config.d/vagrant.conf"

chroot "$ROOT" /usr/sbin/useradd -m -s /bin/bash -U vagrant
install -d -m 700 -o 1000 -g 1000 "$ROOT/home/vagrant/.ssh" 2>/dev/null || install -d -m 700 "$ROOT/home/vagrant/.ssh"
install -m 600 "$PUB" "$ROOT/home/vagrant/.ssh/authorized_keys"
chroot "$ROOT" /bin/chown -R vagrant:vagrant /home/vagrant/.ssh
echo 'vagrant ALL=(ALL) NOPASSWD: ALL' > "$ROOT/etc/sudoers.d/vagrant"
chmod 440 "$ROOT/etc/sudoers.d/vagrant"

# Serial console login (virsh console) and quieter boot.
ln -sf /lib/systemd/system/serial-getty@.service "$ROOT/etc/systemd/system/getty.target.wants/serial-getty@ttyS0.service" 2>/dev/null || true
# Keep installs from the lab repository quick: no man-db trigger, no docs.
printf 'path-exclude /usr/share/doc/*\npath-exclude /usr/share/man/*\npath-exclude /usr/share/locale/*\n' > "$ROOT/etc/dpkg/dpkg.cfg.d/01-nodoc"
rm -f "$ROOT/var/lib/man-db/auto-update"
printf 'Acquire::Languages "none";\nAPT::Install-Recommends "false";\n' > "$ROOT/etc/apt/apt.conf.d/90lvsplay"
