// One play (one serial batch of it) under the linear strategy: each task on all active hosts
// concurrently (bounded by --forks), blocks with rescue/always, includes, meta, handlers.
import type { Block, Handler, IncludeNode, Play, Task, TaskNode, Vars } from '../types.js';
import { ConnectionError, errorText } from '../errors.js';
import { absorbFacts, discoveredAtGathering, ensureFacts, type TaskEnv } from './invoke.js';
import { gathersFacts, keyword, resolveKeywords, type Keywords } from './keywords.js';
import { displayName, renderName, runOnHost, type HostOutcome } from './hosttask.js';
import { Notifications } from './handlers.js';
import { includeTargets } from './include.js';
import { runMeta } from './meta.js';
import { withoutInternalKeys } from './internal.js';
import { freeTaskChecks, runFree } from './free.js';
import { mapLimit } from './pool.js';
import { childScope, failedInFrames, includedScope, rootScope, willBeRescued, type Frame, type Scope } from './scope.js';
import type { RunState } from './state.js';
import { shouldRun } from './tags.js';
import { stepLabel, takeStep } from './step.js';
import { PendingReplay } from './replay.js';
import { VarsBuilder } from './vars.js';
import { isTemplate, markResultUnsafe } from '../vars/templar.js';
import type { AheadString } from '../jinja/engine.js';

