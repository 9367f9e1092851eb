// Execution keywords reach the model (the executor honours each: test/run/keywords.test.ts).
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { loadPlaybook } from '../../src/playbook/index.js';
import type { Block, Task } from '../../src/types.js';

async function load(yaml: string) {
  const dir = mkdtempSync(path.join(tmpdir(), 'lvsplay-kw-'));
  writeFileSync(path.join(dir, 'site.yml'), yaml);
  return loadPlaybook(path.join(dir, 'site.yml'));
}

describe('playbook loader: execution keywords', () => {
  it('play: serial list kept whole, max_fail_percentage, environment, no_log, ignore_errors, ignore_unreachable, run_once', async () => {
    const pb = await load(`
- hosts: all
  serial: [1, "30%", 5]
  max_fail_percentage: 25
  environment: { A: "1" }
  no_log: true
  ignore_errors: true
  ignore_unreachable: true
  run_once: true
  remote_user: deploy
  tasks: []
`);
    const p = pb.plays[0];
    assert.deepEqual(p.serial, [1, '30%', 5]);
    assert.equal(p.maxFailPercentage, 25);
    assert.deepEqual(p.environment, { A: '1' });
    assert.equal(p.noLog, true);
    assert.equal(p.ignoreErrors, true);
    assert.equal(p.ignoreUnreachable, true);
    assert.equal(p.runOnce, true);
    assert.equal(p.remoteUser, 'deploy');
  });

  it('task/block: environment, remote_user, connection, ignore_unreachable, timeout, throttle, delegate_facts, loop_control.pause', async () => {
    const pb = await load(`
- hosts: all
  tasks:
    - command: "true"
      environment: "{{ envs }}"
      remote_user: u
      connection: local
      ignore_unreachable: true
      timeout: 30
      throttle: 2
      delegate_to: other
      delegate_facts: true
      loop: [1]
      loop_control: { pause: 1.5 }
    - block: []
      environment: { B: b }
      throttle: 1
`);
    const t = pb.plays[0].tasks[0] as Task;
    assert.equal(t.environment, '{{ envs }}');
    assert.equal(t.remoteUser, 'u');
    assert.equal(t.connection, 'local');
    assert.equal(t.ignoreUnreachable, true);
    assert.equal(t.timeout, 30);
    assert.equal(t.throttle, 2);
    assert.equal(t.delegateFacts, true);
    assert.equal(t.loopPause, 1.5);
    const b = pb.plays[0].tasks[1] as Block;
    assert.deepEqual(b.environment, { B: 'b' });
    assert.equal(b.throttle, 1);
  });

  it("rejects what it does not implement: include public/rolespec_validate, FILE:LINE:COL and 'not supported by lvsplay'; apply takes block keywords only", async () => {
    const e = await load(`
- hosts: all
  tasks:
    - include_tasks:
        file: x.yml
        apply: { become: true, loop: [1] }
    - include_role: { name: r, public: true }
`).then(
      () => assert.fail('loaded'),
      (err: Error) => err,
    );
    assert.match(e.message, /site\.yml:6:16: 'apply' takes block keywords; not one: loop/);
    assert.match(e.message, /site\.yml:7:\d+: 'public' is not supported by lvsplay/);
  });
});

