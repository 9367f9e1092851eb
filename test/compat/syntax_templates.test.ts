// A broken expression where Ansible templates it (free-form k=v arguments, a task's vars, a
// condition): both tools fail the playbook. ansible-playbook 2.14 finds it when it reaches the task
// ("template error while templating string", after the tasks before it changed the host);
// lvsplay at load (exit 4, FILE:LINE:COL), before anything ran. Issue 17.
import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { assertSame, differential, skipWithoutAnsible } from './harness.js';

const CASES: { place: string; task: string; at: string }[] = [
  { place: 'an unclosed call in a free-form msg=', task: `    - debug: msg="{{ x | default( }}"\n`, at: '6:14' },
  { place: 'a broken set_fact k=v', task: `    - set_fact: a="{{ b ]}}"\n`, at: '6:17' },
  { place: 'a task vars value', task: `    - debug: msg="{{ tv }}"\n      vars:\n        tv: "{{ 1 + }}"\n`, at: '8:13' },
  { place: 'a bare when expression', task: `    - debug: msg=hi\n      when: x ==\n`, at: '7:13' },
];

describe('compat: a broken template fails under both tools; lvsplay before any task runs (issue 17)', function () {
  this.timeout(180_000);
  before(async function () {
    await skipWithoutAnsible(this);
  });

  it('a template file that does not parse (template: src=...)', async () => {
    const pb = `- hosts: all
  gather_facts: false
  tasks:
    - name: first
      file: path={{ work }}/created state=touch
    - template: src=bad.j2 dest={{ work }}/out
`;
    const beside = (dir: string) => {
      mkdirSync(join(dir, 'templates'));
      writeFileSync(join(dir, 'templates/bad.j2'), 'a {{ x }}\n{% for i in l %}\n{{ i ]] }}\n{% endfor %}\n');
    };
    const d = await differential(pb, { runs: 1, beside });
    const [a] = d.ansible.runs;
    const [l] = d.lvsplay.runs;
    assert.notEqual(a.rc, 0, a.output);
    assert.match(a.output, /template error while templating string|unexpected '\]'/);
    assert.ok('created' in d.ansible.files && !('out' in d.ansible.files), 'ansible ran the first task only');
    assert.equal(l.rc, 4, l.output);
    assert.match(l.output, /templates\/bad\.j2:\d+:\d+: template syntax error/);
    assert.deepEqual(d.lvsplay.files, {}, 'lvsplay ran nothing');
  });

  it('a filter or test no one provides is not a syntax error (in a condition or an argument): --syntax-check passes, and the task fails when it runs, under both tools', async () => {
    const pb = `- hosts: all
  gather_facts: false
  tasks:
    - name: first
      file: path={{ work }}/created state=touch
    - name: an unknown filter in an argument
      debug: {msg: "{{ 1 | nosuchfilter }}"}
      ignore_errors: true
    - name: an unknown test in a condition
      debug: msg=three
      when: 1 is nosuchtest
      ignore_errors: true
    - name: an unknown filter in a condition
      debug: msg=four
      when: 1 | nosuchfilter
      ignore_errors: true
    - name: last
      file: path={{ work }}/last state=touch
`;
    const d = await differential(pb, { runs: 1 });
    assertSame(d, { 'an unknown filter in an argument': ['failed'], 'an unknown test in a condition': ['failed'], 'an unknown filter in a condition': ['failed'] });
    assert.ok('last' in d.lvsplay.files, 'the run went on after the ignored failures');
    const cli = fileURLToPath(new URL('../../cli/lvsplay.js', import.meta.url));
    const dir = mkdtempSync(join(tmpdir(), 'lvsplay-unknownfilter-'));
    writeFileSync(join(dir, 'playbook.yml'), pb);
    for (const [tool, cmd] of [['lvsplay', [process.execPath, cli]], ['ansible-playbook', ['ansible-playbook']]] as const) {
      const r = spawnSync(cmd[0], [...cmd.slice(1), '--syntax-check', '-i', 'localhost,', 'playbook.yml'], { cwd: dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
      assert.equal(r.status, 0, `${tool} --syntax-check: ${r.stdout}${r.stderr}`);
    }
    rmSync(dir, { recursive: true, force: true });
  });

  for (const c of CASES) {
    it(c.place, async () => {
      const pb = `- hosts: all
  gather_facts: false
  tasks:
    - name: first
      file: path={{ work }}/created state=touch
${c.task}`;
      const d = await differential(pb, { runs: 1 });
      const [a] = d.ansible.runs;
      const [l] = d.lvsplay.runs;
      assert.notEqual(a.rc, 0, a.output);
      assert.match(a.output, /template error while templating string/);
      assert.ok('created' in d.ansible.files, 'ansible ran the first task');
      assert.equal(l.rc, 4, l.output);
      assert.match(l.output, new RegExp(`playbook\\.yml:${c.at}: template syntax error`));
      assert.deepEqual(d.lvsplay.files, {}, 'lvsplay ran nothing');
    });
  }
});
