// One run changes a host at a time. Before its first change on a host, a run takes that host's
// lock: flock(1) on /run/lock/lvsplay-<inventory name>.lock (or in $TMPDIR when /run/lock is not
// writable), held by a small loop on the host for as long as the run's connection lives — the loop
// ends within a second of the connection going away, however the run ended, so no lock outlives
// its run. A second run that wants to change the host waits up to LVSPLAY_LOCK_WAIT seconds
// (default 10), saying who holds it, then fails that host with the holder's name, pid, playbook
// and start time. Runs that change nothing (no-change re-runs, --check) never take it, nor does a
// change on the controller itself (localhost: delegated local work of parallel runs). A host
// without flock is changed without the lock (a warning says so). Ansible has no such lock.
import { hostname, userInfo } from 'node:os';
import type { ExecResult } from '../types.js';
import { TaskError } from '../errors.js';
import { q } from '../shell.js';

const OK = 'LVSPLAY-LOCK-OK';
const NONE = 'LVSPLAY-LOCK-NONE';
const WAIT = 'LVSPLAY-LOCK-WAIT';
const HELD = 'LVSPLAY-LOCK-HELD';

/** Who this run is, as the lock's holder file says it. */
export function holderText(playbook: string): string {
  let user = 'unknown';
  try {
    user = userInfo().username;
  } catch {
    /* no passwd entry */
  }
  return `${user}@${hostname()} pid ${process.pid}, ${playbook}, since ${new Date().toISOString()}`;
}

/** The script that takes the lock and keeps it while its output can be read. */
export function lockScript(host: string, holder: string, waitSeconds: number): string {
  const name = `lvsplay-${host.replace(/[^A-Za-z0-9._-]/g, '_')}`;
  return [
    'd=/run/lock; [ -d "$d" ] && [ -w "$d" ] || d="${TMPDIR:-/tmp}"',
    `f="$d/${name}.lock"; h="$d/${name}.holder"`,
    `command -v flock >/dev/null 2>&1 || { echo ${NONE} no flock on the host; exit 0; }`,
    `{ exec 9>>"$f"; } 2>/dev/null || { exec 9<"$f"; } 2>/dev/null || { echo ${NONE} cannot open "$f"; exit 0; }`,
    `if ! flock -n 9; then echo "${WAIT} $(cat "$h" 2>/dev/null)"; flock -w ${Math.max(0, Math.floor(waitSeconds))} 9 || { echo "${HELD} $(cat "$h" 2>/dev/null)"; exit 0; }; fi`,
    `{ printf '%s\\n' ${q(holder)} > "$h"; } 2>/dev/null`,
    `echo ${OK}`,
    // held while the run's connection lives: writing to a closed channel ends the loop (and the lock)
    'while sleep 1; do echo . || exit 0; done',
  ].join('\n');
}

export interface LockOutcome {
  /** A warning (no flock on the host, ...). */
  note?: string;
}

/** Runs the lock script, calling onOutput with its output as it comes (a connection's own channel). */
export type LockRunner = (script: string, onOutput: (chunk: string) => void) => Promise<ExecResult>;

/**
 * Take the host's lock through `run`. Resolves once held (or when the host cannot lock: a note);
 * rejects with a TaskError naming the holder when another run keeps it past the wait.
 */
export function takeHostLock(run: LockRunner, host: string, holder: string, waitSeconds: number, onWait: (who: string) => void): Promise<LockOutcome> {
  return new Promise<LockOutcome>((resolve, reject) => {
    let buf = '';
    let settled = false;
    const settle = (f: () => void) => {
      if (!settled) {
        settled = true;
        f();
      }
    };
    const onOutput = (chunk: string): void => {
      if (settled) return;
      buf += chunk;
      for (;;) {
        const nl = buf.indexOf('\n');
        if (nl < 0) return;
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        if (line === OK) return settle(() => resolve({}));
        if (line.startsWith(NONE)) return settle(() => resolve({ note: `${host}: changed without the per-host lock (${line.slice(NONE.length + 1)})` }));
        if (line.startsWith(WAIT)) onWait(line.slice(WAIT.length + 1) || 'another run');
        if (line.startsWith(HELD)) {
          const who = line.slice(HELD.length + 1) || 'another run';
          return settle(() => reject(new TaskError(`another lvsplay run is changing ${host} (${who}): waited ${waitSeconds} s for its lock; not changing the host at the same time (LVSPLAY_LOCK_WAIT sets the wait)`)));
        }
      }
    };
    run(lockScript(host, holder, waitSeconds), onOutput).then(
      (r) => settle(() => reject(new TaskError(`${host}: the per-host lock was not taken: ${(r.stderr || r.stdout).trim() || `exit ${r.rc}`}`))),
      (e: unknown) => settle(() => reject(e)),
    );
  });
}
