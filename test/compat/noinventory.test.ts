// Without any inventory (no -i, no lab, no /etc/ansible/hosts) only the implicit localhost exists, as
// in ansible-playbook 2.14: it is in no group ('all' is empty), `hosts: all` matches nothing, and a
// play naming localhost runs on it with the local connection. Differential: both tools run the same
// playbook in their own copy of a scratch directory; exit code, recap and the file written compared.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { skipWithoutOracle } from './oracle.js';

const CLI = resolve(dirname(fileURLToPath(import.meta.url)), '../../cli/lvsplay.js');

const PLAYBOOK = `- hosts: all
  gather_facts: false
  tasks:
    - copy: {content: "all ran\\n", dest: "{{ playbook_dir }}/all-ran.txt"}

- hosts: localhost
  gather_facts: false
  tasks:
    - copy:
        dest: "{{ playbook_dir }}/seen.json"
        content: "{{ {'groups': groups, 'play_hosts': ansible_play_hosts_all, 'inventory_hostname': inventory_hostname,
          'connection': hostvars['localhost']['ansible_connection'], 'group_names': group_names} | to_nice_json }}\\n"
`;

interface Seen {
  rc: number | null;
  recap: string[];
  files: Record<string, string | null>;
}

function run(tool: 'lvsplay' | 'ansible'): Seen {
  const dir = mkdtempSync(join(tmpdir(), 'lvsplay-noinv-'));
  writeFileSync(join(dir, 'pb.yml'), PLAYBOOK);
  const cmd = tool === 'lvsplay' ? [process.execPath, CLI, 'pb.yml'] : ['ansible-playbook', 'pb.yml'];
  const r = spawnSync(cmd[0], cmd.slice(1), {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', ANSIBLE_NOCOLOR: '1', ANSIBLE_CONFIG: '', ANSIBLE_INVENTORY: '', LVSPLAY_LAB_DIR: join(dir, 'no-lab') },
  });
  const read = (f: string): string | null => (existsSync(join(dir, f)) ? readFileSync(join(dir, f), 'utf8') : null);
  const out = { rc: r.status, recap: [...r.stdout.matchAll(/^(\S+)\s*:\s*(ok=.*)$/gm)].map((m) => `${m[1]} ${m[2].trim().replace(/\s+/g, ' ')}`), files: { 'all-ran.txt': read('all-ran.txt'), 'seen.json': read('seen.json') } };
  rmSync(dir, { recursive: true, force: true });
  return out;
}

describe('compat: no inventory at all — only the implicit localhost (differential against ansible-playbook)', function () {
  this.timeout(120000);
  before(function () {
    skipWithoutOracle(this);
    if (existsSync('/etc/ansible/hosts')) {
      console.log('    skipped: /etc/ansible/hosts exists on this machine (both tools would read it)');
      this.skip();
    }
  });

  it("'all' is empty, hosts: all matches nothing, localhost runs locally and is in no group", () => {
    const lv = run('lvsplay');
    const an = run('ansible');
    assert.deepEqual(lv, an);
    assert.equal(an.files['all-ran.txt'], null, 'the oracle skips hosts: all');
    assert.match(an.files['seen.json'] ?? '', /"connection": "local"/);
  });
});
