// Ansible modules of the playbook's own (library/ beside it, a role's library/ with module_utils/):
// lvsplay runs them as Ansible does (ansible-core's builder on the controller, the host's python),
// and the registered results, recap counts, diffs and files must equal ansible-playbook 2.14's.
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';
import { assertSame, differential, skipWithoutAnsible } from './harness.js';

/** A module that keeps one `key = value` line in a file: check mode, diff with a header, idempotent. */
const KVLINE = `#!/usr/bin/python
from ansible.module_utils.basic import AnsibleModule
import os


def main():
    module = AnsibleModule(
        argument_spec=dict(
            path=dict(type='path', required=True),
            key=dict(type='str', required=True),
            value=dict(type='str'),
            state=dict(type='str', default='present', choices=['present', 'absent']),
            token=dict(type='str', no_log=True),
        ),
        required_if=[('state', 'present', ['value'])],
        supports_check_mode=True,
    )
    p = module.params
    before = ''
    if os.path.exists(p['path']):
        with open(p['path']) as f:
            before = f.read()
    lines = [l for l in before.splitlines() if not l.startswith(p['key'] + ' = ')]
    if p['state'] == 'present':
        lines.append('%s = %s' % (p['key'], p['value']))
    after = ''.join(l + '\\n' for l in lines)
    changed = after != before
    if changed and not module.check_mode:
        with open(p['path'], 'w') as f:
            f.write(after)
    result = dict(changed=changed, path=p['path'], lines=len(lines), msg='line %s' % ('updated' if changed else 'kept'))
    if module._diff:
        result['diff'] = dict(before=before, after=after, before_header=p['path'], after_header=p['path'])
    module.exit_json(**result)


if __name__ == '__main__':
    main()
`;

/** A role module that imports the role's own module_utils and returns facts. */
const ROLE_MOD = `#!/usr/bin/python
from ansible.module_utils.basic import AnsibleModule
from ansible.module_utils.lvs_weights import weight_of


def main():
    module = AnsibleModule(argument_spec=dict(servers=dict(type='list', elements='str', required=True)), supports_check_mode=True)
    weights = dict((s, weight_of(s)) for s in module.params['servers'])
    module.exit_json(changed=False, ansible_facts=dict(lvs_weights=weights), count=len(weights), stdout='a\\nb\\n')


main()
`;
const ROLE_UTILS = `def weight_of(name):
    return sum(ord(c) for c in name) % 7 + 1
`;

/** Failures: fail_json with fields, an exception, and a module without check mode support. */
const TROUBLE = `#!/usr/bin/python
from ansible.module_utils.basic import AnsibleModule
import sys

module = AnsibleModule(argument_spec=dict(how=dict(type='str', required=True), n=dict(type='int', default=0)))
how = module.params['how']
if how == 'fail':
    module.fail_json(msg='cannot do it', rc=3, detail=[1, 2], n=module.params['n'])
if how == 'raise':
    raise ValueError('boom')
if how == 'noise':
    sys.stdout.write('a banner line\\n')
if how == 'warn':
    module.warn('be careful')
    module.deprecate('old option', version='9.9')
module.exit_json(changed=how == 'change', how=how, n=module.params['n'] * 2)
`;

/** A module in shell (Ansible's WANT_JSON style): its arguments come as a JSON file. */
const SHELL_MOD = `#!/bin/sh
# WANT_JSON
name=$(sed -n 's/.*"name": *"\\([^"]*\\)".*/\\1/p' "$1")
printf '{"changed": false, "greeting": "hi %s", "args_file_given": %s}\\n' "$name" "$( [ -f "$1" ] && echo true || echo false )"
`;

/** An old-style module (any extension, here .sh): its arguments come as a file of k=v words, sourced. */
const OLD_STYLE = `#!/bin/sh
. "$1"
printf '{"changed": true, "msg": "%s, %s!"}\\n' "\${greeting:-Hello}" "\${name:-World}"
`;

