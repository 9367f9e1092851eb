// Issue 19: a host that stops answering (its sshd SIGSTOPped: a frozen host or a dead link) is
// declared unreachable within 10 s by default, and the other hosts' commands carry on meanwhile.
import assert from 'node:assert/strict';
import { SshConnection, KEEPALIVE_COUNT_MAX, KEEPALIVE_INTERVAL_MS } from '../../src/connection/ssh.js';
import { sshSettings } from '../../src/connection/index.js';
import { ConnectionError } from '../../src/errors.js';
import { descendants, startSshdOrSkip, sshdSettings, type TestSshd } from './sshd-helper.js';

function signal(pids: number[], sig: NodeJS.Signals): void {
  for (const p of pids) {
    try {
      process.kill(p, sig);
    } catch {
      /* gone */
    }
  }
}

describe('ssh: dead hosts are noticed by keepalives', function () {
  this.timeout(60000);
  let sshd: TestSshd;
  let stopped: number[] = [];
  before(async function () {
    sshd = await startSshdOrSkip(this);
  });
  after(async () => {
    signal(stopped, 'SIGCONT');
    await sshd?.stop();
  });

  it(`defaults: a keepalive every ${KEEPALIVE_INTERVAL_MS / 1000} s, lost after ${KEEPALIVE_COUNT_MAX + 1} unanswered (at most 10 s)`, () => {
    assert.ok(KEEPALIVE_INTERVAL_MS * (KEEPALIVE_COUNT_MAX + 1) <= 10000);
  });

  it('ServerAliveInterval / ServerAliveCountMax from ansible_ssh_common_args set them per host; bad values name the host', () => {
    const s = sshSettings('web1', { ansible_ssh_common_args: '-o ServerAliveInterval=5 -o ServerAliveCountMax=1' });
    assert.equal(s.keepaliveIntervalMs, 5000);
    assert.equal(s.keepaliveCountMax, 1);
    assert.throws(
      () => sshSettings('web1', { ansible_ssh_common_args: '-o ServerAliveInterval=soon' }),
      /host 'web1': ServerAliveInterval must be a number from 0 to 86400, got 'soon'/,
    );
  });

  it('a stopped sshd fails its host within 10 s; another host runs commands meanwhile', async () => {
    const frozen = new SshConnection(sshdSettings(sshd, 'frozen'));
    await frozen.connect();
    assert.equal((await frozen.exec('echo up')).stdout, 'up\n');
    // the processes serving this connection (sshd forks them per connection): freeze them all
    stopped = descendants(sshd.pid);
    const alive = new SshConnection(sshdSettings(sshd, 'alive'));
    await alive.connect();
    const t0 = Date.now();
    signal(stopped, 'SIGSTOP');
    const lost = frozen.exec('sleep 30; echo never').then(
      () => undefined,
      (e: unknown) => e,
    );
    // the other host is not held up: several round trips while the frozen one is pending
    for (let i = 0; i < 5; i++) assert.equal((await alive.exec(`echo ${i}`)).stdout, `${i}\n`);
    const aliveDoneMs = Date.now() - t0;
    const err = await lost;
    const detectMs = Date.now() - t0;
    console.log(`      dead host detected after ${(detectMs / 1000).toFixed(1)} s; the live host's 5 commands took ${aliveDoneMs} ms`);
    assert.ok(err instanceof ConnectionError, `a ConnectionError, got ${String(err)}`);
    assert.match(err.message, /frozen .*connection lost \(no keepalive reply\)/);
    assert.ok(detectMs <= 10500, `detected after ${detectMs} ms (at most 10 s wanted)`);
    assert.ok(aliveDoneMs < detectMs, 'the live host finished before the dead one was declared lost');
    signal(stopped, 'SIGCONT');
    signal(stopped, 'SIGKILL');
    stopped = [];
    await alive.close();
    await frozen.close().catch(() => undefined);
  });
});
