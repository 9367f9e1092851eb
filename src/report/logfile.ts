// ansible.cfg `log_path` / ANSIBLE_LOG_PATH: what the console shows, appended to a file as
// Ansible's logger writes it — `2026-12-03 04:04:46,147 p=PID u=USER n=ansible | MESSAGE`, one
// record per message, leading blank lines dropped, no colours. The console text is already masked
// (no_log, vault values), so the log holds nothing the screen did not show.
import { appendFileSync } from 'node:fs';
import { userInfo } from 'node:os';

const ANSI = /\x1b\[[0-9;]*m/g; // eslint-disable-line no-control-regex

function stamp(d: Date): string {
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())},${p(d.getMilliseconds(), 3)}`;
}

export interface RunLog {
  /** Log one console message (as written to the screen: may hold colours and surrounding newlines). */
  write(s: string): void;
}

/** The log of this run, or undefined with a warning when the file cannot be written (Ansible warns and goes on). */
export function openRunLog(path: string, warn: (s: string) => void): RunLog | undefined {
  let user = 'unknown';
  try {
    user = userInfo().username;
  } catch {
    // no passwd entry: keep 'unknown'
  }
  const prefix = () => `${stamp(new Date())} p=${process.pid} u=${user} n=ansible | `;
  try {
    appendFileSync(path, '');
  } catch {
    warn(`log file at ${path} is not writeable and we cannot create it, aborting`);
    return undefined;
  }
  let failed = false;
  return {
    write(s: string) {
      const msg = s.replace(ANSI, '').replace(/^\n+/, '').replace(/\n+$/, '');
      if (!msg.trim() || failed) return;
      try {
        appendFileSync(path, `${prefix()}${msg}\n`);
      } catch (e) {
        failed = true;
        warn(`log file at ${path} could not be written any more, logging stops (${(e as Error).message})`);
      }
    },
  };
}
