// A remote command dies with its channel (src/connection/lifeline.ts), against the loopback sshd
// (root; the "host" is this machine, so its processes are visible here): closing the connection
// stops what still runs — on the persistent shell, on exec channels with and without input —
// before close() returns; a connection that drops stops it within a second or two; a timed-out
// command is stopped; a temp file of an interrupted write is removed; what a command left running
// in the background after it ended is not touched.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { SshConnection } from '../../src/connection/ssh.js';
import { planScript } from '../../src/run/apply.js';
import { type TestSshd, pidsWith, startSshdOrSkip, sshdSettings } from './sshd-helper.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(what: string, cond: () => boolean, ms = 10000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`${what} never happened`);
    await sleep(25);
  }
}

describe('ssh: a remote command dies with its channel (loopback sshd)', function () {
  this.timeout(60_000);
  let sshd: TestSshd | undefined;
  let dir: string;
  const conns: SshConnection[] = [];
  const connect = (over = {}) => {
    const c = new SshConnection(sshdSettings(sshd!, 'lifeline', { connectTimeoutMs: 10_000, ...over }));
    conns.push(c);
    return c;
  };
  before(async function () {
    sshd = await startSshdOrSkip(this);
    dir = mkdtempSync('/tmp/lvsplay-lifeline-');
  });
  after(async () => {
    for (const c of conns) await c.close();
    await sshd?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  // A command that would create `done` after 3 s; `tag` makes its processes findable.
  const slow = (tag: string) => `sleep 3.${tag.length}7 && touch ${dir}/${tag}.done`;

  for (const kind of ['persistent shell', 'exec channel', 'exec channel with input'] as const) {
    it(`${kind}: close() stops the command in flight before it returns, and nothing happens later`, async () => {
      const tag = `t${kind.length}`;
      const c = connect();
      if (kind === 'persistent shell') assert.equal(await c.persistentShellReady(), true);
      const opts = kind === 'exec channel' ? { timeoutMs: 60_000 } : kind === 'exec channel with input' ? { stdin: 'x'.repeat(100_000) } : {};
      const cmd = kind === 'exec channel with input' ? `cat > ${dir}/${tag}.in; ${slow(tag)}` : slow(tag);
      const run = c.exec(cmd, opts).catch((e: unknown) => e);
      await until('the command', () => pidsWith(`sleep 3.${tag.length}7`).length > 0);
      const t0 = Date.now();
      await c.close();
      assert.ok(Date.now() - t0 < 3000, `close() took ${Date.now() - t0} ms`);
      assert.deepEqual(pidsWith(`sleep 3.${tag.length}7`), [], 'no process of the command is left when close() returns');
      await run;
      await sleep(4000);
      assert.equal(existsSync(`${dir}/${tag}.done`), false, 'the command never completed');
    });
  }

  it('a connection that drops (the socket is destroyed) stops the command within 2 s', async () => {
    const c = connect();
    const run = c.exec(slow('drop'), { timeoutMs: 60_000 }).catch((e: unknown) => e);
    await until('the command', () => pidsWith('sleep 3.47').length > 0);
    const sock = (c as unknown as { client: { _sock: { destroy(): void } } }).client._sock;
    sock.destroy();
    const t0 = Date.now();
    await until('the command stopped', () => pidsWith('sleep 3.47').length === 0, 5000);
    assert.ok(Date.now() - t0 <= 2000, `stopped after ${Date.now() - t0} ms`);
    await run;
    await sleep(3500);
    assert.equal(existsSync(`${dir}/drop.done`), false);
  });

  it('a timed-out command is stopped on the host', async () => {
    const c = connect();
    const r = await c.exec(slow('tmo'), { timeoutMs: 500 });
    assert.equal(r.rc, 124);
    assert.match(r.stderr, /timed out after 0\.5s \(the remote command was stopped\)/);
    await until('the command stopped', () => pidsWith('sleep 3.37').length === 0, 3000);
    await sleep(3500);
    assert.equal(existsSync(`${dir}/tmo.done`), false);
  });

  it("a plan stopped while validating: its write's temp file is removed (TERM becomes an exit, EXIT traps run)", async () => {
    const c = connect();
    const plan = {
      steps: [
        { describe: 'write', cmd: `tmp=$(mktemp ${dir}/.conf.lvsplay.XXXXXX)\ntrap 'rm -f "$tmp"' EXIT\ncat > "$tmp"`, stdin: 'new\n' },
        { describe: 'validate', cmd: '( sleep 5.13 ) >&2' },
        { describe: 'move', cmd: `mv -f -- "$tmp" ${dir}/conf` },
      ],
    };
    const { script, stdin } = planScript(plan as never);
    const run = c.exec(script, { stdin }).catch((e: unknown) => e);
    // the temp file is written, the validation runs (a process whose command line is only the sleep)
    await until('the validation', () => readdirSync(dir).some((f) => f.startsWith('.conf.lvsplay')) && pidsWith('sleep 5.13').some((p) => readFileSync(`/proc/${p}/cmdline`, 'latin1').startsWith('sleep')));
    await c.close();
    await run;
    assert.deepEqual(readdirSync(dir).filter((f) => f.includes('conf')), [], 'no temp file, no conf');
  });

  it('300 short commands with input (read or not) each end: no watcher left behind, no hang', async () => {
    const c = connect();
    for (let i = 0; i < 300; i++) {
      const r = await c.exec(i % 2 ? 'true' : 'cat', { stdin: i % 3 ? 'x' : 'y'.repeat(70_000) });
      assert.equal(r.rc, 0);
    }
    await c.close();
    await sleep(300);
    assert.deepEqual(pidsWith('lvsplay-lifeline'), [], 'no watcher left');
  });

  it('what a command leaves running in the background after it ended lives on', async () => {
    const c = connect();
    assert.equal(await c.persistentShellReady(), true);
    const cases = [{}, { timeoutMs: 60_000 }, { stdin: 'in' }];
    for (const [i, opts] of cases.entries()) {
      const r = await c.exec(`(sleep 6.${i}9 </dev/null >/dev/null 2>&1 &); echo started`, opts);
      assert.equal(r.stdout, 'started\n');
    }
    await c.close();
    await sleep(1500);
    for (const i of cases.keys()) {
      assert.equal(pidsWith(`sleep 6.${i}9`).length, 1, `sleep 6.${i}9 lives on`);
      for (const p of pidsWith(`sleep 6.${i}9`)) process.kill(p);
    }
  });
});
