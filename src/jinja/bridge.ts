// A synchronous bridge to the Jinja2 engine process (src/jinja/sidecar.py): two FIFOs in a private
// temp dir, length-prefixed JSON frames, blocking reads on the controller's thread (Templar calls
// are synchronous). While a render is in progress the engine asks back for variables, filters,
// tests and globals; `answer` serves those from lvsplay's own data.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

export interface Ask {
  op: 'var' | 'filter' | 'test' | 'global';
  name: string;
  v?: unknown;
  a?: unknown[];
  kw?: Record<string, unknown>;
}
export type Answer = (q: Ask) => unknown;

const SIDECAR = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../../src/jinja/sidecar.py');

export class JinjaProcess {
  private child: ChildProcess;
  private w: number;
  private r: number;
  private dir: string;
  constructor(python = process.env.LVSPLAY_PYTHON ?? 'python3') {
    this.dir = mkdtempSync(path.join(tmpdir(), 'lvsplay-j2-'));
    const inp = path.join(this.dir, 'in');
    const out = path.join(this.dir, 'out');
    execFileSync('mkfifo', ['-m', '600', inp, out]);
    this.child = spawn(python, [SIDECAR, inp, out], { stdio: ['ignore', 'inherit', 'inherit'] });
    this.child.unref();
    this.w = openSync(inp, 'w');
    this.r = openSync(out, 'r');
  }
  private send(o: unknown): void {
    const body = Buffer.from(JSON.stringify(o));
    const head = Buffer.alloc(4);
    head.writeUInt32BE(body.length);
    writeSync(this.w, Buffer.concat([head, body]));
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
    const n = this.read(4).readUInt32BE(0);
    return JSON.parse(this.read(n).toString()) as Record<string, unknown>;
  }
  setup(names: { filters: string[]; tests: string[]; globals: string[] }): void {
    this.send({ op: 'setup', ...names });
    this.recv();
  }
  /** Renders `src` as a task argument; questions from the engine go to `answer`. */
  render(src: string, answer: Answer): unknown {
    this.send({ op: 'render', src });
    for (;;) {
      const m = this.recv();
      if (m.op === 'done') return m.value;
      if (m.op === 'error') throw new Error(`${String(m.kind)}: ${String(m.msg)}`);
      let reply: unknown;
      try {
        reply = { value: answer(m as unknown as Ask) };
      } catch (e) {
        reply = { error: (e as Error).message };
      }
      this.send(reply);
    }
  }
  close(): void {
    closeSync(this.w);
    closeSync(this.r);
    this.child.kill();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
