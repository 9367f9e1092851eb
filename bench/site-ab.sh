#!/usr/bin/env bash
# A/B of lvsplay builds or settings on a no-change site.yml run (issue 17: template engines):
# variants alternate, N runs each; per run: wall, user, sys CPU (s) and max RSS (KB) of lvsplay
# from /usr/bin/time, the Jinja2 engine process's user+sys CPU (s; bench/pycpu.py, as it is not a
# waited-for child) and the template precheck (ms) from LVSPLAY_TIMING's marks. The lab must be up and converged (one site.yml run) beforehand.
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
  if ((i % 2 == 0)); then # every other round in reverse order
    variants=()
    for ((k = $#; k >= 1; k--)); do variants+=("${!k}"); done
  fi
  for v in "${variants[@]}"; do
    label=${v%%=*} cmd=${v#*=}
    read -r -a words <<<"$cmd"
    rm -f "$out/py"
    env LVSPLAY_TIMING=1 NO_COLOR=1 LVSPLAY_PYTHON="$root/bench/pycpu.py" LVSPLAY_PYCPU_FILE="$out/py" /usr/bin/time -o "$out/t" -f '%e %U %S %M' \
      env "${words[@]:0:${#words[@]}-1}" node "${words[-1]}" -i "$inv" -f 4 --roles-path "$root/roles" "$root/playbooks/site.yml" >"$out/o" 2>"$out/e" || {
      echo "$label: run failed" >&2
      tail -n 5 "$out/o" "$out/e" >&2
      exit 1
    }
    grep -q 'changed=0 ' "$out/o" || { echo "$label: not a no-change run" >&2; grep -A6 RECAP "$out/o" >&2; }
    pre=$(awk '/templates precheck start/ {gsub(/[^0-9.]/, "", $2); s = $2} /templates prechecked/ {gsub(/[^0-9.]/, "", $2); printf "%.1f", $2 - s}' "$out/e")
    for _ in 1 2 3 4 5 6 7 8 9 10; do [ -s "$out/py" ] || sleep 0.1; done # the engine writes as it ends
    py=$(awk 'END {printf "%.2f", $1 + $2}' "$out/py" 2>/dev/null || true) # its last report
    echo "$label $(cat "$out/t") ${py:-0} ${pre:-?}"
  done
done
