// Run-wide state: per-host memory (facts, set_fact/register), recap counters, connections, masking.
import type { Inventory, Playbook, RecapCounts, Reporter, RunEvent, Vars } from '../types.js';
import { Masker } from '../report/mask.js';
import type { RunDeps } from './deps.js';
import type { RunOptions } from './options.js';
import { Connections } from './pool.js';
import { registerSecretVars } from './secrets.js';
import type { Applying } from './interrupt.js';
import type { PlayRunner } from './play.js';
import { PendingHandlers, pendingFile } from './pending.js';
import { markEvent, timingOn } from '../timing.js';
import { takeLookupWarnings } from '../vars/lookup-types.js';
import type { AsyncJob } from './async.js';
import type { DiscoveryProbe } from '../facts/discover.js';
import { mergeHash } from '../vars/filters-data.js';
import { isMapping } from '../vars/pystr.js';

export interface HostMem {
  facts: Vars; // ansible_facts (keys without the ansible_ prefix)
  factsGathered: boolean;
  hostFacts: Vars; // set_fact and register results (set_fact precedence)
  includeVars: Vars; // include_vars results (below set_fact)
  /** Facts a module returned without the ansible_ prefix (service_facts' `services`): Ansible injects them under that very name. */
  bareFacts?: Set<string>;
  /** What the host answered to interpreter discovery (asked once per run; null: it could not be asked), src/facts/discover.ts. */
  discoveryProbe?: DiscoveryProbe | null;
  /** The discovery question on its way to the host (loop items and tasks asking at once share it). */
  discoveryAsked?: Promise<DiscoveryProbe | null>;
  /** The task whose result brought the discovered interpreter last (a loop's later items bring it no more). */
  discoveredBy?: object;
}

export function zeroCounts(): RecapCounts {
  return { ok: 0, changed: 0, unreachable: 0, failed: 0, skipped: 0, rescued: 0, ignored: 0 };
}

export class RunState {
  readonly stats = new Map<string, RecapCounts>();
  /** set_stats' custom statistics by host name ('_run': the whole run), in the order first set. */
  readonly customStats = new Map<string, Vars>();
  readonly mem = new Map<string, HostMem>();
  /** Hosts that failed or were unreachable: they take no part in later plays. */
  readonly failed = new Set<string>();
  readonly unreachable = new Set<string>();
  readonly masker = new Masker();
  readonly conns: Connections;
  readonly profile: { task: string; ms: number }[] = [];
  startAtFound: boolean;
  /** any_errors_fatal or every host failed: no further play runs. */
  stopRun = false;
  interrupted = false;
  /** The run was stopped for good: changes still being applied were abandoned (src/run/interrupt.ts). */
  abandoned = false;
  /** The exit code of the signal that interrupted the run (99 for SIGINT). */
  interruptRc?: number;
  /** Plans being applied now (src/run/interrupt.ts waits for them or records them). */
  readonly applying = new Map<object, Applying>();
  /** The play (batch) being run: its handlers. */
  currentPlay?: PlayRunner;
  /** Handlers an earlier run left pending, and those this run leaves (src/run/pending.ts). */
  readonly pending: PendingHandlers;
  /** --step answered `continue`: no more questions. */
  stepDone = false;
  /** --step met the end of its input: nothing more runs (exit 2). */
  stepEnded = false;
  /** Async jobs started in this run, by job id (src/run/async.ts). */
  readonly jobs = new Map<string, AsyncJob>();
  /** Bumped whenever add_host/group_by change the inventory (cached `groups` are rebuilt). */
  inventoryVersion = 0;

  constructor(
    readonly playbook: Playbook,
    readonly inventory: Inventory,
    readonly opts: RunOptions,
    readonly deps: RunDeps,
    readonly reporter: Reporter,
  ) {
    this.conns = new Connections(deps, {
      connectTimeoutMs: opts.connectTimeoutMs,
      strictHostKeyChecking: opts.strictHostKeyChecking,
      sshArgs: opts.sshArgs,
      becomePassword: opts.becomePassword,
      password: opts.password,
      privateKeyFile: opts.privateKey,
      user: opts.user,
    });
    takeLookupWarnings(); // lookups' warnings from outside this run (another run() or a direct call in this process) are not this run's
    this.startAtFound = !opts.startAtTask;
    if (opts.becomePassword) this.masker.add(opts.becomePassword);
    if (opts.password) this.masker.add(opts.password);
    registerSecretVars(this.masker, playbook, inventory, opts.extraVars);
    this.pending = new PendingHandlers(pendingFile(playbook.file ?? ''), playbook.file ?? '', playbook.plays, (msg) => this.emit({ type: 'warning', msg }), opts.check);
  }

  host(name: string): HostMem {
    let m = this.mem.get(name);
    if (!m) {
      m = { facts: {}, factsGathered: false, hostFacts: {}, includeVars: {} };
      this.mem.set(name, m);
    }
    return m;
  }

  count(host: string, key: keyof RecapCounts, n = 1): void {
    let c = this.stats.get(host);
    if (!c) {
      c = zeroCounts();
      this.stats.set(host, c);
    }
    c[key] = (c[key] ?? 0) + n;
  }

  /**
   * One set_stats value, as Ansible's AggregateStats: `aggregate` adds it to the value already set
   * (mappings merged as merge_hash does, numbers, strings and lists with +; a value of another type
   * is ignored), else replaces it. `host` undefined: the run's.
   */
  customStat(name: string, value: unknown, aggregate: boolean, host = '_run'): void {
    let m = this.customStats.get(host);
    if (!m) this.customStats.set(host, (m = {}));
    const cur = m[name];
    if (!aggregate || !(name in m)) {
      m[name] = value;
      return;
    }
    const kind = (v: unknown) => (v === null ? 'none' : Array.isArray(v) ? 'list' : isMapping(v) ? 'dict' : typeof v === 'number' ? (Number.isInteger(v) ? 'int' : 'float') : typeof v);
    const [kc, kv] = [kind(cur), kind(value)];
    // Python's isinstance(value, type(current)): a bool is an int, an int is no float
    if (!(kc === kv || (kc === 'int' && kv === 'boolean'))) return;
    if (kc === 'dict') m[name] = mergeHash(cur as Vars, value as Vars);
    else if (kc === 'list') m[name] = [...(cur as unknown[]), ...(value as unknown[])];
    else if (kc === 'int' || kc === 'float') m[name] = (cur as number) + Number(value);
    else if (kc === 'string') m[name] = (cur as string) + (value as string);
    else if (kc === 'boolean') m[name] = Number(cur) + Number(value); // True + True == 2
  }

  /** Make sure the host appears in the recap even with all zeros. */
  touch(host: string): void {
    this.count(host, 'ok', 0);
  }

  private readonly warned = new Set<string>();
  /** A warning shown once per `key` (default: its text) however often it occurs (as Ansible's display does, per worker process). */
  warnOnce(msg: string, key = msg): void {
    if (this.warned.has(key)) return;
    this.warned.add(key);
    this.emit({ type: 'warning', msg });
  }

  emit(ev: RunEvent): void {
    // lookups called with errors='warn' warn as they fail, i.e. before whatever the run shows next
    for (const msg of new Set(takeLookupWarnings())) this.emitOne({ type: 'warning', msg });
    this.emitOne(ev);
  }

  private emitOne(ev: RunEvent): void {
    if (timingOn) markEvent(ev);
    this.reporter.emit(ev);
  }
}
