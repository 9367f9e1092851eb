// The measured scenarios. Every timed scenario rotates the order of the tools from one
// repetition to the next, so drift in machine load hits all of them alike.
import { bootstrapPython, ensureUp, fresh, hostList, inventory, nameByAddr, type BenchLab } from './labs.js';
import { totals } from './recap.js';
import { play, syntaxCheck, version, type Book, type PlayResult, type ToolName } from './tools.js';
import { run, type RunResult } from './proc.js';

/** The tools measured (mitogen is left out when Debian's ansible-mitogen is not installed). */
export const TOOLS: ToolName[] = ['lvsplay', 'ansible', 'mitogen'];

export function withoutTool(t: ToolName): void {
  const i = TOOLS.indexOf(t);
  if (i >= 0) TOOLS.splice(i, 1);
}

export function emptySamples(): Record<ToolName, Sample[]> {
  return { lvsplay: [], ansible: [], mitogen: [] };
}

export interface Sample {
  wall: number;
  cpu?: number;
  ok: boolean;
  changed?: number;
  failed?: string;
  rss?: number; // KB, peak resident set (GNU time %M)
}

export interface Row {
  id: string;
  label: string;
  samples: Record<ToolName, Sample[]>;
  notes: string[];
}

export type Log = (s: string) => void;

/** Rotated per repetition (and reversed every other round), so each tool runs first, last, after each other. */
function order(rep: number): ToolName[] {
  const k = rep % TOOLS.length;
  const rot = [...TOOLS.slice(k), ...TOOLS.slice(0, k)];
  return Math.floor(rep / TOOLS.length) % 2 ? rot.reverse() : rot;
}

function tail(s: string, n = 1500): string {
  return s.length > n ? `...${s.slice(-n)}` : s;
}

/** A playbook run as a sample: ok only with rc 0 and no failed/unreachable host. */
export function sampleOf(r: PlayResult): Sample {
  const t = totals(r.counts);
  const hosts = Object.keys(r.counts).length;
  const bad = r.code !== 0 ? `rc=${r.code}` : !hosts ? 'no recap' : t.failed || t.unreachable ? `failed=${t.failed} unreachable=${t.unreachable}` : undefined;
  return { wall: r.wall, cpu: r.cpu, rss: r.rss, ok: !bad, changed: t.changed, failed: bad };
}

function report(log: Log, tool: ToolName, what: string, r: PlayResult, s: Sample): void {
  log(`  ${tool.padEnd(8)}${what}: ${r.wall.toFixed(2)} s wall${r.cpu !== undefined ? `, ${r.cpu.toFixed(2)} s cpu` : ''}, changed=${s.changed}${s.failed ? `  FAILED (${s.failed})` : ''}`);
  if (s.failed) log(tail(`${r.stdout}\n${r.stderr}`).replace(/^/gm, '    | '));
}

export interface PlayCfg {
  lab: BenchLab;
  book: Book;
  limit?: string;
  extra: string[];
}

function playOpts(c: PlayCfg, countExecs = false) {
  return { inventory: inventory(c.lab), book: c.book, forks: c.limit ? c.limit.split(',').length : c.lab.hosts, limit: c.limit, extra: c.extra, countExecs, nameOf: nameByAddr(c.lab) };
}

/** 1. First converge on brand-new hosts (lab down && up before every run, not timed). */
export async function firstConverge(c: PlayCfg, reps: number, log: Log): Promise<Row> {
  const row: Row = { id: '1', label: `First converge, ${c.lab.hosts}-host cluster (site.yml)`, samples: emptySamples(), notes: [] };
  log(`[1] first converge: warm-up (fills the lab's apt proxy cache; not counted)`);
  await fresh(c.lab);
  await bootstrapPython(c.lab);
  const w = await play('ansible', playOpts(c));
  report(log, 'ansible', 'warm-up', w, sampleOf(w));
  for (let i = 0; i < reps; i++) {
    for (const t of order(i)) {
      await fresh(c.lab);
      await bootstrapPython(c.lab); // both get the same hosts; lvsplay does not need python3
      const r = await play(t, playOpts(c));
      const s = sampleOf(r);
      row.samples[t].push(s);
      report(log, t, `rep ${i + 1}`, r, s);
    }
  }
  return row;
}

