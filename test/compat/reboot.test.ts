// reboot: differential against ansible-playbook 2.14 over SSH to a real sshd on 127.0.0.1 (this
// test's own, its own port and keys; needs root). Nothing reboots: a stand-in shutdown command
// records its arguments, then a second later gives the "host" a new boot id (a file read by
// boot_time_command) and kills the sshd process serving its SSH session, so both tools lose the
// connection as after a real reboot and must open it again. A real reboot of a VM: test/vm.
// Compared: exit code, recap, and every registered result (elapsed and start only by presence:
// they are times) and the arguments the shutdown command was given. Ansible's ssh runs these
// commands on a terminal (-tt: stderr merged into stdout, CRLF line ends, ssh's "Shared connection
// ... closed." on stderr) unless ansible_ssh_use_tty=false, which the inventory sets: lvsplay never
// allocates one (README, Differences).
import { sshdMissing, startSshd, type TestSshd } from '../connection/sshd-helper.js';
import { assertBothSame, skipWithoutOracle } from './oracle.js';

/** The stand-in for shutdown/reboot (its arguments are recorded): `rc=N` fails with N, `keep` keeps the boot id (the host never comes back). */
const FAKE = `#!/bin/sh
here=$(cd "$(dirname "$0")/.." && pwd)
printf '%s\\n' "$*" >> "$here/out/reboot-args"
case "$1" in rc=*) echo "cannot reboot now" >&2; echo "busy"; exit "\${1#rc=}" ;; esac
# the sshd process serving this session: the first ancestor named sshd (sshd-session in OpenSSH >= 9.8)
p=$$
while [ "$p" -gt 1 ]; do
  c=$(cat /proc/$p/comm 2>/dev/null) || break
  [ "$c" = sshd ] || [ "$c" = sshd-session ] && break
  p=$(sed 's/.*) . //' /proc/$p/stat | cut -d' ' -f1)
done
# in a session of its own: the pty Ansible's commands run on hangs up its process group when the command ends
setsid sh -c 'sleep 1; [ "$2" = keep ] || echo "boot-$(date +%s%N)" > "$0/bootid"; [ "$1" -gt 1 ] && kill "$1"' "$here" "$p" "$1" >/dev/null 2>&1 </dev/null &
exit 0
`;

/** The registered result without its times, and whether they are there. */
const dump = (name: string, reg: string): string =>
  `    - copy: { dest: "{{ out }}/${name}", content: "{{ ${reg} | dict2items | rejectattr('key', 'in', ['elapsed', 'start']) | items2dict | to_json(sort_keys=true) }} elapsed={{ ${reg}.elapsed is number }} start={{ ${reg}.start is defined }}\\n" }\n      delegate_to: localhost\n      connection: local\n`;

