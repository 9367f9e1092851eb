#!/usr/bin/env bash
# The VM end-to-end suite (test/vm/e2e.test.ts) with a hard time bound, for CI and by hand:
#   bash test/vm/run.sh              # ~10-20 min: box (cached), 4 VMs, scenario, destroy
#   LVSPLAY_SKIP_VM=1 bash test/vm/run.sh   # skip (prints why, exits 0)
#   LVSPLAY_VM_TIMEOUT=2400          # hard bound in seconds (default 1800)
# Needs root and the Debian packages below (.ci/setup installs them):
#   qemu-system-x86 qemu-utils debootstrap e2fsprogs dpkg-dev vagrant vagrant-libvirt
#   libvirt-daemon-system libvirt-daemon-driver-qemu libvirt-clients dnsmasq-base iptables
#   python3 curl openssh-client
# Whatever happens, the lab is torn down at the end (VMs, libvirt networks, namespace, chains).
set -uo pipefail
cd "$(dirname "$0")/../.."
if [[ ${LVSPLAY_SKIP_VM:-} == 1 ]]; then
  echo "== vm suite skipped (LVSPLAY_SKIP_VM=1)"; exit 0
fi
LIMIT=${LVSPLAY_VM_TIMEOUT:-1800}
STATE=${LVSPLAY_VM_STATE:-/var/lib/lvsplay/vm}
start=$(date +%s)
cleanup() {
  # The test destroys and tears down itself; this catches failures and the time bound.
  if grep -qw "^${LVSPLAY_VM_NS:-lvsplay-vm}" <<<"$(ip netns list 2>/dev/null)"; then
    echo "== vm suite: tearing the lab down"
    bash test/vm/lab.sh down || true
  fi
  rm -rf "$STATE/vagrant"
}
trap cleanup EXIT
echo "== vm suite (hard limit ${LIMIT}s)"
npx tsc -p . || exit 1
LVSPLAY_VM=1 timeout --kill-after=30 "$LIMIT" \
  npx mocha --no-config --timeout 0 --reporter spec dist/test/vm/e2e.test.js
rc=$?
[[ $rc == 124 ]] && echo "== vm suite: TIMED OUT after ${LIMIT}s"
echo "== vm suite: exit $rc in $(( $(date +%s) - start ))s"
exit $rc
