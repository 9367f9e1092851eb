// The failover drill's logic against a simulated VRRP pair (the real one runs in the lab test):
// it waits for the VIP to be on the backup only, then back on the master only, and times both.
import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import { drill, hasAddress } from '../../src/lab/drill.js';
import { splitDrillArgs } from '../../src/lab/cli.js';
import type { Connection, ExecResult } from '../../src/types.js';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../..');
const INV = path.join(ROOT, 'test/fixtures/cluster/render/lab.ini');

/** Two directors sharing 10.155.0.100; keepalived stop/start moves it after a delay. */
function simulatedPair(moveMs: number) {
  const state = { holder: 'node01' as string | undefined, commands: [] as string[] };
  const conn = (host: string): Connection => ({
    host,
    address: 'sim',
    execCount: 0,
    async connect() {},
    async close() {},
    async exec(cmd: string): Promise<ExecResult> {
      state.commands.push(`${host}: ${cmd}`);
      if (cmd.startsWith('service keepalived stop')) {
        state.holder = undefined; // the master drops it at once, the backup takes it later
        setTimeout(() => (state.holder = 'node04'), moveMs).unref();
      } else if (cmd.startsWith('service keepalived start')) {
        setTimeout(() => (state.holder = undefined), moveMs / 2).unref();
        setTimeout(() => (state.holder = 'node01'), moveMs).unref();
      }
      const out = state.holder === host ? '2: eth0    inet 10.155.0.11/24 brd 10.155.0.255 scope global eth0\n2: eth0    inet 10.155.0.100/24 scope global secondary eth0:2\n' : '2: eth0    inet 10.155.0.14/24 scope global eth0\n';
      if (cmd.startsWith('pidof')) return { stdout: state.holder === host ? 'up\n' : 'gone\n', stderr: '', rc: 0 };
      return { stdout: cmd.startsWith('ip ') ? out : 'rc=0\n', stderr: '', rc: 0 };
    },
  });
  return { state, conn };
}

describe('check: failover drill', () => {
  it('recognises the VIP in `ip -o -4 addr` output, not a longer address', () => {
    assert.ok(hasAddress('2: eth0    inet 10.155.0.100/24 scope global secondary eth0:2', '10.155.0.100'));
    assert.ok(!hasAddress('2: eth0    inet 10.155.0.10/24 scope global eth0', '10.155.0.1'));
    assert.ok(!hasAddress('2: eth0    inet 10.155.0.1000/24', '10.155.0.100'));
  });

  it('stops keepalived on the highest-priority director, waits for the backup, starts it, waits for the return', async () => {
    const sim = simulatedPair(300);
    const lines: string[] = [];
    const r = await drill({ inventory: INV, pollMs: 20, timeoutMs: 5000, connect: (h) => sim.conn(h), log: (l) => lines.push(l) });
    assert.equal(r.ok, true, r.error);
    assert.equal(r.master, 'node01');
    assert.equal(r.backup, 'node04');
    assert.equal(r.vip, '10.155.0.100');
    assert.ok(r.failoverMs !== undefined && r.failoverMs >= 300, `failover measured after the move (${r.failoverMs})`);
    assert.ok(r.returnMs !== undefined && r.returnMs >= 300, `return measured after the move (${r.returnMs})`);
    assert.deepEqual(sim.state.commands.filter((c) => c.includes('keepalived')).map((c) => c.split(' <')[0]), [
      'node01: service keepalived stop',
      'node01: pidof keepalived >/dev/null && echo up || echo gone', // really stopped before the start
      'node01: service keepalived start',
    ]);
    assert.ok(lines.some((l) => /failover: VIP on node04 after \d+ ms/.test(l)));
  });

  it('refuses to start when the VIP is not on the master alone', async () => {
    const sim = simulatedPair(100);
    sim.state.holder = 'node04';
    const r = await drill({ inventory: INV, pollMs: 20, timeoutMs: 1000, connect: (h) => sim.conn(h), log: () => undefined });
    assert.equal(r.ok, false);
    assert.match(r.error ?? '', /must be on node01 only, but it is on node04/);
    assert.ok(!sim.state.commands.some((c) => c.includes('keepalived')));
  });

  it('waits for a pair still electing (VIP nowhere yet) instead of failing at once', async () => {
    const sim = simulatedPair(100);
    sim.state.holder = undefined;
    setTimeout(() => (sim.state.holder = 'node01'), 150).unref();
    const r = await drill({ inventory: INV, pollMs: 20, timeoutMs: 1000, connect: (h) => sim.conn(h), log: () => undefined });
    assert.equal(r.ok, true, r.error);
    assert.ok(sim.state.commands.some((c) => c.startsWith('node01: service keepalived stop')));
  });

  it('reports a timeout when the VIP never moves', async () => {
    const sim = simulatedPair(1e9);
    const r = await drill({ inventory: INV, pollMs: 20, timeoutMs: 300, connect: (h) => sim.conn(h), log: () => undefined });
    assert.equal(r.ok, false);
    assert.equal(r.failoverMs, undefined);
  });

  it('`lab [--lab-dir D] drill ARGS` hands ARGS to the drill; other lab commands are not the drill', () => {
    assert.deepEqual(splitDrillArgs(['drill']), { dir: undefined, rest: [] });
    assert.deepEqual(splitDrillArgs(['--lab-dir', '/l/x', 'drill', '--master', 'node04', '--json']), { dir: '/l/x', rest: ['--master', 'node04', '--json'] });
    assert.deepEqual(splitDrillArgs(['drill', '--lab-dir=/l/y', '--poll', '50']), { dir: '/l/y', rest: ['--poll', '50'] });
    assert.equal(splitDrillArgs(['up', '--subnet', '10.1.0.0/24']), undefined);
    assert.equal(splitDrillArgs(['ssh', 'node01', '--', 'drill']), undefined);
    assert.equal(splitDrillArgs(['--name', 'x', 'drill']), undefined);
  });
});
