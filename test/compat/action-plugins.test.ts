// Ansible action plugins (issue 13): Python that Ansible runs on the controller around a task — a
// playbook's or role's action_plugins/NAME.py, a collection's (ansible.posix.patch, ansible.posix.synchronize).
// lvsplay runs them with ansible-core itself (src/pymod/action.py), its connection answering their
// commands and transfers. Compared with ansible-playbook 2.14 on local hosts: exit code, recap,
// the files left, and the console from the first task to the recap (results, diffs, errors).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sshdMissing, startSshd, type TestSshd } from '../connection/sshd-helper.js';
import { assertSameConsole as same, skipWithoutOracle } from './oracle.js';

// an action plugin of our own, as a role author writes one: it templates with the task's variables,
// runs modules on the host (stat, command), sends data to the host's temporary directory
const GREET = `from ansible.errors import AnsibleActionFail
from ansible.plugins.action import ActionBase


class ActionModule(ActionBase):
    TRANSFERS_FILES = True
    _VALID_ARGS = frozenset(('name', 'path', 'change', 'host_text', 'rc'))

    def run(self, tmp=None, task_vars=None):
        result = super(ActionModule, self).run(tmp, task_vars)
        name = self._task.args.get('name')
        if not name:
            raise AnsibleActionFail('name is required')
        st = self._execute_module(module_name='ansible.builtin.stat', module_args={'path': self._task.args.get('path', '/')}, task_vars=task_vars)
        note = self._connection._shell.join_path(self._connection._shell.tmpdir, 'note')
        self._transfer_data(note, 'hello %s from %s\\n' % (name, task_vars.get('inventory_hostname')))
        out = self._execute_module(module_name='ansible.builtin.command', module_args={'_raw_params': 'cat ' + note}, task_vars=task_vars)
        self._remove_tmp_path(self._connection._shell.tmpdir)
        result.update(
            changed=bool(self._task.args.get('change')),
            greeting=out['stdout'],
            exists=st['stat']['exists'],
            check=bool(self._task.check_mode),
            greeter=self._templar.template(task_vars.get('greeter')),
            greeter_raw_is_template=self._templar.is_template(task_vars.get('greeter')),
            host_text=self._templar.template(self._task.args.get('host_text', '')),
            groups=sorted(task_vars['groups']),
            seen_by=sorted(task_vars['hostvars'].keys()),
        )
        if self._task.diff:
            result['diff'] = {'before': 'name: old\\n', 'after': 'name: %s\\n' % name}
        if 'rc' in self._task.args:
            result['rc'] = int(self._task.args['rc'])
        return result
`;

