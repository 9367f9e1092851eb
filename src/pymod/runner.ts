// The controller side of Ansible's Python modules (src/pymod/ansiballz.py): one helper process per
// lvsplay run, started when the run's library offers such a module, asked to build the payload of
// each call (ansible-core's own AnsiballZ builder). Requests are asynchronous (a module's plan is).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { createInterface } from 'node:readline';
import { fromRoot } from '../paths.js';
import { floatTagged } from '../vars/pyfloat.js';

export interface Payload {
  data: Buffer;
  /** modify_module's module_style: 'new' (AnsiballZ, run by python), 'old' (k=v args file), 'non_native_want_json', 'binary' (JSON args file). */
  style: string;
  shebang: string | null;
}

export interface BuildRequest {
  name: string;
  path: string;
  args: Record<string, unknown>;
  interpreter?: string;
  moduleUtils?: string[];
}

/** What ansible-core on the controller puts in every module's arguments (its version, constants). */
export interface BuilderInfo {
  version: string;
  defaults: Record<string, unknown>;
  python: string;
}

/** Where ansible-core finds a module name lvsplay does not have, and whether an action plugin of Ansible's own runs it. */
export interface Resolved {
  path: string;
  fqcn: string;
  action: boolean;
  /** The argument names (and aliases) it documents; null when its documentation does not read. */
  options: string[] | null;
}

interface Pending {
  resolve: (p: Payload) => void;
  reject: (e: Error) => void;
  names?: (r: Record<string, Resolved | null>) => void;
}

/** ansible-core's builder could not be used: why (the interpreters tried and what each said). */
export class NoAnsibleCore extends Error {}

class Builder {
  private next = 1;
  private pending = new Map<number, Pending>();
  private ended?: Error;

  constructor(
    private readonly child: ChildProcess,
    readonly info: BuilderInfo,
    lines: ReturnType<typeof createInterface>,
  ) {
    lines.on('line', (line: string) => this.answer(line));
    this.hold(false);
    child.on('close', () => this.fail(new Error(`the ansible-core helper (${info.python}) ended`)));
    child.stdin!.on('error', (e) => this.fail(e));
  }

  private answer(line: string): void {
    let m: { id?: number; data?: string; style?: string; shebang?: string | null; error?: string; cls?: string; resolved?: Record<string, Resolved | null> };
    try {
      m = JSON.parse(line) as typeof m;
    } catch {
      return;
    }
    const p = m.id !== undefined ? this.pending.get(m.id) : undefined;
    if (!p) return;
    this.pending.delete(m.id!);
    if (!this.pending.size) this.hold(false);
    if (m.resolved) p.names?.(m.resolved);
    else if (m.error !== undefined) p.reject(Object.assign(new Error(m.error), { cls: m.cls }));
    else p.resolve({ data: Buffer.from(m.data ?? '', 'base64'), style: String(m.style), shebang: m.shebang ?? null });
  }

  /** The helper keeps lvsplay's event loop alive only while a build is pending (a library user's process can end). */
  private hold(on: boolean): void {
    const streams = [this.child.stdout, this.child.stdin] as unknown as { ref?(): void; unref?(): void }[];
    if (on) {
      this.child.ref();
      for (const s of streams) s?.ref?.();
    } else {
      this.child.unref();
      for (const s of streams) s?.unref?.();
    }
  }

  private fail(e: Error): void {
    this.ended ??= e;
    for (const p of this.pending.values()) p.reject(e);
    this.pending.clear();
  }

  build(req: BuildRequest): Promise<Payload> {
    if (this.ended) return Promise.reject(this.ended);
    const id = this.next++;
    return new Promise<Payload>((resolve, reject) => {
      if (!this.pending.size) this.hold(true);
      this.pending.set(id, { resolve, reject });
      this.child.stdin!.write(JSON.stringify({ id, name: req.name, path: req.path, args: req.args, interpreter: req.interpreter, module_utils: req.moduleUtils ?? [] }, floatTagged) + '\n');
    });
  }

