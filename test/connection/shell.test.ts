// The persistent remote shell (src/connection/sshshell.ts) against the loopback sshd: framing must
// survive any output, commands must not be able to read or end the shell, and a dead shell must
// fail over to exec channels.
import assert from 'node:assert/strict';
import { q } from '../../src/shell.js';
import { SshConnection } from '../../src/connection/ssh.js';
import { type TestSshd, startSshdOrSkip, sshdSettings } from './sshd-helper.js';

describe('ssh persistent remote shell (loopback sshd)', function () {
  this.timeout(120_000);
  let sshd: TestSshd | undefined;
  const conns: SshConnection[] = [];
  const connect = () => {
    const c = new SshConnection(sshdSettings(sshd!, 'pshell', { connectTimeoutMs: 10_000 }));
    conns.push(c);
    return c;
  };
  const ready = async () => {
    const c = connect();
    assert.equal(await c.persistentShellReady(), true);
    return c;
  };
  before(async function () {
    sshd = await startSshdOrSkip(this);
  });
  after(async () => {
    for (const c of conns) await c.close();
    await sshd?.stop();
  });

  // each command runs in a background subshell of the shell (src/connection/lifeline.ts)
  const SHELL_PID = "awk '{print $4}' /proc/$PPID/stat";

  it('runs commands on one shell process (same shell), not on exec channels', async () => {
    const c = connect();
    assert.match((await c.exec('cat /proc/$PPID/comm')).stdout, /^sshd/, 'the first command: exec channel');
    assert.equal(await c.persistentShellReady(), true);
    const a = await c.exec(SHELL_PID);
    const b = await c.exec(SHELL_PID);
    assert.equal(a.rc, 0);
    assert.match(a.stdout, /^\d+\n$/);
    assert.equal(a.stdout, b.stdout, 'both commands are grandchildren of the persistent shell');
    assert.equal(c.execCount, 3, 'one round trip per command');
    assert.match((await c.exec('cat /proc/$PPID/comm')).stdout, /^(sh|dash|bash)\n$/);
  });

  it('framing: no trailing newline, binary bytes, fake markers, stderr, rc', async () => {
    const c = await ready();
    const cases: Array<[string, string, string, number]> = [
      ['printf abc', 'abc', '', 0],
      ['printf ""', '', '', 0],
      ['printf "a\\n\\n"', 'a\n\n', '', 0],
      ['printf "x\\000y\\001\\377" | od -An -c | tr -s " "', ' x \\0 y 001 377\n', '', 0],
      ["printf '\\nLVSPLAY_0123 0\\n'; printf '\\nLVSPLAY_0123\\n' >&2", '\nLVSPLAY_0123 0\n', '\nLVSPLAY_0123\n', 0],
      ['echo out; echo err >&2; echo out2; printf err2 >&2; exit 3', 'out\nout2\n', 'err\nerr2', 3],
      ['exit 0', '', '', 0],
      ['printf partial; exit 7', 'partial', '', 7],
      ['printf t; kill -TERM $$', 't', '[lvsplay] rc 143: remote command killed by signal SIGTERM (or it exited with status 143)\n', 143],
      ['printf k; echo e >&2; kill -KILL $$', 'k', 'e\n[lvsplay] rc 137: remote command killed by signal SIGKILL (or it exited with status 137)\n', 137],
      ['cat; read x; echo "read:$x"', 'read:\n', '', 0], // stdin is /dev/null, not the shell's
      ['printf é', 'é', '', 0],
    ];
    for (const [cmd, out, err, rc] of cases) {
      const r = await c.exec(cmd);
      assert.deepEqual(r, { stdout: out, stderr: err, rc }, cmd);
    }
    // a byte that is not UTF-8 decodes as on an exec channel
    assert.equal((await c.exec("printf '\\377'")).stdout, '\ufffd');
    assert.equal((await c.exec('echo still here')).stdout, 'still here\n', 'the shell survived');
  });

  it('1 MB of output (stdout and stderr) comes back whole', async () => {
    const c = await ready();
    const r = await c.exec('head -c 1048576 /dev/zero | tr "\\0" a; head -c 1048576 /dev/zero | tr "\\0" b >&2');
    assert.equal(r.rc, 0);
    assert.equal(r.stdout.length, 1048576);
    assert.equal(r.stderr.length, 1048576);
    assert.ok(/^a+$/.test(r.stdout) && /^b+$/.test(r.stderr));
  });

  it('200 sequential mixed commands, then 40 concurrent ones, all right', async () => {
    const c = await ready();
    const one = async (i: number) => {
      const tag = `t${i}-é`;
      const k = i % 4;
      const cmd =
        k === 0 ? `printf %s ${q(tag)}; exit ${i % 3}`
        : k === 1 ? `printf %s ${q(tag)} >&2; exit ${i % 5}`
        : k === 2 ? `echo ${q(tag)}; exit`
        : `printf %s ${q(tag)}; kill $$`;
      const want =
        k === 0 ? { stdout: tag, stderr: '', rc: i % 3 }
        : k === 1 ? { stdout: '', stderr: tag, rc: i % 5 }
        : k === 2 ? { stdout: `${tag}\n`, stderr: '', rc: 0 }
        : { stdout: tag, stderr: '', rc: 143 };
      const r = await c.exec(cmd, i % 7 === 6 ? { stdin: 'in' } : {});
      // an exec channel (stdin given) sees the signal itself and says so; the shell sees rc 143
      r.stderr = r.stderr.replace(/^\[lvsplay\] (rc 143: )?remote command killed by signal SIGTERM.*\n$/, '');
      assert.deepEqual(r, want, cmd);
    };
    for (let i = 0; i < 200; i++) await one(i);
    await Promise.all(Array.from({ length: 40 }, (_, i) => one(200 + i)));
    assert.equal(c.execCount, 240);
  });

  it('killing the persistent shell: rc 255 for the command in flight, then exec channels', async () => {
    const c = await ready();
    const ppid = (await c.exec(SHELL_PID)).stdout.trim();
    // the shell, the command's subshell and the command die
    const r = await c.exec(`kill -KILL ${ppid} $PPID $$; sleep 1; echo not reached`);
    assert.equal(r.rc, 255);
    assert.match(r.stderr, /persistent remote shell .* \(it may have run; not retried\)/);
    const after = await c.exec('echo $PPID; exit 4');
    assert.equal(after.rc, 4);
    assert.notEqual(after.stdout.trim(), ppid, 'no longer on the killed shell');
    const again = await c.exec('cat /proc/$PPID/comm');
    assert.match(again.stdout, /^sshd/, 'the command runs on an exec channel (child of sshd) now');
    assert.equal(c.execCount, 4);
  });

  it('LVSPLAY_SSH_PERSISTENT_SHELL=0 uses exec channels only', async () => {
    process.env.LVSPLAY_SSH_PERSISTENT_SHELL = '0';
    try {
      const c = connect();
      assert.equal(await c.persistentShellReady(), false);
      const a = await c.exec('cat /proc/$PPID/comm');
      const b = await c.exec('cat /proc/$PPID/comm');
      assert.match(a.stdout, /^sshd/);
      assert.match(b.stdout, /^sshd/);
      assert.equal(c.execCount, 2);
    } finally {
      delete process.env.LVSPLAY_SSH_PERSISTENT_SHELL;
    }
  });
});
