// Console output like ansible-playbook's default callback: banners, one line per host and task,
// results as Python-style JSON, diffs, the recap.
import { paint } from './color.js';
import { warningText } from './textwrap.js';
import type { Reporter, RunEvent, Vars } from '../types.js';
import { formatPos } from '../errors.js';
import { itemLabel, pyJson } from './pyjson.js';
import { banner, recapLines } from './recap.js';
import { unifiedDiff } from './diff.js';
import { pyStr } from '../vars/pystr.js';

export interface ConsoleOptions {
  verbosity: number;
  color: boolean;
  diff: boolean;
  columns?: number;
  out?: (s: string) => void;
  err?: (s: string) => void;
  /** show_custom_stats: set_stats' statistics after the recap (CUSTOM STATS). */
  showCustomStats?: boolean;
}

type HostResult = Extract<RunEvent, { type: 'host_result' }>;

const HIDDEN = new Set(['invocation', 'diff', 'exception', 'failed', 'skipped']);

/** The result as the callback dumps it: internal keys removed, debug shows only what it printed. */
export function cleanResult(r: Vars, verbosity: number): Vars {
  const out: Vars = {};
  for (const [k, v] of Object.entries(r)) {
    if (k.startsWith('_') || (HIDDEN.has(k) && !(k === 'invocation' && verbosity >= 3))) continue;
    out[k] = v;
  }
  if (r._ansible_debug) {
    // what Ansible's callback keeps of a debug result: msg alone, or the variable (and loop keys)
    if ('msg' in r) {
      for (const k of Object.keys(out)) if (!['msg', 'exception', 'warnings', 'deprecations'].includes(k)) delete out[k];
    } else {
      for (const k of ['changed', 'failed', 'skipped', 'invocation', 'skip_reason']) delete out[k];
    }
  }
  return out;
}

export class ConsoleReporter implements Reporter {
  private readonly o: Required<Omit<ConsoleOptions, 'columns'>> & { columns: number };
  private itemsSeen = new Set<string>();

  constructor(opts: ConsoleOptions) {
    this.o = {
      columns: 79,
      showCustomStats: false,
      out: (s) => process.stdout.write(s),
      err: (s) => process.stderr.write(s),
      ...opts,
    };
  }

  private line(s: string, paint?: (x: string) => string): void {
    this.o.out(`${paint && this.o.color ? paint(s) : s}\n`);
  }

  private banner(msg: string): void {
    this.o.out(`\n${banner(msg, this.o.columns)}\n`);
  }

  private dump(r: Vars | undefined, forceIndent = false): string {
    const res = cleanResult(r ?? {}, this.o.verbosity);
    const indent = forceIndent || this.o.verbosity > 2 || r?._ansible_verbose_always ? 4 : undefined;
    return pyJson(res, indent);
  }

  emit(ev: RunEvent): void {
    switch (ev.type) {
      case 'playbook_start':
        if (this.o.verbosity > 1) this.banner(`PLAYBOOK: ${ev.file.split('/').pop()}`);
        return;
      case 'play_start':
        this.banner(ev.name ? `PLAY [${ev.name}]` : 'PLAY');
        if (ev.hosts.length === 0) this.line('skipping: no hosts matched', paint('skip'));
        return;
      case 'task_start':
        this.itemsSeen.clear();
        this.banner(ev.handler ? `RUNNING HANDLER [${ev.name}]` : `TASK [${ev.name}]`);
        if (this.o.verbosity >= 2 && ev.pos?.file) this.line(`task path: ${formatPos(ev.pos)}`, paint('debug'));
        return;
      case 'host_result':
        return this.hostResult(ev);
      case 'progress':
        if (ev.text.startsWith('FAILED - RETRYING')) this.line(ev.text, paint('debug'));
        else if (this.o.verbosity >= 2) this.line(`<${ev.host}> ${ev.text.replace(/\n$/, '')}`, paint('debug'));
        return;
      case 'async_poll':
        this.line(`ASYNC POLL on ${ev.host}: jid=${pyStr(ev.jid)} started=${pyStr(ev.started)} finished=${pyStr(ev.finished)}`, paint('debug'));
        return;
      case 'async_end':
        this.line(`ASYNC ${ev.failed ? 'FAILED' : 'OK'} on ${ev.host}: jid=${pyStr(ev.jid)}`, paint('debug'));
        return;
      case 'warning':
        this.warn(ev.msg);
        return;
      case 'step':
        this.banner(ev.question);
        return;
      case 'error':
        this.o.err(`${this.o.color ? paint('error')(`ERROR! ${ev.msg}`) : `ERROR! ${ev.msg}`}\n`);
        return;
      case 'recap':
        this.banner('PLAY RECAP');
        for (const l of recapLines(ev.hosts, this.o.color)) this.o.out(`${l}\n`);
        this.o.out('\n');
        if (ev.custom && this.o.showCustomStats) {
          // Ansible's default callback: each host's, then the run's, as json.dumps(indent=1, sort_keys) without its newlines
          const dump = (v: Vars) => pyJson(v, 1).replace(/\n/g, '');
          this.banner('CUSTOM STATS: ');
          for (const h of Object.keys(ev.custom).sort()) if (h !== '_run') this.o.out(`\t${h}: ${dump(ev.custom[h])}\n`);
          if (ev.custom._run) this.o.out(`\n\tRUN: ${dump(ev.custom._run)}\n`);
          this.o.out('\n');
        }
        if (ev.profile?.length) {
          this.banner('TASK PROFILE');
          const sorted = [...ev.profile].sort((a, b) => b.ms - a.ms);
          for (const p of sorted) {
            const t = `${(p.ms / 1000).toFixed(2)}s`;
            const dots = '-'.repeat(Math.max(3, this.o.columns - p.task.length - t.length - 2));
            this.o.out(`${p.task} ${dots} ${t}\n`);
          }
        }
        return;
      case 'playbook_end':
        return;
    }
  }

