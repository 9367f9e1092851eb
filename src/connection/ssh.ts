// One ssh2 connection per host for the whole run; many exec channels on it (at most 8 commands at
// once: OpenSSH's MaxSessions defaults to 10). Files travel as exec stdin: there is no `put`.
// Plain commands (no stdin, become, timeout or live output) run on a persistent remote shell
// (sshshell.ts: ~1 ms instead of ~50 ms for a new session) when it is idle; the rest, and all
// commands after that shell dies, use exec channels. LVSPLAY_SSH_PERSISTENT_SHELL=0 turns it off.
// execCount counts round trips: one per command, whichever path.
import ssh2 from 'ssh2';
import type { ClientChannel } from 'ssh2';
import type { Duplex } from 'node:stream';
import type { Connection, ExecOptions, ExecResult } from '../types.js';
import { ConnectionError } from '../errors.js';
import { AuthPlan, type AuthConfig } from './sshauth.js';
import { becomeCommand, needsBecome } from './become.js';
import { lifelineCommand, STOP_GRACE_S } from './lifeline.js';
import { driveChannel } from './sshchannel.js';
import { Semaphore } from './semaphore.js';
import { PersistentShell } from './sshshell.js';
import { describeRefusal, loadKnownKeys, lookupName, preferredHostKeyAlgorithms, verifyHostKey } from './knownhosts.js';
import { mark } from '../timing.js';
import { takeHostLock, type LockOutcome } from '../run/hostlock.js';

export interface SshSettings extends AuthConfig {
  host: string; // inventory name
  hostName: string; // address to connect to
  port: number;
  knownHostsFiles: string[];
  strictHostKeyChecking: boolean;
  connectTimeoutMs: number;
  /** a keepalive every this often (default KEEPALIVE_INTERVAL_MS); 0 turns keepalives off */
  keepaliveIntervalMs?: number;
  /** keepalives that may go unanswered; the next one declares the connection lost (default KEEPALIVE_COUNT_MAX) */
  keepaliveCountMax?: number;
  maxChannels?: number; // default 8
  becomePassword?: string; // used when a become request carries no password (secret)
  /** ProxyJump: reach hostName:port through this host's sshd (a direct-tcpip channel); hops chain through their own `jump` */
  jump?: SshSettings;
}

/**
 * A host that stops answering (sshd stopped, link down) is declared unreachable after at most
 * interval x (countMax + 1) of silence — 9 s by default — while the other hosts carry on. Set
 * per host like OpenSSH's ServerAliveInterval / ServerAliveCountMax (ansible_ssh_common_args
 * `-o ServerAliveInterval=N`, or ~/.ssh/config).
 */
export const KEEPALIVE_INTERVAL_MS = 3000;
export const KEEPALIVE_COUNT_MAX = 2;

const HOST_KEY_ALGS = [
  'ssh-ed25519',
  'ecdsa-sha2-nistp256',
  'ecdsa-sha2-nistp384',
  'ecdsa-sha2-nistp521',
  'rsa-sha2-512',
  'rsa-sha2-256',
  'ssh-rsa',
];

/** How long close() waits for the commands it stops (the host's SIGTERM, then SIGKILL after STOP_GRACE_S). */
const STOP_WAIT_MS = (STOP_GRACE_S + 2) * 1000;

/** End a channel's stdin (the command's lifeline) and wait until it has closed (at most `ms`). */
function endChannel(st: ClientChannel, ms: number): Promise<void> {
  return new Promise<void>((resolve) => {
    const t = setTimeout(resolve, ms);
    st.once('close', () => {
      clearTimeout(t);
      resolve();
    });
    try {
      st.end();
    } catch {
      clearTimeout(t);
      resolve();
    }
  });
}

