// Handlers an earlier run of this playbook left pending (src/run/pending.ts), replayed by the play
// that defines them. A record is treated as a notification made by the task that notified it: the
// handler is notified for the host once such a task (a task of this play whose `notify` names the
// handler) has run on the host again — changed, ok or skipped — so it runs at the first handler
// flush after that task, i.e. after the change the earlier run abandoned has been re-applied (a
// service restart after its package install). A handler no task of the play names (notified from
// a dynamic include, or by another handler) is notified when the play starts and runs at its first
// flush. A record whose task never runs on the host here (--tags, --start-at-task, a failure)
// stays recorded, and the run says so at its end. force_handlers and meta: flush_handlers work on
// these notifications as on any other.
import type { Handler, Play, Task, TaskNode } from '../types.js';
import type { Notifications } from './handlers.js';
import { handlerKey, type PendingHandlers, type PendingRecord } from './pending.js';
import { isTemplate } from '../vars/unsafe.js';

/** Handlers some task of the play names in its `notify` (static tasks and blocks; dynamic includes are not seen). */
export function notifiedByTasks(play: Play, notes: Notifications): Set<Handler> {
  const out = new Set<Handler>();
  const visit = (nodes: TaskNode[]): void => {
    for (const n of nodes) {
      if (n.kind === 'block') {
        visit(n.block);
        visit(n.rescue);
        visit(n.always);
      } else if (n.kind === 'task') {
        for (const name of n.notify) if (!isTemplate(name)) for (const h of notes.match(name)) out.add(h);
      }
    }
  };
  visit([...play.preTasks, ...play.roleTasks, ...play.tasks, ...play.postTasks]);
  return out;
}

export class PendingReplay {
  /** Records waiting for their notifying task, by host. */
  private readonly awaiting = new Map<string, { record: PendingRecord; handler: Handler }[]>();
  /** Records notified in this play, by handler and host (a failed host keeps them: see keepOnFailure). */
  private readonly notified = new Map<string, PendingRecord>();

  constructor(
    private readonly pending: PendingHandlers,
    private readonly play: Play,
    private readonly notes: Notifications,
  ) {}

  /** At the start of the play (after fact gathering), for its active hosts. */
  adopt(hosts: string[]): void {
    const records = this.pending.forPlay(this.play, hosts);
    if (!records.length) return;
    const named = notifiedByTasks(this.play, this.notes);
    for (const record of records) {
      const handler = this.notes.handlers.find((x) => handlerKey(x) === record.handler);
      if (!handler) continue; // ownerOf() found it among the play's handlers: cannot happen
      if (named.has(handler)) this.awaiting.set(record.host, [...(this.awaiting.get(record.host) ?? []), { record, handler }]);
      else this.notify(record, handler);
    }
  }

  /** A task ran on a host (not failed, not unreachable): the records it notified become notifications. */
  ran(task: Task, host: string): void {
    const waiting = this.awaiting.get(host);
    if (!waiting?.length || !task.notify.length) return;
    const selected = new Set(task.notify.flatMap((n) => this.notes.match(n)));
    const rest = waiting.filter((w) => {
      if (!selected.has(w.handler)) return true;
      this.notify(w.record, w.handler);
      return false;
    });
    this.awaiting.set(host, rest);
  }

  private notify(record: PendingRecord, handler: Handler): void {
    this.notes.notifyHandler(handler, record.host);
    this.pending.consume(record);
    this.notified.set(`${record.handler}\0${record.host}`, record);
  }

  /** The earlier run's record behind this notification, if it is one. */
  origin(handler: Handler, host: string): PendingRecord | undefined {
    return this.notified.get(`${handlerKey(handler)}\0${host}`);
  }

  /** At the end of the play: records whose task never ran on their host stay recorded, with why. */
  finish(why: (host: string) => string): void {
    for (const [host, waiting] of this.awaiting) for (const w of waiting) this.pending.miss(w.record, why(host));
    this.awaiting.clear();
  }
}
