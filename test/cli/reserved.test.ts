// Ansible's "Found variable using reserved name" warning, against ansible-playbook 2.14: the same
// set of names (Ansible prints them in a hash order) for play vars, vars_files, role defaults and
// vars, and extra vars; none for task vars, set_fact, include_vars or inventory variables.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { skipWithoutAnsible } from '../helpers/ansible.js';

const CLI = resolve(dirname(fileURLToPath(import.meta.url)), '../../cli/lvsplay.js');
const ENV: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', ANSIBLE_NOCOLOR: '1', LVSPLAY_LAB_DIR: '/nonexistent' };
delete ENV.ANSIBLE_CONFIG;

const FILES: Record<string, string> = {
  'inv': 'localhost ansible_connection=local hosts=1 tags=2\n',
  'vf.yml': 'environment: x\n',
  'roles/r/defaults/main.yml': 'timeout: 3\n',
  'roles/r/vars/main.yml': 'serial: 1\n',
  'roles/r/tasks/main.yml': '- debug: msg=r\n',
  'pb.yml': `- hosts: all
  gather_facts: false
  vars: {name: a, port: 1, lookup: 2, fine: 3}
  vars_files: [vf.yml]
  roles: [r]
  tasks:
    - debug: msg=x
      vars: {notify: 1}
    - set_fact: {when: 1}
- hosts: all
  gather_facts: false
  vars: {name: b, range: 1}
  tasks:
    - include_vars: vf.yml
`,
};

const warned = (stderr: string): string[] => [...stderr.matchAll(/^\[WARNING\]: Found variable using reserved name: (\S+)$/gm)].map((m) => m[1]).sort();

describe('reserved variable names (differential against ansible-playbook 2.14)', function () {
  this.timeout(120000);
  let dir: string;
  before(function () {
    skipWithoutAnsible(this, 'ansible-playbook');
    dir = mkdtempSync(join(tmpdir(), 'lvsplay-reserved-'));
    for (const [p, t] of Object.entries(FILES)) {
      mkdirSync(dirname(join(dir, p)), { recursive: true });
      writeFileSync(join(dir, p), t);
    }
  });
  after(() => dir && rmSync(dir, { recursive: true, force: true }));

  it('warns about the same names, once each', () => {
    const args = ['-i', 'inv', 'pb.yml', '-e', 'delay=1'];
    const a = spawnSync('ansible-playbook', args, { cwd: dir, env: ENV, encoding: 'utf8' });
    const l = spawnSync(process.execPath, [CLI, ...args], { cwd: dir, env: ENV, encoding: 'utf8' });
    assert.equal(l.status, a.status, `${a.stdout}${a.stderr}\n---\n${l.stdout}${l.stderr}`);
    assert.deepEqual(warned(l.stderr), warned(a.stderr));
    assert.deepEqual(warned(a.stderr), ['delay', 'environment', 'lookup', 'name', 'port', 'range', 'serial', 'timeout']);
  });
});
