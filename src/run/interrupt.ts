// Stopping a run on a signal without losing a change or a handler (src/cli.ts owns the signals).
// soft(): no new task or change starts; the changes being applied (plans in their apply exec) may
// finish; the executor then unwinds: handlers not run are recorded (src/run/pending.ts), the recap
// is printed, the exit code is the signal's. hard(): the changes still being applied are abandoned
// — counted as made (their handlers are recorded), the record is written at once — and every
// connection is closed, so the run unwinds at once.
import type { Task } from '../types.js';
import type { RunState } from './state.js';

/** LVSPLAY_INTERRUPT_GRACE (seconds, default 10): how long changes under way may take to finish when a run stops. */
export function interruptGraceMs(env: NodeJS.ProcessEnv = process.env): number {
  const s = Number(env.LVSPLAY_INTERRUPT_GRACE ?? 10);
  return (Number.isFinite(s) && s >= 0 ? s : 10) * 1000;
}

export interface Interruptible {
  /** Stop softly with this exit code; returns how many changes are being applied (0: nothing to wait for). */
  soft(rc: number): number;
  hard(): Promise<void>;
}

/** A plan being applied on a host (between the start of its apply exec and its result). */
export interface Applying {
  host: string;
  task: Task;
}

export function interruptibleRun(st: RunState): Interruptible {
  return {
    soft(rc) {
      st.interrupted = true;
      st.interruptRc = rc;
      return st.applying.size;
    },
    async hard() {
      st.interrupted = true;
      st.abandoned = true;
      const cur = st.currentPlay;
      if (cur) {
        for (const a of st.applying.values()) if (a.task.notify.length) cur.notes.notify(a.task, a.host);
        for (const { handler, hosts } of cur.notes.peek()) cur.keepPending(handler, hosts);
      }
      st.pending.save();
      await st.conns.closeAll();
    },
  };
}

/**
 * Wait until no change is being applied (at most `ms`): a run that ends early (an error that stops
 * it, the last host failing) lets the changes already under way on other hosts finish before its
 * connections close, as Ansible's workers do, instead of cutting them off half-applied.
 */
export async function applyingSettled(st: RunState, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (st.applying.size && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
}
