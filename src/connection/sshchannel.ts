// One exec channel of an SSH connection, driven to its end: stdout/stderr decoded, sudo's prompt
// answered through the become session, stdin sent once the command runs, the exit status (or the
// signal that killed it) read, the task timeout enforced.
import { constants as osConstants } from 'node:os';
import { StringDecoder } from 'node:string_decoder';
import type { ClientChannel } from 'ssh2';
import type { ExecOptions, ExecResult } from '../types.js';
import type { ConnectionError } from '../errors.js';
import { BecomeSession, type BecomeWrap } from './become.js';

/** What a channel needs of its connection: where to register for a lost link, and the loss itself. */
export interface ChannelLink {
  pending: Set<(e: ConnectionError) => void>;
  lost(): ConnectionError | undefined;
}

/**
 * Ask the server to SIGKILL the command's process group (OpenSSH >= 7.9 honours "signal" requests).
 * ssh2's Channel.signal() refuses once our side of the channel is ended (stdin closed), which is
 * always the case here, so the request goes through the protocol object directly.
 */
function killChannel(stream: ClientChannel): void {
  const ch = stream as unknown as {
    outgoing?: { id: number; state: string };
    _client?: { _protocol?: { signal(id: number, sig: string): void } };
  };
  try {
    if (ch.outgoing && ['open', 'eof'].includes(ch.outgoing.state)) ch._client?._protocol?.signal(ch.outgoing.id, 'KILL');
  } catch {
    /* older servers ignore or reject signals: closing the channel is the fallback */
  }
}

export function driveChannel(stream: ClientChannel, wrap: BecomeWrap, opts: ExecOptions, link: ChannelLink): Promise<ExecResult> {
  return new Promise<ExecResult>((resolve, reject) => {
    const out = new StringDecoder('utf8');
    const errd = new StringDecoder('utf8');
    let stdout = '';
    let stderr = '';
    let rc: number | undefined;
    let note = '';
    let timedOut = false;
    let timer: NodeJS.Timeout | undefined;
    // The command's input, and no EOF: the open stdin is the command's lifeline (lifeline.ts).
    const sendStdin = () => {
      if (opts.stdin !== undefined) stream.write(opts.stdin);
    };
    const session = new BecomeSession(wrap, {
      writePassword: (pw) => stream.write(pw + '\n'),
      onReady: sendStdin,
      abort: () => stream.close(),
    });
    const onLost = (e: ConnectionError) => {
      clearTimeout(timer);
      reject(e);
    };
    link.pending.add(onLost);
    stream.on('data', (d: Buffer) => {
      const t = out.write(d);
      stdout += t;
      if (t && opts.onOutput) opts.onOutput(t);
    });
    stream.stderr.on('data', (d: Buffer) => {
      const t = session.stderr(errd.write(d));
      stderr += t;
      if (t && opts.onOutput) opts.onOutput(t);
    });
    const onExit = (code: number | null, signal?: string) => {
      if (timedOut) return;
      if (typeof code === 'number') rc = code;
      else if (signal) {
        const name = `SIG${signal.replace(/^SIG/, '')}`;
        const n = (osConstants.signals as Record<string, number>)[name];
        rc = n ? 128 + n : 255;
        note = `remote command killed by signal ${name}`;
      }
    };
    stream.on('exit', onExit);
    // ssh2 v1 also passes the exit status (or null, signal) to 'close'; 'exit' is the primary source.
    stream.on('close', (code?: number | null, signal?: string) => {
      if (rc === undefined && !note) onExit(code ?? null, signal);
      clearTimeout(timer);
      link.pending.delete(onLost);
      if (timedOut) return; // already answered
      const lost = link.lost();
      if (lost) return reject(lost);
      stdout += out.end();
      stderr += session.ready ? errd.end() : '';
      if (rc === undefined && !note) {
        rc = 255;
        note = 'channel closed without an exit status';
      }
      try {
        session.check(rc ?? 255);
      } catch (e) {
        return reject(e);
      }
      if (note) stderr += (stderr && !stderr.endsWith('\n') ? '\n' : '') + `[lvsplay] ${note}\n`;
      resolve({ stdout, stderr, rc: rc ?? 255 });
    });
    if (opts.timeoutMs) {
      timer = setTimeout(() => {
        timedOut = true;
        link.pending.delete(onLost);
        killChannel(stream);
        // EOF on the lifeline: the host stops the command (lifeline.ts). Answer now: OpenSSH ignores
        // signal requests in root sessions (no post-auth privsep).
        stream.end();
        stream.close();
        const tail = `[lvsplay] timed out after ${opts.timeoutMs! / 1000}s (the remote command was stopped)\n`;
        stderr += session.ready ? errd.end() : '';
        resolve({ stdout: stdout + out.end(), stderr: stderr + (stderr && !stderr.endsWith('\n') ? '\n' : '') + tail, rc: 124 });
      }, opts.timeoutMs);
    }
    if (session.ready) sendStdin();
  });
}
