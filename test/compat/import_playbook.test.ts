// import_playbook with `when` (and vars, tags, nesting), run by lvsplay and by ansible-playbook 2.14
// on the same files: the condition goes to every task of the imported plays and to their fact
// gathering (skipped where false), not to their handlers. Compared: exit code, recap per host, files.
import assert from 'node:assert/strict';
import { assertBothSame, skipWithoutOracle } from './oracle.js';

const INV = 'h1 ansible_connection=local on=true\nh2 ansible_connection=local on=false\n';


const same = (files: Record<string, string>, args: string[] = []) => assertBothSame({ 'inventory.ini': INV, ...files }, args);
const mark = (name: string, extra = ''): string => `    - copy: { dest: "{{ out }}/${name}-{{ inventory_hostname }}", content: "{{ inventory_hostname }}" }\n${extra}`;

describe('compat: import_playbook with when (differential, connection: local)', function () {
  this.timeout(240_000);
  before(function () {
    skipWithoutOracle(this);
  });

  it('when per host on every task, pre/post tasks, roles and blocks; fact gathering skipped where false; vars and tags pass on', () => {
    same(
      {
        'pb.yml': `- import_playbook: sub.yml
  when: on | bool
  vars: { word: hello }
  tags: [imp]
- import_playbook: sub2.yml
  when: "'h2' == inventory_hostname"
`,
        'sub.yml': `- hosts: all
  roles: [r]
  pre_tasks:
${mark('pre')}  tasks:
${mark('task', `      when: word == 'hello'\n`)}    - block:
${mark('block').replace(/^ {4}/gm, '        ')}  post_tasks:
${mark('post')}`,
        'roles/r/tasks/main.yml': `- copy: { dest: "{{ out }}/role-{{ inventory_hostname }}", content: "{{ ansible_facts.hostname is defined }}" }\n`,
        'sub2.yml': `- hosts: all
  gather_facts: false
  tasks:
${mark('second')}`,
      },
      ['--tags', 'imp,untagged'],
    );
  });

  it('nested imports: both conditions hold; handlers of the imported play run even when the condition has become false', () => {
    const files = {
      'pb.yml': `- import_playbook: mid.yml
  when: on | bool
`,
      'mid.yml': `- import_playbook: leaf.yml
  when: not (stop | default(false))
`,
      'leaf.yml': `- hosts: all
  gather_facts: false
  handlers:
    - name: h
      copy: { dest: "{{ out }}/handler-{{ inventory_hostname }}", content: ran }
  tasks:
    - copy: { dest: "{{ out }}/notify-{{ inventory_hostname }}", content: x }
      notify: h
    - set_fact: { stop: true }
    - copy: { dest: "{{ out }}/after-{{ inventory_hostname }}", content: x }
`,
    };
    const { lvsplay } = same(files);
    assert.deepEqual(Object.keys(lvsplay.files).sort(), ['handler-h1', 'notify-h1'], lvsplay.output);
  });
});