  /** Where ansible-core finds each of these module names (null: nowhere); short names also in `collections` (a task's keyword). */
  resolveNames(names: string[], collections?: string[]): Promise<Record<string, Resolved | null>> {
    if (this.ended) return Promise.reject(this.ended);
    const id = this.next++;
    return new Promise((done, reject) => {
      if (!this.pending.size) this.hold(true);
      this.pending.set(id, { resolve: () => undefined, reject, names: done });
      this.child.stdin!.write(JSON.stringify({ id, resolve: names, collections }) + '\n');
    });
  }

  close(): void {
    this.child.stdin?.end();
  }
}

/** The interpreters that may have ansible-core: LVSPLAY_ANSIBLE_PYTHON alone when set, else LVSPLAY_PYTHON, the system's python3, python3 on PATH, the one the `ansible` command runs with. */
function candidates(): string[] {
  if (process.env.LVSPLAY_ANSIBLE_PYTHON) return [process.env.LVSPLAY_ANSIBLE_PYTHON]; // this one only
  const out: string[] = [];
  if (process.env.LVSPLAY_PYTHON) out.push(process.env.LVSPLAY_PYTHON);
  if (existsSync('/usr/bin/python3')) out.push('/usr/bin/python3');
  out.push('python3');
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const exe = dir && path.join(dir, 'ansible');
    if (!exe || !existsSync(exe)) continue;
    try {
      const first = readFileSync(exe, 'utf8').slice(0, 300).split('\n')[0];
      const m = /^#!\s*(\S+)(?:\s+(\S+))?/.exec(first);
      if (m) out.push(path.basename(m[1]) === 'env' && m[2] ? m[2] : m[1]);
    } catch {
      // unreadable: not a candidate
    }
    break;
  }
  return [...new Set(out)];
}

let started: Promise<Builder> | undefined;
let localTmp: string | undefined;

async function startOne(python: string): Promise<Builder> {
  localTmp ??= mkdtempSync(path.join(tmpdir(), 'lvsplay-ansiballz-'));
  // ansible-core keeps its built payloads under ANSIBLE_LOCAL_TEMP: a private directory, removed at exit
  const child = spawn(python, [fromRoot('src', 'pymod', 'ansiballz.py')], {
    stdio: ['pipe', 'pipe', 'inherit'],
    env: { ...process.env, ANSIBLE_LOCAL_TEMP: localTmp, PYTHONDONTWRITEBYTECODE: '1' },
  });
  const rl = createInterface({ input: child.stdout! });
  const first = await new Promise<string>((resolve, reject) => {
    child.once('error', (e) => reject(new NoAnsibleCore(`${python}: ${e.message}`)));
    child.once('close', (code) => reject(new NoAnsibleCore(`${python} ended (exit ${code})`)));
    rl.once('line', resolve);
  });
  const m = JSON.parse(first) as { ready?: boolean; fatal?: string; version?: string; defaults?: Record<string, unknown> };
  if (!m.ready) {
    child.stdin!.end();
    throw new NoAnsibleCore(`${python}: ${m.fatal ?? 'no answer'}`);
  }
  child.removeAllListeners('close');
  child.removeAllListeners('error');
  child.on('error', () => undefined);
  return new Builder(child, { version: String(m.version), defaults: m.defaults ?? {}, python }, rl);
}

/** The helper process of this run (started on first call); NoAnsibleCore when no interpreter has ansible-core. */
export function ansibleCore(): Promise<Builder> {
  started ??= (async () => {
    const why: string[] = [];
    for (const py of candidates()) {
      try {
        const b = await startOne(py);
        process.once('exit', () => b.close());
        return b;
      } catch (e) {
        why.push((e as Error).message);
      }
    }
    throw new NoAnsibleCore(why.join('; '));
  })();
  return started;
}

process.once('exit', () => {
  if (localTmp) rmSync(localTmp, { recursive: true, force: true });
});

let missing: string | undefined;
/** Why ansible-core could not be used (the load refuses Ansible modules then, with this reason). */
export function noteCoreMissing(why: string): void {
  missing = why;
}
export function coreMissing(): string | undefined {
  return missing;
}

/** For tests: whether some interpreter here has ansible-core (synchronously, without the helper). */
export function hasAnsibleCore(): boolean {
  return candidates().some((py) => spawnSync(py, ['-c', 'import ansible.executor.module_common'], { stdio: 'ignore' }).status === 0);
}