describe('compat: reboot (differential against ansible-playbook over a loopback sshd; needs root)', function () {
  this.timeout(300_000);
  let sshd: TestSshd | undefined;
  let inv = '';
  before(async function () {
    skipWithoutOracle(this);
    const missing = sshdMissing();
    if (missing) {
      console.log(`    skipped: ${missing}`);
      this.skip();
    }
    sshd = await startSshd('Subsystem sftp internal-sftp'); // Ansible copies its modules with sftp
    const common = `-o UserKnownHostsFile=${sshd.knownHosts} -o StrictHostKeyChecking=yes`;
    inv =
      `rb ansible_host=127.0.0.1 ansible_port=${sshd.port} ansible_user=root ansible_ssh_private_key_file=${sshd.clientKey} ` +
      `ansible_ssh_common_args='${common}' ansible_ssh_use_tty=false ansible_python_interpreter=/usr/bin/python3\n` +
      'loc ansible_connection=local ansible_python_interpreter=/usr/bin/python3\n' +
      'localhost ansible_connection=local ansible_python_interpreter=/usr/bin/python3\n';
  });
  after(async () => {
    await sshd?.stop();
  });

  const files = (pb: string): Record<string, string> => ({ 'inventory.ini': inv, 'pb.yml': pb, 'bin/shutdown': FAKE, 'bin/fake-reboot': FAKE, 'empty/.keep': '' });
  const prelude = `    - file: { path: "{{ item }}", mode: "0755" }
      loop: ["{{ out }}/../bin/shutdown", "{{ out }}/../bin/fake-reboot"]
      delegate_to: localhost
      connection: local
    - copy: { dest: "{{ out }}/../bootid", content: "boot-0\\n" }
      delegate_to: localhost
      connection: local
`;

  it('reboots with a given command, waits for a new boot id over a new connection, then runs the next task', () => {
    assertBothSame(
      files(`- hosts: rb
  gather_facts: false
  tasks:
${prelude}    - reboot: { reboot_command: "{{ out }}/../bin/fake-reboot now please", boot_time_command: "cat {{ out }}/../bootid", test_command: "test -s {{ out }}/../bootid" }
      register: r
${dump('given', 'r')}    - command: cat {{ out }}/../bootid
      register: after
    - copy: { dest: "{{ out }}/after", content: "{{ after.stdout is match('boot-[0-9]+$') }}" }
      delegate_to: localhost
      connection: local
`),
    );
  });

  it("finds the shutdown command in search_paths and passes Ansible's arguments (delay in minutes, msg); a command it cannot find fails", () => {
    assertBothSame(
      files(`- hosts: rb
  gather_facts: false
  tasks:
${prelude}    - ansible.builtin.reboot:
        search_paths: ["/nonexistent", "{{ out }}/../empty", "{{ out }}/../bin/"]
        boot_time_command: "cat {{ out }}/../bootid"
        pre_reboot_delay: 150
        post_reboot_delay: 1
        msg: Kernel update
      register: r
${dump('found', 'r')}    - reboot: { search_paths: "/nonexistent-a,/nonexistent-b", boot_time_command: "cat {{ out }}/../bootid" }
      register: r2
      ignore_errors: true
${dump('notfound', 'r2')}    - reboot: { reboot_command: "no-such-shutdown -r now", boot_time_command: "cat {{ out }}/../bootid" }
      register: r3
      ignore_errors: true
${dump('notfound2', 'r3')}`),
    );
  });

  it('fails without rebooting when the boot id cannot be read or the reboot command fails; times out when the host never comes back', () => {
    assertBothSame(
      files(`- hosts: rb
  gather_facts: false
  tasks:
${prelude}    - reboot: { boot_time_command: "cat no-such-file", reboot_command: "{{ out }}/../bin/fake-reboot" }
      register: r1
      ignore_errors: true
${dump('boot-id-missing', 'r1')}    - reboot: { boot_time_command: "cat {{ out }}/../bootid", reboot_command: "{{ out }}/../bin/fake-reboot rc=3" }
      environment: { IGNORED: "by both" }
      register: r2
      ignore_errors: true
${dump('command-fails', 'r2')}    - reboot: { boot_time_command: "cat {{ out }}/../bootid", reboot_command: "{{ out }}/../bin/fake-reboot keep", reboot_timeout: 3 }
      register: r3
      ignore_errors: true
${dump('never-back', 'r3')}    - reboot: { boot_time_command: "cat {{ out }}/../bootid", reboot_command: "{{ out }}/../bin/fake-reboot", test_command: "false", reboot_timeout: 10 }
      register: r4
      ignore_errors: true
${dump('test-fails', 'r4')}`),
    );
  });

  it('check mode reports a reboot without running anything; a local connection is refused (it would reboot the controller)', () => {
    assertBothSame(
      files(`- hosts: rb
  gather_facts: false
  tasks:
    - reboot: { reboot_command: "{{ out }}/../bin/fake-reboot" }
      register: r
${dump('check', 'r')}
- hosts: loc
  gather_facts: false
  tasks:
    - ansible.builtin.reboot:
      register: r
      ignore_errors: true
${dump('local', 'r')}    - reboot:
      register: r
      ignore_errors: true
      check_mode: false
${dump('local2', 'r')}`),
      ['--check'],
    );
  });
});
