#!/usr/bin/env bash
# The VM lab's plumbing: a network namespace holding libvirtd (so every bridge, dnsmasq and
# iptables rule libvirt makes stays in the lab), plus an HTTP server there that serves the
# guest package repository built by image.sh. Runs without systemd.
#
#   test/vm/lab.sh up        create the namespace, start virtlogd + libvirtd + the repo server
#   test/vm/lab.sh down      stop them, delete the namespace, remove leftover LIBVIRT_* chains
#   test/vm/lab.sh exec CMD  run CMD inside the namespace (vagrant, curl, virsh ...)
#   test/vm/lab.sh status
# Environment: LVSPLAY_VM_NS [lvsplay-vm], LVSPLAY_VM_CACHE [/var/cache/lvsplay/vm],
#   LVSPLAY_VM_RUN [/run/NS, i.e. /run/lvsplay-vm], LVSPLAY_VM_REPO_PORT [8088]
set -euo pipefail
NS=${LVSPLAY_VM_NS:-lvsplay-vm}
CACHE=${LVSPLAY_VM_CACHE:-/var/cache/lvsplay/vm}
RUN=${LVSPLAY_VM_RUN:-/run/$NS}
PORT=${LVSPLAY_VM_REPO_PORT:-8088}
URI=qemu:///system

in_ns() { ip netns exec "$NS" "$@"; }
# (no `cmd | grep -q` under pipefail: grep exits early and cmd dies of SIGPIPE, exit 141)
has_ns() { grep -qw "^$NS" <<<"$(ip netns list)"; }
alive() { [[ -f $1 ]] && kill -0 "$(cat "$1")" 2>/dev/null; }

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
start_reaped() { # start_reaped CMD... : detached, in the namespace, under test/vm/reaper.py
  in_ns setsid python3 "$HERE/reaper.py" "$@" </dev/null >>"$RUN/reaper.log" 2>&1 &
}

wait_for() { # wait_for SECONDS DESCRIPTION CMD...
  local t=$1 what=$2; shift 2
  for ((i = 0; i < t * 10; i++)); do "$@" >/dev/null 2>&1 && return 0; sleep 0.1; done
  echo "lab.sh: timed out waiting for $what" >&2; return 1
}

up() {
  mkdir -p "$RUN"
  # A name under /run/netns that is not a namespace any more (copied or left by an interrupted
  # run) is removed and made again.
  if has_ns && ! in_ns true 2>/dev/null; then ip netns del "$NS" 2>/dev/null || rm -f "/run/netns/$NS"; fi
  if ! has_ns; then ip netns add "$NS"; fi
  in_ns ip link set lo up
  if pgrep -x libvirtd >/dev/null && ! alive "$RUN/libvirtd.pid"; then
    echo "lab.sh: a libvirtd not started by this lab is running; refusing to start a second one" >&2; exit 1
  fi
  # Under reaper.py (a child subreaper): QEMU processes libvirtd leaves behind are reaped at once
  # instead of waiting as zombies for this machine's PID 1, which stalled libvirtd (see reaper.py).
  alive "$RUN/virtlogd.pid" || start_reaped virtlogd -d -p "$RUN/virtlogd.pid"
  if ! alive "$RUN/libvirtd.pid"; then
    start_reaped libvirtd -d -p "$RUN/libvirtd.pid"
  fi
  wait_for 30 virtlogd alive "$RUN/virtlogd.pid"
  wait_for 30 libvirtd virsh -c "$URI" version
  if ! virsh -c "$URI" pool-info default >/dev/null 2>&1; then
    mkdir -p /var/lib/libvirt/images
    virsh -c "$URI" pool-define-as default dir --target /var/lib/libvirt/images >/dev/null
  fi
  virsh -c "$URI" pool-start default >/dev/null 2>&1 || grep -Eq 'State:\s+running' <<<"$(virsh -c "$URI" pool-info default)"
  if ! alive "$RUN/repo.pid"; then
    # Serves the path, not the directory: image.sh may replace the repository later.
    mkdir -p "$CACHE/repo"; [[ -f $CACHE/repo/Packages ]] || : > "$CACHE/repo/Packages"
    in_ns setsid python3 -m http.server "$PORT" --directory "$CACHE/repo" </dev/null >"$RUN/repo.log" 2>&1 &
    echo $! > "$RUN/repo.pid"
    wait_for 10 "the repository server" in_ns curl -fsS "http://127.0.0.1:$PORT/Packages" -o /dev/null
  fi
  echo "lab.sh: namespace $NS up (libvirtd pid $(cat "$RUN/libvirtd.pid"))"
}