  /** Ansible's Display.warning: "[WARNING]: msg" wrapped as Python's textwrap wraps it (each line coloured). */
  private warn(msg: string): void {
    const lines = warningText(msg, this.o.columns).replace(/\n$/, '').split('\n');
    this.o.err(`${(this.o.color ? lines.map((l) => paint('warn')(l)) : lines).join('\n')}\n`);
  }

  /** A module's `warnings` (Ansible's callback `_handle_warnings`): printed before the host's line, then left out of its dump. */
  private resultWarnings(ev: HostResult, r: Vars): Vars {
    if (ev.status === 'skipped' || ev.status === 'unreachable' || !('warnings' in r)) return r;
    const w = r.warnings;
    for (const m of Array.isArray(w) ? w : w ? [w] : []) this.warn(typeof m === 'string' ? m : JSON.stringify(m));
    const { warnings: _, ...rest } = r;
    return rest;
  }

  private hostResult(ev: HostResult): void {
    const who = ev.delegatedTo && ev.delegatedTo !== ev.host ? `[${ev.host} -> ${ev.delegatedTo}]` : `[${ev.host}]`;
    let r = ev.result ?? {};
    if (typeof r._include === 'string') {
      this.line(`included: ${r._include} for ${ev.host}`, paint('skip'));
      return;
    }
    const verbose = this.o.verbosity > 0 || !!r._ansible_verbose_always;
    const key = `${ev.host}\u0000${ev.task}`;
    const isItem = ev.item !== undefined || r._ansible_item === true;
    if (isItem) this.itemsSeen.add(key);
    else if (this.itemsSeen.has(key) && Array.isArray(r.results)) {
      // the summary of a loop: its items are already printed (a loop stopped by an item's templating error has none: printed)
      if (ev.status === 'failed' && ev.ignored) this.line('...ignoring', paint('skip'));
      if (ev.status === 'skipped') this.line(`skipping: ${who}`, paint('skip'));
      return;
    }
    // a diff comes with the result only in diff mode (--diff, or the task's or play's `diff: true`)
    if (ev.diff && (ev.status === 'changed' || r.changed)) {
      for (const d of ev.diff) {
        if (d.prepared !== undefined) {
          if (d.prepared) this.o.out(d.prepared.endsWith('\n') ? d.prepared : `${d.prepared}\n`); // as the module wrote it
          continue;
        }
        const text = unifiedDiff(d, this.o.color);
        if (text) this.o.out(`${text}\n`); // Ansible's callback ends a diff with an empty line
      }
    }
    r = this.resultWarnings(ev, r);
    const item = isItem ? ` (item=${itemLabel(r._ansible_item_label ?? ev.item)})` : '';
    switch (ev.status) {
      case 'ok':
      case 'changed': {
        const colour = ev.status === 'changed' ? paint('changed') : paint('ok');
        let msg = `${ev.status}: ${who}`;
        if (isItem) msg += ` =>${item}`;
        if (verbose) msg += ` => ${this.dump(r)}`;
        this.line(msg, colour);
        if (this.o.verbosity >= 2 && ev.steps?.length) for (const s of ev.steps) this.line(`    ${s}`, paint('debug'));
        return;
      }
      case 'skipped': {
        let msg = `skipping: ${who}`;
        if (isItem) msg += ` =>${item} `;
        if (this.o.verbosity > 0) msg += ` => ${this.dump(r)}`;
        this.line(msg, paint('skip'));
        return;
      }
      case 'failed': {
        // Ansible's callback: a result carrying a traceback says so first (its last line; the whole of it at -vvv)
        if (typeof r.exception === 'string') {
          const tb = r.exception;
          this.line(this.o.verbosity < 3 ? `An exception occurred during task execution. To see the full traceback, use -vvv. The error was: ${tb.trim().split('\n').pop()}` : `The full traceback is:\n${tb}`, paint('error'));
        }
        const msg = isItem ? `failed: ${who}${item} => ${this.dump(r)}` : `fatal: ${who}: FAILED! => ${this.dump(r)}`;
        this.line(msg, paint('error'));
        if (ev.where) this.line(`  ${ev.where}`, paint('error')); // where lvsplay found it (Ansible's msg does not say)
        if (ev.ignored && !isItem) this.line('...ignoring', paint('skip'));
        return;
      }
      case 'interrupted':
        this.line(`interrupted: ${who}${item}: ABANDONED => ${this.dump(r)}`, paint('error'));
        return;
      case 'unreachable':
        this.line(`fatal: ${who}: UNREACHABLE! => ${this.dump(r)}`, paint('unreachable'));
        if (ev.ignored) this.line('...ignoring', paint('skip'));
        return;
    }
  }
}
