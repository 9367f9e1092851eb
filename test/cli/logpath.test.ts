// log_path (ansible.cfg) / ANSIBLE_LOG_PATH: the same playbook run by ansible-playbook 2.14 and
// lvsplay; the two log files agree record for record once the time and pid are taken out.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { skipWithoutAnsible } from '../helpers/ansible.js';

const CLI = resolve(dirname(fileURLToPath(import.meta.url)), '../../cli/lvsplay.js');
const PLAY = `- hosts: all
  gather_facts: false
  tasks:
    - name: say hello
      debug: {msg: "hello {{ inventory_hostname }}"}
    - name: make a file
      copy: {content: "x\\n", dest: "{{ playbook_dir }}/out-{{ inventory_hostname }}"}
    - name: skipped here
      command: /bin/true
      when: false
    - name: fails, ignored
      command: /bin/false
      ignore_errors: true
    - name: items
      debug: {msg: "{{ item }}"}
      loop: [a, b]
    - name: a secret
      debug: {msg: "s3cret-value"}
      no_log: true
`;

function run(cmd: string, args: string[], cwd: string, log: string) {
  const env: NodeJS.ProcessEnv = { ...process.env, ANSIBLE_LOG_PATH: log, ANSIBLE_NOCOLOR: '1', NO_COLOR: '1' };
  delete env.ANSIBLE_CONFIG;
  const r = spawnSync(cmd, args, { cwd, env, encoding: 'utf8', timeout: 120000 });
  return { rc: r.status, out: r.stdout + r.stderr };
}

/** Records with the time and pid taken out (continuation lines kept as they are). */
function records(file: string): string[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .map((l) => l.replace(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} p=\d+ u=(\S+) n=ansible \| /, 'T p=P u=$1 n=ansible | '))
    .map((l) => l.replace(/"(delta|end|start)": "[^"]*"/g, '"$1": "TIME"'));
}

describe('log_path: the run logged as ansible-playbook 2.14 logs it', function () {
  this.timeout(240000);
  before(function () {
    skipWithoutAnsible(this, 'ansible-playbook');
  });

  it('the same records (time and pid aside) from ANSIBLE_LOG_PATH and from ansible.cfg; no_log text never logged', () => {
    const [da, dl] = [0, 1].map(() => mkdtempSync(join(tmpdir(), 'lvsplay-logpath-')));
    for (const d of [da, dl]) writeFileSync(join(d, 'pb.yml'), PLAY);
    const args = ['-i', 'localhost,', '-c', 'local', 'pb.yml'];
    const a = run('ansible-playbook', args, da, join(da, 'a.log'));
    const l = run(process.execPath, [CLI, ...args], dl, join(dl, 'l.log'));
    assert.equal(a.rc, 0, a.out);
    assert.equal(l.rc, a.rc, l.out);
    assert.deepEqual(records(join(dl, 'l.log')), records(join(da, 'a.log')));
    assert.doesNotMatch(readFileSync(join(dl, 'l.log'), 'utf8'), /s3cret-value/);
    // the same setting from ansible.cfg's [defaults] log_path, appending across runs
    const c = mkdtempSync(join(tmpdir(), 'lvsplay-logpath-cfg-'));
    writeFileSync(join(c, 'pb.yml'), PLAY);
    writeFileSync(join(c, 'ansible.cfg'), '[defaults]\nlog_path = ./run.log\n');
    for (let i = 0; i < 2; i++) {
      const r = spawnSync(process.execPath, [CLI, ...args], { cwd: c, env: { ...process.env, NO_COLOR: '1', ANSIBLE_LOG_PATH: '' }, encoding: 'utf8' });
      assert.equal(r.status, 0, r.stdout + r.stderr);
    }
    const recs = records(join(c, 'run.log')).filter((x) => x.includes('PLAY RECAP'));
    assert.equal(recs.length, 2);
  });

  it('a log file that cannot be written: a warning, the run goes on (as Ansible)', () => {
    const d = mkdtempSync(join(tmpdir(), 'lvsplay-logpath-'));
    writeFileSync(join(d, 'pb.yml'), PLAY);
    const bad = join(d, 'no-such-dir', 'x.log');
    const l = run(process.execPath, [CLI, '-i', 'localhost,', '-c', 'local', 'pb.yml'], d, bad);
    assert.equal(l.rc, 0, l.out);
    assert.match(l.out, /\[WARNING\]: log file at .*no-such-dir\/x\.log is not writeable and we cannot create it, aborting\n/);
    assert.equal(existsSync(bad), false);
  });
});
