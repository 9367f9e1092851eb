// slurp, ping and raw: registered results, counts and check mode compared with ansible-playbook 2.14.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { assertSame, differential, skipWithoutAnsible } from './harness.js';

describe('compat: slurp, ping, raw (differential against ansible-playbook)', function () {
  this.timeout(120_000);
  before(async function () {
    await skipWithoutAnsible(this);
  });

  it('slurp returns base64 content; missing files and directories fail as in Ansible', async () => {
    const d = await differential(
      `
- hosts: all
  gather_facts: false
  tasks:
    - {name: text, slurp: {src: "{{ work }}/a.txt"}, register: r}
    - {name: decoded, debug: {msg: "{{ r.content | b64decode }}"}}
    - {name: binary, ansible.builtin.slurp: {path: "{{ work }}/b.bin"}, register: r}
    - {name: missing, slurp: {src: "{{ work }}/nope"}, ignore_errors: true}
    - {name: dir, slurp: {src: "{{ work }}/d"}, ignore_errors: true}
`,
      {
        setup(w) {
          writeFileSync(join(w, 'a.txt'), 'line 1\nline 2 ünï\n');
          writeFileSync(join(w, 'b.bin'), Buffer.from([0, 255, 10, 13, 1]));
          mkdirSync(join(w, 'd'));
        },
      },
    );
    assertSame(d, {
      text: ['content', 'source', 'encoding', 'changed'],
      decoded: ['msg'],
      binary: ['content', 'source', 'encoding'],
      missing: ['failed', 'msg', 'changed'],
      dir: ['failed', 'msg'],
    });
  });

  it('slurp tells why a file cannot be read as Ansible (by the error of opening it): a path under a file; unreadable as another user (root only)', async function () {
    const root = process.getuid?.() === 0;
    const asNobody = root ? ', become: true, become_user: nobody' : '';
    const d = await differential(
      `
- hosts: all
  gather_facts: false
  tasks:
    - {name: notdir, slurp: {src: "{{ work }}/a.txt/below"}, ignore_errors: true}
    - {name: notdir-deep, slurp: {src: "{{ work }}/a.txt/x/y"}, ignore_errors: true}
    - {name: unreadable, slurp: {src: "{{ work }}/closed/secret"}, ignore_errors: true${asNobody}}
    - {name: unreadable-dir, slurp: {src: "{{ work }}/closed"}, ignore_errors: true${asNobody}}
`,
      {
        setup(w) {
          writeFileSync(join(w, 'a.txt'), 'text\n');
          mkdirSync(join(w, 'closed'), { mode: 0o700 });
          writeFileSync(join(w, 'closed', 'secret'), 's\n', { mode: 0o600 });
        },
      },
    );
    assertSame(d, { notdir: ['failed', 'msg', 'changed'], 'notdir-deep': ['failed', 'msg'], unreadable: ['failed', 'msg'], 'unreadable-dir': ['failed', 'msg'] });
  });

  it('ping answers pong or its data; data=crash fails', async () => {
    const d = await differential(`
- hosts: all
  gather_facts: false
  tasks:
    - {name: plain, ping: {}, register: r}
    - {name: data, ansible.builtin.ping: {data: hello}, register: r}
    - {name: crash, ping: {data: crash}, ignore_errors: true}
`);
    assertSame(d, { plain: ['ping', 'changed'], data: ['ping', 'changed'], crash: ['failed', 'changed'] });
  });

  it('raw runs the line through the shell, always changed, fails on rc != 0, skipped in check mode', async () => {
    const d = await differential(
      `
- hosts: all
  gather_facts: false
  tasks:
    - {name: echo, raw: "echo one; echo two >&2; printf 'x\\\\ny'", register: r}
    - {name: write, raw: "echo made > {{ work }}/made.txt"}
    - {name: exe, raw: "echo $0", args: {executable: /bin/bash}, register: r}
    - {name: fails, raw: "exit 3", ignore_errors: true}
`,
      { runArgs: (i) => (i === 1 ? ['--check'] : []) },
    );
    assertSame(d, {
      echo: ['rc', 'stdout', 'stdout_lines', 'stderr', 'stderr_lines', 'changed', 'skipped'],
      exe: ['rc', 'stdout', 'changed', 'skipped'],
      fails: ['rc', 'failed', 'msg', 'changed', 'skipped'],
    });
  });
});
