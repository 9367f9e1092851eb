// async/poll and async_status over ssh, on a 2-host namespace lab ("h-eng"; Ansible cannot target
// lab hosts, which have no python: the differential proof is test/compat/async.test.ts with
// connection local). Proves the job outlives the exec channel that started it (poll 0 returns at
// once while the job sleeps), poll > 0 waits, async_status until finished, under become too.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RunEvent } from '../../src/types.js';
import { skipWithoutLab, useLab, type TestLab } from '../helpers/lab.js';

const CLI = resolve(dirname(fileURLToPath(import.meta.url)), '../../cli/lvsplay.js');

const PB = `- hosts: all
  gather_facts: false
  tasks:
    - name: fire
      shell: sleep 3; echo "done on {{ inventory_hostname }}"
      async: 30
      poll: 0
      register: f
    - name: wait
      shell: sleep 1; id -un
      async: 10
      poll: 1
      become: true
      register: w
    - name: status
      async_status: jid={{ f.ansible_job_id }}
      register: s
      until: s.finished
      retries: 20
      delay: 1
    - name: cleanup
      async_status: jid={{ f.ansible_job_id }} mode=cleanup
`;

describe('async over ssh on the lab (lvsplay only: lab hosts have no python)', function () {
  this.timeout(600_000);
  let lab: TestLab | undefined;
  let dir = '';
  before(async function () {
    skipWithoutLab(this);
    lab = await useLab('h-eng', { hosts: 2 });
    dir = mkdtempSync(join(tmpdir(), 'lvsplay-async-lab-'));
    writeFileSync(join(dir, 'pb.yml'), PB);
  });
  after(async () => {
    await lab?.down();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('poll 0 returns while the job runs; poll > 0 (become) waits; async_status gives the result; cleanup', () => {
    const r = spawnSync(process.execPath, [CLI, '-i', lab!.inventory, 'pb.yml', '--json'], { cwd: dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', LVSPLAY_LAB_DIR: lab!.dir } });
    assert.equal(r.status, 0, r.stdout + r.stderr);
    const evs = r.stdout.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as RunEvent);
    const res = (task: string, host: string) => evs.find((e): e is Extract<RunEvent, { type: 'host_result' }> => e.type === 'host_result' && e.task === task && e.host === host)!;
    for (const h of lab!.hosts.map((x) => x.name)) {
      const fire = res('fire', h);
      assert.equal(fire.result?.finished, 0);
      assert.ok(fire.durationMs < 2500, `poll 0 waited ${fire.durationMs} ms`);
      assert.equal(res('wait', h).result?.stdout, 'root');
      assert.equal(res('wait', h).result?.finished, 1);
      const s = res('status', h).result!;
      assert.equal(s.finished, 1);
      assert.equal(s.stdout, `done on ${h}`);
      assert.equal(s.rc, 0);
      assert.match(String(res('cleanup', h).result?.erased), /\.ansible_async\/j\d+\.\d+$/);
    }
  });
});
