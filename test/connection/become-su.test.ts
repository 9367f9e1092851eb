// become_method su over a real loopback sshd: an unprivileged login user becomes a second
// temporary user with su and that user's password (su reads it from stdin without a tty).
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { SshConnection } from '../../src/connection/ssh.js';
import { becomeCommand, BecomeSession } from '../../src/connection/become.js';
import { TaskError } from '../../src/errors.js';
import { sshdMissing, startSshd, type TestSshd, sshdSettings } from './sshd-helper.js';

const LOGIN = 'lvsplaysu1';
const TARGET = 'lvsplaysu2';
const LOGIN_PW = 'Login-pw_4su';
const TARGET_PW = 'Target-pw_4su';

describe('become su: wrapping and prompt detection', () => {
  it('runs `su USER -c` with /bin/sh and a marker; the password is never in the command', () => {
    const w = becomeCommand("echo 'x'", { user: 'postgres', method: 'su', password: 'pw' }, 'alice');
    assert.match(w.command, /^su postgres -c '\/bin\/sh -c /);
    assert.ok(!w.command.includes(' pw'));
    assert.equal(w.method, 'su');
    assert.deepEqual(becomeCommand('id', { user: 'alice', method: 'su' }, 'alice'), { command: 'id' });
  });

  it('answers a localized prompt once; su\'s own "su: " message split from its text is not a prompt', () => {
    const w = becomeCommand('id', { user: 'bob', method: 'su', password: 'pw' }, 'alice');
    const sent: string[] = [];
    let aborted = false;
    const s = new BecomeSession(w, { writePassword: (p) => sent.push(p), onReady: () => undefined, abort: () => (aborted = true) });
    assert.equal(s.stderr('Passwort: '), '');
    assert.deepEqual(sent, ['pw']);
    assert.equal(s.stderr('su: '), '');
    assert.equal(s.stderr('Authentication failure\n'), '');
    assert.equal(aborted, false);
    assert.throws(() => s.check(1), { message: 'incorrect su password for bob' });
  });

  it("after the marker, the command's stderr ending in a colon passes through and nothing is written", () => {
    const w = becomeCommand('id', { user: 'bob', method: 'su', password: 'pw' }, 'root');
    const sent: string[] = [];
    const s = new BecomeSession(w, { writePassword: (p) => sent.push(p), onReady: () => undefined, abort: () => undefined });
    assert.equal(s.stderr(`${w.marker}\nEnter value: `), 'Enter value: ');
    assert.deepEqual(sent, []);
  });
});

describe('become su over ssh (two temporary users)', function () {
  let sshd: TestSshd;
  const conns: SshConnection[] = [];

  before(async function () {
    const why = sshdMissing() ?? (process.getuid?.() === 0 ? undefined : 'needs root (creates temporary users)');
    if (why) {
      console.log(`    skipping: ${why}`);
      this.skip();
    }
    for (const [u, pw] of [[LOGIN, LOGIN_PW], [TARGET, TARGET_PW]]) {
      spawnSync('userdel', ['-r', u], { stdio: 'ignore' });
      execFileSync('useradd', ['-m', '-s', '/bin/sh', u]);
      execFileSync('chpasswd', { input: `${u}:${pw}\n` });
    }
    sshd = await startSshd();
  });

  after(async () => {
    await Promise.all(conns.map((c) => c.close()));
    await sshd?.stop();
    for (const u of [LOGIN, TARGET]) spawnSync('userdel', ['-r', u], { stdio: 'ignore' });
  });

  function conn(): SshConnection {
    const c = new SshConnection(sshdSettings(sshd, 'node02', { user: LOGIN, keyFiles: [], password: LOGIN_PW }));
    conns.push(c);
    return c;
  }

  it("becomes the target user with its password; prompt and password stay out of the output; stdin and exit code intact", async () => {
    const c = conn();
    const r = await c.exec('id -un; echo to-stderr >&2; cat; exit 3', { become: { user: TARGET, method: 'su', password: TARGET_PW }, stdin: 'line1\nline2\n' });
    assert.deepEqual(r, { stdout: `${TARGET}\nline1\nline2\n`, stderr: 'to-stderr\n', rc: 3 });
  });

  it('a wrong password fails with "incorrect su password" and does not leak it', async () => {
    const err = await conn()
      .exec('id', { become: { user: TARGET, method: 'su', password: 'wrong-one' } })
      .catch((e: unknown) => e);
    assert.ok(err instanceof TaskError, String(err));
    assert.equal(err.message, `incorrect su password for ${TARGET}`);
    assert.ok(!JSON.stringify(err.result).includes('wrong-one'));
  });

  it('no password when su asks for one: a clear error at once (no hang)', async () => {
    const err = await conn()
      .exec('id', { become: { user: TARGET, method: 'su' } })
      .catch((e: unknown) => e);
    assert.ok(err instanceof TaskError, String(err));
    assert.match(err.message, new RegExp(`su to ${TARGET} asks for a password .*ansible_become_password`));
  });
});
