// ansible.cfg settings that change a run, each compared with ansible-playbook 2.14 on the same
// files: gathering, any_errors_fatal, duplicate_dict_key (error/warn/ignore), and log_path (test/cli/logpath.test.ts).
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { skipWithoutAnsible } from '../helpers/ansible.js';

const CLI = resolve(dirname(fileURLToPath(import.meta.url)), '../../cli/lvsplay.js');
const BASE: NodeJS.ProcessEnv = { ...process.env, LVSPLAY_LAB_DIR: '/nonexistent', NO_COLOR: '1' };
for (const k of Object.keys(BASE)) if (k.startsWith('ANSIBLE_')) delete BASE[k];

function tool(which: 'a' | 'l', args: string[], cwd: string) {
  const [cmd, pre] = which === 'a' ? ['ansible-playbook', []] : [process.execPath, [CLI]];
  const r = spawnSync(cmd, [...pre, ...args], { encoding: 'utf8', cwd, env: { ...BASE, HOME: cwd } });
  return { rc: r.status, out: r.stdout, err: r.stderr };
}

function dir(files: Record<string, string>): string {
  const d = mkdtempSync(join(tmpdir(), 'lvsplay-cfgset-'));
  for (const [p, t] of Object.entries(files)) writeFileSync(join(d, p), t);
  return d;
}

describe('ansible.cfg settings that change a run, against ansible-playbook 2.14', function () {
  this.timeout(120000);
  before(function () {
    skipWithoutAnsible(this, 'ansible-playbook');
  });

  it('gathering = explicit / implicit: facts gathered only without explicit', () => {
    const pb = '- hosts: all\n  tasks:\n    - copy: {content: "{{ \'yes\' if ansible_hostname is defined else \'no\' }}", dest: "{{ playbook_dir }}/{{ out }}"}\n';
    for (const gathering of ['explicit', 'implicit']) {
      const d = dir({ 'ansible.cfg': `[defaults]\ngathering = ${gathering}\n`, 'pb.yml': pb });
      for (const w of ['a', 'l'] as const) {
        const r = tool(w, ['-i', 'localhost,', '-c', 'local', '-e', `out=${w}`, 'pb.yml'], d);
        assert.equal(r.rc, 0, r.out + r.err);
      }
      assert.equal(readFileSync(join(d, 'l'), 'utf8'), readFileSync(join(d, 'a'), 'utf8'), gathering);
      assert.equal(readFileSync(join(d, 'l'), 'utf8'), gathering === 'explicit' ? 'no' : 'yes');
    }
  });

  it('any_errors_fatal = True: a failure on one host stops the others', () => {
    const pb = `- hosts: all
  gather_facts: false
  tasks:
    - fail: {msg: boom}
      when: inventory_hostname == 'h1'
    - copy: {content: x, dest: "{{ playbook_dir }}/{{ out }}-{{ inventory_hostname }}"}
`;
    for (const fatal of ['True', 'False']) {
      const d = dir({ 'ansible.cfg': `[defaults]\nany_errors_fatal = ${fatal}\n`, 'pb.yml': pb, inv: 'h1 ansible_connection=local\nh2 ansible_connection=local\n' });
      const a = tool('a', ['-i', 'inv', '-e', 'out=a', 'pb.yml'], d);
      const l = tool('l', ['-i', 'inv', '-e', 'out=l', 'pb.yml'], d);
      assert.equal(l.rc, a.rc, l.out + l.err);
      assert.equal(existsSync(join(d, 'l-h2')), existsSync(join(d, 'a-h2')), `any_errors_fatal=${fatal}`);
      assert.equal(existsSync(join(d, 'l-h2')), fatal === 'False');
    }
  });

  it('duplicate_dict_key: error stops both; warn and ignore use the last value', () => {
    const pb = '- hosts: all\n  gather_facts: false\n  vars:\n    v: first\n    v: last\n  tasks:\n    - copy: {content: "{{ v }}", dest: "{{ playbook_dir }}/{{ out }}"}\n';
    for (const policy of ['error', 'warn', 'ignore']) {
      const d = dir({ 'ansible.cfg': `[defaults]\nduplicate_dict_key = ${policy}\n`, 'pb.yml': pb });
      const a = tool('a', ['-i', 'localhost,', '-c', 'local', '-e', 'out=a', 'pb.yml'], d);
      const l = tool('l', ['-i', 'localhost,', '-c', 'local', '-e', 'out=l', 'pb.yml'], d);
      assert.equal(l.rc === 0, a.rc === 0, `${policy}: ansible ${a.rc}, lvsplay ${l.rc}\n${l.err}`);
      if (policy === 'error') assert.match(l.err, /pb\.yml:5:5: duplicate key 'v'/);
      else assert.equal(readFileSync(join(d, 'l'), 'utf8'), readFileSync(join(d, 'a'), 'utf8'));
      if (policy === 'warn') assert.match(l.err, /\[WARNING\]: pb\.yml:5:5: duplicate key 'v'/);
      if (policy === 'ignore') assert.doesNotMatch(l.err, /duplicate/);
    }
  });
});
