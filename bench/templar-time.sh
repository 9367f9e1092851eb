#!/usr/bin/env bash
# The main thread's wall time inside the templar (bench/templar-wrap.mjs) and the run's wall time, on
# a no-change site.yml, for lvsplay builds alternating: what the template layer costs per run, the
# rest of the run left out (issue 17: "rendering speed no worse than today"). The lab must be up and
# converged (one site.yml run) beforehand. Each build is a checkout built with `npm run build`
# (its dist/src is run unbundled, so the wrapper reaches its Templar); each gets its own cache dir.
#   bench/templar-time.sh INVENTORY N LABEL=BUILD_ROOT ...
# e.g. bench/templar-time.sh /var/lib/lvsplay/labs/x/inventory.ini 10 nunjucks=/var/tmp/nj now=.
# FORGET=renders: the renders an earlier run kept (src/jinja/kept.ts) are removed before each run
# (a run whose values all changed; compiled templates stay). FORGET=all: every cache is removed
# before each run (the first run on a machine, or after lvsplay or its engine changed).
# VARY=NAME: each run sets the variable NAME to a new value (-e NAME=LABEL-i): a run after one value
# changed (lvs_web_body: the real servers' index.html is written again, the rest stays).
# Prints per run: label, wall s, templar ms, templar calls; then each label's medians.
set -euo pipefail
inv=$1 n=$2
shift 2
root=$(cd "$(dirname "$0")/.." && pwd)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
for ((i = 1; i <= n; i++)); do
  for v in "$@"; do
    label=${v%%=*} build=$(cd "${v#*=}" && pwd)
    mkdir -p "$out/cache-$label"
    [ "${FORGET:-}" = renders ] && rm -rf "$out/cache-$label/renders"
    [ "${FORGET:-}" = all ] && rm -rf "$out/cache-$label"/* # a first run on this machine: no cache at all
    TEMPLAR_WRAP_ROOT=$build LVSPLAY_CACHE_DIR=$out/cache-$label NO_COLOR=1 /usr/bin/time -o "$out/t" -f '%e' \
      node --import "$root/bench/templar-wrap.mjs" "$build/dist/src/entry.js" -i "$inv" -f 4 --roles-path "$root/roles" ${VARY:+-e "$VARY=$label-$i"} "$root/playbooks/site.yml" >"$out/o" 2>"$out/e" || {
      echo "$label: run failed" >&2
      tail -n 5 "$out/o" "$out/e" >&2
      exit 1
    }
    [ -n "${VARY:-}" ] || grep -q 'changed=0 ' "$out/o" || echo "$label: not a no-change run" >&2
    t=$(sed -n 's/^\[templar\] \([0-9.]*\) ms in \([0-9]*\) calls$/\1 \2/p' "$out/e")
    echo "$label $(cat "$out/t") $t" | tee -a "$out/all"
  done
done
echo "-- medians (the first run of each build fills its cache and is left out)"
for v in "$@"; do
  label=${v%%=*}
  median() { sort -n | awk '{a[NR] = $1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }
  w=$(grep "^$label " "$out/all" | tail -n +2 | awk '{print $2}' | median)
  t=$(grep "^$label " "$out/all" | tail -n +2 | awk '{print $3}' | median)
  echo "$label: wall $w s, templar $t ms ($(($(grep -c "^$label " "$out/all") - 1)) runs)"
done
