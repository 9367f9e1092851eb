// Bounded concurrency (--forks) and the per-run connection cache.
import type { Connection, Vars } from '../types.js';
import type { ConnectOpts, RunDeps } from './deps.js';

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

/** One connection per host (and connection kind and user) for the whole run, opened at first use. */
export class Connections {
  private conns = new Map<string, { conn: Connection; ready: Promise<void> }>();
  /** Execs of connections already closed, per host (the recap reports them per host). */
  private closedExecs = new Map<string, number>();

  constructor(private readonly deps: RunDeps, private readonly opts: ConnectOpts) {}

  async get(host: string, vars: Vars): Promise<Connection> {
    const key = `${host}\u0000${String(vars.ansible_connection ?? 'ssh')}\u0000${String(vars.ansible_user ?? vars.ansible_ssh_user ?? '')}`;
    let c = this.conns.get(key);
    if (!c) {
      const conn = this.deps.createConnection(host, vars, this.opts);
      c = { conn, ready: conn.connect() };
      this.conns.set(key, c);
      c.ready.catch(() => this.conns.delete(key));
    }
    await c.ready;
    return c.conn;
  }

  async drop(host: string): Promise<void> {
    for (const [k, c] of this.conns) {
      if (k.startsWith(`${host}\u0000`)) {
        this.conns.delete(k);
        this.closedExecs.set(host, (this.closedExecs.get(host) ?? 0) + c.conn.execCount);
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
      const host = k.slice(0, k.indexOf('\u0000'));
      out[host] = (out[host] ?? 0) + c.conn.execCount;
    }
    return out;
  }

  async closeAll(): Promise<void> {
    for (const [k, c] of this.conns) {
      const host = k.slice(0, k.indexOf('\u0000'));
      this.closedExecs.set(host, (this.closedExecs.get(host) ?? 0) + c.conn.execCount);
    }
    const all = [...this.conns.values()];
    this.conns.clear();
    await Promise.all(all.map((c) => c.conn.close().catch(() => undefined)));
  }
}
