// A synchronous bridge to the Jinja2 engine process (src/jinja/sidecar.py): two FIFOs in a private
// temp dir, length-prefixed JSON frames, blocking reads on the controller's thread (Templar calls
// are synchronous). While a render is in progress the engine asks back for variables, filters,
// tests and globals; `answer` serves those from lvsplay's own data.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, constants, existsSync, mkdtempSync, openSync, readFileSync, readSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { RunError } from '../errors.js';
import { fromRoot } from '../paths.js';
import { mark, timingOn } from '../timing.js';
import { floatFromTag, floatTagged, PyFloat } from '../vars/pyfloat.js';
import { isolateTaint } from '../vars/unsafe.js';

/** LVSPLAY_TIMING=trace: each top-level request and each question the engine asks back, on stderr (finding round trips to save). */
const TRACE = process.env.LVSPLAY_TIMING === 'trace';

export interface Ask {
  op: 'var' | 'vars' | 'filter' | 'test' | 'global' | 'get' | 'keys' | 'lkvar' | 'lknames';
  name: string;
  names?: string[];
  v?: unknown;
  a?: unknown[];
  kw?: Record<string, unknown>;
}
export type Answer = (q: Ask) => unknown;

/** A failure inside Jinja2: kind 'undefined', 'syntax', 'lvsplay' (raised by an answer) or Python's exception name. */
export class EngineError extends Error {
  /** For 'undefined': the access path ('cfg.vipp') and the keys of what was accessed (none: a top-level name). */
  path?: string;
  candidates?: string[];
  /** For 'undefined': Jinja2's own message ("'x' is undefined"), which Ansible's messages quote. */
  jinja?: string;
  /** For 'filter': the filter that failed; `typeError`: it was given a value of the wrong type (a Python TypeError). */
  filter?: string;
  typeError?: boolean;
  /** For 'lookup': the class of the exception Ansible's lookup raises. */
  cls?: string;
  constructor(readonly kind: string, message: string, readonly line?: number) {
    super(message);
    this.name = 'EngineError';
  }
}

/** The EngineError an error frame describes (a failed request, or one item of a `checks` answer). */
export function engineError(m: Record<string, unknown>): EngineError {
  const e = new EngineError(String(m.kind), String(m.msg), typeof m.line === 'number' ? m.line : undefined);
  if (typeof m.path === 'string') e.path = m.path;
  if (Array.isArray(m.candidates)) e.candidates = m.candidates as string[];
  if (typeof m.jinja === 'string') e.jinja = m.jinja;
  if (typeof m.filter === 'string') e.filter = m.filter;
  if (m.type === true) e.typeError = true;
  if (typeof m.cls === 'string') e.cls = m.cls;
  return e;
}

/** An own property's value as the engine reads a variable or a key: {found, value}, or {found: false}. */
export function ownEntry(o: object, key: string): { found: boolean; value?: unknown } {
  return Object.prototype.hasOwnProperty.call(o, key) ? { found: true, value: (o as Record<string, unknown>)[key] } : { found: false };
}

/** A mapping whose values are computed on access (hostvars): not a plain object, not an array. */
export function isLazy(v: unknown): v is object {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
  const p = Object.getPrototypeOf(v) as object | null;
  return p !== Object.prototype && p !== null && !(v instanceof Date) && !Buffer.isBuffer(v) && !(v instanceof PyFloat);
}

let ahead = 0;
/** Whether values are being read ahead of the render that may use them: a lookup (side effects) is refused then. */
export function readingAhead(): boolean {
  return ahead > 0;
}
/** Runs `fn` reading values ahead of their use (readingAhead). */
export function readAhead<T>(fn: () => T): T {
  ahead++;
  try {
    return fn();
  } finally {
    ahead--;
  }
}

/** A key of a lazy mapping answered up front: {found, value}, marked when its value is host data. */
type Preload = { found: boolean; value?: unknown; tainted?: true };

/**
 * The keys `keys` of a lazy mapping read ahead of the render that may read them, each with its value
 * (a lazy value among them lent the same way with the keys among `want`, while `depth` allows). A key
 * whose value fails or would run a lookup is left out: the render asks for it if it reads it, and
 * gets its error then. One holding host data goes marked: the engine notes it when the render reads it.
 */
