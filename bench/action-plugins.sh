#!/usr/bin/env bash
# Wall time of a playbook whose task is an Ansible action plugin run in a loop (issue 13: action
# plugins run by ansible-core, src/pymod/action.py), under lvsplay and under ansible-playbook, on the
# controller (connection: local). The plugin runs two modules per item (stat, command) and sends a
# file to the host's temporary directory, as plugins commonly do.
#   bench/action-plugins.sh [ROUNDS] [ITEMS]      (defaults 5 and 10; both tools alternate)
set -euo pipefail
rounds=${1:-5} items=${2:-10}
root=$(cd "$(dirname "$0")/.." && pwd)
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
mkdir -p "$dir/action_plugins"
cat >"$dir/action_plugins/greet.py" <<'EOF'
from ansible.plugins.action import ActionBase


class ActionModule(ActionBase):
    TRANSFERS_FILES = True

    def run(self, tmp=None, task_vars=None):
        result = super(ActionModule, self).run(tmp, task_vars)
        st = self._execute_module(module_name='ansible.builtin.stat', module_args={'path': '/'}, task_vars=task_vars)
        note = self._connection._shell.join_path(self._connection._shell.tmpdir, 'note')
        self._transfer_data(note, 'hello %s\n' % self._task.args['name'])
        out = self._execute_module(module_name='ansible.builtin.command', module_args={'_raw_params': 'cat ' + note}, task_vars=task_vars)
        self._remove_tmp_path(self._connection._shell.tmpdir)
        result.update(changed=False, greeting=out['stdout'], exists=st['stat']['exists'])
        return result
EOF
printf -- '- hosts: all\n  gather_facts: false\n  tasks:\n    - greet: {name: "{{ item }}"}\n      loop: "{{ range(%d) | list }}"\n' "$items" >"$dir/pb.yml"
cd "$dir"
for ((i = 1; i <= rounds; i++)); do
  for tool in lvsplay ansible; do
    if [ "$tool" = lvsplay ]; then cmd=(node "$root/dist/cli/lvsplay.js"); else cmd=(ansible-playbook); fi
    /usr/bin/time -o "$dir/t" -f '%e' "${cmd[@]}" -i 'bench-ap,' -c local pb.yml >"$dir/out" 2>&1 || { echo "$tool failed:" >&2; tail -5 "$dir/out" >&2; exit 1; }
    echo "$tool $items items: $(cat "$dir/t") s"
  done
done
