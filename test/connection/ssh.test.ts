// SshConnection against a real OpenSSH server on 127.0.0.1 (started by the test).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFileSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { SshConnection, type SshSettings } from '../../src/connection/ssh.js';
import { createConnection } from '../../src/connection/index.js';
import { ConnectionError } from '../../src/errors.js';
import { freePort, startSshd, type TestSshd, startSshdOrSkip, sshdSettings } from './sshd-helper.js';

describe('ssh connection (real sshd on 127.0.0.1)', function () {
  let sshd: TestSshd;
  const open: SshConnection[] = [];

  before(async function () {
    sshd = await startSshdOrSkip(this);
  });
  after(async () => {
    await Promise.all(open.map((c) => c.close()));
    await sshd?.stop();
  });

  function conn(over: Partial<SshSettings> = {}): SshConnection {
    const c = new SshConnection(sshdSettings(sshd, 'web1', over));
    open.push(c);
    return c;
  }

  async function refusal(c: SshConnection): Promise<ConnectionError> {
    const err = await c.exec('true').then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.ok(err instanceof ConnectionError, `expected a ConnectionError, got ${String(err)}`);
    return err;
  }

  it('runs a command and returns stdout, stderr and the exit code', async () => {
    const c = conn();
    const r = await c.exec('echo out; echo err >&2; exit 3');
    assert.deepEqual(r, { stdout: 'out\n', stderr: 'err\n', rc: 3 });
    assert.equal(c.address, `127.0.0.1:${sshd.port}`);
  });

  it('sends stdin (text and a 200 KB binary buffer) and ends it', async () => {
    const c = conn();
    assert.equal((await c.exec('cat', { stdin: 'hello\nworld' })).stdout, 'hello\nworld');
    const big = Buffer.alloc(200_000, 7);
    assert.equal((await c.exec('wc -c', { stdin: big })).stdout.trim(), '200000');
    // no stdin: the channel's stdin is closed, so a reader does not hang
    assert.equal((await c.exec('cat; echo done')).stdout, 'done\n');
  });

  it('keeps one connection for every exec and counts exec channels', async () => {
    const c = conn();
    await c.connect();
    await c.connect();
    const a = await c.exec('echo $SSH_CONNECTION');
    const b = await c.exec('echo $SSH_CONNECTION');
    assert.equal(a.stdout, b.stdout, 'same client port = same TCP connection');
    assert.equal(c.execCount, 2);
  });

  it('runs 30 parallel execs with at most 8 channels open at once', async () => {
    const c = conn();
    const dir = (await c.exec('mktemp -d')).stdout.trim();
    // each command registers itself, reports how many are running, waits, unregisters
    const cmd = `touch ${dir}/$$; ls ${dir} | wc -l; sleep 0.3; rm ${dir}/$$`;
    const results = await Promise.all(Array.from({ length: 30 }, () => c.exec(cmd)));
    await c.exec(`rmdir ${dir}`);
    assert.ok(results.every((r) => r.rc === 0));
    const seen = results.map((r) => Number(r.stdout.trim()));
    assert.ok(Math.max(...seen) <= 8, `at most 8 concurrent, saw ${Math.max(...seen)}`);
    assert.ok(Math.max(...seen) >= 2, 'execs do run in parallel');
    assert.equal(c.execCount, 32);
  });

  it('reports a command killed by a signal as rc 128+n with a clear note', async () => {
    const r = await conn().exec('kill -TERM $$');
    assert.equal(r.rc, 143);
    assert.match(r.stderr, /killed by signal SIGTERM/);
  });

  it('gives up on a command after timeoutMs with rc 124', async () => {
    const c2 = conn();
    const r = await c2.exec('sleep 5', { timeoutMs: 300 });
    assert.equal(r.rc, 124);
    assert.match(r.stderr, /timed out after 0.3s/);
    assert.equal((await c2.exec('echo still usable')).rc, 0);
  });

  it('streams output through onOutput', async () => {
    const chunks: string[] = [];
    await conn().exec('echo one; echo two >&2', { onOutput: (t) => chunks.push(t) });
    assert.match(chunks.join(''), /one/);
    assert.match(chunks.join(''), /two/);
  });

  describe('strict host key checking', () => {
    it('accepts the right key', async () => {
      assert.equal((await conn().exec('echo ok')).stdout, 'ok\n');
    });

    it('refuses an unknown key with a message naming the fingerprint and the opt-out', async () => {
      const empty = join(sshd.dir, 'kh-empty');
      writeFileSync(empty, '');
      const err = await refusal(conn({ knownHostsFiles: [empty] }));
      assert.match(err.message, /^web1 \(127\.0\.0\.1:\d+\): unknown host key ssh-ed25519 SHA256:[A-Za-z0-9+/]{43}/);
      assert.match(err.message, /ANSIBLE_HOST_KEY_CHECKING=False/);
    });

    it('refuses a changed key: "host key mismatch ... possible man-in-the-middle"', async () => {
      const other = join(sshd.dir, 'other');
      execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', other]);
      const otherLine = readFileSync(other + '.pub', 'utf8').split(' ').slice(0, 2).join(' ');
      const kh = join(sshd.dir, 'kh-wrong');
      writeFileSync(kh, `[127.0.0.1]:${sshd.port} ${otherLine}\n`);
      const err = await refusal(conn({ knownHostsFiles: [kh] }));
      assert.match(
        err.message,
        /host key mismatch: known_hosts says ssh-ed25519 SHA256:\S+ \(.*kh-wrong:1\), server offered ssh-ed25519 SHA256:\S+ — possible man-in-the-middle/,
      );
    });

    it('accepts a hashed (|1|) entry written by ssh-keygen -H', async () => {
      const kh = join(sshd.dir, 'kh-hashed');
      writeFileSync(kh, `[127.0.0.1]:${sshd.port} ${sshd.hostKeyLine}\n`);
      execFileSync('ssh-keygen', ['-q', '-H', '-f', kh], { stdio: 'ignore' });
      assert.match(readFileSync(kh, 'utf8'), /^\|1\|/);
      assert.equal((await conn({ knownHostsFiles: [kh] }).exec('echo ok')).stdout, 'ok\n');
    });

    it('honours @revoked', async () => {
      const kh = join(sshd.dir, 'kh-revoked');
      writeFileSync(kh, `@revoked * ${sshd.hostKeyLine}\n[127.0.0.1]:${sshd.port} ${sshd.hostKeyLine}\n`);
      const err = await refusal(conn({ knownHostsFiles: [kh] }));
      assert.match(err.message, /marked @revoked/);
    });

    it('can be turned off (StrictHostKeyChecking=no in ansible_ssh_common_args)', async () => {
      const c = createConnection(
        'web1',
        {
          ansible_host: '127.0.0.1',
          ansible_port: sshd.port,
          ansible_user: 'root',
          ansible_ssh_private_key_file: sshd.clientKey,
          ansible_ssh_common_args: '-o UserKnownHostsFile=/dev/null -o StrictHostKeyChecking=no',
        },
        { sshConfigFile: '/nonexistent' },
      ) as SshConnection;
      open.push(c);
      assert.equal((await c.exec('echo ok')).stdout, 'ok\n');
    });
  });

  it('reads HostName, Port, User, IdentityFile and UserKnownHostsFile from an ssh config (vagrant ssh-config style)', async () => {
    const cfg = join(sshd.dir, 'ssh_config');
    writeFileSync(
      cfg,
      `Host node01\n  HostName 127.0.0.1\n  User root\n  Port ${sshd.port}\n  UserKnownHostsFile ${sshd.knownHosts}\n` +
        `  StrictHostKeyChecking yes\n  PasswordAuthentication no\n  IdentityFile ${sshd.clientKey}\n  IdentitiesOnly yes\n  LogLevel FATAL\n`,
    );
    const c = createConnection('node01', {}, { sshConfigFile: cfg }) as SshConnection;
    open.push(c);
    assert.equal(c.address, `127.0.0.1:${sshd.port}`);
    assert.equal((await c.exec('id -un')).stdout, 'root\n');
  });

  describe('unreachable hosts get a precise reason', () => {
    it('connection refused', async () => {
      const port = await freePort();
      const err = await refusal(conn({ port }));
      assert.equal(err.message, `web1 (127.0.0.1:${port}): connection refused`);
    });

    it('timed out (a TCP listener that never speaks SSH)', async () => {
      const srv: Server = createServer(() => {});
      await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
      const port = (srv.address() as { port: number }).port;
      try {
        const err = await refusal(conn({ port, connectTimeoutMs: 500 }));
        assert.equal(err.message, `web1 (127.0.0.1:${port}): timed out after 0.5s`);
      } finally {
        srv.close();
      }
    });

    it('authentication failed, naming what was tried', async () => {
      const other = join(sshd.dir, 'stranger');
      execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', other]);
      const err = await refusal(conn({ keyFiles: [other] }));
      assert.equal(err.message, `web1 (127.0.0.1:${sshd.port}): authentication failed as root (tried: publickey)`);
    });

    it('a failed connect fails every later exec fast with the same reason', async () => {
      const c = conn({ port: await freePort() });
      const a = await refusal(c);
      const b = await refusal(c);
      assert.equal(a.message, b.message);
    });
  });

  it('sshd killed mid-run: the running exec and every later one fail with "connection lost"', async function () {
    const own = await startSshd();
    try {
      const c = conn({ port: own.port, keyFiles: [own.clientKey], knownHostsFiles: [own.knownHosts] });
      assert.equal((await c.exec('echo up')).stdout, 'up\n');
      let started!: () => void;
      const isRunning = new Promise<void>((r) => (started = r));
      const running = c.exec('echo started; sleep 30', { onOutput: () => started() }).then(
        () => undefined,
        (e: unknown) => e,
      );
      await isRunning;
      own.kill();
      const err = await running;
      assert.ok(err instanceof ConnectionError);
      assert.equal(err.message, `web1 (127.0.0.1:${own.port}): connection lost`);
      const later = await refusal(c);
      assert.equal(later.message, err.message);
    } finally {
      await own.stop();
    }
  });
});
