#!/usr/bin/env bash
# A task's strings rendered for many hosts (issue 17: the hosts of a task render together): N hosts
# on the controller (connection: local), three tasks whose conditions and arguments differ per host
# (values from inventory_hostname and a per-host index, through variables that are templates).
# PLAY=hostvars: instead, every host reads every other host's variables through hostvars (a template
# looping over the group, and map('extract', hostvars, ...)).
# Per run: label, wall s, engine requests, ms inside them (LVSPLAY_TIMING). Builds alternate; each
# build has its own cache directory (LVSPLAY_CACHE_DIR), kept across its rounds.
#   bench/render-hosts.sh HOSTS ROUNDS LABEL=CLI_JS ...
# e.g. bench/render-hosts.sh 30 5 before=/tmp/old/dist/cli/lvsplay.js now=dist/cli/lvsplay.js
set -euo pipefail
hosts=$1 rounds=$2
shift 2
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
for ((i = 0; i < hosts; i++)); do echo "r$i ansible_connection=local ansible_python_interpreter=/usr/bin/python3 idx=$i ip=10.1.0.$i"; done >"$dir/inventory.ini"
if [ "${PLAY:-}" = hostvars ]; then
  cat >"$dir/pb.yml" <<'PB'
- hosts: all
  gather_facts: false
  tasks:
    - name: every host reads every other's ip
      debug:
        msg: "{% for h in groups['all'] if h != inventory_hostname %}{{ hostvars[h].ip }} {{ hostvars[h]['idx'] }} {% endfor %}"
    - name: and through extract
      debug:
        msg: "{{ groups['all'] | map('extract', hostvars, 'ip') | list | length }} {{ hostvars[inventory_hostname].ip }}"
PB
else
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
fi
for ((r = 1; r <= rounds; r++)); do
  for v in "$@"; do
    label=${v%%=*} cli=${v#*=}
    LVSPLAY_CACHE_DIR="$dir/cache-$label" LVSPLAY_TIMING=1 NO_COLOR=1 /usr/bin/time -o "$dir/t" -f '%e' node "$cli" -i "$dir/inventory.ini" -f 10 "$dir/pb.yml" >"$dir/o" 2>"$dir/e" || {
      echo "$label: run failed" >&2
      tail -n 5 "$dir/o" "$dir/e" >&2
      exit 1
    }
    echo "$label $(cat "$dir/t") $(sed -n 's/.*template engine: \([0-9]*\) requests, [0-9]* frames, \([0-9.]*\) ms in requests.*/\1 \2/p' "$dir/e")"
  done
done
