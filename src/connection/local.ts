// The local connection (`connection: local`): runs POSIX sh commands on the controller itself.
import { spawn, type ChildProcess, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { constants as osConstants, userInfo } from 'node:os';
import type { Connection, ExecOptions, ExecResult } from '../types.js';
import { ConnectionError } from '../errors.js';
import { q } from '../shell.js';
import { BecomeSession, becomeCommand } from './become.js';
import { takeHostLock, type LockOutcome } from '../run/hostlock.js';

function currentUser(): string {
  try {
    return userInfo().username;
  } catch {
    return process.getuid?.() === 0 ? 'root' : '';
  }
}

/** SIGKILL a command and everything it started (its process group). */
function killTree(child: ChildProcess): void {
  try {
    if (child.pid) process.kill(-child.pid, 'SIGKILL');
  } catch {
    child.kill('SIGKILL'); // already gone, or not a group leader
  }
}

export class LocalConnection implements Connection {
  readonly address = 'local';
  private count = 0;
  private readonly me = currentUser();
  private readonly running = new Set<ChildProcess>();

  constructor(readonly host: string) {}

  get execCount(): number {
    return this.count;
  }

  async connect(): Promise<void> {
    /* nothing to open */
  }

  /** argv for a command: /bin/sh, with become's sudo wrapping (src/connection/become.ts, as over SSH) when it asks for another user. */
  argv(command: string, opts: ExecOptions = {}): string[] {
    return ['/bin/sh', '-c', becomeCommand(command, opts.become, this.me).command];
  }

  exec(command: string, opts: ExecOptions = {}): Promise<ExecResult> {
    this.count++;
    const wrap = becomeCommand(command, opts.become, this.me);
    const file = '/bin/sh';
    return new Promise((resolve, reject) => {
      const child = this.spawnSh(wrap.command);
      const sendStdin = () => {
        if (opts.stdin !== undefined) child.stdin.write(opts.stdin);
        child.stdin.end();
      };
      const session = new BecomeSession(wrap, {
        writePassword: (pw) => child.stdin.write(`${pw}\n`),
        onReady: sendStdin,
        abort: () => killTree(child),
      });
      let stdout = '';
      let stderr = '';
      let timer: NodeJS.Timeout | undefined;
      if (opts.timeoutMs) {
        timer = setTimeout(() => killTree(child), opts.timeoutMs);
      }
      child.stdout.setEncoding('utf8');
      child.stderr.setEncoding('utf8');
      child.stdout.on('data', (d: string) => {
        stdout += d;
        opts.onOutput?.(d);
      });
      child.stderr.on('data', (d: string) => {
        stderr += session.stderr(d);
      });
      child.on('error', (e) => {
        if (timer) clearTimeout(timer);
        reject(new ConnectionError(this.host, this.address, `cannot run ${q(file)}: ${e.message}`));
      });
      child.on('close', (code, signal) => {
        if (timer) clearTimeout(timer);
        // Killed by a signal: 128 + its number, as a shell reports it (SIGTERM 143, SIGKILL 137).
        const rc = code ?? (signal ? 128 + (osConstants.signals[signal] ?? 9) : 1);
        try {
          session.check(rc);
        } catch (e) {
          return reject(e);
        }
        resolve({ stdout, stderr, rc });
      });
      child.stdin.on('error', () => {
        /* the command may exit without reading its stdin */
      });
      if (session.ready) sendStdin();
    });
  }

  /** `/bin/sh -c cmd` in its own process group (a terminal's Ctrl-C is lvsplay's to handle, src/cli.ts), killed with it by close(). */
  private spawnSh(cmd: string): ChildProcessWithoutNullStreams {
    const child = spawn('/bin/sh', ['-c', cmd], { stdio: ['pipe', 'pipe', 'pipe'], detached: true });
    this.running.add(child);
    child.on('exit', () => this.running.delete(child));
    return child;
  }

  /** The per-host lock (src/run/hostlock.ts): once held, its loop does not keep this process alive, and it dies with it. */
  async lock(host: string, holder: string, waitSeconds: number, onWait: (who: string) => void): Promise<LockOutcome> {
    let child: ChildProcess | undefined;
    const got = await takeHostLock(
      (script, onOutput) =>
        new Promise<ExecResult>((resolve) => {
          const c = this.spawnSh(script);
          c.stdin.end(); // the lock script reads nothing
          child = c;
          let stderr = '';
          c.stdout.setEncoding('utf8').on('data', onOutput);
          c.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
          c.on('error', (e) => resolve({ stdout: '', stderr: e.message, rc: 127 }));
          c.on('close', (code) => resolve({ stdout: '', stderr, rc: code ?? 1 }));
        }),
      host,
      holder,
      waitSeconds,
      onWait,
    );
    if (child) {
      child.unref();
      for (const s of [child.stdout, child.stderr]) (s as unknown as { unref?: () => void } | null)?.unref?.();
    }
    return got;
  }

  /** Commands still running are killed with their process group (nothing runs on after the run). */
  async close(): Promise<void> {
    for (const child of this.running) killTree(child);
  }
}
