// Handlers are never lost. Ansible forgets a handler whose host was notified when the run is
// interrupted or the host becomes unreachable before the handler ran: the file changed, the next
// run reports `ok`, and the service keeps its old configuration. lvsplay records such handlers (per
// playbook, play, handler and host) in a state file on the controller. The next run of the same
// playbook says at its start which it picked up, and treats each as notified by the task that
// notified it: the handler runs at the first handler flush after that task has run again on the
// host (re-applying a change the earlier run abandoned), or at the play's first flush when no task
// of the play names it (src/run/replay.ts). One this run does not reach stays recorded, and the run
// says so at its end. A change still being applied when the run is stopped for good counts as made.
// Failed hosts keep Ansible's rule for this run's notifications (dropped unless force_handlers).
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Handler, Play } from '../types.js';

export interface PendingRecord {
  /** Index of the play in the playbook, and its name (both must match to replay). */
  play: number;
  playName: string;
  /** The handler as notify names it: `name`, or `role : name` for a role's handler. */
  handler: string;
  host: string;
  why: 'interrupted' | 'unreachable';
  at: string;
}

/** The state directory: $LVSPLAY_STATE_DIR, else $XDG_STATE_HOME/lvsplay, else ~/.local/state/lvsplay. */
export function stateDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.LVSPLAY_STATE_DIR) return env.LVSPLAY_STATE_DIR;
  return join(env.XDG_STATE_HOME || join(homedir(), '.local', 'state'), 'lvsplay');
}

/** The file that keeps a playbook's pending handlers (one per playbook path). */
export function pendingFile(playbook: string, env: NodeJS.ProcessEnv = process.env): string {
  const id = createHash('sha256').update(playbook).digest('hex').slice(0, 16);
  return join(stateDir(env), 'pending-handlers', `${id}.json`);
}

export function handlerKey(h: Handler): string {
  const name = h.name ?? h.listen[0] ?? h.action;
  return h.role ? `${h.role.name} : ${name}` : name;
}

/** The records of one playbook; a missing or unreadable file is none (an unreadable one is named in the warning). */
export function loadPending(file: string, warn: (msg: string) => void): PendingRecord[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  try {
    const doc = JSON.parse(text) as { records?: PendingRecord[] };
    return Array.isArray(doc.records) ? doc.records.filter((r) => r && typeof r.handler === 'string' && typeof r.host === 'string') : [];
  } catch (e) {
    warn(`${file}: the pending handlers recorded by an earlier run cannot be read (${(e as Error).message}); ignored`);
    return [];
  }
}

/** Write the records atomically (none: the file is removed). */
export function savePending(file: string, playbook: string, records: PendingRecord[]): void {
  const unique = new Map(records.map((r) => [`${r.play}\0${r.handler}\0${r.host}`, r]));
  if (!unique.size) {
    rmSync(file, { force: true });
    return;
  }
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify({ playbook, records: [...unique.values()] }, null, 1)}\n`, { mode: 0o600 });
  renameSync(tmp, file);
}

/** One playbook's pending handlers during a run: what was loaded, what this run replays and what it leaves. */
export class PendingHandlers {
  private readonly loaded: PendingRecord[];
  private readonly consumed = new Set<PendingRecord>();
  /** Records a play of this run had in hand for one of its hosts but did not run (why not, for the closing line). */
  private readonly missed = new Map<PendingRecord, string>();
  private readonly left: PendingRecord[] = [];

  constructor(
    readonly file: string,
    readonly playbook: string,
    private readonly plays: Play[],
    warn: (msg: string) => void,
    /** A check run changes nothing: it leaves nothing pending and replays nothing for good (records are read, never written). */
    private readonly dryRun = false,
  ) {
    this.loaded = loadPending(file, warn);
  }

  /** Every record an earlier run left (said once at the start of the run). */
  get picked(): readonly PendingRecord[] {
    return this.loaded;
  }

  /**
   * The play of this playbook a record belongs to: one with the recorded name that defines the
   * handler — the one at the recorded position when there are several (the playbook may have changed).
   */
  ownerOf(r: PendingRecord): Play | undefined {
    const defines = (p: Play) => p.name === r.playName && p.handlers.some((h) => handlerKey(h) === r.handler);
    const i = this.plays[r.play];
    return i && defines(i) ? i : this.plays.find(defines);
  }

  /** The records this play owns for these hosts, not yet replayed. Replaying one is `consume`. */
  forPlay(play: Play, hosts: string[]): PendingRecord[] {
    return this.loaded.filter((r) => !this.consumed.has(r) && hosts.includes(r.host) && this.ownerOf(r) === play);
  }

  /** The record's handler is notified in this run (it runs, or is left again by `leave`). */
  consume(r: PendingRecord): void {
    this.consumed.add(r);
    this.missed.delete(r);
  }

  /** A play had the record in hand but did not notify its handler (`why`: for the closing line). */
  miss(r: PendingRecord, why: string): void {
    if (!this.consumed.has(r)) this.missed.set(r, why);
  }

  /** Records of the earlier run this run did not replay, each with why (they stay recorded). */
  notReplayed(): { record: PendingRecord; why: string }[] {
    return this.loaded
      .filter((r) => !this.consumed.has(r))
      .map((record) => ({
        record,
        why: this.missed.get(record) ?? (this.ownerOf(record) ? 'the host was not in this run' : 'no play of this playbook defines it now'),
      }));
  }

  /** A handler notified for this host did not run: keep it for the next run. */
  leave(play: Play, h: Handler, host: string, why: PendingRecord['why']): void {
    if (this.dryRun) return;
    this.left.push({ play: this.plays.indexOf(play), playName: play.name, handler: handlerKey(h), host, why, at: new Date().toISOString() });
  }

  get leftover(): readonly PendingRecord[] {
    return this.left;
  }

  /** Records for the next run: those not replayed (other hosts, other plays) and those left now. */
  save(): void {
    if (this.dryRun) return;
    savePending(this.file, this.playbook, [...this.loaded.filter((r) => !this.consumed.has(r)), ...this.left]);
  }
}

/** "'h1' on a, b; 'h2' on c" */
export function describeRecords(records: readonly PendingRecord[]): string {
  const by = new Map<string, string[]>();
  for (const r of records) by.set(r.handler, [...(by.get(r.handler) ?? []), r.host]);
  return [...by].map(([h, hosts]) => `'${h}' on ${[...new Set(hosts)].join(', ')}`).join('; ');
}
