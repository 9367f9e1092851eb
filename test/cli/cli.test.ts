// The lvsplay command line: flags, exit codes (as ansible-playbook), --syntax-check, --json,
// --list-hosts/--list-tasks, -e forms, SIGINT. Runs the compiled CLI with local connections.
import { strict as assert } from 'node:assert';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const CLI = resolve(dirname(fileURLToPath(import.meta.url)), '../../cli/lvsplay.js');

function lvsplay(args: string[], cwd?: string) {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', cwd, env: { ...process.env, NO_COLOR: '1', LVSPLAY_LAB_DIR: '/nonexistent' } });
  return { rc: r.status, out: r.stdout, err: r.stderr };
}

function dir(files: Record<string, string>): string {
  const d = mkdtempSync(join(tmpdir(), 'lvsplay-cli-'));
  for (const [p, t] of Object.entries(files)) writeFileSync(join(d, p), t);
  return d;
}

const OK = `
- name: ok play
  hosts: all
  gather_facts: false
  tasks:
    - name: hello
      command: echo hello
      tags: [t]
    - name: vars
      debug:
        msg: "{{ a }} {{ b }} {{ c | join(',') }}"
`;

describe('cli', function () {
  this.timeout(60000);

  it('--version and --help exit 0', () => {
    const v = lvsplay(['--version']);
    assert.equal(v.rc, 0);
    assert.match(v.out, /^lvsplay \d+\.\d+\.\d+\n$/);
    const h = lvsplay(['--help']);
    assert.equal(h.rc, 0);
    assert.match(h.out, /--inventory/);
    assert.match(h.out, /--syntax-check/);
  });

  it('a command line that does not parse exits 2 with a message (as ansible-playbook)', () => {
    const r = lvsplay(['--no-such-flag', 'x.yml']);
    assert.equal(r.rc, 2);
    assert.match(r.err, /unknown option/);
    const m = lvsplay(['missing.yml']);
    assert.equal(m.rc, 1); // as ansible-playbook 2.14
    assert.match(m.err, /ERROR! the playbook: missing\.yml could not be found/);
    const f = lvsplay(['-f', '0', 'missing.yml']);
    assert.equal(f.rc, 2);
  });

  it('--syntax-check: "playbook: FILE" and 0; a broken playbook lists every problem with FILE:LINE:COL and exits 4', () => {
    const d = dir({
      'ok.yml': OK,
      'bad.yml': `
- hosts: all
  tasks:
    - name: typo
      comand: echo hi
    - name: bad arg
      command: echo
      args:
        chdirr: /tmp
`,
    });
    const ok = lvsplay(['--syntax-check', 'ok.yml'], d);
    assert.equal(ok.rc, 0);
    assert.equal(ok.out, '\nplaybook: ok.yml\n');
    const bad = lvsplay(['--syntax-check', '-i', 'unreachable-host.invalid,', 'bad.yml'], d);
    assert.equal(bad.rc, 4);
    assert.match(bad.err, /bad\.yml:5:7: .*comand/);
    assert.match(bad.err, /bad\.yml:9:9: .*chdirr/);
  });

  it('runs a playbook on localhost: output, recap, extra vars in all three forms', () => {
    const d = dir({ 'ok.yml': OK, 'vars.yml': 'c: [x, y]\n' });
    const r = lvsplay(['-i', 'localhost,', '-c', 'local', '-e', 'a=1 b=two', '-e', '{"b": "json"}', '-e', '@vars.yml', 'ok.yml'], d);
    assert.equal(r.rc, 0, r.err);
    assert.match(r.out, /^\nPLAY \[ok play\] \*+\n\nTASK \[hello\] \*+\nchanged: \[localhost\]\n/);
    assert.match(r.out, /"msg": "1 json x,y"/);
    assert.match(r.out, /\nPLAY RECAP \*+\nlocalhost                  : ok=2    changed=1    unreachable=0    failed=0    skipped=0    rescued=0    ignored=0   \n\n$/);
  });

  it('a failed host exits 2', () => {
    const d = dir({ 'f.yml': '- hosts: all\n  gather_facts: false\n  tasks:\n    - command: "false"\n' });
    const r = lvsplay(['-i', 'localhost,', '-c', 'local', 'f.yml'], d);
    assert.equal(r.rc, 2);
    assert.match(r.out, /fatal: \[localhost\]: FAILED!/);
  });

  it('--json: one JSON event per line, ending with the recap', () => {
    const d = dir({ 'ok.yml': OK });
    const r = lvsplay(['--json', '-i', 'localhost,', '-c', 'local', '-e', 'a=1 b=2 c=[]', '-t', 't', 'ok.yml'], d);
    assert.equal(r.rc, 0, r.err);
    const evs = r.out.trim().split('\n').map((l) => JSON.parse(l) as { type: string; hosts?: Record<string, { ok: number }>; rc?: number });
    assert.deepEqual(evs.map((e) => e.type), ['playbook_start', 'play_start', 'task_start', 'host_result', 'recap', 'playbook_end']);
    assert.equal(evs[4].hosts!.localhost.ok, 1);
    assert.equal(evs[5].rc, 0);
  });

  it('--list-hosts and --list-tasks in ansible-playbook layout', () => {
    const d = dir({ 'ok.yml': OK, 'inv.ini': '[web]\nw1\nw2\n[db]\nd1\n' });
    const h = lvsplay(['-i', 'inv.ini', '--list-hosts', '-l', 'w*', 'ok.yml'], d);
    assert.equal(h.rc, 0, h.err);
    assert.equal(h.out, "\nplaybook: ok.yml\n\n  play #1 (all): ok play\tTAGS: []\n    pattern: ['all']\n    hosts (2):\n      w1\n      w2\n");
    const t = lvsplay(['-i', 'inv.ini', '--list-tasks', 'ok.yml'], d);
    assert.equal(t.out, '\nplaybook: ok.yml\n\n  play #1 (all): ok play\tTAGS: []\n    tasks:\n      hello\tTAGS: [t]\n      vars\tTAGS: []\n');
  });

  it('-K without a terminal is a clear usage error', () => {
    const d = dir({ 'ok.yml': OK });
    const r = lvsplay(['-K', '-i', 'localhost,', '-c', 'local', 'ok.yml'], d);
    assert.equal(r.rc, 5);
    assert.match(r.err, /needs a terminal/);
  });

  it('SIGINT: connections closed, exit 99', async () => {
    const d = dir({ 's.yml': '- hosts: all\n  gather_facts: false\n  tasks:\n    - command: sleep 30\n' });
    const child = spawn(process.execPath, [CLI, '-i', 'localhost,', '-c', 'local', 's.yml'], { cwd: d, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (b) => (out += b));
    child.stderr.on('data', (b) => (err += b));
    const exited = new Promise<number | null>((res) => child.on('exit', (c) => res(c)));
    let early: number | null | undefined;
    await new Promise<void>((res) => {
      const t = setInterval(() => {
        if (out.includes('TASK [command]')) {
          clearInterval(t);
          res();
        }
      }, 20);
      void exited.then((c) => {
        early = c;
        clearInterval(t);
        res();
      });
    });
    assert.equal(early, undefined, `lvsplay ended before the task started: ${out}${err}`);
    await new Promise((r) => setTimeout(r, 300));
    child.kill('SIGINT');
    assert.equal(await exited, 99);
  });

  it('subcommands dispatch (lab/check/inventory) from the bundled CLI', () => {
    for (const sub of ['lab', 'check', 'inventory']) {
      const r = lvsplay([sub, '--help']);
      assert.equal(r.rc, 0, `${sub} --help: ${r.err}`);
      assert.match(r.out + r.err, new RegExp(`usage: lvsplay ${sub}`, 'i'));
    }
  });
});