function preloaded(o: object, keys: string[], want: string[], depth: number): Record<string, Preload> {
  const pre: Record<string, Preload> = {};
  for (const k of keys) {
    try {
      const { value: got, tainted } = isolateTaint(() => readAhead(() => ownEntry(o, k)));
      const value = got.found && depth > 0 && isLazy(got.value) ? new Lent(got.value, preloaded(got.value, want, want, depth - 1)) : got.value;
      pre[k] = { found: got.found, ...(got.found ? { value } : {}), ...(tainted ? { tainted: true as const } : {}) };
    } catch {
      /* asked for when read: its error then */
    }
  }
  return pre;
}

/**
 * A lazy mapping (hostvars) sent with what the render may read of it: read without a question, so
 * the render stays pure (its result reused: engine.ts's memo) as long as it reads nothing else.
 */
export class Lent {
  constructor(
    readonly target: object,
    readonly pre: Record<string, Preload>,
    /** Its keys, when every one was sent (iterated without a question). */
    readonly keys?: string[],
  ) {}
}

/** At most this many keys of a lent mapping are all sent (hostvars of a small inventory); a larger one sends the keys among `want` only. */
const LEND_ALL_MAX = 64;
/** At most this many values are read ahead for one lent mapping (its keys times `want` for lazy values): a larger one goes as before, each key asked for when read. */
const LEND_READS_MAX = 1024;

/** `o` lent with its keys among `want` (every key when it has few), their lazy values with theirs; `o` itself when that would read too much ahead. */
export function lend(o: object, want: string[]): Lent | object {
  const names = Object.getOwnPropertyNames(o);
  const all = names.length <= LEND_ALL_MAX;
  const keys = all ? names : want.filter((k) => names.includes(k));
  if (keys.length * (1 + want.length) > LEND_READS_MAX) return o;
  return new Lent(o, preloaded(o, keys, want, 1), all ? Object.keys(o) : undefined);
}

const SIDECAR = () => fromRoot('src', 'jinja', 'sidecar.py');

/** The engine process cannot run: no interpreter, no Jinja2, or it ended before it could serve (lvsplay stops: exit 1). */
export class EngineUnavailable extends RunError {
  constructor(detail: string) {
    super(
      `lvsplay renders templates with Jinja2 3.0 or later in Python 3 on this machine (the controller): ${detail}. ` +
        'Install it: apt-get install python3-jinja2 (Debian/Ubuntu; pip install jinja2 elsewhere), or point LVSPLAY_PYTHON at a python3 that has it.',
    );
    this.name = 'EngineUnavailable';
  }
}

const sleep = new Int32Array(new SharedArrayBuffer(4));
/** Whether process `pid` has ended (a zombie: its exit not yet collected, our event loop being blocked). */
function ended(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) === 'Z';
  } catch {
    return existsSync('/proc/self/stat'); // gone, where /proc can tell
  }
}

/**
 * The engine process. It is spawned at once (asynchronously: its start-up overlaps lvsplay's own);
 * the pipes are opened when first needed (`open`, which waits for the process without ever hanging
 * on one that cannot start) or as soon as it is ready (`whenReady`, without blocking).
 */