export class SshConnection implements Connection {
  readonly host: string;
  readonly address: string;
  private client?: ssh2.Client;
  private connecting?: Promise<void>;
  private lost?: ConnectionError;
  private closing = false;
  private ended = false;
  private count = 0;
  private readonly sem: Semaphore;
  private readonly pending = new Set<(e: ConnectionError) => void>();
  // Persistent remote shell (sshshell.ts) for plain commands; undefined = not started yet,
  // null = not used (disabled by LVSPLAY_SSH_PERSISTENT_SHELL=0, failed to start, or died).
  // It opens in the background on the first exec, which itself uses an exec channel.
  private shell?: PersistentShell | null;
  private shellStart?: Promise<boolean>;
  private jumpConn?: SshConnection; // ProxyJump: the connection to the jump host
  /** Exec channels open now (commands running on the host), ended by close() so the host stops them. */
  private readonly channels = new Set<ClientChannel>();

  constructor(private readonly s: SshSettings) {
    this.host = s.host;
    this.address = `${s.hostName}:${s.port}`;
    this.sem = new Semaphore(s.maxChannels ?? 8);
  }

  /** Round trips so far: one per command, on an exec channel or on the persistent shell. */
  get execCount(): number {
    return this.count;
  }

  get user(): string {
    return this.s.user;
  }

  private error(reason: string): ConnectionError {
    return new ConnectionError(this.host, this.address, reason);
  }

  connect(): Promise<void> {
    this.connecting ??= this.open();
    return this.connecting;
  }

  /** Connect, through the jump host(s) first when ProxyJump says so. */
  private async open(): Promise<void> {
    const j = this.s.jump;
    if (!j) return this.handshake();
    this.jumpConn = new SshConnection(j);
    let sock: Duplex;
    try {
      sock = await this.jumpConn.forward(this.s.hostName, this.s.port);
    } catch (e) {
      const why = e instanceof ConnectionError ? `${e.host} (${e.address}): ${e.reason}` : String(e);
      throw (this.lost = this.error(`through jump host ${why}`));
    }
    return this.handshake(sock);
  }

  /** A TCP stream to host:port opened by this host's sshd (the direct-tcpip channel ProxyJump uses). */
  async forward(host: string, port: number): Promise<Duplex> {
    await this.connect();
    return new Promise((resolve, reject) => {
      this.client!.forwardOut('127.0.0.1', 0, host, port, (err, stream) =>
        err ? reject(this.error(`cannot reach ${host}:${port} from here: ${err.message}`)) : resolve(stream),
      );
    });
  }

  private handshake(sock?: Duplex): Promise<void> {
    const s = this.s;
    const auth = new AuthPlan(s);
    const name = lookupName(s.hostName, s.port);
    const known = s.strictHostKeyChecking ? loadKnownKeys(s.knownHostsFiles, name) : [];
    let refusal: string | undefined;
    const client = new ssh2.Client();
    this.client = client;
    mark(`ssh connect ${s.hostName}`);
    return new Promise<void>((resolve, reject) => {
      let ready = false;
      let settled = false;
      const fail = (e: ConnectionError) => {
        if (!ready) {
          if (!settled) reject((this.lost = e));
          settled = true;
        } else this.markLost(e);
      };
      client.on('ready', () => {
        ready = settled = true;
        // Small writes back to back (a command line, then the next; channel requests) must not wait
        // for the server's delayed ACK (Nagle: ~40 ms each)
        client.setNoDelay(true);
        mark(`ssh ready ${s.hostName}`);
        // Open the persistent shell now, not at the first command: its session setup (~50 ms on
        // the lab) then overlaps the first command instead of sending the next ones (e.g. the
        // first tasks after a prewarmed connection's facts) to slower exec channels.
        this.shellStart ??= this.startShell();
        resolve();
      });
      client.on('error', (err: Error & { code?: string; level?: string }) => {
        fail(this.error(refusal ?? this.reason(err, ready, auth)));
      });
      const onGone = () => {
        this.ended = true;
        if (this.closing) return;
        fail(this.error(ready ? 'connection lost' : refusal ?? 'connection closed by the server during the handshake'));
      };
      client.on('end', onGone);
      client.on('close', onGone);
      client.connect({
        host: s.hostName,
        port: s.port,
        sock: sock as never,
        username: s.user,
        readyTimeout: s.connectTimeoutMs,
        keepaliveInterval: s.keepaliveIntervalMs ?? KEEPALIVE_INTERVAL_MS,
        keepaliveCountMax: s.keepaliveCountMax ?? KEEPALIVE_COUNT_MAX,
        authHandler: auth.handler(),
        algorithms: { serverHostKey: preferredHostKeyAlgorithms(known, HOST_KEY_ALGS) as never },
        hostVerifier: (key: Buffer) => {
          if (!s.strictHostKeyChecking) return true;
          const v = verifyHostKey(known, key);
          if (v.ok) return true;
          refusal = describeRefusal(v, key, s.knownHostsFiles);
          return false;
        },
      });
    });
  }

