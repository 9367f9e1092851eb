// Test helpers for the executor: a tiny in-memory inventory (until/besides src/inventory), real
// loader/templar/modules, local connections, and runs that capture console text and events.
import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Connection, Inventory, InventoryGroup, InventoryHost, RunEvent, Vars } from '../../src/types.js';
import { ConnectionError } from '../../src/errors.js';
import { LocalConnection } from '../../src/connection/local.js';
import { loadPlaybook, loadTaskFile, resolveRole, loadVarsFile, validateModuleArgs, lookupModule } from '../../src/playbook/index.js';
import { Templar } from '../../src/vars/templar.js';
import type { RunDeps } from '../../src/run/deps.js';
import { runPlaybook } from '../../src/run/executor.js';
import { defaultOptions, type RunOptions } from '../../src/run/options.js';
import { ConsoleReporter } from '../../src/report/console.js';
import { MemoryReporter, fanout } from '../../src/report/json.js';

/** Hosts (name -> vars) and groups (name -> members); every host local. */
export function memInventory(hosts: Record<string, Vars>, groups: Record<string, string[]> = {}, groupVars: Record<string, Vars> = {}): Inventory {
  const H = new Map<string, InventoryHost>();
  for (const [name, vars] of Object.entries(hosts)) H.set(name, { name, vars: { ansible_connection: 'local', ...vars }, groups: [] });
  const G = new Map<string, InventoryGroup>();
  G.set('all', { name: 'all', hosts: [], children: [], vars: groupVars.all ?? {} });
  for (const [g, members] of Object.entries(groups)) {
    G.set(g, { name: g, hosts: members, children: [], vars: groupVars[g] ?? {} });
    for (const m of members) H.get(m)?.groups.push(g);
  }
  const ungrouped = [...H.values()].filter((h) => h.groups.length === 0).map((h) => h.name);
  G.set('ungrouped', { name: 'ungrouped', hosts: ungrouped, children: [], vars: {} });
  const term = (t: string): string[] => {
    if (t === 'all' || t === '*') return [...H.keys()];
    if (G.has(t)) return G.get(t)!.hosts;
    if (H.has(t)) return [t];
    if (t.includes('*')) {
      const re = new RegExp(`^${t.replace(/\*/g, '.*')}$`);
      return [...H.keys()].filter((h) => re.test(h));
    }
    return [];
  };
  return {
    sources: ['memory'],
    hosts: H,
    groups: G,
    select(pattern: string): string[] {
      let out = new Set<string>();
      for (const raw of pattern.split(/[:,]/).filter(Boolean)) {
        if (raw.startsWith('!')) for (const h of term(raw.slice(1))) out.delete(h);
        else if (raw.startsWith('&')) {
          const keep = new Set(term(raw.slice(1)));
          out = new Set([...out].filter((h) => keep.has(h)));
        } else for (const h of term(raw)) out.add(h);
      }
      return [...H.keys()].filter((h) => out.has(h));
    },
    groupNames: (h) => H.get(h)?.groups ?? [],
    hostVars(h: string): Vars {
      const host = H.get(h)!;
      return { ...(G.get('all')?.vars ?? {}), ...Object.assign({}, ...host.groups.map((g) => G.get(g)!.vars)), ...host.vars };
    },
  };
}

export function testDeps(over: Partial<RunDeps> = {}): RunDeps {
  return {
    templar: new Templar(),
    findModule: (n) => lookupModule(n),
    validateModuleArgs: (a, args, pos) => validateModuleArgs(a, args, pos),
    loadTaskFile: (f, o) => loadTaskFile(f, o),
    resolveRole: (n, d, p, r, files) => resolveRole(n, d, p, r, files),
    loadVarsFile: (f, pos) => loadVarsFile(f, pos),
    createConnection: (host) => new LocalConnection(host),
    gatherFacts: async () => ({ os_family: 'Debian', hostname: 'test' }),
    ...over,
  };
}

/** A temp directory with files (path -> content). */
export function tempTree(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'lvsplay-run-'));
  for (const [p, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, p)), { recursive: true });
    writeFileSync(join(dir, p), text);
  }
  return dir;
}

export interface RunOut {
  rc: number;
  text: string;
  events: RunEvent[];
  dir: string;
  /** host_result events of one task, by host. */
  results(task: string): Extract<RunEvent, { type: 'host_result' }>[];
  recap: Record<string, { ok: number; changed: number; unreachable: number; failed: number; skipped: number; rescued: number; ignored: number }>;
  /** Task banners in order. */
  tasks: string[];
}

export async function run(
  playbookYaml: string,
  o: { files?: Record<string, string>; inventory?: Inventory; opts?: Partial<RunOptions>; deps?: Partial<RunDeps>; verbosity?: number } = {},
): Promise<RunOut> {
  const dir = tempTree({ 'site.yml': playbookYaml, ...(o.files ?? {}) });
  const pb = await loadPlaybook(join(dir, 'site.yml'));
  const inv = o.inventory ?? memInventory({ localhost: {} });
  let text = '';
  const mem = new MemoryReporter();
  const opts = defaultOptions({ ...o.opts, verbosity: o.verbosity ?? o.opts?.verbosity ?? 0 });
  const con = new ConsoleReporter({ verbosity: opts.verbosity, color: false, diff: opts.diff, out: (s) => (text += s), err: (s) => (text += s) });
  const rc = await runPlaybook(pb, inv, opts, testDeps(o.deps), fanout(mem, con));
  const recapEv = mem.events.find((e) => e.type === 'recap') as Extract<RunEvent, { type: 'recap' }>;
  return {
    rc,
    text,
    events: mem.events,
    dir,
    results: (task) => mem.events.filter((e): e is Extract<RunEvent, { type: 'host_result' }> => e.type === 'host_result' && e.task === task),
    recap: recapEv.hosts,
    tasks: mem.events.filter((e) => e.type === 'task_start').map((e) => (e as { name: string }).name),
  };
}

/** A connection to a host that refuses connections (the host is unreachable). */
export function unreachableConnection(h: string): Connection {
  return {
    host: h,
    address: '10.0.0.9:22',
    execCount: 0,
    connect: async () => {
      throw new ConnectionError(h, '10.0.0.9:22', 'connection refused');
    },
    exec: async () => ({ stdout: '', stderr: '', rc: 0 }),
    close: async () => undefined,
  };
}