export class JinjaProcess {
  readonly child: ChildProcess;
  private w = -1;
  private r = -1;
  private dir: string;
  private raised?: Error;
  private spawnError?: Error;
  constructor(private readonly python: string) {
    this.dir = mkdtempSync(path.join(tmpdir(), 'lvsplay-j2-'));
    this.child = spawn(python, [SIDECAR(), this.fifo('in'), this.fifo('out')], { stdio: ['ignore', 'inherit', 'inherit'] });
    this.child.on('error', (e) => (this.spawnError = e));
    this.child.unref();
  }
  private fifo(name: 'in' | 'out'): string {
    return path.join(this.dir, name);
  }
  /** What keeps the engine from starting, if it has already failed. */
  private failure(): EngineUnavailable | undefined {
    if (this.child.pid === undefined || this.spawnError) return new EngineUnavailable(`${this.python} cannot be run (${this.spawnError?.message ?? 'not found'})`);
    if (this.child.exitCode !== null || ended(this.child.pid)) return new EngineUnavailable(`${this.python} ended before it served (see its message above)`);
    return undefined;
  }
  /** One attempt to open the pipes: false while the engine has not opened its end yet. */
  private tryOpen(): boolean {
    if (this.w >= 0) return true;
    let probe: number;
    try {
      probe = openSync(this.fifo('in'), constants.O_WRONLY | constants.O_NONBLOCK);
    } catch (e) {
      // ENOENT: the engine has not made its FIFOs yet; ENXIO: it has not opened them yet
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== 'ENXIO' && code !== 'ENOENT') throw e;
      const f = this.failure();
      if (f) throw f;
      return false;
    }
    // the engine is reading: a blocking descriptor opens at once; then its answers' pipe
    this.w = openSync(this.fifo('in'), 'w');
    closeSync(probe);
    this.r = openSync(this.fifo('out'), 'r');
    return true;
  }
  /** Opens the pipes, waiting (blocked) for the engine to start. Throws EngineUnavailable. */
  open(): void {
    while (!this.tryOpen()) Atomics.wait(sleep, 0, 0, 2);
  }
  /** Resolves once the pipes are open, without blocking lvsplay meanwhile. */
  async whenReady(): Promise<void> {
    while (!this.tryOpen()) await new Promise((r) => setTimeout(r, 2));
  }
  /** Whether the last request answered read only its text and the variables sent with it (no question asked back, no time or randomness). */
  pure = false;
  /** Whether the last request answered was pure and called no plugin of ansible-core or a collection: its result may be kept between runs. */
  kept = false;
  /** The names a template file's render reads, when the last request rendered one without its variables. */
  names?: string[];
  /** Whether the last request answered read a variable sent with it marked as host data (`tainted`). */
  tainted = false;
  /** The last request's renders aside (its `also`): each one's result, or null. */
  also: ({ value: unknown; tainted: boolean; kept?: boolean } | null)[] = [];
  /** Objects lent to the engine by reference (lazy mappings such as hostvars), for the outermost request. */
  private refs: object[] = [];
  private depth = 0;
  private send(o: unknown): void {
    // a lazy mapping (a class instance whose getters render on access) goes by reference: the engine asks per key;
    // a float with a whole value as one (JSON's 2.0 would be read as the int 2)
    const body = Buffer.from(
      JSON.stringify(o, (k, v: unknown) => {
        if (v instanceof Lent) return { __lvs_ref: this.refs.push(v.target) - 1, pre: v.pre, ...(v.keys ? { keys: v.keys } : {}) };
        return isLazy(v) ? { __lvs_ref: this.refs.push(v) - 1 } : floatTagged(k, v);
      }),
    );
    const head = Buffer.alloc(4);
    head.writeUInt32BE(body.length);
    writeSync(this.w, Buffer.concat([head, body]));
    this.timing.frames++;
  }
  private read(n: number): Buffer {
    const b = Buffer.alloc(n);
    let off = 0;
    while (off < n) {
      const got = readSync(this.r, b, off, n - off, null);
      if (got === 0) throw new Error('the Jinja2 engine process ended');
      off += got;
    }
    return b;
  }
  private recv(): Record<string, unknown> {
    this.timing.frames++;
    const n = this.read(4).readUInt32BE(0);
    return JSON.parse(this.read(n).toString(), (_k, v: unknown) => {
      if (v === null || typeof v !== 'object') return v;
      if (typeof (v as { __lvs_ref?: unknown }).__lvs_ref === 'number') return this.refs[(v as { __lvs_ref: number }).__lvs_ref];
      return floatFromTag(v);
    }) as Record<string, unknown>;
  }
  /** Installs lvsplay's filters, tests and globals; the engine's fingerprint (src/jinja/kept.ts). */
  setup(names: { filters: string[]; tests: string[]; globals: string[] }): string {
    const got = this.request({ op: 'setup', ...names }, () => undefined) as { engine?: unknown } | null;
    return typeof got?.engine === 'string' ? got.engine : '';
  }
  /**
   * One request; while it runs the engine asks back (variables, filters, ...) and `answer` may
   * itself make nested requests (a lazy variable's own template): frames stay strictly nested.
   */
  request(req: Record<string, unknown>, answer: Answer): unknown {
    if (this.depth === 0) this.collect();
    const t0 = timingOn && this.depth === 0 ? performance.now() : 0;
    this.depth++;
    try {
      return this.exchange(req, answer);
    } finally {
      if (--this.depth === 0) {
        this.refs = [];
        if (t0) this.timing.ms += performance.now() - t0;
        if (TRACE) process.stderr.write(`[j2] ${(performance.now() - t0).toFixed(2)} ms\n`);
      }
    }
  }
  /** What to do with the answer of the request posted and not read yet (`post`). */
  private posted?: (value: unknown) => void;
  /**
   * Sends a request whose answer is read later (`collect`, or first thing at the next request): the
   * engine works on it while lvsplay goes on. Only for a request the engine answers in one frame,
   * asking nothing back; one at a time (one still unread is read first). False when it cannot be
   * sent now (the pipes are not open, or a request is in progress).
   */
  post(req: Record<string, unknown>, done: (value: unknown) => void): boolean {
    if (this.depth !== 0 || this.w < 0) return false;
    this.collect();
    this.timing.requests++;
    if (TRACE) process.stderr.write(`[j2] posted ${String(req.op)}\n`);
    this.send(req);
    this.refs = [];
    this.posted = done;
    return true;
  }
  /** Reads the answer of the request posted, if any (waiting for the engine to finish it); a failed one gives `done` undefined. */
  collect(): void {
    const done = this.posted;
    if (!done) return;
    this.posted = undefined;
    const m = this.recv();
    if (m.op === 'fatal') throw new EngineUnavailable(String(m.msg));
    done(m.op === 'done' ? m.value : undefined);
  }
  /** LVSPLAY_TIMING: the requests made, the frames exchanged, the time lvsplay spent in them, and in answering the questions of the outermost ones (nested requests included). */
  private timing = { requests: 0, frames: 0, ms: 0, answers: 0 };
  private exchange(req: Record<string, unknown>, answer: Answer): unknown {
    this.timing.requests++;
    if (TRACE && this.depth === 1) process.stderr.write(`[j2] ${String(req.op)}${req.vars ? ' +vars' : ''} ${JSON.stringify(String(req.src ?? '').slice(0, 100))}\n`);
    try {
      this.send(req);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EPIPE') throw e;
      // the engine ended before reading (it could not start): its last frame says why, if it wrote one
      let m: Record<string, unknown> | undefined;
      try {
        m = this.recv();
      } catch {
        /* nothing left in the pipe */
      }
      throw new EngineUnavailable(m?.op === 'fatal' ? String(m.msg) : `${this.python} ended before it served (see its message above)`);
    }
    for (;;) {
      const m = this.recv();
      if (m.op === 'done') {
        this.pure = m.pure === true;
        this.kept = m.kept === true;
        this.names = Array.isArray(m.names) ? (m.names as string[]) : undefined;
        this.tainted = m.tainted === true;
        this.also = Array.isArray(m.also) ? (m.also as typeof this.also) : [];
        return m.value;
      }
      if (m.op === 'error' && m.kind === 'lvsplay' && this.raised) {
        const e = this.raised;
        this.raised = undefined;
        throw e;
      }
      if (m.op === 'error') throw engineError(m);
      if (m.op === 'fatal') throw new EngineUnavailable(String(m.msg));
      if (TRACE) process.stderr.write(`[j2]   asks ${String(m.op)} ${String(m.name ?? '')}${Array.isArray(m.names) ? ` ${(m.names as string[]).join(',')}` : ''}\n`);
      let reply: unknown;
      const ta = timingOn ? performance.now() : 0;
      try {
        reply = { value: m.op === 'get' || m.op === 'keys' ? this.refAccess(m) : answer(m as unknown as Ask) };
      } catch (e) {
        this.raised = e as Error; // rethrown as is when the engine gives up on the request
        reply = { error: (e as Error).message };
      }
      if (ta && this.depth === 1) this.timing.answers += performance.now() - ta;
      this.send(reply);
    }
  }
  private refAccess(m: Record<string, unknown>): unknown {
    const o = this.refs[m.ref as number] as Record<string, unknown>;
    if (m.op === 'keys') return Object.keys(o);
    const got: { found: boolean; value?: unknown; pre?: Record<string, unknown> } = ownEntry(o, String(m.key));
    if (got.found && isLazy(got.value) && Array.isArray(m.want)) got.pre = preloaded(got.value, m.want as string[], [], 0);
    return got;
  }
  close(): void {
    if (timingOn) mark(`template engine: ${this.timing.requests} requests, ${this.timing.frames} frames, ${this.timing.ms.toFixed(1)} ms in requests (${this.timing.answers.toFixed(1)} ms of it lvsplay answering)`);
    // the engine keeps what this run compiled for the next (src/jinja/j2cache.py); not in the middle
    // of a request (lvsplay ending from inside an answer): the engine waits for that answer
    if (this.w >= 0 && this.depth === 0 && !this.child.killed && this.child.exitCode === null) {
      try {
        this.request({ op: 'save' }, () => undefined);
      } catch {
        /* a cache only */
      }
    }
    if (this.w >= 0) closeSync(this.w);
    if (this.r >= 0) closeSync(this.r);
    this.child.kill();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