describe('compat: Ansible modules in library/ (differential against ansible-playbook)', function () {
  this.timeout(240_000);
  before(async function () {
    await skipWithoutAnsible(this);
  });

  const library = (dir: string): void => {
    mkdirSync(join(dir, 'library'), { recursive: true });
    writeFileSync(join(dir, 'library', 'kvline.py'), KVLINE);
    writeFileSync(join(dir, 'library', 'trouble.py'), TROUBLE);
    writeFileSync(join(dir, 'library', 'greet'), SHELL_MOD);
    writeFileSync(join(dir, 'library', 'hello_old.sh'), OLD_STYLE);
    chmodSync(join(dir, 'library', 'greet'), 0o755);
    const role = join(dir, 'roles', 'weights');
    for (const d of ['library', 'module_utils', 'tasks']) mkdirSync(join(role, d), { recursive: true });
    writeFileSync(join(role, 'library', 'lvs_weigh.py'), ROLE_MOD);
    writeFileSync(join(role, 'module_utils', 'lvs_weights.py'), ROLE_UTILS);
    writeFileSync(join(role, 'tasks', 'main.yml'), '- name: weigh\n  lvs_weigh:\n    servers: "{{ servers }}"\n  register: w\n');
  };

  it('a module converges, is idempotent, and its results, diff and files are the same (twice, then in check mode)', async () => {
    const d = await differential(
      `
- hosts: all
  gather_facts: false
  tasks:
    - name: set
      kvline: {path: "{{ work }}/app.conf", key: port, value: "8080", token: s3cret}
      register: r
    - name: second
      kvline: path={{ work }}/app.conf key=host value=web1
    - name: loop
      kvline: {path: "{{ work }}/app.conf", key: "{{ item.k }}", value: "{{ item.v }}"}
      loop: [{k: a, v: "1"}, {k: b, v: "2"}]
    - name: drop
      kvline: {path: "{{ work }}/app.conf", key: b, state: absent}
    - name: show
      debug: {msg: "{{ r.msg }} {{ r.lines }} {{ r.changed }} {{ r.keys() | sort | join(',') }}"}
`,
      { beside: library, runs: 3, runArgs: (i) => (i === 2 ? ['--check', '--diff'] : ['--diff']) },
    );
    assertSame(d, { set: ['changed', 'msg', 'path', 'lines', 'diff', 'failed'], second: ['changed', 'msg'], drop: ['changed', 'msg', 'diff'], show: ['msg'] });
    // the first run changed the file, the second did not (the module's own idempotence, reported as Ansible reports it)
    assert.equal(d.lvsplay.runs[0].counts.changed > 0, true);
    assert.equal(d.lvsplay.runs[1].counts.changed, d.ansible.runs[1].counts.changed);
  });

  it('a role module with its module_utils returns facts; failures, exceptions, warnings and junk output read as Ansible reads them', async () => {
    const d = await differential(
      `
- hosts: all
  gather_facts: false
  vars: {servers: [node02, node03]}
  roles: [weights]
  tasks:
    - name: facts
      debug: {msg: "{{ lvs_weights }} {{ w.count }} {{ w.stdout_lines }}"}
    - name: fail
      trouble: {how: fail, n: 4}
      ignore_errors: true
    - name: raise
      trouble: {how: raise}
      ignore_errors: true
      register: x
    - name: raised
      debug: {msg: "{{ x.msg }} {{ x.rc }} {{ 'ValueError: boom' in x.module_stderr }} {{ x.exception is defined }} {{ x.module_stdout }}"}
    - name: noise
      trouble: {how: noise, n: 2}
    - name: warn
      trouble: {how: warn}
      register: wn
    - name: warned
      debug: {msg: "{{ wn.warnings }} {{ wn.deprecations | map(attribute='msg') | list }}"}
    - name: change
      trouble: how=change
    - name: missing
      trouble: {n: 1}
      ignore_errors: true
    - name: unknown
      trouble: {how: ok, colour: red}
      ignore_errors: true
    - name: async
      trouble: {how: ok, n: 5}
      async: 30
      poll: 1
    - name: shell module
      greet: {name: world}
      register: g
    - name: greeted
      debug: {msg: "{{ g.greeting }} {{ g.args_file_given }}"}
    - name: old style
      hello_old: {name: "lvs 'cluster'", greeting: Hi}
`,
      { beside: library, runs: 1 },
    );
    assertSame(d, {
      'weights : weigh': ['changed', 'count', 'stdout', 'stdout_lines', 'ansible_facts'],
      facts: ['msg'],
      fail: ['changed', 'failed', 'msg', 'rc', 'detail', 'n'],
      raise: ['changed', 'failed', 'msg', 'rc', 'module_stdout'],
      raised: ['msg'],
      noise: ['changed', 'how', 'n'],
      warn: ['changed', 'warnings'],
      warned: ['msg'],
      change: ['changed', 'how'],
      missing: ['changed', 'failed', 'msg'],
      unknown: ['changed', 'failed', 'msg'],
      async: ['changed', 'failed', 'how', 'n', 'finished'],
      'shell module': ['changed', 'greeting'],
      greeted: ['msg'],
      'old style': ['changed', 'msg'],
    });
  });

  it('in check mode a module without check mode support is skipped, and one with it does not change the file', async () => {
    const d = await differential(
      `
- hosts: all
  gather_facts: false
  tasks:
    - name: nocheck
      trouble: {how: change}
      register: t
    - name: seen
      debug: {msg: "{{ t.skipped | default(false) }} {{ t.msg | default('') }}"}
    - name: checked
      kvline: {path: "{{ work }}/c.conf", key: k, value: v}
`,
      { beside: library, runs: 1, args: ['--check', '--diff'] },
    );
    assertSame(d, { nocheck: ['changed', 'skipped', 'msg'], seen: ['msg'], checked: ['changed', 'diff'] });
  });
});

