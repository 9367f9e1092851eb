// The executor's variables: src/vars precedence and magic variables through a real run, and
// registered output / facts treated as data (never templated).
import { strict as assert } from 'node:assert';
import { memInventory, run } from './helpers.js';

describe('executor: variables', () => {
  it('registered output containing {{ }} is data: not templated in changed_when, when, debug', async () => {
    const r = await run(`
- hosts: all
  gather_facts: false
  tasks:
    - command: printf '%s' "{{ '{{' }} nope {{ '}}' }}"
      register: out
      changed_when: "'nope' in out.stdout"
    - debug: var=out.stdout
    - debug: msg="got {{ out.stdout }}"
      when: out.stdout is search('nope')
`);
    assert.equal(r.rc, 0, r.text);
    assert.match(r.text, /"out.stdout": "\{\{ nope \}\}"/);
    assert.match(r.text, /"msg": "got \{\{ nope \}\}"/);
    assert.equal(r.recap.localhost.changed, 1);
  });

  it('magic variables come from src/vars (play name, role, run tags, groups, lazy templated hostvars)', async () => {
    const inv = memInventory({ a: { x: 1, y: '{{ x + 1 }}' }, b: { x: 5, y: '{{ x + 1 }}' } }, { g: ['b'] });
    const r = await run(
      `
- name: the play
  hosts: all
  gather_facts: false
  tasks:
    - debug:
        msg: "{{ ansible_play_name }} {{ ansible_run_tags }} {{ groups.g }} {{ hostvars['b'].y }} {{ inventory_hostname }} {{ ansible_play_hosts_all | length }}"
      run_once: true
`,
      { inventory: inv },
    );
    assert.equal(r.rc, 0, r.text);
    assert.match(r.text, /"msg": "the play \['all'\] \['b'\] 6 a 2"/);
  });

  it('task names with {{ }} are rendered with play/role/task vars at banner time; undefined -> raw name', async () => {
    const r = await run(
      `
- hosts: all
  gather_facts: false
  vars: { svc: keepalived }
  roles: [r1]
  tasks:
    - name: "configure {{ svc }} ({{ mode }})"
      vars: { mode: fast }
      debug: msg=x
    - name: "per item {{ item }}"
      debug: msg={{ item }}
      loop: [a]
    - name: "inc {{ svc | upper }}"
      include_tasks: inc.yml
`,
      {
        files: {
          'roles/r1/defaults/main.yml': 'what: role-default\n',
          'roles/r1/tasks/main.yml': '- name: "role {{ what }}"\n  debug: msg=r\n',
          'inc.yml': '- name: "inside {{ svc }}"\n  debug: msg=i\n',
        },
      },
    );
    assert.equal(r.rc, 0, r.text);
    assert.deepEqual(r.tasks, ['r1 : role role-default', 'configure keepalived (fast)', 'per item {{ item }}', 'inc KEEPALIVED', 'inside keepalived']);
    assert.equal(r.results('configure keepalived (fast)').length, 1, 'host results carry the rendered name');
  });
});