  private reason(err: Error & { code?: string; level?: string }, ready: boolean, auth: AuthPlan): string {
    const secs = `${Math.round(this.s.connectTimeoutMs / 100) / 10}s`;
    switch (err.code) {
      case 'ECONNREFUSED':
        return 'connection refused';
      case 'EHOSTUNREACH':
        return 'host unreachable';
      case 'ENETUNREACH':
        return 'network unreachable';
      case 'ETIMEDOUT':
        return `timed out after ${secs}`;
      case 'ENOTFOUND':
      case 'EAI_AGAIN':
        return `cannot resolve host name ${this.s.hostName}`;
      case 'ECONNRESET':
      case 'EPIPE':
        return ready ? 'connection lost' : 'connection reset during the handshake (is an SSH server listening there?)';
    }
    if (err.level === 'client-authentication') return `authentication failed as ${this.s.user} (${auth.describe()})`;
    if (/Timed out while waiting for handshake/.test(err.message)) return `timed out after ${secs}`;
    if (/keepalive/i.test(err.message)) return 'connection lost (no keepalive reply)';
    return ready ? `connection lost: ${err.message}` : `ssh handshake failed: ${err.message}`;
  }

  private markLost(e: ConnectionError): void {
    if (this.lost) return;
    this.lost = e;
    for (const rej of [...this.pending]) rej(e);
    this.pending.clear();
  }

  async exec(command: string, opts: ExecOptions = {}): Promise<ExecResult> {
    if (this.lost) throw this.lost;
    await this.connect();
    const release = await this.sem.acquire(); // at most 8 commands at once, whichever path
    try {
      if (this.lost) throw this.lost;
      if (this.closing) throw this.error('connection closed');
      const plain = opts.stdin === undefined && !opts.become && !opts.timeoutMs && !opts.onOutput;
      const sh = this.shell; // opening since the connection became ready (see open())
      if (plain && sh?.idle && !this.lost && !this.closing) return await this.onShell(sh, command);
      return await this.run(command, opts);
    } finally {
      release();
    }
  }

  /** Open the persistent shell (this.shell), or set it to null when it cannot be used. */
  private async startShell(): Promise<boolean> {
    if (process.env.LVSPLAY_SSH_PERSISTENT_SHELL === '0') return !!(this.shell = null);
    try {
      const stream = await new Promise<ClientChannel>((resolve, reject) =>
        this.client!.exec('exec /bin/sh 3>&2 2>/dev/null', (err, st) => (err ? reject(err) : resolve(st))),
      );
      if (this.closing || this.shell === null) {
        stream.close();
        return false;
      }
      this.shell = new PersistentShell(stream);
      return true;
    } catch {
      this.shell = null;
      return false;
    }
  }

  /** Tests: wait until the persistent shell is open (true) or known unusable (false). */
  async persistentShellReady(): Promise<boolean> {
    await this.connect();
    return !!(await this.shellStart) && !!this.shell?.alive;
  }

  private async onShell(sh: PersistentShell, command: string): Promise<ExecResult> {
    this.count++;
    let onLost!: (e: ConnectionError) => void;
    const lost = new Promise<never>((_, reject) => (onLost = reject));
    this.pending.add(onLost);
    try {
      const r = await Promise.race([sh.run(command), lost]);
      if (!sh.alive) {
        this.shell = null; // fail over to exec channels for the rest of the connection
        await new Promise((res) => setTimeout(res, 50)); // a lost connection is reported as such
        if (this.lost) throw this.lost;
      }
      return r;
    } finally {
      this.pending.delete(onLost);
    }
  }

