#!/usr/bin/env bash
# A/B of lvsplay builds or settings on a no-change site.yml run (issue 17: template engines):
# variants alternate, N runs each; per run: wall, user, sys CPU (s; the engine process included,
# it is a child) and max RSS (KB) from /usr/bin/time, and the template precheck (ms) from
# LVSPLAY_TIMING's marks. The lab must be up and converged (one site.yml run) beforehand.
#   bench/site-ab.sh INVENTORY N 'LABEL=[ENV=V ...] CLI_JS' ...
# e.g. bench/site-ab.sh /var/lib/lvsplay/labs/h-x/inventory.ini 5 'old=/tmp/old/dist/cli/lvsplay.js' 'new=dist/cli/lvsplay.js'
set -euo pipefail
inv=$1 n=$2
shift 2
root=$(cd "$(dirname "$0")/.." && pwd)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
for ((i = 1; i <= n; i++)); do
  variants=("$@")
  ((i % 2)) || variants=($(printf '%s\n' "$@" | tac)) # every other round in reverse order
  for v in "${variants[@]}"; do
    label=${v%%=*} cmd=${v#*=}
    read -r -a words <<<"$cmd"
    env LVSPLAY_TIMING=1 NO_COLOR=1 /usr/bin/time -o "$out/t" -f '%e %U %S %M' \
      env "${words[@]:0:${#words[@]}-1}" node "${words[-1]}" -i "$inv" -f 4 --roles-path "$root/roles" "$root/playbooks/site.yml" >"$out/o" 2>"$out/e" || {
      echo "$label: run failed" >&2
      tail -5 "$out/o" "$out/e" >&2
      exit 1
    }
    grep -q 'changed=0 ' "$out/o" || { echo "$label: not a no-change run" >&2; grep -A6 RECAP "$out/o" >&2; }
    pre=$(awk '/templates precheck start/ {gsub(/[^0-9.]/, "", $2); s = $2} /templates prechecked/ {gsub(/[^0-9.]/, "", $2); printf "%.1f", $2 - s}' "$out/e")
    echo "$label $(cat "$out/t") ${pre:-?}"
  done
done
