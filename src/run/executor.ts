// The executor: plays in order, hosts selected by pattern and --limit, serial batches, the recap
// and ansible-playbook's exit code (0 ok, 2 a host failed, 4 a host unreachable; unreachable wins).
import { isTemplate } from '../vars/unsafe.js';
import { readFileSync } from 'node:fs';
import type { Inventory, Play, Playbook, Reporter } from '../types.js';
import { ConfigError, EXIT, formatPos } from '../errors.js';
import { didYouMean } from '../suggest.js';
import type { RunDeps } from './deps.js';
import type { RunOptions } from './options.js';
import { PlayRunner } from './play.js';
import { describeRecords, type PendingRecord } from './pending.js';
import { reservedNames } from './reserved.js';
import { applyingSettled, interruptGraceMs } from './interrupt.js';
import { prewarmEnabled, prewarmPlays } from './prewarm.js';
import { mark } from '../timing.js';
import { precheckTemplates } from './precheck.js';
import { RunState } from './state.js';
import { promptPlayVars } from './varsprompt.js';
import { guardKeptRenders } from '../jinja/kept.js';

/** A `--limit` as one host pattern (terms separated by ',' or ':'; `@file` = one host per line). */
export function limitPattern(limit: string): string {
  let pattern = limit;
  if (limit.startsWith('@')) {
    pattern = readFileSync(limit.slice(1), 'utf8')
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean)
      .join(':');
  }
  return pattern.split(',').map((p) => p.trim()).filter(Boolean).join(':');
}

/** Hosts of a `--limit`. */
export function limitHosts(inv: Inventory, limit: string): Set<string> {
  return new Set(inv.select(limitPattern(limit)));
}

export function playHosts(inv: Inventory, play: Play, limit?: string, pattern = play.hosts): string[] {
  const hosts = ordered(inv.select(pattern.split(',').map((p) => p.trim()).join(':')), play.order);
  if (!limit) return hosts;
  const allowed = limitHosts(inv, limit);
  return hosts.filter((h) => allowed.has(h));
}

/** Play `order`: the hosts as the inventory lists them, reversed, sorted by name, or shuffled. */
export function ordered(hosts: string[], order: Play['order']): string[] {
  switch (order) {
    case 'reverse_inventory':
      return [...hosts].reverse();
    case 'sorted':
      return [...hosts].sort();
    case 'reverse_sorted':
      return [...hosts].sort().reverse();
    case 'shuffle': {
      const out = [...hosts];
      for (let i = out.length - 1; i > 0; i--) {
        const j = Math.floor(Math.random() * (i + 1));
        [out[i], out[j]] = [out[j], out[i]];
      }
      return out;
    }
    default:
      return hosts;
  }
}

/**
 * The play's host pattern: templated with play vars and extra vars (as Ansible), checked (a bad
 * pattern is a ConfigError at the play, exit 4, before any host is touched).
 */
export function playPattern(st: RunState, play: Play): string {
  let pattern = play.hosts;
  if (isTemplate(pattern)) {
    const v = st.deps.templar.render(pattern, { ...play.varsFiles, ...play.vars, ...st.opts.extraVars }, play.pos);
    pattern = Array.isArray(v) ? v.map(String).join(',') : String(v ?? '');
  }
  const bad = st.inventory.patternError?.(pattern);
  if (bad) throw new ConfigError(bad, play.pos);
  return pattern;
}

/** Terms of the play's pattern that match nothing are warned about, with a suggestion (when the play starts: add_host/group_by may have made them). */
function warnUnknownTerms(st: RunState, play: Play, pattern: string): void {
  const inv = st.inventory;
  const unknown = inv.unknownPatterns?.(pattern.split(',').map((p) => p.trim()).join(':')) ?? [];
  const names = [...inv.groups.keys(), ...inv.hosts.keys()];
  for (const t of unknown) {
    const dym = didYouMean(t.replace(/^[&!]/, ''), names);
    st.emit({ type: 'warning', msg: `${formatPos(play.pos)}: Could not match supplied host pattern, ignoring: ${t.replace(/^[&!]/, '')}${dym ? ` (${dym})` : ''}` });
  }
}

/** `serial: 2`, `serial: "30%"` or a list of those (the last repeats). */
export function serialBatches(hosts: string[], serial: unknown): string[][] {
  if (serial === undefined || serial === null || hosts.length === 0) return [hosts];
  const specs = Array.isArray(serial) ? serial : [serial];
  const size = (s: unknown): number => {
    const str = String(s).trim();
    const n = str.endsWith('%') ? Math.floor((hosts.length * Number(str.slice(0, -1))) / 100) : Number(str);
    return Number.isFinite(n) && n > 0 ? Math.floor(n) : hosts.length;
  };
  const out: string[][] = [];
  let i = 0;
  let k = 0;
  while (i < hosts.length) {
    const n = Math.max(1, size(specs[Math.min(k, specs.length - 1)]));
    out.push(hosts.slice(i, i + n));
    i += n;
    k++;
  }
  return out;
}

