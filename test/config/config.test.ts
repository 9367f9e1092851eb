// ansible.cfg and ANSIBLE_* variables, compared with ansible-playbook / ansible-config 2.14 on the
// same files: inventory and roles_path only from ansible.cfg, the world-writable-directory rule,
// precedence CLI > env > cfg, hash_behaviour=merge refused, ANSIBLE_NOCOLOR / ANSIBLE_FORCE_COLOR.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { skipWithoutAnsible } from '../helpers/ansible.js';

const CLI = resolve(dirname(fileURLToPath(import.meta.url)), '../../cli/lvsplay.js');
const BASE: NodeJS.ProcessEnv = { ...process.env, LVSPLAY_LAB_DIR: '/nonexistent' };
for (const k of Object.keys(BASE)) if (k.startsWith('ANSIBLE_') || k === 'NO_COLOR') delete BASE[k];

function run(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', cwd, env: { ...BASE, HOME: cwd, ...env } });
  return { rc: r.status, out: r.stdout, err: r.stderr };
}
const lvsplay = (args: string[], cwd: string, env?: NodeJS.ProcessEnv) => run(process.execPath, [CLI, ...args], cwd, env);

function tree(files: Record<string, string>): string {
  const d = mkdtempSync(join(tmpdir(), 'lvsplay-cfg-'));
  for (const [p, t] of Object.entries(files)) {
    mkdirSync(dirname(join(d, p)), { recursive: true });
    writeFileSync(join(d, p), t);
  }
  return d;
}

const PB = '- hosts: web\n  gather_facts: false\n  roles: [only_in_roles_path]\n';
const ROLE = 'roles/extra/only_in_roles_path/tasks/main.yml';
const ROLE_TASKS = '- copy: {content: "{{ inventory_hostname }} {{ greeting }}", dest: "{{ playbook_dir }}/{{ out }}"}\n';

