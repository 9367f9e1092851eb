// copy/template unsafe_writes: a file Ansible cannot replace atomically (here a bind-mounted file,
// where rename() is refused with EBUSY, as in a container with a mounted config file) fails
// without unsafe_writes and is written in place with it — by the argument or by the host's
// ANSIBLE_UNSAFE_WRITES. Differential against ansible-playbook 2.14; root, in a mount namespace.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { assertSame, differential, skipUnlessRoot, skipWithoutAnsible } from './harness.js';

describe('compat: copy/template unsafe_writes on a file that cannot be renamed over (differential; root, mount namespace)', function () {
  this.timeout(240_000);
  before(async function () {
    await skipWithoutAnsible(this);
    skipUnlessRoot(this, 'the unsafe_writes test needs root for unshare --mount and a bind mount');
  });

  it('fails without it, writes in place with it or with ANSIBLE_UNSAFE_WRITES=1, as Ansible', async () => {
    const d = await differential(
      `
- hosts: all
  gather_facts: false
  tasks:
    - name: refused
      copy: {content: "first\\n", dest: "{{ work }}/mounted.conf", unsafe_writes: false}
      ignore_errors: true
    - name: in place
      copy: {content: "second\\n", dest: "{{ work }}/mounted.conf", unsafe_writes: true, mode: "0640"}
    - name: by environment
      template: {src: "{{ work }}/t.j2", dest: "{{ work }}/mounted.conf"}
      environment: {ANSIBLE_UNSAFE_WRITES: "1"}
    - name: again
      template: {src: "{{ work }}/t.j2", dest: "{{ work }}/mounted.conf"}
      environment: {ANSIBLE_UNSAFE_WRITES: "1"}
    - name: elsewhere
      copy: {content: "plain\\n", dest: "{{ work }}/plain.conf", unsafe_writes: true}
`,
      {
        runs: 1,
        setup(w) {
          writeFileSync(join(w, 'mounted.conf'), 'original\n');
          writeFileSync(join(w, 't.j2'), 'third {{ 1 + 2 }}\n');
        },
        // the file is a mount point (bind-mounted onto itself): rename() over it is refused (EBUSY)
        prefix: (w) => ['unshare', '--mount', '--propagation', 'private', 'sh', '-c', 'mount --bind "$0/mounted.conf" "$0/mounted.conf" && exec "$@"', w],
      },
    );
    // the situation is real: Ansible itself refused the first write, and the in-place ones changed the file
    assert.equal(d.ansible.runs[0].tasks.get('refused')?.failed, true);
    assert.equal(d.ansible.runs[0].tasks.get('in place')?.changed, true);
    assertSame(d, { refused: ['changed', 'failed'], 'in place': ['changed', 'failed', 'mode'], 'by environment': ['changed', 'failed'], again: ['changed'], elsewhere: ['changed', 'mode'] });
  });
});
