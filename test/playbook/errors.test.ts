// Validation before anything runs: every problem in one pass, at FILE:LINE:COL, with what was
// expected and did-you-mean.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { ConfigErrors } from '../../src/errors.js';
import { displayPath, loadPlaybook } from '../../src/playbook/index.js';
import { FIX, registerFakes } from './fakes.js';
import { isPyFloat } from '../../src/vars/pyfloat.js';
import { pyRepr } from '../../src/vars/pystr.js';

async function problems(file: string): Promise<string[]> {
  try {
    await loadPlaybook(file);
  } catch (e) {
    assert.ok(e instanceof ConfigErrors, `expected ConfigErrors, got ${String(e)}`);
    return e.errors.map((x) => x.toString());
  }
  assert.fail('the playbook loaded without errors');
}

function tmpPlaybook(text: string, name = 'pb.yml'): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'lvsplay-pb-'));
  const f = path.join(dir, name);
  writeFileSync(f, text);
  return f;
}

describe('playbook loader: errors', () => {
  before(() => registerFakes());

  it('reports every problem of a broken playbook in one pass with FILE:LINE:COL', async () => {
    const file = path.join(FIX, 'broken/site.yml');
    const f = displayPath(file);
    const got = await problems(file);
    const want = [
      `${f}:1:3: missing required play keyword 'hosts'`,
      `${f}:2:3: unknown play keyword 'hostss' (did you mean 'hosts'?)`,
      `${f}:3:17: 'gather_facts' must be a boolean (true/false), got string "maybe"`,
      `${f}:4:16: vars file 'nothere.yml' not found`,
      `${f}:7:7: unknown module 'x_sysctll' (did you mean 'x_sysctl'?)`,
      `${f}:11:16: 'retries' must be an integer, got string "x"`,
      `${f}:14:7: conflicting action statements: shell, command`,
      `${f}:17:9: unknown argument 'nme' for module x_sysctl (did you mean 'name'?)`,
      `${f}:17:9: missing required argument 'name' for module x_sysctl`,
      `${f}:18:16: x_sysctl argument 'state' must be one of present, absent, got "presnt" (did you mean 'present'?)`,
      `${f}:21:7: unknown task keyword 'whenn' (did you mean 'when'?)`,
      `${f}:28:7: duplicate key 'debug'`,
      `${f}:31:17: 'register' must be a valid variable name`,
      `${f}:34:15: notify: no handler named 'restrat' in this play (did you mean 'restart'?)`,
      `${f}:35:15: x_wait argument 'port' must be <= 65535, got 99999`,
      `${f}:36:21: task file '${displayPath(path.join(FIX, 'broken/missing.yml'))}' not found`,
    ];
    assert.equal(got.length, want.length, got.join('\n'));
    want.forEach((w, i) => assert.ok(got[i].startsWith(w), `#${i}: expected to start with\n  ${w}\ngot\n  ${got[i]}`));
    // the templated state on line 25 is left to the executor: no error mentions it
    assert.ok(!got.some((g) => g.includes(':25:')));
  });

  it('a float with a whole value (2.0, 1.0e+3) stays a float (printed 2.0), silently; other numbers and texts as PyYAML reads them', async () => {
    const f = tmpPlaybook('- hosts: all\n  vars:\n    ratio: 2.0\n    exp: 1.0e+3\n    half: 0.5\n    text: "3.0"\n    ver: 1.2.0\n    n: 3\n    e: 1e3\n  tasks: []\n');
    const written: string[] = [];
    const orig = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((chunk: string | Uint8Array) => (written.push(String(chunk)), true)) as typeof process.stderr.write;
    let vars: Record<string, unknown>;
    try {
      vars = (await loadPlaybook(f)).plays[0].vars;
    } finally {
      process.stderr.write = orig;
    }
    assert.deepEqual(written.filter((l) => l.includes('float')), []);
    assert.ok(isPyFloat(vars.ratio) && vars.ratio.valueOf() === 2 && pyRepr(vars.ratio) === '2.0');
    assert.ok(isPyFloat(vars.exp) && pyRepr(vars.exp) === '1000.0');
    assert.equal(vars.half, 0.5);
    assert.equal(vars.text, '3.0');
    assert.equal(vars.ver, '1.2.0');
    assert.equal(vars.n, 3);
    assert.equal(vars.e, '1e3'); // PyYAML: an exponent needs a dot and a sign
  });

  it('reports YAML syntax errors with the yaml library line/col', async () => {
    const f = tmpPlaybook('- hosts: all\n  tasks:\n    - debug: {msg: "x"\n');
    const got = await problems(f);
    assert.equal(got.length >= 1, true);
    assert.match(got[0], new RegExp(`^${displayPath(f).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+:\\d+: YAML syntax error: `));
  });

  it('rejects a task without a module and a play that is not a list', async () => {
    const f = tmpPlaybook('- hosts: all\n  tasks:\n    - name: nothing\n      when: x\n');
    assert.match((await problems(f))[0], /:3:7: no module\/action in task; expected exactly one module/);
    const g = tmpPlaybook('hosts: all\n');
    assert.match((await problems(g))[0], /:1:1: a playbook must be a list of plays, got mapping/);
  });

  it('rejects templated import names and loops on imports', async () => {
    const f = tmpPlaybook('- hosts: all\n  tasks:\n    - import_tasks: "{{ x }}.yml"\n    - import_tasks: a.yml\n      loop: [1]\n');
    writeFileSync(path.join(path.dirname(f), 'a.yml'), '- debug: msg=a\n');
    const got = await problems(f);
    assert.match(got[0], /:3:22: import_tasks needs a fixed file name, got template '\{\{ x \}\}.yml' \(use include_tasks/);
    assert.match(got[1], /:5:7: import_tasks cannot be used with a loop/);
  });

  it('detects import cycles', async () => {
    const f = tmpPlaybook('- hosts: all\n  tasks:\n    - import_tasks: a.yml\n');
    writeFileSync(path.join(path.dirname(f), 'a.yml'), '- import_tasks: b.yml\n');
    writeFileSync(path.join(path.dirname(f), 'b.yml'), '- import_tasks: a.yml\n');
    assert.match((await problems(f)).join('\n'), /imports itself \(import cycle: pb.yml -> a.yml -> b.yml -> a.yml\)/);
  });

  it('rejects task keywords on a block and misspelt block keywords', async () => {
    const f = tmpPlaybook('- hosts: all\n  tasks:\n    - block:\n        - debug: msg=a\n      loop: [1]\n      rescu: []\n');
    const got = await problems(f);
    assert.match(got[0], /:5:7: a block cannot have 'loop'/);
    assert.match(got[1], /:6:7: unknown block keyword 'rescu' \(did you mean 'rescue'\?\)/);
  });

  it('points at nested keyword values (loop_control) and suggests play keywords for tasks put in a play', async () => {
    const f = tmpPlaybook('- hosts: all\n  debug: msg=x\n  tasks:\n    - debug: msg=a\n      loop: [1]\n      loop_control:\n        loop_var: 3\n        lable: x\n');
    const got = await problems(f);
    assert.match(got[0], /:2:3: unknown play keyword 'debug' \('debug' belongs to a task: put it in a task under 'tasks:'\)/);
    assert.match(got[1], /:7:19: 'loop_control.loop_var' must be a string, got integer 3/);
    assert.match(got[2], /:8:9: unknown task keyword 'lable' in 'loop_control' \(did you mean 'label'\?\)/);
  });

  it('checks meta actions with a suggestion', async () => {
    const f = tmpPlaybook('- hosts: all\n  tasks:\n    - meta: flush_handler\n');
    assert.match((await problems(f))[0], /:3:13: meta value must be one of .*flush_handlers.*got "flush_handler" \(did you mean 'flush_handlers'\?\)/);
  });

  it('names missing roles with the places searched and a suggestion', async () => {
    const f = tmpPlaybook('- hosts: all\n  roles:\n    - comon\n');
    writeFileSync(path.join(path.dirname(f), 'x'), '');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(path.join(path.dirname(f), 'roles/common/tasks'), { recursive: true });
    const got = await problems(f);
    assert.match(got[0], /:3:7: role 'comon' not found \(did you mean 'common'\?\); searched: /);
  });

  it('accepts templated values where types are checked after templating', async () => {
    const f = tmpPlaybook('- hosts: all\n  become: "{{ b }}"\n  tasks:\n    - x_wait: { port: "{{ p }}" }\n      retries: "{{ n }}"\n');
    const pb = await loadPlaybook(f);
    assert.equal(pb.plays[0].tasks.length, 1);
  });
});