/** Up, python3 for Ansible, then one converge by each tool (not timed). */
export async function convergeOnce(id: string, c: PlayCfg, log: Log): Promise<void> {
  await ensureUp(c.lab);
  log(`[${id}] converging ${c.lab.name} (${c.lab.hosts} hosts) once with each tool (not timed)`);
  await bootstrapPython(c.lab);
  for (const t of TOOLS) {
    const r = await play(t, playOpts(c));
    report(log, t, 'converge', r, sampleOf(r));
  }
}

/**
 * A no-change re-run: the hosts were converged beforehand (by each tool once, so each tool has
 * seen the other's result: a tool reporting changes there would not do the same work).
 */
export async function noChange(id: string, label: string, c: PlayCfg, reps: number, log: Log, converge: boolean): Promise<Row> {
  const row: Row = { id, label, samples: emptySamples(), notes: [] };
  if (converge) await convergeOnce(id, c, log);
  for (let i = 0; i < reps; i++) {
    for (const t of order(i)) {
      const r = await play(t, playOpts(c));
      const s = sampleOf(r);
      row.samples[t].push(s);
      report(log, t, `[${id}] rep ${i + 1}`, r, s);
    }
  }
  return row;
}

export interface ExecRow {
  label: string;
  tool: ToolName;
  hosts: number;
  tasksPerHost: number; // tasks that ran (recap ok, which includes changed) per host, fact gathering included
  execsPerHost: number;
  perTask: number;
  changed: number;
  method: string;
}

/** 4. Exec channels per unchanged task per host (one extra, untimed run per tool, counting). */
export async function roundTrips(label: string, c: PlayCfg, log: Log): Promise<ExecRow[]> {
  const out: ExecRow[] = [];
  for (const t of TOOLS) {
    if (t === 'mitogen') continue; // one ssh per host, modules run in its remote Python: no exec channels to count
    const r = await play(t, playOpts(c, true));
    const s = sampleOf(r);
    const hosts = Object.keys(r.counts);
    const tot = totals(r.counts);
    const tasks = tot.ok / Math.max(1, hosts.length); // ok counts changed ones too; "Gathering Facts" included (both tools show it)
    const execs = Object.values(r.execs ?? {}).reduce((a, b) => a + b, 0) / Math.max(1, hosts.length);
    out.push({ label, tool: t, hosts: hosts.length, tasksPerHost: tasks, execsPerHost: execs, perTask: execs / Math.max(1, tasks), changed: tot.changed, method: r.execMethod ?? '' });
    log(`  ${t.padEnd(7)} [4] ${label}: ${execs.toFixed(1)} execs/host for ${tasks.toFixed(1)} tasks/host (changed=${tot.changed})${s.failed ? ` FAILED (${s.failed})` : ''}`);
  }
  return out;
}

/** 5. CLI start and --syntax-check: nothing but the tool itself. */
export async function cli(reps: number, syntaxInventory: string, log: Log): Promise<Row[]> {
  const rows: Row[] = [
    { id: '5a', label: 'CLI start (`--version`)', samples: emptySamples(), notes: [] },
    { id: '5b', label: '`--syntax-check` of site.yml', samples: emptySamples(), notes: [] },
    { id: '5c', label: 'interpreter start alone (`node -e 0` / `python3 -c pass`)', samples: emptySamples(), notes: [] },
  ];
  const s = (r: RunResult): Sample => ({ wall: r.wall, cpu: r.cpu, ok: r.code === 0, failed: r.code === 0 ? undefined : `rc=${r.code}: ${tail(r.stderr, 300)}` });
  for (let i = 0; i < reps; i++) {
    for (const t of order(i)) {
      rows[0].samples[t].push(s(await version(t)));
      rows[1].samples[t].push(s(await syntaxCheck(t, syntaxInventory)));
      rows[2].samples[t].push(s(await (t === 'lvsplay' ? run(process.execPath, ['-e', '0']) : run('python3', ['-c', 'pass']))));
    }
  }
  for (const r of rows) for (const t of TOOLS) for (const x of r.samples[t]) if (x.failed) log(`  ${t} ${r.label}: FAILED ${x.failed}`);
  return rows;
}

export function firstHosts(lab: BenchLab, n: number): string {
  return hostList(lab).slice(0, n).map((h) => h.name).join(',');
}
