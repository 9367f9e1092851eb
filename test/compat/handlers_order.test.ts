// Which handler a notify selects and the order handlers run in, by lvsplay and by ansible-playbook
// 2.14 on the same files: a notify by name selects only the LAST loaded handler of that name (a role
// included twice, a play handler shadowing a role's), listen topics reach every listener, and
// handlers run in Ansible's load order (roles:, the play's own, then those of roles imported in
// pre_tasks, post_tasks, tasks). Each handler appends its name to out/order; recap and files compared.
import assert from 'node:assert/strict';
import { runBoth, skipWithoutOracle } from './oracle.js';

const INV = 'h1 ansible_connection=local\n';

/** A role NAME with one changed task notifying `notify`, and handlers named `handlers` (each logs `NAME:handler`). */
function role(name: string, notify: string[], handlers: string[], listen: Record<string, string> = {}): Record<string, string> {
  const hs = handlers
    .map((h) => `- name: ${h}\n${listen[h] ? `  listen: ${listen[h]}\n` : ''}  shell: echo ${name}:${h} >> {{ out }}/order\n`)
    .join('');
  return {
    [`roles/${name}/tasks/main.yml`]: `- name: ${name} changes\n  command: /bin/true\n${notify.length ? `  notify: [${notify.join(', ')}]\n` : ''}`,
    [`roles/${name}/tasks/other.yml`]: `- name: ${name} other\n  command: /bin/true\n  notify: [${notify.join(', ') || 'none'}]\n`,
    [`roles/${name}/handlers/main.yml`]: hs,
  };
}

function same(files: Record<string, string>): void {
  const { lvsplay, ansible } = runBoth({ 'inventory.ini': INV, ...files });
  const view = (o: typeof lvsplay) => ({ rc: o.rc, recap: o.recap, files: o.files });
  assert.deepEqual(view(lvsplay), view(ansible), `lvsplay and ansible-playbook differ\n--- lvsplay:\n${lvsplay.output}\n--- ansible-playbook:\n${ansible.output}`);
  assert.ok(ansible.files.order, `no handler ran under ansible-playbook:\n${ansible.output}`);
}

describe('compat: handler selection and order (differential, connection: local)', function () {
  this.timeout(240_000);
  before(function () {
    skipWithoutOracle(this);
  });

  it('a role loaded three times (include_role twice, roles:) runs the last loaded copy once per notify, not every copy', () => {
    same({
      ...role('r1', ['h1'], ['h1']),
      'pb.yml': `- hosts: all
  gather_facts: false
  roles: [r1]
  pre_tasks:
    - include_role: { name: r1, tasks_from: other }
    - include_role: { name: r1, tasks_from: other }
      vars: { x: 1 }
    - meta: flush_handlers
`,
    });
  });

  it('handlers run in load order (roles:, play, imports of pre_tasks, post_tasks, tasks); a shared name selects the last loaded', () => {
    same({
      ...role('r1', ['hp', 'h1', 'h2', 'same', 'h3', 'h4', '"r1 : same"'], ['h1', 'same']),
      ...role('r2', [], ['h2', 'same']),
      ...role('r3', [], ['same', 'h3']),
      ...role('r4', [], ['same', 'h4']),
      'pb.yml': `- hosts: all
  gather_facts: false
  roles: [r1]
  pre_tasks:
    - import_role: { name: r4 }
  tasks:
    - import_role: { name: r2 }
  post_tasks:
    - import_role: { name: r3 }
  handlers:
    - name: hp
      shell: echo play:hp >> {{ out }}/order
    - name: same
      shell: echo play:same >> {{ out }}/order
`,
    });
  });

  it('a listen topic reaches every listener, also in every copy of a role, and a handler named like the topic', () => {
    same({
      ...role('r1', ['topic'], ['l1', 'l2'], { l1: 'topic', l2: '[topic, other]' }),
      'pb.yml': `- hosts: all
  gather_facts: false
  roles: [r1]
  tasks:
    - include_role: { name: r1, tasks_from: other }
  handlers:
    - name: topic
      shell: echo play:topic >> {{ out }}/order
`,
    });
  });
});