  /**
   * Open an exec channel and call `attach` on it SYNCHRONOUSLY inside ssh2's callback. ssh2 parses
   * every packet of one socket read in a single synchronous loop: for a short command the reply to
   * the exec request, the output, EOF, the exit-status request and CHANNEL_CLOSE often arrive
   * together, so 'exit' is emitted right after this callback returns. A listener attached after an
   * `await` (one microtask later) misses it. The result is wrapped so it is not awaited here.
   */
  private openChannel(cmd: string, attach: (stream: ClientChannel) => Promise<ExecResult>): Promise<{ done: Promise<ExecResult> }> {
    return new Promise((resolve, reject) => {
      this.client!.exec(cmd, (err, stream) => (err ? reject(err) : resolve({ done: attach(stream) })));
    });
  }

  private async run(command: string, opts: ExecOptions, counted = true): Promise<ExecResult> {
    const become =
      opts.become && opts.become.password === undefined && this.s.becomePassword !== undefined
        ? { ...opts.become, password: this.s.becomePassword }
        : opts.become;
    // The command dies with its channel (lifeline.ts); under sudo it runs in /bin/sh, as before.
    const bytes = opts.stdin === undefined ? 0 : Buffer.byteLength(opts.stdin);
    const wrap = becomeCommand(lifelineCommand(command, bytes, needsBecome(become, this.s.user) ? '/bin/sh' : undefined), become, this.s.user);
    const attach = (stream: ClientChannel) => {
      if (counted) this.count++;
      this.channels.add(stream);
      stream.once('close', () => this.channels.delete(stream));
      return driveChannel(stream, wrap, opts, { pending: this.pending, lost: () => this.lost });
    };
    for (let attempt = 0; ; attempt++) {
      let opened: { done: Promise<ExecResult> };
      try {
        opened = await this.openChannel(wrap.command, attach);
      } catch (err) {
        if (this.lost) throw this.lost;
        // The command did not start (the channel or the exec request was refused), so retrying is
        // safe. OpenSSH refuses channels beyond MaxSessions (10), and it frees a session only after
        // our CHANNEL_CLOSE is processed, a little after our side saw the channel close: with 8
        // channels in flight a new one is sometimes refused. Wait and retry.
        if (attempt >= 7) throw this.error(`cannot open an exec channel: ${(err as Error).message}`);
        await new Promise((r) => setTimeout(r, 25 * 2 ** attempt));
        continue;
      }
      return opened.done;
    }
  }

  /** The per-host lock (src/run/hostlock.ts), on a channel of its own outside the exec slots, held until the connection closes. */
  async lock(host: string, holder: string, waitSeconds: number, onWait: (who: string) => void): Promise<LockOutcome> {
    await this.connect();
    return takeHostLock((script, onOutput) => this.run(script, { onOutput }, false), host, holder, waitSeconds, onWait);
  }

  /**
   * Close the connection. While it still works, the commands still running are stopped first and
   * their end awaited (EOF on their lifeline, lifeline.ts: SIGTERM, then SIGKILL a second later), so
   * nothing lvsplay started changes the host after it has gone.
   */
  async close(): Promise<void> {
    this.closing = true;
    const sh = this.shell;
    this.shell = null;
    const c = this.client;
    const stopping: Promise<void>[] = [];
    if (sh) stopping.push(sh.end(STOP_WAIT_MS));
    if (c && !this.ended && !this.lost) {
      for (const st of this.channels) stopping.push(endChannel(st, STOP_WAIT_MS));
    }
    await Promise.all(stopping);
    if (!c || this.ended) return void (await this.jumpConn?.close());
    await new Promise<void>((resolve) => {
      const t = setTimeout(resolve, 1000);
      c.once('close', () => {
        clearTimeout(t);
        resolve();
      });
      c.end();
    });
    await this.jumpConn?.close();
  }
}
