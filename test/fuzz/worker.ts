// The fuzzer's worker (forked by test/fuzz/driver.ts): runs cases [from, to) of a seed in this one
// process against a copy of the shipped playbook, roles and inventory, with the CLI's own entry
// points called in-process. For each case it sends {start} then {done} over IPC; the driver's
// watchdog kills it when a case takes too long. Usage: fork(worker.js, [seed, from, to]).
import { cpSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkMain } from '../../src/lint/cli.js';
import { playbookMain } from '../../src/run/cli-main.js';
import { mutate, rng } from './cases.js';

export interface CaseStart {
  kind: 'start';
  index: number;
  file: string;
  what: string;
}
export interface CaseDone {
  kind: 'done';
  index: number;
  ms: number;
  rc: number;
  output: string;
  threw?: string;
}

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? filesUnder(p) : [p];
  });
}

/** Run `fn` with process.stdout/stderr captured (the CLI writes there). */
async function captured(fn: () => Promise<number>): Promise<{ rc: number; output: string; threw?: string }> {
  let output = '';
  const out = process.stdout.write.bind(process.stdout);
  const err = process.stderr.write.bind(process.stderr);
  const sink = (chunk: string | Uint8Array, ...rest: unknown[]): boolean => {
    output += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString();
    const cb = rest.find((x) => typeof x === 'function') as (() => void) | undefined;
    cb?.();
    return true;
  };
  process.stdout.write = sink as typeof process.stdout.write;
  process.stderr.write = sink as typeof process.stderr.write;
  try {
    return { rc: await fn(), output };
  } catch (e) {
    return { rc: 250, output, threw: (e as Error)?.stack ?? String(e) };
  } finally {
    process.stdout.write = out;
    process.stderr.write = err;
  }
}

async function main(): Promise<void> {
  const [seed, from, to] = process.argv.slice(2).map(Number);
  const work = mkdtempSync(join(tmpdir(), 'lvsplay-fuzz-'));
  cpSync(join(REPO, 'playbooks'), join(work, 'playbooks'), { recursive: true, dereference: true });
  const base = join(work, 'playbooks');
  const files = filesUnder(base).sort();
  const originals = new Map(files.map((f) => [f, readFileSync(f, 'utf8')]));
  process.chdir(base);
  const send = (m: CaseStart | CaseDone) => new Promise<void>((res) => process.send!(m, () => res()));
  for (let index = from; index < to; index++) {
    const r = rng(seed * 100_003 + index);
    const file = files[Math.floor(r() * files.length)];
    const m = mutate(r, originals.get(file)!);
    const rel = relative(base, file);
    await send({ kind: 'start', index, file: rel, what: m.what });
    writeFileSync(file, m.text);
    const t0 = performance.now();
    const res = await captured(() =>
      file.endsWith('.j2')
        ? checkMain(['-q', '-i', 'inventory/notes.ini', 'site.yml'])
        : playbookMain(['-i', 'inventory/notes.ini', '--list-hosts', '--list-tasks', 'site.yml'], '0.0.0-fuzz'),
    );
    const ms = performance.now() - t0;
    writeFileSync(file, originals.get(file)!);
    await send({ kind: 'done', index, ms, rc: res.rc, output: res.output.slice(0, 4000), threw: res.threw });
  }
  process.disconnect?.();
}

void main();
