// --step against ansible-playbook 2.14: the same playbook and the same answers on standard input;
// the questions (task, handler, include, fact gathering, role tasks; names not templated), which
// tasks run (y, Y, yes, c/continue stops asking, N and empty skip without counting), the banners,
// the recap and the exit code — and the end of input, which stops the run with exit 2.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { skipWithoutAnsible } from '../helpers/ansible.js';

const CLI = resolve(dirname(fileURLToPath(import.meta.url)), '../../cli/lvsplay.js');
const ENV: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', ANSIBLE_NOCOLOR: '1', LVSPLAY_LAB_DIR: '/nonexistent', ANSIBLE_LOCALHOST_WARNING: 'false' };
delete ENV.ANSIBLE_CONFIG;

const PLAYBOOK = `- hosts: all
  gather_facts: true
  roles: [steprole]
  tasks:
    - name: "one {{ 1 + 1 }}"
      command: echo hi
      notify: h
    - include_tasks: inc.yml
    - meta: noop
    - debug: msg=last
  handlers:
    - name: h
      debug: msg=handler
`;

function project(): string {
  const d = mkdtempSync(join(tmpdir(), 'lvsplay-step-'));
  writeFileSync(join(d, 'site.yml'), PLAYBOOK);
  writeFileSync(join(d, 'inc.yml'), '- {name: inner, debug: {msg: inner}}\n');
  mkdirSync(join(d, 'roles/steprole/tasks'), { recursive: true });
  writeFileSync(join(d, 'roles/steprole/tasks/main.yml'), '- name: from the role\n  debug: {msg: role}\n');
  return d;
}

function run(cmd: string, args: string[], cwd: string, input: string) {
  const r = spawnSync(cmd, [...args, '-i', 'localhost,', '-c', 'local', '--step', 'site.yml'], { encoding: 'utf8', cwd, env: ENV, input, timeout: 120000 });
  return { rc: r.status, out: r.stdout, err: r.stderr };
}

/** Both tools on the project in `dir` with the same answers: the same exit code and output. */
function sameAsAnsible(dir: string, answers: string): void {
  const a = run('ansible-playbook', [], dir, answers);
  const l = run(process.execPath, [CLI], dir, answers);
  const ctx = `\n--- ansible (rc ${a.rc}):\n${a.out}${a.err}\n--- lvsplay (rc ${l.rc}):\n${l.out}${l.err}`;
  assert.equal(l.rc, a.rc, `exit code${ctx}`);
  assert.equal(l.out, a.out, `output${ctx}`);
}

describe('--step (differential against ansible-playbook 2.14)', function () {
  this.timeout(240000);
  let dir: string;
  before(function () {
    skipWithoutAnsible(this, 'ansible-playbook');
    dir = project();
  });
  after(() => dir && rmSync(dir, { recursive: true, force: true }));

  const cases: [string, string][] = [
    ['yes to everything', 'y\ny\ny\ny\ny\ny\ny\ny\n'],
    ['no to facts and a task, Y/yes, N to the handler', 'n\nY\nyes\nyes\n\nyes\nN\n'],
    ['continue stops asking', 'y\nn\nC\n'],
    ['the end of input stops the run (exit 2)', 'y\nn\n'],
  ];
  for (const [what, answers] of cases) it(what, () => sameAsAnsible(dir, answers));

  it('says why it stopped when the input ended (Ansible says nothing)', () => {
    const l = run(process.execPath, [CLI], dir, '');
    assert.equal(l.rc, 2);
    assert.match(l.err, /--step: standard input ended before an answer: stopping the run/);
  });
});

const FREE = `- hosts: all
  strategy: free
  gather_facts: false
  tasks:
    - name: one
      command: echo hi
      notify: h
    - debug: msg=second
    - debug: msg=last
  handlers:
    - name: h
      debug: msg=handler
`;

describe('--step under strategy: free (differential against ansible-playbook 2.14)', function () {
  this.timeout(240000);
  let dir: string;
  before(function () {
    skipWithoutAnsible(this, 'ansible-playbook');
    dir = mkdtempSync(join(tmpdir(), 'lvsplay-stepfree-'));
    writeFileSync(join(dir, 'site.yml'), FREE);
  });
  after(() => dir && rmSync(dir, { recursive: true, force: true }));

  for (const [what, answers] of [
    ['yes to everything: asked per host ("on HOST")', 'y\ny\ny\ny\n'],
    ['continue after the first task', 'y\nc\n'],
    ['continue at once', 'c\n'],
  ]) {
    it(what, () => sameAsAnsible(dir, answers));
  }

  // ansible-playbook 2.14 never returns after a "no" under free (it asks nothing more and waits):
  // not compared; lvsplay skips that task for the host and goes on.
  it('"no" skips the task on that host and goes on (lvsplay only: Ansible 2.14 hangs here)', () => {
    const l = run(process.execPath, [CLI], dir, 'y\nn\ny\ny\n');
    assert.equal(l.rc, 0, l.out + l.err);
    assert.doesNotMatch(l.out, /"msg": "second"/);
    assert.match(l.out, /"msg": "last"/);
    assert.match(l.out, /RUNNING HANDLER \[h\]/);
    assert.match(l.out, /localhost +: ok=3 +changed=1 /);
  });
});
