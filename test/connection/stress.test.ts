// Many short execs, parallel and sequential, with and without stdin: every exit status must come
// back exactly. Regression test for "channel closed without an exit status" (rc 255 about once in
// 6 runs): the 'exit' listener was attached one microtask after ssh2's exec callback, and ssh2
// emits 'exit' synchronously while parsing a socket read that holds the whole reply of a short
// command. Runs against the loopback sshd, a namespace lab host and the local connection.
import assert from 'node:assert/strict';
import { q } from '../../src/shell.js';
import { SshConnection } from '../../src/connection/ssh.js';
import { LocalConnection } from '../../src/connection/local.js';
import { createConnection } from '../../src/connection/index.js';
import { loadInventory } from '../../src/inventory/index.js';
import type { Connection, ExecOptions } from '../../src/types.js';
import { type TestSshd, startSshdOrSkip, sshdSettings } from './sshd-helper.js';
import { skipWithoutLab, useLab, type TestLab } from '../helpers/lab.js';

interface Case {
  cmd: string;
  opts: ExecOptions;
  rc: number;
  stdout: string;
  stderr?: RegExp;
}

/** Case i: five kinds (plain output, stdin echoed back, stdin not read, stderr, killed by a signal). */
function makeCase(i: number): Case {
  const rc = i % 5 === 4 ? 143 : (i * 7) % 4; // 0..3, or 128 + SIGTERM
  const tag = `t${i}-é`; // a multi-byte character: output decoding is part of it
  switch (i % 5) {
    case 0:
      return { cmd: `printf %s ${q(tag)}; exit ${rc}`, opts: {}, rc, stdout: tag };
    case 1:
      return { cmd: `cat; exit ${rc}`, opts: { stdin: `${tag}\n` }, rc, stdout: `${tag}\n` };
    case 2: // the command never reads its stdin (may exit before it arrives)
      return { cmd: `exit ${rc}`, opts: { stdin: 'x'.repeat(1 + (i % 3) * 40_000) }, rc, stdout: '' };
    case 3:
      return { cmd: `printf %s ${q(tag)} >&2; exit ${rc}`, opts: {}, rc, stdout: '', stderr: new RegExp(`^${tag}`) };
    default: // exit-signal instead of exit-status
      return { cmd: `printf %s ${q(tag)}; kill -TERM $$`, opts: {}, rc, stdout: tag };
  }
}

/**
 * 300 execs: 120 all at once (more than the channel limit), 4 workers x 30 in a row, then 60 one
 * by one. Returns one line per wrong answer (empty when all are right).
 */
async function stress(c: Connection): Promise<string[]> {
  const bad: string[] = [];
  const one = async (i: number) => {
    const k = makeCase(i);
    try {
      const r = await c.exec(k.cmd, k.opts);
      if (r.rc !== k.rc || r.stdout !== k.stdout || (k.stderr && !k.stderr.test(r.stderr)))
        bad.push(`#${i} ${JSON.stringify(k.cmd)}: rc ${r.rc} (want ${k.rc}) stdout ${JSON.stringify(r.stdout)} stderr ${JSON.stringify(r.stderr)}`);
    } catch (e) {
      bad.push(`#${i} ${JSON.stringify(k.cmd)}: ${(e as Error).message}`);
    }
  };
  await Promise.all(Array.from({ length: 120 }, (_, i) => one(i)));
  await Promise.all(
    Array.from({ length: 4 }, async (_, w) => {
      for (let j = 0; j < 30; j++) await one(120 + w * 30 + j);
    }),
  );
  for (let i = 240; i < 300; i++) await one(i);
  return bad;
}

describe('300 short execs: every exit status right', function () {
  this.timeout(300_000);

  describe('loopback sshd (MaxSessions 10)', () => {
    let sshd: TestSshd | undefined;
    let c: SshConnection | undefined;
    before(async function () {
      sshd = await startSshdOrSkip(this);
    });
    after(async () => {
      await c?.close();
      await sshd?.stop();
    });

    it('over one ssh connection (8 channels at most)', async () => {
      c = new SshConnection(sshdSettings(sshd!, 'stress', { connectTimeoutMs: 10_000 }));
      assert.deepEqual(await stress(c), []);
      assert.equal(c.execCount, 300, 'one channel per exec (refused channel opens are not counted)');
    });
  });

  describe('namespace lab host (lab "ssh", 10.153.0.0/24)', () => {
    let lab: TestLab | undefined;
    let c: Connection | undefined;
    before(async function () {
      skipWithoutLab(this);
      lab = await useLab('ssh', { hosts: 2, subnet: '10.153.0.0/24' });
    });
    after(async () => {
      await c?.close();
      await lab?.down();
    });

    it('over one ssh connection to the lab sshd (its stock MaxSessions)', async () => {
      const inv = await loadInventory([lab!.inventory]);
      const h = lab!.hosts[0].name;
      c = createConnection(h, inv.hostVars(h), { sshConfigFile: '/nonexistent' });
      assert.deepEqual(await stress(c), []);
      assert.equal(c.execCount, 300);
    });
  });

  it('local connection', async () => {
    const c = new LocalConnection('localhost');
    assert.deepEqual(await stress(c), []);
    assert.equal(c.execCount, 300);
  });
});
