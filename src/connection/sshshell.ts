// A persistent remote `/bin/sh` on one exec channel: a command run on it costs about one network
// round trip instead of a new sshd session (~50 ms: session setup + a new login shell).
//
// The shell is started as `exec /bin/sh 3>&2 2>/dev/null`: its own messages (dash prints
// "Terminated" when a child is killed) are dropped; commands get the channel's stderr on fd 3.
// Each command is sent as one line (lifeline.ts shellLine): `"$SHELL" -c 'CMD' </dev/null 2>&3`
// in a background subshell, which then prints `\nM\n` on stderr and `\nM RC\n` on stdout, with
// M a random per-command marker. The command runs in a child shell
// (like an exec channel runs `$SHELL -c CMD`), cannot read the shell's stdin and cannot end it with
// `exit`; the shell goes back to reading its stdin, so when the channel closes (lvsplay gone or
// giving up) its EXIT trap stops the command in flight (lifeline.ts). Output is everything before
// the framing newline + marker on each stream (the framing always adds one newline, so output
// without a trailing newline comes back exactly).
import { randomBytes } from 'node:crypto';
import { constants as osConstants } from 'node:os';
import type { ClientChannel } from 'ssh2';
import type { ExecResult } from '../types.js';
import { SHELL_INIT, shellLine } from './lifeline.js';

function signalName(n: number): string | undefined {
  return Object.entries(osConstants.signals as Record<string, number>).find(([, v]) => v === n)?.[0];
}

interface Job {
  marker: string;
  out: Buffer;
  err: Buffer;
  rc?: number;
  errDone: boolean;
  resolve: (r: ExecResult) => void;
}

export class PersistentShell {
  private job?: Job;
  private dead?: string;
  private closed = false;

  constructor(private readonly stream: ClientChannel) {
    stream.on('data', (d: Buffer) => this.data(d, false));
    stream.stderr.on('data', (d: Buffer) => this.data(d, true));
    stream.on('close', () => {
      this.closed = true;
      this.die('the persistent remote shell ended unexpectedly');
    });
    stream.on('error', (e: Error) => this.die(`persistent remote shell error: ${e.message}`));
    stream.write(SHELL_INIT);
  }

  /** Usable for a new command now (alive and not busy). */
  get idle(): boolean {
    return !this.dead && !this.job;
  }

  get alive(): boolean {
    return !this.dead;
  }

  /** Run one command (the caller checked `idle`). Never rejects: a dying shell gives rc 255. */
  run(command: string): Promise<ExecResult> {
    const marker = `LVSPLAY_${randomBytes(12).toString('hex')}`;
    return new Promise<ExecResult>((resolve) => {
      this.job = { marker, out: Buffer.alloc(0), err: Buffer.alloc(0), errDone: false, resolve };
      this.stream.write(shellLine(command, marker));
    });
  }

  private data(d: Buffer, isErr: boolean): void {
    const j = this.job;
    if (!j) return this.die('unexpected output from the persistent remote shell between commands');
    if (isErr) {
      if (j.errDone) return this.die('unexpected stderr after the command ended');
      j.err = Buffer.concat([j.err, d]);
      const tail = Buffer.from(`\n${j.marker}\n`);
      const at = j.err.indexOf(tail, Math.max(0, j.err.length - d.length - tail.length));
      if (at >= 0) {
        if (at + tail.length !== j.err.length) return this.die('unexpected stderr after the end marker');
        j.err = j.err.subarray(0, at);
        j.errDone = true;
      }
    } else {
      if (j.rc !== undefined) return this.die('unexpected output after the command ended');
      j.out = Buffer.concat([j.out, d]);
      const head = Buffer.from(`\n${j.marker} `);
      const at = j.out.indexOf(head, Math.max(0, j.out.length - d.length - head.length - 12));
      if (at >= 0) {
        const rest = j.out.subarray(at + head.length).toString('latin1');
        if (rest.includes('\n')) {
          const m = /^(\d+)\n$/.exec(rest);
          if (!m) return this.die('cannot parse the exit status from the persistent remote shell');
          j.rc = Number(m[1]);
          j.out = j.out.subarray(0, at);
        }
      }
    }
    if (j.rc !== undefined && j.errDone) {
      this.job = undefined;
      let stderr = j.err.toString('utf8');
      const sig = j.rc > 128 && j.rc < 160 ? signalName(j.rc - 128) : undefined;
      if (sig) {
        // sh only sees 128 + n; an exec channel would tell a signal from `exit 143`
        const note = `[lvsplay] rc ${j.rc}: remote command killed by signal ${sig} (or it exited with status ${j.rc})\n`;
        stderr += (stderr && !stderr.endsWith('\n') ? '\n' : '') + note;
      }
      j.resolve({ stdout: j.out.toString('utf8'), stderr, rc: j.rc });
    }
  }

  /**
   * Mark the shell unusable; a command in flight may have run, so it is reported, not retried.
   * The shell's stdin is ended: on the host, a command still running is stopped (lifeline.ts).
   */
  die(why: string): void {
    if (this.dead) return;
    this.dead = why;
    const j = this.job;
    this.job = undefined;
    try {
      this.stream.end();
    } catch {
      /* already closed */
    }
    if (j) {
      const stderr = j.err.toString('utf8');
      const note = `[lvsplay] ${why} while running the command (it may have run; not retried)\n`;
      j.resolve({ stdout: j.out.toString('utf8'), stderr: stderr + (stderr && !stderr.endsWith('\n') ? '\n' : '') + note, rc: 255 });
    }
  }

  /** End the shell (die) and wait until its channel has closed: the host has stopped what ran (at most `ms`). */
  async end(ms: number): Promise<void> {
    this.die('connection closed');
    if (this.closed) return;
    await new Promise<void>((resolve) => {
      const t = setTimeout(resolve, ms);
      this.stream.once('close', () => {
        clearTimeout(t);
        resolve();
      });
    });
  }
}
