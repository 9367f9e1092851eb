// Differential harness: the same playbook run by ansible-playbook 2.14 and by lvsplay with
// `connection: local`, each in its own scratch directory (passed as the variable `work`), twice
// by default; returns each tool's per-task results (paths of the scratch directory replaced by
// WORK), recap counts per run and a snapshot of the files left in the scratch directory.
import { skipWithoutAnsible as skipUnless } from '../helpers/ansible.js';
import { execFile } from 'node:child_process';
import { lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';

/** The bundled CLI (LVSPLAY_TEST_CLI: another build, as in oracle.ts). */
const CLI = process.env.LVSPLAY_TEST_CLI ?? fileURLToPath(new URL('../../cli/lvsplay.js', import.meta.url));

export type Result = Record<string, unknown>;
export interface Counts {
  ok: number;
  changed: number;
  failed: number;
  skipped: number;
}
export interface ToolRun {
  rc: number;
  /** Result of each task by task name (the last result of a name wins; loops: the aggregate). */
  tasks: Map<string, Result>;
  counts: Counts;
  output: string;
}
export interface FileEntry {
  type: 'file' | 'directory' | 'link';
  mode: string;
  content?: string;
  target?: string;
}
export interface ToolOutcome {
  runs: ToolRun[];
  files: Record<string, FileEntry>;
  work: string;
}
export interface Differential {
  ansible: ToolOutcome;
  lvsplay: ToolOutcome;
}
export interface DiffOpts {
  runs?: number;
  /** Prepare the scratch directory (called once per tool, before the first run). */
  setup?: (work: string) => void;
  /** Put files beside the playbook (e.g. a library/ of modules), per tool: called with the playbook's directory. */
  beside?: (dir: string, tool: 'ansible' | 'lvsplay') => void;
  /** Extra command-line arguments for both tools (e.g. ['--check', '--diff']). */
  args?: string[];
  /** Extra arguments per run index (e.g. check mode on the first run only). */
  runArgs?: (i: number) => string[];
  keep?: boolean;
  /** Run ansible first, then lvsplay (for playbooks that change shared host state, e.g. groups). */
  sequential?: boolean;
  /** Extra environment for both tools (e.g. PATH with a stub program). */
  env?: NodeJS.ProcessEnv;
  /** A command both tools run under, given the scratch directory (e.g. `unshare --uts --mount sh -c '... exec "$@"' sh`): the tool's command line is appended. */
  prefix?: (work: string) => string[];
  /** Paths (relative to the scratch directory) left out of the file snapshot, e.g. /(^|\/)\.git(\/|$)/ for git's internals. */
  ignore?: RegExp;
}

/** In a before() hook: skip the suite, printing why, unless the tests run as root. */
export function skipUnlessRoot(ctx: Mocha.Context, why: string): void {
  if (process.getuid?.() === 0) return;
  console.log(`      (skipped: ${why})`);
  ctx.skip();
}

/** In a before() hook: skip the suite, saying why, when ansible-playbook is missing (the one check: test/helpers/ansible.ts). */
export function skipWithoutAnsible(ctx: Mocha.Context): void {
  skipUnless(ctx, 'ansible-playbook');
}

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv, cwd: string, prefix: string[] = []): Promise<{ rc: number; stdout: string; stderr: string }> {
  if (prefix.length) [cmd, args] = [prefix[0], [...prefix.slice(1), cmd, ...args]];
  return new Promise((res) => {
    execFile(cmd, args, { env: { ...process.env, ...env }, cwd, maxBuffer: 64 << 20, timeout: 120_000 }, (e, stdout, stderr) => {
      const rc = e ? (typeof (e as { code?: unknown }).code === 'number' ? (e as { code: number }).code : 250) : 0;
      res({ rc, stdout, stderr });
    });
  });
}

/** Replace the scratch directory in every string of a value by WORK. */
export function normalise<T>(v: T, work: string): T {
  if (typeof v === 'string') return v.split(work).join('WORK') as T;
  if (Array.isArray(v)) return v.map((x) => normalise(x, work)) as T;
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k.split(work).join('WORK'), normalise(x, work)])) as T;
  return v;
}

function parseAnsible(stdout: string, work: string): Omit<ToolRun, 'rc' | 'output'> {
  const start = stdout.indexOf('{\n');
  const doc = JSON.parse(stdout.slice(start)) as {
    plays: { tasks: { task: { name: string }; hosts: Record<string, Result> }[] }[];
    stats: Record<string, Counts & { failures: number }>;
  };
  const tasks = new Map<string, Result>();
  for (const p of doc.plays) for (const t of p.tasks) if (t.hosts.localhost) tasks.set(t.task.name, normalise(t.hosts.localhost, work));
  const s = doc.stats.localhost ?? { ok: 0, changed: 0, failures: 0, skipped: 0 };
  return { tasks, counts: { ok: s.ok, changed: s.changed, failed: s.failures, skipped: s.skipped } };
}

function parseLvsplay(stdout: string, work: string): Omit<ToolRun, 'rc' | 'output'> {
  const tasks = new Map<string, Result>();
  let counts: Counts = { ok: 0, changed: 0, failed: 0, skipped: 0 };
  for (const line of stdout.split('\n')) {
    if (!line.startsWith('{')) continue;
    const ev = JSON.parse(line) as { type: string; task?: string; item?: unknown; status?: string; msg?: string; result?: Result; hosts?: Record<string, Counts> };
    if (ev.type === 'host_result' && !('item' in ev)) {
      const r: Result = { ...(ev.result ?? {}) };
      if (ev.status === 'skipped') r.skipped = true;
      if (ev.msg !== undefined && r.msg === undefined) r.msg = ev.msg;
      tasks.set(ev.task!, normalise(r, work));
    }
    if (ev.type === 'recap' && ev.hosts?.localhost) {
      const s = ev.hosts.localhost;
      counts = { ok: s.ok, changed: s.changed, failed: s.failed, skipped: s.skipped };
    }
  }
  return { tasks, counts };
}

