// become (sudo) over a real loopback sshd, with a temporary user that needs a sudo password.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { SshConnection, type SshSettings } from '../../src/connection/ssh.js';
import { becomeCommand } from '../../src/connection/become.js';
import { TaskError } from '../../src/errors.js';
import { pidsWith, sshdMissing, startSshd, type TestSshd, sshdSettings } from './sshd-helper.js';

const USER = 'lvsplaybecome';
const PASSWORD = 'S3cret-pw_for-test';
const SUDOERS = `/etc/sudoers.d/${USER}`;

describe('become: wrapping', () => {
  it('skips sudo when the login user already is the target user', () => {
    assert.deepEqual(becomeCommand('id', { user: 'root' }, 'root'), { command: 'id' });
    assert.deepEqual(becomeCommand('id', undefined, 'alice'), { command: 'id' });
  });

  it('uses sudo -n without a password and sudo -S with a random prompt with one; quotes the command', () => {
    const a = becomeCommand("echo 'x'", { user: 'root' }, 'alice');
    assert.match(a.command, /^sudo -H -n -u root \/bin\/sh -c '/);
    const b = becomeCommand('id', { user: 'postgres', password: 'pw' }, 'alice');
    assert.match(b.command, /^sudo -H -S -p '\[lvsplay-sudo-[0-9a-f]{16}\] password: ' -u postgres \/bin\/sh -c /);
    assert.ok(!b.command.includes('pw '), 'the password is never part of the command');
    assert.notEqual(b.prompt, becomeCommand('id', { user: 'postgres', password: 'pw' }, 'alice').prompt);
  });
});

describe('become: sudo over ssh (temporary user with a sudo password)', function () {
  let sshd: TestSshd;
  const conns: SshConnection[] = [];

  before(async function () {
    const why = sshdMissing() ?? (existsSync('/usr/bin/sudo') ? undefined : 'sudo missing (apt-get install sudo)');
    if (why) {
      console.log(`    skipping: ${why}`);
      this.skip();
    }
    spawnSync('userdel', ['-r', USER], { stdio: 'ignore' });
    execFileSync('useradd', ['-m', '-s', '/bin/sh', USER]);
    execFileSync('chpasswd', { input: `${USER}:${PASSWORD}\n` });
    // timestamp_timeout=0: every sudo asks again, so each test sees sudo's real behaviour
    writeFileSync(SUDOERS, `Defaults:${USER} timestamp_timeout=0\n${USER} ALL=(ALL) ALL\n`, { mode: 0o440 });
    sshd = await startSshd();
  });

  after(async () => {
    await Promise.all(conns.map((c) => c.close()));
    await sshd?.stop();
    rmSync(SUDOERS, { force: true });
    spawnSync('userdel', ['-r', USER], { stdio: 'ignore' });
  });

  function conn(over: Partial<SshSettings> = {}): SshConnection {
    // no keys at all: password authentication
    const c = new SshConnection(sshdSettings(sshd, 'node02', { user: USER, keyFiles: [], password: PASSWORD, ...over }));
    conns.push(c);
    return c;
  }

  it('logs in with a password (no key) as the unprivileged user', async () => {
    const r = await conn().exec('id -un');
    assert.equal(r.stdout, `${USER}\n`);
  });

  it('become root with the password: runs as root, prompt and password stay out of the output', async () => {
    const r = await conn().exec('id -u; echo to-stderr >&2', { become: { user: 'root', password: PASSWORD } });
    assert.deepEqual(r, { stdout: '0\n', stderr: 'to-stderr\n', rc: 0 });
  });

  it("the command's own stdin arrives intact after the password", async () => {
    const r = await conn().exec('cat', { become: { user: 'root', password: PASSWORD }, stdin: 'line1\nline2\n' });
    assert.equal(r.stdout, 'line1\nline2\n');
    assert.ok(!r.stdout.includes(PASSWORD) && !r.stderr.includes(PASSWORD));
  });

  it('the connection-wide become password (ansible_become_password) is used when the request has none', async () => {
    const r = await conn({ becomePassword: PASSWORD }).exec('whoami', { become: { user: 'root' } });
    assert.equal(r.stdout, 'root\n');
  });

  it('a wrong password fails with "incorrect sudo password" (and does not leak it)', async () => {
    const err = await conn()
      .exec('id', { become: { user: 'root', password: 'wrong-one' } })
      .catch((e: unknown) => e);
    assert.ok(err instanceof TaskError, String(err));
    assert.equal(err.message, 'incorrect sudo password for root');
    assert.ok(!JSON.stringify(err.result).includes('wrong-one'));
  });

  it('no password when sudo needs one: a clear error saying how to give it', async () => {
    const err = await conn()
      .exec('id', { become: { user: 'root' } })
      .catch((e: unknown) => e);
    assert.ok(err instanceof TaskError, String(err));
    assert.match(err.message, /password is required.*ansible_become_password/);
  });

  for (const input of [false, true]) {
    it(`closing the connection stops a command running as root under sudo${input ? ' (with input)' : ''} before close() returns`, async () => {
      const c = conn();
      const tag = input ? 'sleep 9.31' : 'sleep 9.37';
      const run = c.exec(`${tag}; touch /tmp/lvsplay-become-late`, { become: { user: 'root', password: PASSWORD }, ...(input ? { stdin: 'data' } : {}) }).catch((e: unknown) => e);
      const running = () => pidsWith(tag).filter((p) => readFileSync(`/proc/${p}/cmdline`, 'latin1').startsWith('sleep'));
      for (let i = 0; running().length === 0; i++) {
        assert.ok(i < 200, 'the command never started');
        await new Promise((r) => setTimeout(r, 25));
      }
      assert.equal(readFileSync(`/proc/${running()[0]}/status`, 'utf8').match(/^Uid:\s+(\d+)/m)?.[1], '0', 'it runs as root');
      await c.close();
      assert.deepEqual(running(), [], 'the root process is gone when close() returns');
      await run;
      assert.equal(existsSync('/tmp/lvsplay-become-late'), false);
    });
  }

  it("the command's exit code is kept under sudo", async () => {
    const r = await conn().exec('exit 7', { become: { user: 'root', password: PASSWORD } });
    assert.equal(r.rc, 7);
  });
});
