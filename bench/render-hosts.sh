#!/usr/bin/env bash
# A task's strings rendered for many hosts (issue 17: the hosts of a task render together): N hosts
# on the controller (connection: local), three tasks whose conditions and arguments differ per host
# (values from inventory_hostname and a per-host index, through variables that are templates).
# Per run: label, wall s, engine requests, ms inside them (LVSPLAY_TIMING). Builds alternate.
#   bench/render-hosts.sh HOSTS ROUNDS LABEL=CLI_JS ...
# e.g. bench/render-hosts.sh 30 5 before=/tmp/old/dist/cli/lvsplay.js now=dist/cli/lvsplay.js
set -euo pipefail
hosts=$1 rounds=$2
shift 2
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
for ((i = 0; i < hosts; i++)); do echo "r$i ansible_connection=local ansible_python_interpreter=/usr/bin/python3 idx=$i"; done >"$dir/inventory.ini"
cat >"$dir/pb.yml" <<'PB'
- hosts: all
  gather_facts: false
  vars:
    base: /srv/data
    lport: "{{ 8000 + idx | int }}"
  tasks:
    - name: per-host message
      debug:
        msg: "{{ inventory_hostname }} listens on {{ lport }} under {{ base }}/{{ inventory_hostname }}"
      when: idx | int is even or idx | int > 3
    - name: facts from templates
      set_fact:
        mypath: "{{ base }}/{{ inventory_hostname | upper }}"
        half: "{{ (idx | int) // 2 }}"
    - name: again
      debug:
        msg: "{{ mypath | lower }} {{ half }}"
      when: half | int >= 0
PB
for ((r = 1; r <= rounds; r++)); do
  for v in "$@"; do
    label=${v%%=*} cli=${v#*=}
    LVSPLAY_TIMING=1 NO_COLOR=1 /usr/bin/time -o "$dir/t" -f '%e' node "$cli" -i "$dir/inventory.ini" -f 10 "$dir/pb.yml" >"$dir/o" 2>"$dir/e" || {
      echo "$label: run failed" >&2
      tail -n 5 "$dir/o" "$dir/e" >&2
      exit 1
    }
    echo "$label $(cat "$dir/t") $(sed -n 's/.*template engine: \([0-9]*\) requests, [0-9]* frames, \([0-9.]*\) ms in requests.*/\1 \2/p' "$dir/e")"
  done
done
