// Bounded concurrency (--forks) and the per-run connection cache.
import { isTemplate } from '../vars/unsafe.js';
import { createHash } from 'node:crypto';
import type { Connection, Vars } from '../types.js';
import type { ConnectOpts, RunDeps } from './deps.js';
import { CONN_VARS } from '../connection/vars.js';
import type { LockOutcome } from './hostlock.js';

/** Run fn over items with at most `limit` at once; results in input order. */
export async function mapLimit<T, R>(items: T[], limit: number, fn: (item: T, i: number) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return out;
}

function plain(v: unknown): unknown {
  if (v && typeof v === 'object' && typeof (v as { reveal?: unknown }).reveal === 'function') return plain((v as { reveal(): unknown }).reveal());
  return v === undefined || v === null ? null : String(v);
}

/** The pool key: host first (drop/execsPerHost rely on it), then a digest of every connection variable (secrets never kept in clear). */
export function connKey(host: string, vars: Vars): string {
  const vals = CONN_VARS.map((k) => plain(vars[k]));
  return `${host}\u0000${createHash('sha256').update(JSON.stringify(vals)).digest('hex')}`;
}

/** True when a connection variable still holds a template (prewarm must not guess its value). */
export function hasTemplatedConnVar(vars: Vars): boolean {
  return CONN_VARS.some((k) => {
    const v = plain(vars[k]);
    return isTemplate(v);
  });
}

interface Entry {
  conn: Connection;
  ready: Promise<void>;
  /** Handed out by get() at least once (a prewarmed connection never used counts no execs). */
  used: boolean;
}

/** One connection per host and connection settings for the whole run, opened at first use (or prewarmed). */
export class Connections {
  private conns = new Map<string, Entry>();
  /** Execs of connections already closed, per host (the recap reports them per host). */
  private closedExecs = new Map<string, number>();
  private closed = false;

  constructor(private readonly deps: RunDeps, private readonly opts: ConnectOpts) {}

  private open(key: string, host: string, vars: Vars, used: boolean): Entry {
    const conn = this.deps.createConnection(host, vars, this.opts);
    const c: Entry = { conn, ready: conn.connect(), used };
    c.ready.catch(() => undefined); // the failure is reported by the first get() that awaits it
    this.conns.set(key, c);
    return c;
  }

  async get(host: string, vars: Vars): Promise<Connection> {
    const key = connKey(host, vars);
    let c = this.conns.get(key);
    if (!c) c = this.open(key, host, vars, true);
    c.used = true;
    try {
      await c.ready;
    } catch (e) {
      if (this.conns.get(key) === c) this.conns.delete(key);
      throw e;
    }
    return c.conn;
  }

  /**
   * Start connecting in the background (a later play's host); resolves when the attempt ends, never
   * rejects. A failure stays in the pool until the first get() for the same key, which rejects
   * with it (one attempt, one timeout, the usual unreachable message).
   */
  async prewarm(host: string, vars: Vars): Promise<void> {
    if (this.closed) return;
    const key = connKey(host, vars);
    if (this.conns.has(key)) return;
    let c: Entry;
    try {
      c = this.open(key, host, vars, false);
    } catch {
      return; // createConnection refused the settings: the real get() reports it
    }
    await c.ready.catch(() => undefined);
  }

  /** Per-host locks this run holds (src/run/hostlock.ts), by inventory name: taken once, on the first connection that changes the host. */
  private readonly locks = new Map<string, Promise<LockOutcome>>();

  hostLock(host: string, take: () => Promise<LockOutcome>): Promise<LockOutcome> {
    let l = this.locks.get(host);
    if (!l) {
      l = take();
      this.locks.set(host, l);
    }
    return l;
  }

  async drop(host: string): Promise<void> {
    this.locks.delete(host); // its connection goes: the lock goes with it
    for (const [k, c] of this.conns) {
      if (k.startsWith(`${host}\u0000`)) {
        this.conns.delete(k);
        if (c.used) this.closedExecs.set(host, (this.closedExecs.get(host) ?? 0) + c.conn.execCount);
        await c.conn.close().catch(() => undefined);
      }
    }
  }

  execCount(): number {
    let n = 0;
    for (const c of this.conns.values()) n += c.conn.execCount;
    return n;
  }

  /** Exec channels opened per host so far (closed connections included). */
  execsPerHost(): Record<string, number> {
    const out: Record<string, number> = Object.fromEntries(this.closedExecs);
    for (const [k, c] of this.conns) {
      if (!c.used) continue;
      const host = k.slice(0, k.indexOf('\u0000'));
      out[host] = (out[host] ?? 0) + c.conn.execCount;
    }
    return out;
  }

  async closeAll(): Promise<void> {
    this.closed = true;
    for (const [k, c] of this.conns) {
      if (!c.used) continue;
      const host = k.slice(0, k.indexOf('\u0000'));
      this.closedExecs.set(host, (this.closedExecs.get(host) ?? 0) + c.conn.execCount);
    }
    const all = [...this.conns.values()];
    this.conns.clear();
    await Promise.all(all.map((c) => c.conn.close().catch(() => undefined)));
  }
}