describe("compat: modules lvsplay has no port of, found by ansible-core on the controller (differential against ansible-playbook)", function () {
  this.timeout(240_000);
  before(async function () {
    await skipWithoutAnsible(this);
  });

  it('collection modules and ansible.builtin modules run as Ansible runs them: results, idempotence, check mode and files', async () => {
    const d = await differential(
      `
- hosts: all
  gather_facts: false
  tasks:
    - name: limits
      community.general.pam_limits: {domain: app, limit_type: soft, limit_item: nofile, value: "4096", dest: "{{ work }}/limits.conf"}
      register: l
    - name: limits again
      community.general.pam_limits: {domain: app, limit_type: hard, limit_item: nofile, value: "8192", dest: "{{ work }}/limits.conf", comment: lvsplay}
    - name: known host
      ansible.builtin.known_hosts:
        path: "{{ work }}/known_hosts"
        name: web1.lan
        key: "web1.lan ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl"
    - name: archive
      community.general.archive: {path: "{{ work }}/src", dest: "{{ work }}/out.tgz", format: gz}
      register: a
    - name: archived
      debug: {msg: "{{ a.archived | map('basename') | sort }} {{ a.state }} {{ a.missing }}"}
    - name: passwd
      getent: {database: passwd, key: root}
    - name: root
      debug: {msg: "{{ getent_passwd.root[4] }} {{ l.changed }}"}
`,
      {
        runs: 3,
        runArgs: (i) => (i === 2 ? ['--check', '--diff'] : []),
        setup(w) {
          mkdirSync(join(w, 'src'));
          writeFileSync(join(w, 'src', 'a.txt'), 'a\n');
          writeFileSync(join(w, 'src', 'b.txt'), 'b\n');
          writeFileSync(join(w, 'limits.conf'), '# limits\n');
        },
        ignore: /^out\.tgz$/, // gzip carries the time it was made
      },
    );
    assertSame(d, {
      limits: ['changed', 'msg'],
      'limits again': ['changed', 'msg'],
      'known host': ['changed', 'gid', 'hash_host', 'name', 'path', 'state'],
      archive: ['changed', 'state', 'missing', 'expanded_paths'],
      archived: ['msg'],
      passwd: ['changed'],
      root: ['msg'],
    });
  });
});