describe('ansible.cfg against ansible-playbook 2.14', function () {
  this.timeout(120000);
  before(function () {
    skipWithoutAnsible(this, 'ansible-playbook', 'ansible-config');
  });

  it('inventory and roles_path only from ./ansible.cfg: both tools run the play and write the same file', () => {
    const d = tree({
      'ansible.cfg': '# site settings\n[defaults]\ninventory = ./hosts.ini ; the lab\nroles_path = ./roles/extra\nretry_files_enabled = False\nunknown_setting = 1\n',
      'hosts.ini': '[web]\nlocalhost ansible_connection=local greeting=hello\n',
      'site.yml': PB,
      [ROLE]: ROLE_TASKS,
    });
    const a = run('ansible-playbook', ['-e', 'out=a.txt', 'site.yml'], d);
    assert.equal(a.rc, 0, a.out + a.err);
    const l = lvsplay(['-e', 'out=l.txt', 'site.yml'], d);
    assert.equal(l.rc, 0, l.out + l.err);
    assert.equal(readFileSync(join(d, 'l.txt'), 'utf8'), readFileSync(join(d, 'a.txt'), 'utf8'));
    assert.equal(readFileSync(join(d, 'l.txt'), 'utf8'), 'localhost hello');
  });

  it('a world-writable working directory: ./ansible.cfg ignored by both, with a warning', () => {
    const d = tree({ 'ansible.cfg': '[defaults]\nforks = 7\n' });
    chmodSync(d, 0o777);
    const a = run('ansible-config', ['dump', '--only-changed'], d);
    const l = lvsplay(['config', 'dump', '--only-changed'], d);
    assert.equal(l.rc, 0, l.err);
    assert.match(a.out, /CONFIG_FILE\(\) = None/);
    assert.match(l.out, /CONFIG_FILE\(\) = None/);
    assert.doesNotMatch(l.out, /DEFAULT_FORKS/);
    assert.match(l.err, /world writable directory/);
    chmodSync(d, 0o700);
    const a2 = run('ansible-config', ['dump', '--only-changed'], d);
    const l2 = lvsplay(['config', 'dump', '--only-changed'], d);
    assert.match(a2.out, /DEFAULT_FORKS\(.*ansible\.cfg\) = 7/);
    assert.match(l2.out, new RegExp(`DEFAULT_FORKS\\(${d}/ansible\\.cfg:2\\) = 7`));
  });

  it('precedence CLI > env > cfg > defaults, ANSIBLE_CONFIG picks the file, the same values as ansible-config', () => {
    const d = tree({ 'elsewhere/my.cfg': '[defaults]\nforks = 7\nremote_user = carol\n[privilege_escalation]\nbecome_user = svc\n' });
    const env = { ANSIBLE_CONFIG: join(d, 'elsewhere/my.cfg'), ANSIBLE_FORKS: '9' };
    const a = run('ansible-config', ['dump', '--only-changed'], d, env).out;
    const l = lvsplay(['config', 'dump', '--only-changed'], d, env).out;
    for (const [name, value] of [['DEFAULT_FORKS', '9'], ['DEFAULT_REMOTE_USER', 'carol'], ['DEFAULT_BECOME_USER', 'svc']]) {
      assert.match(a, new RegExp(`^${name}\\(.*\\) = ${value}$`, 'm'));
      assert.match(l, new RegExp(`^${name}\\(.*\\) = ${value}$`, 'm'));
    }
    assert.match(l, /^DEFAULT_FORKS\(env: ANSIBLE_FORKS\) = 9$/m);
    assert.match(l, new RegExp(`^DEFAULT_REMOTE_USER\\(${d}/elsewhere/my\\.cfg:3\\) = carol$`, 'm'));
    // the CLI wins: -f 0 is rejected although env and cfg give valid values
    const r = lvsplay(['-f', '0', '-i', 'localhost,', 'x.yml'], d, env);
    assert.equal(r.rc, 2); // ansible-playbook: argparse's 2
  });

  it('hash_behaviour=merge is refused clearly (replace accepted)', () => {
    const d = tree({ 'ansible.cfg': '[defaults]\nhash_behaviour = merge\n', 'pb.yml': '- hosts: all\n  gather_facts: false\n  tasks: []\n' });
    const r = lvsplay(['-i', 'localhost,', '-c', 'local', 'pb.yml'], d);
    assert.notEqual(r.rc, 0);
    assert.match(r.err, /ansible\.cfg:2: hash_behaviour=merge is not supported/);
    writeFileSync(join(d, 'ansible.cfg'), '[defaults]\nhash_behaviour = replace\n');
    assert.equal(lvsplay(['-i', 'localhost,', '-c', 'local', 'pb.yml'], d).rc, 0);
  });

  it('ANSIBLE_NOCOLOR / ANSIBLE_FORCE_COLOR as ansible-playbook reads them (FORCE_COLOR=0 forces nothing)', () => {
    const d = tree({ 'pb.yml': '- hosts: all\n  gather_facts: false\n  tasks:\n    - debug: {msg: hi}\n' });
    const args = ['-i', 'localhost,', '-c', 'local', 'pb.yml'];
    const ESC = /\x1b\[/;
    for (const env of [{ ANSIBLE_FORCE_COLOR: '0' }, { ANSIBLE_FORCE_COLOR: '1' }, { ANSIBLE_FORCE_COLOR: 'true', ANSIBLE_NOCOLOR: 'yes' }, { ANSIBLE_FORCE_COLOR: 'yes', ANSIBLE_NOCOLOR: '0' }]) {
      const a = run('ansible-playbook', args, d, env);
      const l = lvsplay(args, d, env);
      assert.equal(l.rc, 0, l.err);
      assert.equal(ESC.test(l.out), ESC.test(a.out), `colour with ${JSON.stringify(env)}: ansible ${ESC.test(a.out)}`);
    }
  });
});
