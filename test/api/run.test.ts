// run(): a playbook driven from code — typed events in order (playbook, play, task, host result,
// recap), the recap and exit code, check mode, extra vars, tags, limit; load errors as a result.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { run, type RunEvent } from '../../src/index.js';
import { forgetCompiled, lineModule, linePlaybook, project, type Project } from './helpers.js';
import { lookupPlugin } from '../../src/vars/lookups.js';

describe('api: run()', function () {
  this.timeout(120_000);
  let p: Project;
  // in this process the caches stay where they are (ajv's remembers its directory):
  // only the modules compiled from this test's files are removed from it afterwards
  beforeEach(() => {
    p = project();
  });
  afterEach(() => {
    forgetCompiled(p.dir);
    p.cleanup();
  });

  it('runs a playbook with a custom module: events in order, recap, exit code; twice = no change', async () => {
    p.write('library/line_file.ts', lineModule('line_file', 'via-api'));
    const pb = p.write('pb.yml', linePlaybook('line_file', join(p.dir, 'out.txt')));
    const seen: RunEvent['type'][] = [];
    const r = await run({ playbook: pb, inventory: 'localhost,', connection: 'local', onEvent: (e) => seen.push(e.type) });
    assert.equal(r.exitCode, 0, JSON.stringify(r.events));
    assert.deepEqual(r.errors, []);
    assert.deepEqual(seen, ['playbook_start', 'play_start', 'task_start', 'host_result', 'task_start', 'host_result', 'recap', 'playbook_end']);
    assert.deepEqual(seen, r.events.map((e) => e.type));
    const results = r.events.filter((e): e is Extract<RunEvent, { type: 'host_result' }> => e.type === 'host_result');
    assert.equal(results[0].status, 'changed');
    assert.equal(results[0].host, 'localhost');
    assert.equal(results[0].result?.tag, 'via-api');
    assert.equal(results[1].msg ?? (results[1].result as { msg?: string }).msg, 'tag=via-api');
    const play = r.events.find((e) => e.type === 'play_start');
    assert.deepEqual(play, { type: 'play_start', name: 'localhost', hosts: ['localhost'] });
    assert.equal(r.recap.localhost.changed, 1);
    assert.equal(readFileSync(join(p.dir, 'out.txt'), 'utf8'), 'hello\n');
    const again = await run({ playbook: pb, inventory: 'localhost,' });
    assert.equal(again.exitCode, 0);
    assert.equal(again.recap.localhost.changed, 0);
    assert.equal(again.recap.localhost.ok, 2);
  });

  it("a lookup's warning from outside the run (a direct call in this process) is not one of its events", async () => {
    const missing = join(p.dir, 'no-such-file');
    assert.equal(lookupPlugin('file', [missing], { errors: 'warn' }, false, { vars: () => ({ found: false }), names: () => [] }), null);
    const pb = p.write('pb.yml', '- hosts: localhost\n  gather_facts: false\n  tasks:\n    - debug: {msg: hi}\n');
    const r = await run({ playbook: pb, inventory: 'localhost,', connection: 'local' });
    assert.equal(r.exitCode, 0);
    assert.deepEqual(r.events.filter((e) => e.type === 'warning'), []);
  });

  it('check and diff: the plan is reported with its diff, nothing is written', async () => {
    p.write('library/line_file.ts', lineModule('line_file'));
    const pb = p.write('pb.yml', linePlaybook('line_file', join(p.dir, 'out.txt')));
    const r = await run({ playbook: pb, check: true, diff: true });
    assert.equal(r.exitCode, 0);
    const res = r.events.find((e) => e.type === 'host_result');
    assert.ok(res && res.type === 'host_result');
    assert.equal(res.status, 'changed');
    assert.deepEqual(res.diff?.map((d) => d.after), ['hello\n']);
    assert.ok(!existsSync(join(p.dir, 'out.txt')));
  });

  it('extraVars, tags and limit; a failing task gives exit code 2', async () => {
    const pb = p.write(
      'pb.yml',
      `- hosts: all\n  gather_facts: false\n  connection: local\n  tasks:\n    - {debug: {msg: "x={{ x }}"}, tags: [a]}\n    - {fail: {msg: boom}, tags: [b]}\n`,
    );
    const inv = p.write('inv.ini', 'h1 ansible_connection=local\nh2 ansible_connection=local\n');
    const ok = await run({ playbook: pb, inventory: inv, extraVars: { x: 42 }, tags: ['a'], limit: 'h1' });
    assert.equal(ok.exitCode, 0);
    assert.deepEqual(Object.keys(ok.recap), ['h1']);
    const msg = ok.events.find((e) => e.type === 'host_result');
    assert.ok(msg?.type === 'host_result' && msg.result?.msg === 'x=42');
    const bad = await run({ playbook: pb, inventory: inv, extraVars: { x: 1 } });
    assert.equal(bad.exitCode, 2);
    assert.equal(bad.recap.h2.failed, 1);
  });

  it('a playbook that does not load: exit code 4 and FILE:LINE:COL errors, no exception', async () => {
    const pb = p.write('pb.yml', '- hosts: localhost\n  tasks:\n    - no_such_module: {}\n');
    const r = await run({ playbook: pb });
    assert.equal(r.exitCode, 4);
    assert.equal(r.errors.length, 1);
    assert.match(r.errors[0], /pb\.yml:3:7: unknown module 'no_such_module'/);
    assert.deepEqual(r.events.map((e) => e.type), ['error']);
    const missing = await run({ playbook: join(p.dir, 'nope.yml') });
    assert.equal(missing.exitCode, 1);
  });
});
