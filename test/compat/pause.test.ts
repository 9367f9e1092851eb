// pause, differential against ansible-playbook 2.14 with standard input that is not a terminal (as
// in CI): a prompt is not waited for (Ansible's warning), timed pauses wait (seconds, minutes, below
// 1 second: 1), echo: false; results (stdout, delta, user_input, echo, rc) and counts, in check
// mode too. Waiting for typed input needs a terminal: not exercised here.
import assert from 'node:assert/strict';
import { assertSame, differential, skipWithoutAnsible } from './harness.js';

describe('compat: pause (differential against ansible-playbook)', function () {
  this.timeout(180_000);
  before(function () {
    skipWithoutAnsible(this);
  });

  it('does not wait for a prompt without a terminal, waits for timed pauses, like Ansible', async () => {
    const started = Date.now();
    const d = await differential(
      `
- hosts: all
  gather_facts: false
  tasks:
    - {name: prompt, pause: {prompt: "Type something"}, register: r}
    - {name: secret, ansible.builtin.pause: {prompt: "Password", echo: false}, register: r}
    - {name: plain, pause: {}, register: r}
    - {name: seconds, pause: {seconds: 1}, register: r}
    - {name: zero, pause: {seconds: 0}, register: r}
    - {name: minutes, pause: {minutes: 0, echo: no}, register: r}
    - {name: both, pause: {minutes: 1, seconds: 1}, register: r, ignore_errors: true}
`,
      { runs: 2, runArgs: (i) => (i === 1 ? ['--check'] : []) },
    );
    const f = ['changed', 'failed', 'rc', 'stderr', 'echo', 'user_input'];
    assertSame(d, {
      prompt: [...f, 'stdout', 'delta'],
      secret: [...f, 'stdout', 'delta'],
      plain: [...f, 'stdout', 'delta'],
      seconds: [...f, 'delta'],
      zero: [...f, 'delta'],
      minutes: [...f, 'delta'],
      both: ['failed', 'msg'],
    });
    for (const tool of [d.ansible, d.lvsplay]) {
      for (const r of tool.runs) {
        assert.match(r.output, /(\[WARNING\]: |"type":"warning","msg":")Not waiting for response to prompt as stdin is not interactive/);
        assert.match(String(r.tasks.get('seconds')?.stdout), /^Paused for 1\.\d+ seconds$/);
        assert.match(String(r.tasks.get('minutes')?.stdout), /^Paused for 0\.0[12] minutes$/);
      }
    }
    assert.ok(Date.now() - started < 60_000);
  });

  it('pauses once, as the first host; the other hosts get no result, not even the registered variable', async () => {
    const d = await differential(
      `
- hosts: all
  gather_facts: false
  tasks:
    - {name: once, pause: {seconds: 1}, register: r}
    - {name: seen, debug: {msg: "{{ r.delta }}"}}
`,
      { runs: 1, args: ['-i', 'h2,'] },
    );
    assertSame(d, { once: ['changed', 'failed', 'delta'], seen: ['failed', 'msg'] });
    assert.equal(d.lvsplay.runs[0].rc, 2); // h2: 'r' is undefined, as under Ansible
    assert.match(d.lvsplay.runs[0].output, /"h2":\{"ok":0,"changed":0,"unreachable":0,"failed":1,/);
    assert.match(d.ansible.runs[0].output, /"h2": \{\s*"changed": 0,\s*"failures": 1,\s*"ignored": 0,\s*"ok": 0,/);
  });

  it('with a terminal (script(1) gives one): reads the typed line into user_input; echo: false shows none of it (lvsplay only)', async function () {
    const { execSync } = await import('node:child_process');
    const { mkdtempSync, writeFileSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    try {
      execSync('command -v script', { stdio: 'ignore' });
    } catch {
      this.skip(); // util-linux script(1) is not installed
    }
    const dir = mkdtempSync(join(tmpdir(), 'lvsplay-pause-'));
    try {
      writeFileSync(join(dir, 'p.yml'), '- hosts: all\n  gather_facts: false\n  tasks:\n    - {name: ask, pause: {prompt: Password, echo: false}, register: r}\n    - {debug: {msg: "got={{ r.user_input | length }}/{{ r.user_input == \'hunter2\' }}"}}\n');
      const cli = new URL('../../cli/lvsplay.js', import.meta.url).pathname;
      const out = execSync(`(sleep 2; printf 'hunter2\\r') | timeout 60 script -qec "${process.execPath} ${cli} -i localhost, -c local p.yml" /dev/null`, { cwd: dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
      assert.match(out, /Password \(output is hidden\):/);
      assert.match(out, /got=7\/True/);
      assert.ok(!out.includes('hunter2'), 'what was typed is not echoed');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