function globMatch(pattern: string, s: string): boolean {
  if (pattern === s) return true;
  const re = new RegExp(`^${pattern.replace(/[.+^${}()|\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
  return re.test(s);
}

export class PlayRunner {
  readonly env: TaskEnv;
  readonly notes: Notifications;
  /** Hosts that left the play (meta: end_host). */
  readonly ended = new Set<string>();
  /** The play (this batch) ends: meta end_play/end_batch, max_fail_percentage, any_errors_fatal. */
  endPlay = false;
  /** Failures of blocks whose `always` is running (meta: clear_host_errors clears them too). */
  readonly pendingFailed: Set<string>[] = [];
  /** Handlers an earlier run of this playbook left pending, replayed here (src/run/replay.ts). */
  readonly replay: PendingReplay;

  constructor(readonly st: RunState, readonly play: Play, readonly batch: string[]) {
    const builder = new VarsBuilder(st, play, () => this.active(batch, undefined), () => batch);
    this.env = { st, play, builder };
    this.notes = new Notifications([...play.handlers]);
    this.replay = new PendingReplay(st.pending, play, this.notes);
    st.currentPlay = this;
  }

  /** Hosts still running in this play (not failed, unreachable, ended, nor failed in an enclosing block). */
  active(hosts: string[], frame: Frame | undefined): string[] {
    if (this.endPlay || this.st.stopRun || this.st.interrupted) return [];
    return hosts.filter((h) => !this.st.failed.has(h) && !this.st.unreachable.has(h) && !this.ended.has(h) && !failedInFrames(h, frame));
  }

  private get forceHandlers(): boolean {
    return this.play.forceHandlers || this.st.opts.forceHandlers;
  }

  /** free/host_pinned: each host goes through the tasks on its own (src/run/free.ts). */
  get free(): boolean {
    return this.play.strategy === 'free' || this.play.strategy === 'host_pinned';
  }

  async run(): Promise<void> {
    // the conditions of an import_playbook apply to fact gathering and every task (not to handlers)
    const root: Scope = { ...rootScope(this.play.tags, this.play), when: [...(this.play.when ?? [])] };
    try {
      if (this.free) await runFree(this, root);
      else await this.walk(this.batch, root);
    } finally {
      this.replay.finish((h) =>
        this.st.unreachable.has(h) ? 'the host became unreachable' : this.st.failed.has(h) ? 'the host failed first' : this.st.interrupted || this.st.stopRun ? 'the run stopped first' : 'the task that notifies it did not run on the host: --tags, --start-at-task or an include not taken',
      );
    }
  }

  /** Fact gathering, then each section of tasks and the handlers it notified, for these hosts. */
  async walk(hosts: string[], root: Scope, host?: string): Promise<void> {
    if (gathersFacts(this.env)) await this.gather(root, hosts);
    this.replay.adopt(this.active(hosts, undefined));
    for (const section of [this.play.preTasks, [...this.play.roleTasks, ...this.play.tasks], this.play.postTasks]) {
      await this.nodes(section, hosts, root);
      await this.flush(host);
    }
  }

  private async gather(scope: Scope, batch: string[]): Promise<void> {
    if (!shouldRun(['always', ...scope.tags], this.st.opts.tags, this.st.opts.skipTags)) return;
    const hosts = this.active(batch, undefined);
    if (!hosts.length) return;
    const name = 'Gathering Facts';
    if ((await takeStep(this.st, stepLabel('TASK', name))) === 'skip') return;
    this.st.emit({ type: 'task_start', name, pos: this.play.pos, handler: false });
    const t0 = Date.now();
    await mapLimit(hosts, this.st.opts.forks, async (h) => {
      const started = Date.now();
      const v = this.env.builder.forTask(h, { blockVars: [], params: {} });
      let status: 'ok' | 'failed' | 'unreachable' = 'ok';
      let msg: string | undefined;
      let kw: Keywords | undefined;
      let warnings: string[] = [];
      try {
        const no = scope.when.find((c) => !this.st.deps.templar.evalCondition(c, v, this.play.pos));
        if (no !== undefined) {
          const result = { changed: false, skipped: true, skip_reason: 'Conditional result was False', false_condition: no };
          this.st.emit({ type: 'host_result', host: h, task: name, status: 'skipped', result, durationMs: Date.now() - started });
          return this.account(h, { status: 'skipped', result, ignored: false }, scope, undefined);
        }
        kw = resolveKeywords(this.env, scope, undefined, v);
        await ensureFacts(this.env, h, v, kw);
        warnings = discoveredAtGathering(this.env, h, v);
      } catch (e) {
        status = e instanceof ConnectionError ? 'unreachable' : 'failed';
        msg = errorText(e);
      }
      const result: Vars = status === 'ok' ? { changed: false, ...(warnings.length ? { warnings } : {}) } : { changed: false, msg, [status === 'unreachable' ? 'unreachable' : 'failed']: true };
      const ignored = status === 'unreachable' && !!kw?.ignoreUnreachable;
      this.st.emit({ type: 'host_result', host: h, task: name, status, ignored: ignored || undefined, msg, result: this.st.masker.value(result), durationMs: Date.now() - started });
      this.account(h, { status, result, ignored }, scope, undefined);
    });
    this.profile(name, t0);
  }

  private profile(task: string, t0: number): void {
    if (this.st.opts.profile) this.st.profile.push({ task, ms: Date.now() - t0 });
  }

  async nodes(list: TaskNode[], hosts: string[], scope: Scope): Promise<void> {
    for (const n of list) {
      if (!this.active(hosts, scope.frame).length) return;
      if (n.kind === 'task') await this.task(n, hosts, scope);
      else if (n.kind === 'block') await this.block(n, hosts, scope);
      else await this.include(n, hosts, scope);
    }
  }

  private async block(b: Block, hosts: string[], scope: Scope): Promise<void> {
    const bs = childScope(scope, b);
    const entered = this.active(hosts, scope.frame);
    const blockFrame: Frame = { failed: new Set(), rescuable: b.rescue.length > 0, parent: scope.frame };
    await this.nodes(b.block, entered, { ...bs, frame: blockFrame });
    let stillFailed = new Set(blockFrame.failed);
    if (b.rescue.length && blockFrame.failed.size) {
      const rescueFrame: Frame = { failed: new Set(), rescuable: false, parent: scope.frame };
      await this.nodes(b.rescue, [...blockFrame.failed], { ...bs, frame: rescueFrame });
      stillFailed = new Set(rescueFrame.failed);
    }
    if (b.always.length) {
      const alwaysFrame: Frame = { failed: new Set(), rescuable: false, parent: scope.frame };
      const saved = this.endPlay;
      this.pendingFailed.push(stillFailed);
      await this.nodes(b.always, entered, { ...bs, frame: alwaysFrame }).finally(() => this.pendingFailed.pop());
      this.endPlay = saved || this.endPlay;
      for (const h of alwaysFrame.failed) stillFailed.add(h);
    }
    for (const h of stillFailed) {
      if (scope.frame) scope.frame.failed.add(h);
      else this.st.failed.add(h);
    }
  }

  /** Tag and --start-at-task filtering; returns false when the task does not run. */
  private selected(task: Task, scope: Scope): boolean {
    if (!shouldRun([...scope.tags, ...task.tags], this.st.opts.tags, this.st.opts.skipTags)) return false;
    if (!this.st.startAtFound) {
      const want = this.st.opts.startAtTask!;
      if (globMatch(want, task.name ?? '') || globMatch(want, displayName(task, scope, this.env))) this.st.startAtFound = true;
      else return false;
    }
    return true;
  }

  async task(task: Task, hosts: string[], scope: Scope, handler = false): Promise<void> {
    if (!handler && !this.selected(task, scope)) return;
    let hs = handler ? hosts : this.active(hosts, scope.frame);
    if (!hs.length) return;
    if (task.control === 'meta') return runMeta(this, task, hs, scope);
    const bypass = !!this.st.deps.findModule(task.action)?.bypassHostLoop;
    if (this.free && bypass) freeTaskChecks(this.st, task, { runOnce: false, bypass, anyErrorsFatal: false }); // an error before the banner, as Ansible
    const label = stepLabel(handler ? 'HANDLER' : 'TASK', task.name ?? task.actionAs, (task.role ?? scope.role)?.name);
    if ((await takeStep(this.st, this.free ? `${label} on ${hs[0]}` : label)) === 'skip') return;
    const name = displayName(task, scope, this.env);
    this.st.emit({ type: 'task_start', name, pos: task.pos, handler });
    const t0 = Date.now();
    // run_once and throttle decide how the hosts run the task: resolved once, with the first host's variables.
    const { runOnce, throttle, anyErrorsFatal } = this.taskWide(task, scope, hs[0]);
    const all = hs;
    const once = this.free ? freeTaskChecks(this.st, task, { runOnce, bypass, anyErrorsFatal }) : runOnce || bypass;
    if (once) hs = hs.slice(0, 1);
    const varsOf = (h: string) => this.env.builder.forTask(h, { role: task.role ?? scope.role, blockVars: scope.blockVars, taskVars: task.vars, params: scope.params, taskFile: task.file });
    // the hosts render the task's strings together (one request to the template engine for all)
    const templar = this.st.deps.templar;
    const forks = throttle ? Math.min(throttle, this.st.opts.forks) : this.st.opts.forks;
    const together = !this.free && task.loop === undefined && hs.length >= TOGETHER_MIN_HOSTS;
    // hosts that all start at once have their variables made now (as their runs would at their start:
    // nothing runs between); the others when their turn comes
    let early: Map<string, Vars> | undefined;
    try {
      early = together && hs.length <= forks ? new Map(hs.map((h) => [h, varsOf(h)])) : undefined;
    } catch {
      early = undefined; // a host's variables that cannot be made: its run reports it, as before
    }
    if (together) {
      templar.together?.(hs, varsOf, renderedStrings(task, scope));
      for (const [h, v] of early ?? []) templar.taskVars?.(h, v);
    }
    try {
      await mapLimit(hs, forks, async (h) => {
        const v = early?.get(h) ?? varsOf(h);
        if (!early) templar.taskVars?.(h, v);
        await this.onHost(task, h, scope, v, once, runOnce, all);
      });
    } finally {
      templar.apart?.();
    }
    this.profile(name, t0);
    this.maxFailPercentage();
  }

  /** One host's run of a task and its bookkeeping; `all`: the task's hosts (a run_once task's result is theirs too). */
  private async onHost(task: Task, h: string, scope: Scope, v: Vars, once: boolean, runOnce: boolean, all: string[]): Promise<void> {
    const out = await runOnHost(this.env, task, h, scope, v);
    if (once && out.status === 'failed' && !out.ignored) out.anyErrorsFatal = true; // as Ansible's linear strategy: a failed run-once task ends the play
    this.account(h, out, scope, task);
    if (runOnce) {
      if (out.status === 'ok' || out.status === 'changed') this.customStats(out.result, all.slice(1), true);
      for (const other of all.slice(1)) {
        if (task.register) this.st.host(other).hostFacts[task.register] = this.st.host(h).hostFacts[task.register];
        if (out.result.ansible_facts && !out.result.failed) absorbFacts(this.env, task, other, out.result);
      }
    }
  }


  taskWide(task: Task, scope: Scope, first: string): { runOnce: boolean; throttle?: number; anyErrorsFatal: boolean } {
    const v = this.env.builder.forTask(first, { role: task.role ?? scope.role, blockVars: scope.blockVars, taskVars: task.vars, params: scope.params, taskFile: task.file });
    const one = (f: 'runOnce' | 'throttle' | 'anyErrorsFatal'): unknown => {
      try {
        return keyword(this.env, scope, task, f, v);
      } catch {
        return undefined; // the host's own resolution reports the error
      }
    };
    return { runOnce: one('runOnce') === true, throttle: one('throttle') as number | undefined, anyErrorsFatal: one('anyErrorsFatal') === true };
  }

  /** max_fail_percentage: more than that share of the batch failed -> the run stops (Ansible breaks the play and the playbook). */
  private maxFailPercentage(): void {
    const pct = this.play.maxFailPercentage;
    if (pct === undefined || this.endPlay || this.free) return;
    const failed = this.batch.filter((h) => this.st.failed.has(h)).length;
    if ((failed / this.batch.length) * 100 > pct) {
      this.st.emit({ type: 'warning', msg: `${failed} of ${this.batch.length} hosts failed, more than max_fail_percentage ${pct}%: stopping` });
      this.endPlay = true;
      this.st.stopRun = true;
    }
  }

  /**
   * set_stats' statistics in a result that succeeded (each loop item's), as Ansible's strategy adds
   * them up: per host (the task's hosts: a run_once task's are all of them) or for the run.
   * `perHostOnly`: the other hosts of a run_once task (the run's share was counted with the first).
   */
  private customStats(r: Vars, hosts: string[], perHostOnly = false): void {
    for (const item of Array.isArray(r.results) ? (r.results as Vars[]) : [r]) {
      const s = item?.ansible_stats as Vars | undefined;
      const data = s?.data as Vars | undefined;
      if (!data || typeof data !== 'object' || !Object.keys(data).length || item.failed || item.skipped) continue;
      const perHost = !('per_host' in s!) || s!.per_host === true;
      if (!perHost && perHostOnly) continue;
      for (const h of perHost ? hosts : [undefined]) for (const [k, v] of Object.entries(data)) this.st.customStat(k, v, s!.aggregate === true, h);
    }
  }

  /** Recap counters, register, notify, failure bookkeeping for one host's outcome. */
  account(h: string, out: HostOutcome, scope: Scope, task: Task | undefined): void {
    const st = this.st;
    st.touch(h);
    const r = out.result;
    if (task && out.status !== 'unreachable' && out.status !== 'interrupted' && (out.status !== 'failed' || out.ignored)) this.replay.ran(task, h);
    if (task?.register) st.host(h).hostFacts[task.register] = markResultUnsafe(withoutInternalKeys(r), !!st.deps.findModule(task.action)?.controllerOnly);
    switch (out.status) {
      case 'unreachable':
        if (out.ignored) {
          st.count(h, 'ok');
          st.count(h, 'ignored');
          return;
        }
        st.count(h, 'unreachable');
        st.unreachable.add(h);
        return;
      case 'skipped':
        st.count(h, 'skipped');
        return;
      case 'interrupted':
        st.count(h, 'interrupted');
        return;
      case 'ok':
      case 'changed':
        this.customStats(r, [h]);
        st.count(h, 'ok');
        if (out.status === 'changed') st.count(h, 'changed');
        if (out.status === 'changed' && task?.notify.length) {
          const missing = this.notes.notify(task, h);
          for (const m of missing) {
            st.emit({ type: 'warning', msg: `${h}: the handler '${m}' notified by '${task.name ?? task.action}' was not found in the handlers nor in listen topics` });
          }
        }
        return;
      case 'failed':
        if (out.ignored) {
          st.count(h, 'ok');
          st.count(h, 'ignored');
          if (r.changed) st.count(h, 'changed');
          return;
        }
        this.fail(h, scope, task, r, out.anyErrorsFatal);
        return;
    }
  }

  private fail(h: string, scope: Scope, task: Task | undefined, r: Vars, fatalHere?: boolean): void {
    const st = this.st;
    const rescued = willBeRescued(scope.frame);
    st.count(h, rescued ? 'rescued' : 'failed');
    if (rescued) {
      st.host(h).hostFacts.ansible_failed_result = r;
      st.host(h).hostFacts.ansible_failed_task = task ? { name: task.name ?? task.action, action: task.action } : {};
    }
    if (scope.frame) scope.frame.failed.add(h);
    else st.failed.add(h);
    const fatal = !this.free && (fatalHere ?? this.scopeKeyword(scope, h, 'anyErrorsFatal') === true);
    if (!rescued && fatal) {
      this.endPlay = true;
      st.stopRun = true;
    }
  }

  /** A keyword of the scope itself (a failed include, fact gathering), resolved with the host's variables; undefined when it cannot be. */
  private scopeKeyword(scope: Scope, h: string, f: 'anyErrorsFatal'): unknown {
    try {
      return keyword(this.env, scope, undefined, f, this.env.builder.forTask(h, { role: scope.role, blockVars: scope.blockVars, params: scope.params }));
    } catch {
      return undefined;
    }
  }

  /** Run notified handlers, once each, in definition order (those `host` notified, when given). */
  /** The notified hosts a handler may run on: not unreachable, not ended, not failed (unless force_handlers). */
  private handlerHosts(hosts: string[]): string[] {
    return hosts.filter((h) => !this.st.unreachable.has(h) && !this.ended.has(h) && (this.forceHandlers || !this.st.failed.has(h)));
  }

  /**
   * A handler notified for these hosts that will not run now because the host went unreachable
   * or the run was interrupted is kept for the next run (src/run/pending.ts); failed hosts lose
   * it, as in Ansible — unless an earlier run left it (replayed here): that one is kept.
   */
  keepPending(handler: Handler, hosts: string[]): void {
    const runnable = this.handlerHosts(hosts);
    for (const h of hosts) {
      const earlier = this.replay.origin(handler, h);
      if (this.st.unreachable.has(h)) this.st.pending.leave(this.play, handler, h, 'unreachable');
      else if (this.st.interrupted && runnable.includes(h)) this.st.pending.leave(this.play, handler, h, 'interrupted');
      // an earlier run's handler is not lost to a failure of this run: its change may be on the host already
      else if (earlier && !runnable.includes(h)) this.st.pending.leave(this.play, handler, h, earlier.why);
    }
  }

  async flush(host?: string): Promise<void> {
    for (let guard = 0; guard < 1000; guard++) {
      const next = this.notes.take(host);
      if (!next) return;
      const hosts = this.handlerHosts(next.hosts);
      this.keepPending(next.handler, next.hosts);
      if (!hosts.length || this.st.interrupted) continue;
      const root = rootScope(this.play.tags, this.play);
      // a role's handler inherits the keywords of the role's application, as the role's tasks do
      const hscope: Scope = { ...root, layers: [...root.layers, ...(next.handler.layers ?? [])], role: next.handler.role, handler: true };
      if (next.handler.include) await this.include(next.handler.include, hosts, hscope, true);
      else await this.task(next.handler as Handler, hosts, hscope, true);
    }
  }

  private async include(n: IncludeNode, hosts: string[], scope: Scope, handler = false): Promise<void> {
    if (!handler && !shouldRun([...scope.tags, ...n.tags], this.st.opts.tags, this.st.opts.skipTags)) return;
    const hs = this.active(hosts, scope.frame);
    if (!hs.length) return;
    if ((await takeStep(this.st, stepLabel(handler ? 'HANDLER' : 'TASK', n.name ?? (n.what === 'tasks' ? 'include_tasks' : 'include_role'), scope.role?.name))) === 'skip') return;
    const is = includedScope(scope, n);
    const name = n.name ? renderName(this.env, n.name, n, scope) : n.what === 'tasks' ? 'include_tasks' : 'include_role';
    // Ansible's banner of an unnamed include_role is `include_role : ROLE`, without the enclosing role's name
    const banner = !n.name && n.what === 'role' ? `include_role : ${renderName(this.env, n.target, n, scope)}` : scope.role ? `${scope.role.name} : ${name}` : name;
    if (this.st.startAtFound) this.st.emit({ type: 'task_start', name: banner, pos: n.pos, handler });
    const groups = await includeTargets(this, n, hs, scope);
    for (const g of groups) {
      if (!this.active(g.hosts, scope.frame).length) continue;
      const nodes: TaskNode[] = n.apply ? [{ ...n.apply, block: g.nodes, role: g.role ?? n.apply.role }] : g.nodes;
      await this.nodes(nodes, g.hosts, { ...is, role: g.role ?? is.role, params: { ...is.params, ...g.params } });
    }
  }
}

/**
 * Hosts of a task rendering its strings together (one request to the engine for all of them) from
 * this many hosts on. Measured (bench/templar-time.sh, bench/render-hosts.sh; results in
 * bench/results/issue17-speed-2026-12-06-s21.md): with 2 hosts a task (site.yml's plays) reading
 * the others' variables ahead costs more main-thread time (~8 ms a run) than the round trips it
 * saves; with 4 hosts whose values differ it saves (22 → 6 requests, ~7 → ~6 ms in them), with 30 hosts
 * 165 → 6 requests.
 */
const TOGETHER_MIN_HOSTS = 4;

/** At most this many of a task's strings are rendered ahead (each for every host running it). */
const AHEAD_STRINGS = 16;

/**
 * The strings of a task that its hosts render before it runs, as the templar sends them to the
 * engine: its conditions (bare expressions; a condition written as a template is rendered first),
 * its arguments' and `environment`'s templates. Not its name (rendered once for the task) nor
 * changed_when/failed_when/until (they read the task's result).
 */
function renderedStrings(task: Task, scope: Scope): AheadString[] {
  const out: AheadString[] = [];
  for (const c of [...scope.when, ...task.when]) {
    if (typeof c !== 'string' || !c.trim()) continue;
    const e = c.trim();
    out.push(isTemplate(e) ? { op: 'arg', src: e } : { op: 'expr', src: e });
  }
  const leaves = (v: unknown, depth = 0): void => {
    if (out.length >= AHEAD_STRINGS || depth > 20) return;
    if (typeof v === 'string') {
      if (isTemplate(v) && !out.some((x) => x.op === 'arg' && x.src === v)) out.push({ op: 'arg', src: v });
    } else if (Array.isArray(v)) v.forEach((x) => leaves(x, depth + 1));
    else if (v !== null && typeof v === 'object') Object.values(v).forEach((x) => leaves(x, depth + 1));
  };
  leaves(task.args);
  leaves(task.environment);
  return out.slice(0, AHEAD_STRINGS);
}
