// The local connection (`connection: local`): runs POSIX sh commands on the controller itself.
import { spawn } from 'node:child_process';
import { constants as osConstants, userInfo } from 'node:os';
import type { Connection, ExecOptions, ExecResult } from '../types.js';
import { ConnectionError } from '../errors.js';
import { q } from '../shell.js';

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

  /** argv for a command, wrapped in `sudo -n` only when become asks for another user. */
  argv(command: string, opts: ExecOptions = {}): string[] {
    const user = opts.become ? opts.become.user || 'root' : undefined;
    if (!user || user === this.me) return ['/bin/sh', '-c', command];
    if (opts.become?.password !== undefined) {
      // -S reads the password from stdin; an empty prompt keeps it out of stderr.
      return ['sudo', '-S', '-p', '', '-H', '-u', user, '/bin/sh', '-c', command];
    }
    return ['sudo', '-n', '-H', '-u', user, '/bin/sh', '-c', command];
  }

  exec(command: string, opts: ExecOptions = {}): Promise<ExecResult> {
    this.count++;
    const [file, ...args] = this.argv(command, opts);
    return new Promise((resolve, reject) => {
      const child = spawn(file, args, { stdio: ['pipe', 'pipe', 'pipe'] });
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
        stderr += d;
      });
      child.on('error', (e) => {
        if (timer) clearTimeout(timer);
        reject(new ConnectionError(this.host, this.address, `cannot run ${q(file)}: ${e.message}`));
      });
      child.on('close', (code, signal) => {
        if (timer) clearTimeout(timer);
        // Killed by a signal: 128 + its number, as a shell reports it (SIGTERM 143, SIGKILL 137).
        resolve({ stdout, stderr, rc: code ?? (signal ? 128 + (osConstants.signals[signal] ?? 9) : 1) });
      });
      child.stdin.on('error', () => {
        /* the command may exit without reading its stdin */
      });
      const pw = file === 'sudo' && opts.become?.password !== undefined ? `${opts.become.password}\n` : '';
      if (pw) child.stdin.write(pw);
      if (opts.stdin !== undefined) child.stdin.write(opts.stdin);
      child.stdin.end();
    });
  }

  async close(): Promise<void> {
    /* nothing to close */
  }
}