stop_pid() { # stop_pid PIDFILE
  local f=$1
  if alive "$f"; then
    local p; p=$(cat "$f"); kill "$p" 2>/dev/null || true
    for ((i = 0; i < 100; i++)); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$p" 2>/dev/null || true
  fi
  rm -f "$f"
}

# LIBVIRT_* chains libvirt leaves in iptables (empty after its networks are gone). Run with a
# prefix command (in_ns) for the lab's namespace, without one for the machine's own tables.
drop_libvirt_chains() {
  local tbl ch
  for tbl in filter nat mangle; do
    "$@" iptables -t "$tbl" -S 2>/dev/null | grep -E -- '-j LIBVIRT_[A-Z_]+$' | grep -v '^-A LIBVIRT_' | sed 's/^-A //' |
      while read -r rule; do eval "$* iptables -t $tbl -D $rule" || true; done || true
    for ch in $("$@" iptables -t "$tbl" -S 2>/dev/null | awk '$1=="-N" && $2 ~ /^LIBVIRT_/ {print $2}'); do
      "$@" iptables -t "$tbl" -F "$ch" 2>/dev/null || true
      "$@" iptables -t "$tbl" -X "$ch" 2>/dev/null || true
    done
  done
}

down() {
  if alive "$RUN/libvirtd.pid"; then
    for d in $(virsh -c "$URI" list --all --name 2>/dev/null | grep '^lvsplay_' || true); do
      virsh -c "$URI" destroy "$d" >/dev/null 2>&1 || true
      virsh -c "$URI" undefine "$d" --remove-all-storage >/dev/null 2>&1 || true
    done
    # disks of machines whose domain is already gone (an interrupted `vagrant up`)
    for v in $(virsh -c "$URI" vol-list default 2>/dev/null | awk '$1 ~ /^lvsplay_/ {print $1}'); do
      virsh -c "$URI" vol-delete --pool default "$v" >/dev/null 2>&1 || true
    done
    for n in $(virsh -c "$URI" net-list --all --name 2>/dev/null | grep '^lvsplay-' || true); do
      virsh -c "$URI" net-destroy "$n" >/dev/null 2>&1 || true
      virsh -c "$URI" net-undefine "$n" >/dev/null 2>&1 || true
    done
  fi
  stop_pid "$RUN/repo.pid"
  stop_pid "$RUN/libvirtd.pid"
  stop_pid "$RUN/virtlogd.pid"
  if has_ns; then
    drop_libvirt_chains in_ns
    # dnsmasq started by libvirt for the lab's networks
    for p in $(ip netns pids "$NS" 2>/dev/null); do kill "$p" 2>/dev/null || true; done
    ip netns del "$NS"
  fi
  # Only when no other libvirtd runs on the machine (its chains are not ours to remove).
  pgrep -x libvirtd >/dev/null || drop_libvirt_chains
  echo "lab.sh: namespace $NS down"
}

status() {
  ip netns list | grep -w "^$NS" || { echo "no namespace $NS"; return 0; }
  for f in virtlogd libvirtd repo; do
    if alive "$RUN/$f.pid"; then echo "$f: running ($(cat "$RUN/$f.pid"))"; else echo "$f: stopped"; fi
  done
  alive "$RUN/libvirtd.pid" && virsh -c "$URI" list --all && virsh -c "$URI" net-list --all
  return 0
}

case ${1:-} in
  up) up ;;
  down) down ;;
  status) status ;;
  exec) shift; in_ns "$@" ;;
  *) echo "usage: $0 up|down|status|exec CMD..." >&2; exit 2 ;;
esac