describe('pymodules: names nobody has', function () {
  this.timeout(60_000);
  before(async function () {
    await skipWithoutAnsible(this);
  });

  it('are load errors at their positions (an action plugin beside them is not), and nothing runs', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lvsplay-pymod-'));
    try {
      writeFileSync(
        join(dir, 'pb.yml'),
        `- hosts: localhost\n  gather_facts: false\n  tasks:\n    - copy: {content: x, dest: "${dir}/ran"}\n    - ansible.posix.synchronize: {src: a, dest: b}\n      when: false\n    - community.general.no_such_module_here: {}\n    - ansible.posix.no_such_module_either: {}\n`,
      );
      const cli = process.env.LVSPLAY_TEST_CLI ?? fileURLToPath(new URL('../../cli/lvsplay.js', import.meta.url));
      const r = spawnSync(process.execPath, [cli, '-i', 'localhost,', '-c', 'local', 'pb.yml'], { cwd: dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
      const out = r.stdout + r.stderr;
      assert.equal(r.status, 4, out);
      assert.doesNotMatch(out, /pb\.yml:5:7/); // an action plugin of a collection: ansible-core runs it (test/compat/action-plugins.test.ts)
      assert.match(out, /pb\.yml:7:7: unknown module 'community\.general\.no_such_module_here'/);
      assert.match(out, /pb\.yml:8:7: unknown module 'ansible\.posix\.no_such_module_either'/);
      assert.equal(spawnSync('test', ['-e', join(dir, 'ran')]).status, 1, 'the first task did not run');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("compat: a task passing arguments lvsplay's port lacks runs Ansible's module of the name (differential against ansible-playbook)", function () {
  this.timeout(240_000);
  before(async function () {
    await skipWithoutAnsible(this);
  });

  it('that task only (module_defaults for the name apply), results, idempotence and files equal', async () => {
    const d = await differential(
      `
- hosts: all
  gather_facts: false
  module_defaults:
    ansible.builtin.lineinfile: {create: true}
  tasks:
    - name: routed line
      lineinfile: {path: "{{ work }}/app.ini", line: "a = 1", unsafe_writes: true}
      register: r
    - name: native line
      lineinfile: {path: "{{ work }}/app.ini", line: "b = 2"}
    - name: routed block
      blockinfile: {path: "{{ work }}/app.ini", block: "c = 3", unsafe_writes: true}
    - name: routed replace
      replace: {path: "{{ work }}/app.ini", regexp: "^b = 2$", replace: "b = 22", unsafe_writes: true}
    - name: handled
      wait_for: {timeout: 0, exclude_hosts: [192.0.2.1], port: 1, state: drained}
      check_mode: true
      ignore_errors: true
    - name: seen
      debug: {msg: "{{ r.changed }} {{ r.msg }}"}
`,
      { runs: 2 },
    );
    assertSame(d, {
      'routed line': ['changed', 'msg', 'backup'],
      'native line': ['changed', 'msg'],
      'routed block': ['changed', 'msg'],
      'routed replace': ['changed', 'msg'],
      handled: ['changed', 'skipped', 'msg'],
      seen: ['msg'],
    });
  });
});

describe('compat: the `collections` keyword (play, role meta) resolves short module names (differential against ansible-playbook)', function () {
  this.timeout(240_000);
  before(async function () {
    await skipWithoutAnsible(this);
  });

  it("a short name of community.general runs under the play's and the role's collections, idempotently", async () => {
    const d = await differential(
      `
- hosts: all
  gather_facts: false
  collections: [community.general]
  tasks:
    - name: sized
      filesize: {path: "{{ work }}/blob", size: 2KB}
      register: r
    - name: seen
      debug: {msg: "{{ r.size }} {{ r.changed }}"}
- hosts: all
  gather_facts: false
  roles: [sizer]
`,
      {
        runs: 2,
        beside(dir) {
          for (const d of ['tasks', 'meta']) mkdirSync(join(dir, 'roles', 'sizer', d), { recursive: true });
          writeFileSync(join(dir, 'roles', 'sizer', 'meta', 'main.yml'), 'collections: [community.general]\n');
          writeFileSync(join(dir, 'roles', 'sizer', 'tasks', 'main.yml'), '- name: role sized\n  filesize: {path: "{{ work }}/blob2", size: 1KB}\n');
        },
      },
    );
    assertSame(d, { sized: ['changed', 'size', 'filesize.bytes'], seen: ['msg'], 'sizer : role sized': ['changed', 'size'] });
  });

  it("include_tasks files, blocks and tasks: the collections in force where they are written (a task's or a block's own too); include_role: the role's meta; import_tasks: its own", async () => {
    const d = await differential(
      `
- hosts: all
  gather_facts: false
  collections: [community.general]
  tasks:
    - name: included
      include_tasks: inc.yml
- hosts: all
  gather_facts: false
  tasks:
    - name: a block of the collection
      collections: [community.general]
      block:
        - name: block sized
          filesize: {path: "{{ work }}/b3", size: 3KB}
          register: b
        - name: block included
          include_tasks: inc2.yml
    - name: task sized
      collections: [community.general]
      filesize: {path: "{{ work }}/b4", size: 4KB}
      register: t
    - name: seen2
      debug: {msg: "{{ b.size }} {{ t.size }}"}
    - name: role included
      include_role: {name: sizer2}
    - name: imported with its own collections
      collections: [community.general]
      import_tasks: imp.yml
`,
      {
        runs: 2,
        beside(dir) {
          writeFileSync(join(dir, 'inc.yml'), '- name: inc sized\n  filesize: {path: "{{ work }}/b1", size: 1KB}\n  register: i\n- name: inc seen\n  debug: {msg: "{{ i.size }}"}\n');
          writeFileSync(join(dir, 'inc2.yml'), '- name: inc2 sized\n  filesize: {path: "{{ work }}/b2", size: 2KB}\n');
          writeFileSync(join(dir, 'imp.yml'), '- name: imp sized\n  filesize: {path: "{{ work }}/b6", size: 6KB}\n');
          for (const d of ['tasks', 'meta']) mkdirSync(join(dir, 'roles', 'sizer2', d), { recursive: true });
          writeFileSync(join(dir, 'roles', 'sizer2', 'meta', 'main.yml'), 'collections: [community.general]\n');
          writeFileSync(join(dir, 'roles', 'sizer2', 'tasks', 'main.yml'), '- name: role2 sized\n  filesize: {path: "{{ work }}/b5", size: 5KB}\n');
        },
      },
    );
    assertSame(d, {
      'inc sized': ['changed', 'size'],
      'inc seen': ['msg'],
      'block sized': ['changed', 'size'],
      'inc2 sized': ['changed', 'size'],
      'task sized': ['changed', 'size'],
      seen2: ['msg'],
      'sizer2 : role2 sized': ['changed', 'size'],
      'imp sized': ['changed', 'size'],
    });
  });
});
