// meta tasks as ansible-playbook 2.14 shows and runs them: a banner for each (per host for noop,
// flush_handlers, end_host, reset_connection; once for the rest), `skipping: [host]` where `when`
// is false (not counted in the recap), the first host's `when` deciding clear_facts/end_play for
// the batch, and the warning for `when` on noop. Same inventory, same playbook: the same output.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { skipWithoutAnsible } from '../helpers/ansible.js';

const CLI = resolve(dirname(fileURLToPath(import.meta.url)), '../../cli/lvsplay.js');
const ENV: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', ANSIBLE_NOCOLOR: '1', LVSPLAY_LAB_DIR: '/nonexistent', ANSIBLE_LOCALHOST_WARNING: 'false' };
delete ENV.ANSIBLE_CONFIG;

const PLAYBOOKS: Record<string, string> = {
  'every directive, conditions false and true': `- hosts: all
  gather_facts: false
  tasks:
    - meta: noop
    - name: flush them
      meta: flush_handlers
    - meta: clear_facts
    - meta: refresh_inventory
    - meta: end_host
      when: false
    - debug: msg=x
    - meta: end_play
- hosts: all
  gather_facts: false
  tasks:
    - meta: end_host
    - debug: msg=never
`,
  'per-host and first-host conditions': `- hosts: all
  gather_facts: false
  tasks:
    - meta: noop
      when: false
    - meta: end_host
      when: inventory_hostname == 'b'
    - set_fact: {f: 1}
    - meta: clear_facts
      when: inventory_hostname == 'c'
    - debug: msg="{{ f | default('cleared') }}"
    - meta: end_play
      when: inventory_hostname != 'a'
    - debug: msg=still
`,
};

describe('meta tasks: banners, skips and scope (differential against ansible-playbook 2.14)', function () {
  this.timeout(120000);
  let dir: string;
  before(function () {
    skipWithoutAnsible(this, 'ansible-playbook');
    dir = mkdtempSync(join(tmpdir(), 'lvsplay-meta-'));
  });
  after(() => dir && rmSync(dir, { recursive: true, force: true }));

  for (const [what, text] of Object.entries(PLAYBOOKS)) {
    it(what, () => {
      writeFileSync(join(dir, 'site.yml'), text);
      const args = ['-i', 'a,b,c,', '-c', 'local', '-f', '1', 'site.yml']; // one fork: Ansible's host order is then fixed
      const a = spawnSync('ansible-playbook', args, { encoding: 'utf8', cwd: dir, env: ENV, timeout: 60000 });
      const l = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', cwd: dir, env: ENV, timeout: 60000 });
      const ctx = `\n--- ansible (rc ${a.status}):\n${a.stdout}${a.stderr}\n--- lvsplay (rc ${l.status}):\n${l.stdout}${l.stderr}`;
      assert.equal(l.status, a.status, `exit code${ctx}`);
      assert.equal(l.stdout, a.stdout, `output${ctx}`);
      assert.equal(l.stderr, a.stderr, `warnings${ctx}`);
    });
  }
});
