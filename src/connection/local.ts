// The local connection (`connection: local`): runs POSIX sh commands on the controller itself.
import { spawn } from 'node:child_process';
import { constants as osConstants, userInfo } from 'node:os';
import type { Connection, ExecOptions, ExecResult } from '../types.js';
import { ConnectionError } from '../errors.js';
import { q } from '../shell.js';
import { BecomeSession, becomeCommand } from './become.js';

function currentUser(): string {
  try {
    return userInfo().username;
  } catch {
    return process.getuid?.() === 0 ? 'root' : '';
  }
}

export class LocalConnection implements Connection {
  readonly address = 'local';
  private count = 0;
  private readonly me = currentUser();

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
      const child = spawn(file, ['-c', wrap.command], { stdio: ['pipe', 'pipe', 'pipe'] });
      const sendStdin = () => {
        if (opts.stdin !== undefined) child.stdin.write(opts.stdin);
        child.stdin.end();
      };
      const session = new BecomeSession(wrap, {
        writePassword: (pw) => child.stdin.write(`${pw}\n`),
        onReady: sendStdin,
        abort: () => child.kill('SIGKILL'),
      });
      let stdout = '';
      let stderr = '';
      let timer: NodeJS.Timeout | undefined;
      if (opts.timeoutMs) {
        timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs);
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

  async close(): Promise<void> {
    /* nothing to close */
  }
}