/** Write the handlers this run leaves pending (and those of an earlier run it did not reach) for the next run; say so. */
function keepPendingHandlers(st: RunState): void {
  try {
    st.pending.save();
  } catch (e) {
    st.emit({ type: 'warning', msg: `could not record the pending handlers in ${st.pending.file}: ${(e as Error).message}` });
    return;
  }
  const missed = new Map<string, PendingRecord[]>();
  for (const { record, why } of st.pending.notReplayed()) missed.set(why, [...(missed.get(why) ?? []), record]);
  for (const [why, records] of missed) {
    st.emit({ type: 'warning', msg: `handlers an earlier run of this playbook left pending did not run in this run (${why}) and stay recorded for the next one: ${describeRecords(records)} (${st.pending.file})` });
  }
  if (st.pending.leftover.length) {
    st.emit({ type: 'warning', msg: `handlers notified but not run are kept for the next run of this playbook, which runs each after the task that notified it: ${describeRecords(st.pending.leftover)} (${st.pending.file})` });
  }
}

/** At the start: the handlers an earlier run left pending, picked up by this run (src/run/replay.ts says when they run). */
function sayPickedUp(st: RunState): void {
  const records = st.pending.picked;
  if (!records.length) return;
  const when = [...new Set(records.map((r) => `${r.why} ${r.at}`))].join(', ');
  st.emit({
    type: 'warning',
    msg: `picked up the handlers an earlier run of this playbook left pending (${when}): ${describeRecords(records)} — each runs at the first handler flush after the task that notified it has run again`,
  });
}

export interface RunHooks {
  /** Called once the run state exists (the CLI uses it to close connections on SIGINT). */
  onState?(st: RunState): void;
}

export async function runPlaybook(
  pb: Playbook,
  inv: Inventory,
  opts: RunOptions,
  deps: RunDeps,
  reporter: Reporter,
  hooks: RunHooks = {},
): Promise<number> {
  const st = new RunState(pb, inv, opts, deps, reporter);
  // renders may be kept between runs while this run's masker guards its secrets (src/jinja/kept.ts)
  const release = guardKeptRenders(st.masker);
  try {
    return await runWith(st, pb, inv, opts, deps, hooks);
  } finally {
    release();
  }
}

async function runWith(st: RunState, pb: Playbook, inv: Inventory, opts: RunOptions, deps: RunDeps, hooks: RunHooks): Promise<number> {
  // Every play's pattern and every template string is checked before the first play runs anything on a host.
  // a play that prompts for variables has its pattern templated once they are known (`hosts: "{{ target }}"`)
  const prompted = (play: Play) => !!play.varsPrompt?.length && isTemplate(play.hosts);
  let patterns: Map<Play, string>;
  try {
    patterns = new Map(pb.plays.filter((p) => !prompted(p)).map((play) => [play, playPattern(st, play)]));
  } catch (e) {
    precheckTemplates(pb, deps.templar); // a template error is reported first, as before the prewarm moved up
    throw e;
  }
  // Every play's hosts start their handshake now, in the background (the same selection as below),
  // so the remote side's part of it (sshd's start, key exchange) overlaps the template precheck.
  const selectHosts = (play: Play) => (prompted(play) ? [] : playHosts(inv, play, opts.limit, patterns.get(play) ?? play.hosts));
  const prewarm = prewarmEnabled() ? prewarmPlays(st, pb, inv, selectHosts) : Promise.resolve();
  mark('templates precheck start');
  try {
    precheckTemplates(pb, deps.templar);
  } catch (e) {
    await st.conns.closeAll(); // nothing ran on any host: the connections opened early go
    throw e;
  }
  mark('templates prechecked');
  hooks.onState?.(st);
  st.emit({ type: 'playbook_start', file: pb.file, check: opts.check });
  sayPickedUp(st);
  try {
    for (const play of pb.plays) {
      if (st.stopRun || st.interrupted) break;
      await promptPlayVars(st, play);
      const pattern = patterns.get(play) ?? playPattern(st, play);
      const name = play.name || pattern;
      warnUnknownTerms(st, play, pattern);
      for (const n of reservedNames(play, opts.extraVars)) st.warnOnce(`Found variable using reserved name: ${n}`);
      const hosts = playHosts(inv, play, opts.limit, pattern).filter((h) => !st.failed.has(h) && !st.unreachable.has(h));
      if (!hosts.length) {
        st.emit({ type: 'play_start', name, hosts: [] });
        continue;
      }
      for (const batch of serialBatches(hosts, play.serial)) {
        if (st.stopRun || st.interrupted) break;
        st.emit({ type: 'play_start', name, hosts: batch });
        const before = new Set([...st.failed, ...st.unreachable]);
        await new PlayRunner(st, play, batch).run();
        const lost = batch.filter((h) => !before.has(h) && (st.failed.has(h) || st.unreachable.has(h)));
        if (lost.length === batch.length) st.stopRun = true; // the whole batch failed: Ansible stops here
      }
    }
  } finally {
    st.stopRun = true; // no new task starts (a free strategy's other hosts, after an error that stops the run)
    await applyingSettled(st, interruptGraceMs());
    await st.conns.closeAll();
    keepPendingHandlers(st);
    // Attempts still in flight were closed by closeAll (a handshake cut short by close may never settle: not awaited).
    void prewarm;
  }
  const recapHosts = Object.fromEntries([...st.stats.entries()]);
  const custom = st.customStats.size ? Object.fromEntries(st.customStats) : undefined;
  st.emit({ type: 'recap', hosts: recapHosts, profile: opts.profile ? st.profile : undefined, execs: st.conns.execsPerHost(), custom });
  const rc = st.interrupted ? (st.interruptRc ?? EXIT.interrupted) : st.unreachable.size ? EXIT.unreachable : st.failed.size || st.stepEnded ? EXIT.hostFailed : EXIT.ok;
  st.emit({ type: 'playbook_end', rc });
  return rc;
}
