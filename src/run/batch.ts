// Probe coalescing: read-only probes issued on one host's connection in the same tick (the
// items of a loop planned together, a module probing several things at once) go out as ONE exec
// channel: each command runs in its own subshell with stdin from /dev/null, and a marker line
// with its exit status follows its output on stdout (and a marker on stderr), so every caller
// gets exactly its own stdout, stderr and rc. Probes with stdin, or with a different become, are
// not merged. A lone probe is sent as is.
import { randomBytes } from 'node:crypto';
import type { BecomeSpec, Connection, ExecResult } from '../types.js';
import { q } from '../shell.js';

interface Pending {
  command: string;
  become?: BecomeSpec;
  resolve(r: ExecResult): void;
  reject(e: unknown): void;
}

const batchers = new WeakMap<Connection, ProbeBatcher>();

export function batcherFor(conn: Connection): ProbeBatcher {
  let b = batchers.get(conn);
  if (!b) batchers.set(conn, (b = new ProbeBatcher(conn)));
  return b;
}

const becomeKey = (b?: BecomeSpec): string => (b ? `${b.method ?? 'sudo'}\u0000${b.user}\u0000${b.password ?? ''}` : '');

/** The combined script and the parser of its output (exported for tests). */
export function batchScript(commands: string[], tag: string): string {
  return commands
    .map((c, i) => `( eval ${q(c)} ) </dev/null; __lvs_rc=$?; printf '\\n${tag} ${i} %d\\n' "$__lvs_rc"; printf '\\n${tag} ${i}\\n' >&2`)
    .join('\n');
}

export function splitBatch(out: ExecResult, n: number, tag: string): (ExecResult | undefined)[] {
  const res: (ExecResult | undefined)[] = [];
  let o = 0;
  let e = 0;
  for (let i = 0; i < n; i++) {
    const om = `\n${tag} ${i} `;
    const oi = out.stdout.indexOf(om, o);
    const em = `\n${tag} ${i}\n`;
    const ei = out.stderr.indexOf(em, e);
    if (oi === -1 || ei === -1) {
      res.push(undefined);
      continue;
    }
    const eol = out.stdout.indexOf('\n', oi + om.length);
    const rc = Number(out.stdout.slice(oi + om.length, eol === -1 ? undefined : eol));
    res.push({ stdout: out.stdout.slice(o, oi), stderr: out.stderr.slice(e, ei), rc: Number.isInteger(rc) ? rc : 255 });
    o = eol === -1 ? out.stdout.length : eol + 1;
    e = ei + em.length;
  }
  return res;
}

export class ProbeBatcher {
  private queue: Pending[] = [];
  private scheduled = false;

  constructor(private readonly conn: Connection) {}

  exec(command: string, opts: { stdin?: string | Buffer; become?: BecomeSpec } = {}): Promise<ExecResult> {
    if (opts.stdin !== undefined) return this.conn.exec(command, opts);
    return new Promise<ExecResult>((resolve, reject) => {
      this.queue.push({ command, become: opts.become, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    const q0 = this.queue;
    this.queue = [];
    this.scheduled = false;
    const groups = new Map<string, Pending[]>();
    for (const p of q0) {
      const k = becomeKey(p.become);
      const g = groups.get(k);
      if (g) g.push(p);
      else groups.set(k, [p]);
    }
    for (const g of groups.values()) void this.send(g);
  }

  private async send(g: Pending[]): Promise<void> {
    const become = g[0].become;
    if (g.length === 1) {
      this.conn.exec(g[0].command, { become }).then(g[0].resolve, g[0].reject);
      return;
    }
    const tag = `@@lvsplay-batch-${randomBytes(6).toString('hex')}`;
    let out: ExecResult;
    try {
      out = await this.conn.exec(batchScript(g.map((p) => p.command), tag), { become });
    } catch (e) {
      for (const p of g) p.reject(e);
      return;
    }
    const parts = splitBatch(out, g.length, tag);
    parts.forEach((r, i) => {
      // A command whose marker is missing (the batch was killed): run it on its own.
      if (r) g[i].resolve(r);
      else this.conn.exec(g[i].command, { become }).then(g[i].resolve, g[i].reject);
    });
  }
}
