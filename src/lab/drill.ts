// The failover drill: stop keepalived on the MASTER, time the VIP moving to the BACKUP, start it
// again, time the VIP coming back. Polls both directors every `pollMs` (never sleep-and-hope).
// `lvsplay lab drill [-i INV] [--master H] [--backup H] [--timeout S]` calls drillMain().
import { Command, CommanderError } from 'commander';
import { createConnection } from '../connection/index.js';
import { ConfigError, ConnectionError, EXIT } from '../errors.js';
import { loadInventory } from '../inventory/index.js';
import { sh } from '../shell.js';
import type { BecomeSpec, Connection, Inventory, Vars } from '../types.js';

export interface DrillOptions {
  inventory: string; // inventory source: a file, a directory or 'lab'
  master?: string; // default: the director with the highest keepalived_priority
  backup?: string; // default: the next highest
  vip?: string; // default: the master's lvs_vip
  iface?: string; // default: the master's lvs_interface
  pollMs?: number; // default 100
  timeoutMs?: number; // per phase, default 30000
  log?: (line: string) => void;
  /** Connection factory (tests); default: the ssh engine's createConnection. */
  connect?: (host: string, vars: Vars) => Connection;
}

export interface DrillResult {
  master: string;
  backup: string;
  vip: string;
  failoverMs?: number; // keepalived stopped on the master -> VIP on the backup only
  returnMs?: number; // keepalived started on the master -> VIP back on the master only
  ok: boolean;
  error?: string;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const prio = (v: Vars): number => Number(v.keepalived_priority ?? 100);
const truthy = (v: unknown): boolean => v === true || (typeof v === 'string' && /^(yes|true|1|on)$/i.test(v));

/** Choose master and backup: the two directors with the highest keepalived_priority. */
export function pickDirectors(inv: Inventory, o: Pick<DrillOptions, 'master' | 'backup'>): { master: string; backup: string } {
  const first = inv.hosts.keys().next().value as string | undefined;
  const group = String((first && inv.hostVars(first).lvs_director_group) ?? 'directors');
  const dirs = inv.select(group).sort((a, b) => prio(inv.hostVars(b)) - prio(inv.hostVars(a)));
  const master = o.master ?? dirs[0];
  const backup = o.backup ?? dirs.find((d) => d !== master);
  if (!master || !backup) throw new ConfigError(`the drill needs two directors (group '${group}' has ${dirs.length}): give --master and --backup`);
  for (const h of [master, backup]) if (!inv.hosts.has(h)) throw new ConfigError(`no host '${h}' in the inventory`);
  return { master, backup };
}

/** Does `ip -o -4 addr show` output hold the address? */
export function hasAddress(ipOutput: string, vip: string): boolean {
  return ipOutput.split('\n').some((l) => new RegExp(`\\sinet ${vip.replace(/\./g, '\\.')}/`).test(l));
}

export async function drill(o: DrillOptions): Promise<DrillResult> {
  const log = o.log ?? ((l: string) => void process.stdout.write(l + '\n'));
  const pollMs = o.pollMs ?? 100;
  const timeoutMs = o.timeoutMs ?? 30000;
  const inv = await loadInventory([o.inventory]);
  const { master, backup } = pickDirectors(inv, o);
  const mv = inv.hostVars(master);
  const vip = o.vip ?? String(mv.lvs_vip ?? '');
  if (!vip) throw new ConfigError(`no VIP: ${master} has no lvs_vip (give --vip)`);
  const iface = o.iface ?? String(mv.lvs_interface ?? 'eth0');
  const connect = o.connect ?? ((h: string, v: Vars) => createConnection(h, v));
  const conns = new Map<string, { c: Connection; become?: BecomeSpec }>();
  for (const h of [master, backup]) {
    const v = inv.hostVars(h);
    const become = truthy(v.ansible_become) ? { user: String(v.ansible_become_user ?? 'root') } : undefined;
    conns.set(h, { c: connect(h, v), become });
  }
  const run = async (h: string, cmd: string) => {
    const { c, become } = conns.get(h)!;
    return c.exec(cmd, { become, timeoutMs: 15000 });
  };
  const probe = sh`ip -o -4 addr show dev ${iface}`;
  const where = async (): Promise<{ m: boolean; b: boolean }> => {
    const [a, b] = await Promise.all([run(master, probe), run(backup, probe)]);
    return { m: hasAddress(a.stdout, vip), b: hasAddress(b.stdout, vip) };
  };
  /** Poll until `cond` holds; returns ms since `t0` or undefined on timeout. */
  const until = async (cond: (s: { m: boolean; b: boolean }) => boolean, t0: number): Promise<number | undefined> => {
    while (Date.now() - t0 < timeoutMs) {
      const tick = Date.now();
      if (cond(await where())) return Date.now() - t0;
      await sleep(Math.max(0, pollMs - (Date.now() - tick)));
    }
    return undefined;
  };
  const pollCmd = async (f: () => Promise<{ stdout: string }>, ok: (r: { stdout: string }) => boolean): Promise<boolean> => {
    const t0 = Date.now();
    while (Date.now() - t0 < timeoutMs) {
      if (ok(await f())) return true;
      await sleep(pollMs);
    }
    return false;
  };
  const result: DrillResult = { master, backup, vip, ok: false };
  try {
    await Promise.all([...conns.values()].map((x) => x.c.connect()));
    log(`drill: VIP ${vip} on ${iface}; master ${master}, backup ${backup}; polling every ${pollMs} ms`);
    // Right after a first converge the pair may still be electing (the BACKUP waits ~3 adverts):
    // wait for the steady state, the VIP on the master only, before stopping anything.
    const settle = Date.now();
    let before = await where();
    while ((!before.m || before.b) && Date.now() - settle < timeoutMs) {
      await sleep(pollMs);
      before = await where();
    }
    if (!before.m || before.b) {
      result.error = `before the drill the VIP must be on ${master} only, but it is on ${[before.m && master, before.b && backup].filter(Boolean).join(' and ') || 'neither'} (waited ${Date.now() - settle} ms)`;
      log(`drill: ${result.error}`);
      return result;
    }
    let t0 = Date.now();
    const stop = await run(master, 'service keepalived stop </dev/null >/dev/null 2>&1; echo rc=$?');
    log(`drill: keepalived stopped on ${master} (${Date.now() - t0} ms, ${stop.stdout.trim()})`);
    result.failoverMs = await until((s) => s.b && !s.m, t0);
    log(result.failoverMs === undefined ? `drill: the VIP did not move to ${backup} within ${timeoutMs} ms` : `drill: failover: VIP on ${backup} after ${result.failoverMs} ms`);
    // `service keepalived stop` returns before the daemon has exited; a start before that is a
    // no-op ("already running"). Wait until it is really gone.
    const gone = await pollCmd(() => run(master, 'pidof keepalived >/dev/null && echo up || echo gone'), (r) => r.stdout.includes('gone'));
    if (!gone) throw new Error(`keepalived on ${master} is still running ${timeoutMs} ms after 'service keepalived stop'`);
    t0 = Date.now();
    const start = await run(master, 'service keepalived start </dev/null >/dev/null 2>&1; echo rc=$?');
    log(`drill: keepalived started on ${master} (${Date.now() - t0} ms, ${start.stdout.trim()})`);
    result.returnMs = await until((s) => s.m && !s.b, t0);
    log(result.returnMs === undefined ? `drill: the VIP did not return to ${master} within ${timeoutMs} ms` : `drill: return: VIP back on ${master} after ${result.returnMs} ms`);
    result.ok = result.failoverMs !== undefined && result.returnMs !== undefined;
    return result;
  } catch (e) {
    result.error = e instanceof Error ? e.message : String(e);
    log(`drill: ${result.error}`);
    return result;
  } finally {
    await Promise.all([...conns.values()].map((x) => x.c.close().catch(() => undefined)));
  }
}

/** `lvsplay lab drill [options]`: exit 0 when the VIP failed over and came back, 1 otherwise. */
export async function drillMain(argv: string[], defaultInventory = 'lab'): Promise<number> {
  const cmd = new Command('lvsplay lab drill')
    .description('Stop keepalived on the MASTER, time the VIP moving to the BACKUP, start it again, time its return')
    .option('-i, --inventory <source>', 'inventory file, directory or "lab"', defaultInventory)
    .option('--master <host>', 'the MASTER (default: highest keepalived_priority)')
    .option('--backup <host>', 'the BACKUP (default: next highest)')
    .option('--vip <addr>', 'the VIP (default: lvs_vip)')
    .option('--poll <ms>', 'poll interval', '100')
    .option('--timeout <s>', 'give up a phase after this many seconds', '30')
    .option('--json', 'print the result as JSON')
    .exitOverride();
  try {
    cmd.parse(argv, { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? EXIT.ok : EXIT.usage;
    throw e;
  }
  const o = cmd.opts<{ inventory: string; master?: string; backup?: string; vip?: string; poll: string; timeout: string; json?: boolean }>();
  try {
    const r = await drill({
      inventory: o.inventory, master: o.master, backup: o.backup, vip: o.vip,
      pollMs: Number(o.poll), timeoutMs: Number(o.timeout) * 1000,
      log: o.json ? () => undefined : undefined,
    });
    if (o.json) process.stdout.write(JSON.stringify(r) + '\n');
    return r.ok ? EXIT.ok : EXIT.error;
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(e.toString() + '\n');
      return EXIT.parser;
    }
    if (e instanceof ConnectionError) {
      process.stderr.write(e.message + '\n');
      return EXIT.unreachable;
    }
    throw e;
  }
}