/** Every file, directory and link under dir (relative paths; mode as '0644'). */
export function snapshot(dir: string, ignore?: RegExp): Record<string, FileEntry> {
  const out: Record<string, FileEntry> = {};
  const walk = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      const st = lstatSync(p);
      const mode = (st.mode & 0o7777).toString(8).padStart(4, '0');
      const rel = relative(dir, p);
      if (ignore?.test(rel)) continue;
      if (st.isSymbolicLink()) out[rel] = { type: 'link', mode: '', target: readlinkSync(p) };
      else if (st.isDirectory()) {
        out[rel] = { type: 'directory', mode };
        walk(p);
      } else out[rel] = { type: 'file', mode, content: readFileSync(p, 'latin1') };
    }
  };
  walk(dir);
  return out;
}

async function runTool(tool: 'ansible' | 'lvsplay', pbText: string, o: DiffOpts): Promise<ToolOutcome> {
  const base = mkdtempSync(join(tmpdir(), `lvsplay-compat-${tool}-`));
  const work = join(base, 'work');
  const pb = join(base, 'playbook.yml');
  writeFileSync(pb, pbText);
  mkdirSync(work);
  o.setup?.(work);
  o.beside?.(base, tool);
  const runs: ToolRun[] = [];
  const common = ['-i', 'localhost,', '-c', 'local', '-e', `work=${work}`, '-e', 'ansible_python_interpreter=/usr/bin/python3', ...(o.args ?? [])];
  for (let i = 0; i < (o.runs ?? 2); i++) {
    const extra = o.runArgs?.(i) ?? [];
    if (tool === 'ansible') {
      const env = { ANSIBLE_STDOUT_CALLBACK: 'json', ANSIBLE_NOCOLOR: '1', ANSIBLE_RETRY_FILES_ENABLED: 'false', ANSIBLE_LOCALHOST_WARNING: 'false', ANSIBLE_DEPRECATION_WARNINGS: 'false' };
      const r = await run('ansible-playbook', [...common, ...extra, pb], { ...env, ...o.env }, base, o.prefix?.(work));
      try {
        runs.push({ rc: r.rc, output: r.stdout + r.stderr, ...parseAnsible(r.stdout, work) });
      } catch (e) {
        throw new Error(`could not parse ansible-playbook's output (rc ${r.rc}): ${(e as Error).message}\n${r.stdout}\n${r.stderr}`);
      }
    } else {
      const r = await run(process.execPath, [CLI, ...common, '--json', ...extra, pb], { NO_COLOR: '1', ...o.env }, base, o.prefix?.(work));
      runs.push({ rc: r.rc, output: r.stdout + r.stderr, ...parseLvsplay(r.stdout, work) });
    }
  }
  // paths of the scratch directory inside it (fetch's dest/<host>/<src>) and in file contents: WORK
  const files = normalise(normalise(normalise(snapshot(work, o.ignore), work), work.slice(1)), base.slice(1));
  if (!o.keep) rmSync(base, { recursive: true, force: true });
  return { runs, files, work };
}

/** Run the playbook under both tools (concurrently, each in its own scratch directory). */
export async function differential(playbook: string, o: DiffOpts = {}): Promise<Differential> {
  if (o.sequential) {
    const ansible = await runTool('ansible', playbook, o);
    return { ansible, lvsplay: await runTool('lvsplay', playbook, o) };
  }
  const [ansible, lvsplay] = await Promise.all([runTool('ansible', playbook, o), runTool('lvsplay', playbook, o)]);
  return { ansible, lvsplay };
}

/** The given fields of a result (absent ones stay absent), for comparing documented return values. */
export function fields(r: Result | undefined, keys: string[]): Result {
  const out: Result = {};
  for (const k of keys) {
    const path = k.split('.');
    let v: unknown = r;
    for (const p of path) v = v && typeof v === 'object' ? (v as Result)[p] : undefined;
    if (v !== undefined) out[k] = v;
  }
  // ansible's json callback leaves out `failed: false`; lvsplay's events carry it: absent = false
  if (keys.includes('failed') && out.failed === undefined && r !== undefined) out.failed = false;
  return out;
}

/**
 * Assert both tools agree: exit code, recap counts of every run, the listed fields of the listed
 * tasks' results in every run, and the files left in the scratch directory.
 */
export function assertSame(d: Differential, compare: Record<string, string[]>, o: { files?: boolean } = {}): void {
  const { ansible: a, lvsplay: l } = d;
  for (let i = 0; i < a.runs.length; i++) {
    const ctx = `run ${i + 1}\n--- ansible:\n${a.runs[i].output.slice(-3000)}\n--- lvsplay:\n${l.runs[i].output.slice(-3000)}`;
    assert.equal(l.runs[i].rc, a.runs[i].rc, `exit code, ${ctx}`);
    for (const [task, keys] of Object.entries(compare)) {
      assert.ok(a.runs[i].tasks.has(task), `ansible ran no task named ${task}; ${ctx}`);
      assert.deepEqual(fields(l.runs[i].tasks.get(task), keys), fields(a.runs[i].tasks.get(task), keys), `task '${task}', ${ctx}`);
    }
    assert.deepEqual(l.runs[i].counts, a.runs[i].counts, `recap counts, ${ctx}`);
  }
  if (o.files !== false) assert.deepEqual(l.files, a.files, 'files left in the scratch directory');
}