describe('compat: Ansible action plugins run by ansible-core (differential against ansible-playbook)', function () {
  this.timeout(300_000);
  before(function () {
    skipWithoutOracle(this);
  });

  it("a playbook's action_plugins/ plugin: modules it runs, data it transfers, its templating (host data never templated), check mode, diff, loops, failures", () => {
    const out = same({
      'inventory.ini': 'h1 ansible_connection=local\nh2 ansible_connection=local\n[web]\nh1\n', // one host plays: the console's order is fixed
      'action_plugins/greet.py': GREET,
      'pb.yml': `- hosts: h1
  gather_facts: false
  vars:
    greeter: "{{ 'wor' + 'ld' }}"
  tasks:
    - name: host data holding a template
      command: printf '%s' "{{ '{{' }} 7 * 6 }}"
      register: from_host
      changed_when: false
    - name: greet
      greet:
        name: "{{ greeter }}"
        path: "{{ out }}"
        host_text: "{{ from_host.stdout }}"
      register: g
    - debug: var=g
    - name: free-form arguments, a change, diff and check mode on the task
      greet: name=x path=/nonexistent change=true
      diff: true
      check_mode: true
      register: g2
    - debug: var=g2
    - name: a loop
      greet: {name: "{{ item }}"}
      loop: [a, b]
      register: g3
    - debug: msg="{{ g3.results | map(attribute='greeting') | list }}"
    - name: failed_when and changed_when over its result
      greet: {name: y, change: true}
      failed_when: "'hello y' not in g4.greeting"
      changed_when: false
      register: g4
    - name: the plugin refuses
      greet: {}
      ignore_errors: true
      register: g5
    - debug: var=g5
    - name: an argument it does not know
      greet: {name: z, color: red}
      ignore_errors: true
    - name: a result with a non-zero rc and no failed fails the task, as in Ansible
      greet: {name: q, rc: 3}
      ignore_errors: true
      register: g6
    - debug: msg="{{ g6.failed }} {{ g6.rc }}"
    - name: rc 0
      greet: {name: q, rc: 0}
    - copy: {content: "{{ g.greeting }} {{ g2.check }}\\n", dest: "{{ out }}/{{ inventory_hostname }}.txt"}
`,
    });
    assert.match(out, /"greeting": "hello world from h1"/);
    assert.match(out, /"host_text": "\{\{ 7 \* 6 \}\}"/); // the host's text arrived as text
    assert.match(out, /An exception occurred during task execution/);
  });

  it("a role's action plugin: its files/ found by the plugin, a library/ module of the same name run by it, idempotent on a second pass", () => {
    const role = 'roles/conf';
    same({
      'inventory.ini': 'h1 ansible_connection=local\n',
      [`${role}/action_plugins/conf_file.py`]: `import os
from ansible.errors import AnsibleError, AnsibleActionFail
from ansible.plugins.action import ActionBase


class ActionModule(ActionBase):
    TRANSFERS_FILES = True

    def run(self, tmp=None, task_vars=None):
        result = super(ActionModule, self).run(tmp, task_vars)
        try:
            src = self._find_needle('files', self._task.args['src'])
        except AnsibleError as e:
            raise AnsibleActionFail(str(e))
        remote = self._connection._shell.join_path(self._connection._shell.tmpdir, os.path.basename(src))
        self._transfer_file(src, remote)
        self._fixup_perms2((self._connection._shell.tmpdir, remote))
        args = dict(self._task.args, src=remote)
        result.update(self._execute_module(module_name='conf_file', module_args=args, task_vars=task_vars))
        self._remove_tmp_path(self._connection._shell.tmpdir)
        return result
`,
      [`${role}/library/conf_file.py`]: `from ansible.module_utils.basic import AnsibleModule


def main():
    m = AnsibleModule(argument_spec=dict(src=dict(type='path', required=True), dest=dict(type='path', required=True), suffix=dict(type='str', default='')), supports_check_mode=True)
    with open(m.params['src']) as f:
        want = f.read() + m.params['suffix']
    try:
        with open(m.params['dest']) as f:
            have = f.read()
    except FileNotFoundError:
        have = None
    changed = have != want
    if changed and not m.check_mode:
        with open(m.params['dest'], 'w') as f:
            f.write(want)
    m.exit_json(changed=changed, dest=m.params['dest'], size=len(want), diff=dict(before=have or '', after=want))


main()
`,
      [`${role}/files/app.conf`]: 'port = 8080\nworkers = 4\n',
      [`${role}/tasks/main.yml`]: `- conf_file: {src: app.conf, dest: "{{ out }}/app.conf", suffix: "{{ suffix }}"}
  register: c
- debug: var=c
- conf_file: {src: missing.conf, dest: "{{ out }}/x.conf"}
  ignore_errors: true
`,
      'pb.yml': `- hosts: all
  gather_facts: false
  vars: {suffix: "# one\\n"}
  roles: [conf]
- hosts: all
  gather_facts: false
  vars: {suffix: "# one\\n"}
  roles: [conf]
`,
    }, ['--diff']);
  });

  it("collections' controller-side plugins: ansible.utils.update_fact, fact_diff (it turns its task's diff on), community.crypto.openssl_privatekey_pipe under no_log", () => {
    same({
      'inventory.ini': 'h1 ansible_connection=local\n',
      'pb.yml': `- hosts: all
  gather_facts: false
  vars:
    cfg: {a: {b: 1, c: [1, 2]}, d: x}
  tasks:
    - ansible.utils.update_fact:
        updates:
          - {path: cfg.a.b, value: 2}
          - {path: cfg.d, value: "{{ 'y' * 2 }}"}
      register: u
    - debug: var=u
    - ansible.utils.fact_diff: {before: "{{ cfg }}", after: "{{ u.cfg }}"}
      register: fd
    - debug: var=fd.diff_lines
    - community.crypto.openssl_privatekey_pipe: {size: 1024, type: RSA}
      register: k
      no_log: true
    - debug: msg="{{ k.privatekey is match('-----BEGIN') }} {{ k.changed }}"
`,
    });
  });

  it("what a plugin's display prints (its warnings, other lines) is shown with the run's secrets masked (lvsplay's rule: Ansible prints them)", () => {
    const dir = mkdtempSync(join(tmpdir(), 'lvsplay-action-'));
    try {
      mkdirSync(join(dir, 'action_plugins'));
      writeFileSync(
        join(dir, 'action_plugins/tell.py'),
        `from ansible.plugins.action import ActionBase
from ansible.utils.display import Display


class ActionModule(ActionBase):
    def run(self, tmp=None, task_vars=None):
        result = super(ActionModule, self).run(tmp, task_vars)
        secret = task_vars['db_password']
        Display().warning('the password is %s' % secret)
        Display().display('shown: %s' % secret)
        result['msg'] = 'told'
        return result
`,
      );
      writeFileSync(join(dir, 'pb.yml'), '- hosts: all\n  gather_facts: false\n  vars: {db_password: hunter2-not-shown}\n  tasks:\n    - tell:\n');
      const cli = process.env.LVSPLAY_TEST_CLI ?? fileURLToPath(new URL('../../cli/lvsplay.js', import.meta.url));
      const r = spawnSync(process.execPath, [cli, '-i', 'h1,', '-c', 'local', 'pb.yml'], { cwd: dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
      const out = r.stdout + r.stderr;
      assert.equal(r.status, 0, out);
      assert.match(out, /\[WARNING\]: the password is \*+/);
      assert.match(out, /shown: \*+/);
      assert.doesNotMatch(out, /hunter2-not-shown/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('ansible.posix.patch: applied, already applied, check mode, remote_src, a patch file that is not there', function () {
    if (spawnSync('patch', ['--version']).status !== 0) {
      console.log('      (skipped: no patch program here; .ci/setup installs it)');
      return this.skip();
    }
    same({
      'inventory.ini': 'h1 ansible_connection=local\n',
      'files/fix.patch': '--- a.txt\n+++ a.txt\n@@ -1,3 +1,3 @@\n line1\n-line2\n+line2 changed\n line3\n',
      'pb.yml': `- hosts: all
  gather_facts: false
  tasks:
    - copy: {content: "line1\\nline2\\nline3\\n", dest: "{{ out }}/{{ item }}"}
      loop: [a.txt, b.txt, c.txt]
    - ansible.posix.patch: {src: fix.patch, dest: "{{ out }}/a.txt"}
      register: p1
    - debug: var=p1
    - ansible.posix.patch: {src: fix.patch, dest: "{{ out }}/a.txt"}
      register: p2
    - debug: var=p2
    - ansible.posix.patch: {src: fix.patch, dest: "{{ out }}/b.txt"}
      check_mode: true
      register: p3
    - debug: var=p3
    - copy: {src: fix.patch, dest: "{{ out }}/fix.patch"}
    - patch: {src: "{{ out }}/fix.patch", dest: "{{ out }}/c.txt", remote_src: true}
      collections: [ansible.posix]
    - ansible.posix.patch: {src: nothere.patch, dest: "{{ out }}/a.txt"}
      ignore_errors: true
      register: p4
    - debug: var=p4.msg
`,
    });
  });

  it('ansible.posix.synchronize on the controller: a tree pushed, unchanged again, delete, check mode with its rsync diff', function () {
    if (spawnSync('rsync', ['--version']).status !== 0) {
      console.log('      (skipped: no rsync here; .ci/setup installs it)');
      return this.skip();
    }
    same({
      'inventory.ini': 'h1 ansible_connection=local\n',
      'tree/a.txt': 'a\n',
      'tree/sub/b.txt': 'b\n',
      'pb.yml': `- hosts: all
  gather_facts: false
  tasks:
    - file: {path: "{{ out }}/dst", state: directory}
    - copy: {content: "stale\\n", dest: "{{ out }}/dst/stale.txt"}
    - ansible.posix.synchronize: {src: "{{ playbook_dir }}/tree/", dest: "{{ out }}/dst/"}
      register: s1
    - debug: var=s1.changed
    - ansible.posix.synchronize: {src: "{{ playbook_dir }}/tree/", dest: "{{ out }}/dst/"}
      register: s2
    - debug: var=s2
    - ansible.posix.synchronize: {src: "{{ playbook_dir }}/tree/", dest: "{{ out }}/dst/", delete: true, checksum: true}
      check_mode: true
      diff: true
    - ansible.posix.synchronize: {src: "{{ playbook_dir }}/tree/", dest: "{{ out }}/dst/", delete: true}
`,
    });
  });
});

describe('compat: Ansible action plugins over SSH (differential against ansible-playbook over a loopback sshd; needs root)', function () {
  this.timeout(300_000);
  let sshd: TestSshd | undefined;
  let inv = '';
  before(async function () {
    skipWithoutOracle(this);
    const missing = sshdMissing() ?? (spawnSync('rsync', ['--version']).status !== 0 ? 'no rsync here (.ci/setup installs it)' : undefined);
    if (missing) {
      console.log(`    skipped: ${missing}`);
      this.skip();
    }
    sshd = await startSshd('Subsystem sftp internal-sftp'); // Ansible copies its modules with sftp
    // no terminal for Ansible's commands (lvsplay never allocates one: README, Differences)
    inv =
      `h1 ansible_host=127.0.0.1 ansible_port=${sshd.port} ansible_user=root ansible_ssh_private_key_file=${sshd.clientKey} ` +
      `ansible_ssh_common_args='-o UserKnownHostsFile=${sshd.knownHosts} -o StrictHostKeyChecking=yes' ansible_ssh_use_tty=false ansible_python_interpreter=/usr/bin/python3\n`;
  });
  after(async () => {
    await sshd?.stop();
  });

  it('synchronize pushes and pulls over ssh (rsync run on the controller with the connection\'s user, port and key), patch, a plugin under become as another user and delegated to the controller', () => {
    same({
      'inventory.ini': inv,
      'action_plugins/greet.py': GREET,
      'files/fix.patch': '--- a.txt\n+++ a.txt\n@@ -1,2 +1,2 @@\n-one\n+ONE\n two\n',
      'tree/a.txt': 'a\n',
      'tree/sub/b.txt': 'b\n',
      'pb.yml': `- hosts: all
  gather_facts: false
  tasks:
    - ansible.posix.synchronize: {src: "{{ playbook_dir }}/tree/", dest: "{{ out }}/dst/"}
      register: s1
    - debug: var=s1
    - ansible.posix.synchronize: {src: "{{ playbook_dir }}/tree/", dest: "{{ out }}/dst/"}
    - copy: {content: "one\\ntwo\\n", dest: "{{ out }}/a.txt"}
    - ansible.posix.patch: {src: fix.patch, dest: "{{ out }}/a.txt"}
      diff: true
    - name: a plugin's modules under become (as root, the same user, Ansible does not wrap them)
      greet: {name: r, path: "{{ out }}"}
      become: true
      register: g1
    - debug: msg="{{ g1.greeting }} {{ g1.exists }}"
    - name: become as another user (nobody cannot write there)
      ansible.posix.patch: {src: fix.patch, dest: "{{ out }}/a.txt"}
      become: true
      become_user: nobody
      ignore_errors: true
    - command: id -un
      become: true
      become_user: nobody
      register: who
    - debug: var=who.stdout
    - name: pulled from the host
      ansible.posix.synchronize: {src: "{{ out }}/dst/", dest: "{{ out }}/pulled/", mode: pull}
      register: s3
    - debug: var=s3.changed
    - name: delegated to the controller
      greet: {name: d, path: "{{ out }}"}
      delegate_to: localhost
      register: g2
    - debug: msg="{{ g2.greeting }} {{ g2.exists }}"
`,
    });
  });
});
