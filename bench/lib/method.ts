// How the figures were obtained (written under the table in bench/results/latest.md).
import type { ExecRow } from './scenarios.js';

export function methodText(execs: ExecRow[]): string {
  const methods = [...new Set(execs.map((e) => `${e.tool}: ${e.method}`))];
  return `## Method

- Same work: lvsplay runs playbooks/site.yml (and bench/lvsplay/real-servers.yml); ansible-playbook
  runs bench/ansible/site.yml (and real-servers.yml) over the very same roles/ (ansible.cfg
  roles_path), with the same lab inventory (it sets \`lvs_vrrp_only=true\`: keepalived --vrrp, the
  lab kernel has no IPVS), the same \`-f\` forks (= host count) and the same
  \`--limit\`. The one lvsplay-only module of the roles, \`ip_address\`, is given to Ansible as
  bench/ansible/library/ip_address.py: the same probe and byte-identical persistence files, one
  module run per call. \`sysctl\` is ansible.posix.sysctl (Debian's \`ansible\` package).
- Three tools: lvsplay, ansible-playbook, and ansible-playbook + Mitogen (Debian's
  ansible-mitogen 0.3.3, strategy \`mitogen_linear\` through ANSIBLE_STRATEGY and
  ANSIBLE_STRATEGY_PLUGINS=/usr/lib/python3/dist-packages/ansible_mitogen/plugins/strategy; the
  same ansible.cfg otherwise). "speed-up vs fastest Ansible" divides the faster of the two Ansible
  medians by lvsplay's and names which one it was. Mitogen 0.3.3 fails the roles' playbooks at
  \`apt\` on ansible-core 2.14 (cannot unpickle AnsibleUnsafeText): there its runs count as failed.
- 6: bench/ansible-style/site.yml, a playbook written the Ansible way (ansible.posix.sysctl with a
  loop, file, template, copy, shell; a templated \`gather_facts\` that is false), run unchanged by
  all three tools on the 4-host lab and on the big lab (all hosts); converged once by each tool
  first, then timed no-change re-runs.
- Ansible tuned in its favour: pipelining on, interpreter_python fixed (no discovery exec), SSH
  ControlPersist multiplexing (its default) within a run; host key checking on, against the lab's
  known_hosts, as lvsplay. Each run gets a fresh ControlPath directory and its masters are closed
  afterwards, so every run of both tools pays for its own connections.
- Wall clock from spawn to exit of the tool's process; "cpu" is user+sys of the tool and all its
  children (ansible's forks and ssh clients) from /usr/bin/time. Runs rotate (each tool first, in the
  middle and last in turn); medians of the successful runs.
- 1: before every run \`lab down && lab up\` (not timed) and python3 installed on the hosts (not
  timed; ansible-playbook's prerequisite — lvsplay needs only sh). A warm-up converge first fills
  the lab's apt proxy cache, so package downloads come from the cache: the tools are measured.
- 2, 3: the hosts are converged once by each tool before the timed re-runs (not timed), so each
  tool re-runs over the other's result. "changed" shows what each tool reported in those runs.
  ansible-playbook reports keepalived's service task as changed on every run on the lab: its
  sysvinit service module cannot see that keepalived runs (Debian's keepalived init script has
  no \`status\`), so it runs \`service keepalived start\` again every time.
- 4: one extra, untimed run per tool. ${methods.join('; ') || '-'}.
  Tasks per host = "ok" in the recap per host (it includes the changed ones, and "Gathering
  Facts", which both tools show as a task). Skipped tasks cost no exec in either tool. A loop
  counts as one task (both tools run the module once per item).
- 3a/3b: the same 50-host lab, all hosts in real_servers; 3a limits the run to 4 of them.
- 5: \`lvsplay --version\` is \`node dist/cli/lvsplay.js --version\` (what the lvsplay bin runs: the bundled CLI);
  --syntax-check with playbooks/inventory/notes.ini (no host is contacted).`;
}
