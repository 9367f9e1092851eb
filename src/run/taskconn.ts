// What a task's keywords change about the commands it runs: `environment` (exported variables
// prefixed to every command: probes and the plan's one script) and `timeout` (each exec is killed
// after it). The module code does not know: it gets a connection that does it.
import type { Connection, ExecOptions, ExecResult, Vars } from '../types.js';
import { ConfigError, type Pos } from '../errors.js';
import { q } from '../shell.js';
import { pyStr } from '../vars/pystr.js';
import type { TemplarLike } from './deps.js';

const NAME_RE = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** The environment of a task on a host: play, blocks/includes, then the task, each rendered with the host's variables; inner wins. */
export function taskEnvironment(templar: TemplarLike, layers: (Vars | string)[], v: Vars, pos: Pos): Record<string, string> {
  const out: Record<string, string> = {};
  for (const layer of layers) {
    const r = templar.render(layer, v, pos);
    if (r === null || r === undefined || r === '') continue;
    if (typeof r !== 'object' || Array.isArray(r)) throw new ConfigError(`environment must be a mapping of variable names to values, got ${JSON.stringify(r)}`, pos);
    for (const [k, val] of Object.entries(r as Vars)) {
      if (!NAME_RE.test(k)) throw new ConfigError(`environment: '${k}' is not a valid environment variable name`, pos);
      out[k] = val === null || val === undefined ? '' : pyStr(val);
    }
  }
  return out;
}

/** `export K='v' ...` followed by a newline (empty when there is nothing to export). */
export function exportLine(env: Record<string, string>): string {
  const keys = Object.keys(env);
  return keys.length ? `export ${keys.map((k) => `${k}=${q(env[k])}`).join(' ')}\n` : '';
}

class TaskConnection implements Connection {
  constructor(
    private readonly inner: Connection,
    private readonly prefix: string,
    private readonly timeoutMs: number | undefined,
  ) {}
  get host(): string {
    return this.inner.host;
  }
  get address(): string {
    return this.inner.address;
  }
  get execCount(): number {
    return this.inner.execCount;
  }
  connect(): Promise<void> {
    return this.inner.connect();
  }
  exec(command: string, opts: ExecOptions = {}): Promise<ExecResult> {
    return this.inner.exec(this.prefix + command, this.timeoutMs && !opts.timeoutMs ? { ...opts, timeoutMs: this.timeoutMs } : opts);
  }
  async close(): Promise<void> {
    // the run's connection pool owns the real connection
  }
}

// One wrapper per connection and settings, so probes of one tick still share the probe batcher.
const wrappers = new WeakMap<Connection, Map<string, Connection>>();

/** The connection as the task sees it (the connection itself when the task changes nothing). */
export function taskConnection(conn: Connection, env: Record<string, string>, timeoutSec?: number): Connection {
  const prefix = exportLine(env);
  const timeoutMs = timeoutSec ? timeoutSec * 1000 : undefined;
  if (!prefix && !timeoutMs) return conn;
  let m = wrappers.get(conn);
  if (!m) wrappers.set(conn, (m = new Map()));
  const key = `${timeoutMs ?? ''}\u0000${prefix}`;
  let w = m.get(key);
  if (!w) m.set(key, (w = new TaskConnection(conn, prefix, timeoutMs)));
  return w;
}
