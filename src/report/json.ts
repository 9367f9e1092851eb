// --json: one JSON object per line per RunEvent (results are already masked by the executor).
import type { Reporter, RunEvent } from '../types.js';

export class JsonReporter implements Reporter {
  constructor(private readonly out: (s: string) => void = (s) => process.stdout.write(s)) {}
  emit(ev: RunEvent): void {
    this.out(`${JSON.stringify(ev)}\n`);
  }
}

/** Collects events (tests, --profile). */
export class MemoryReporter implements Reporter {
  readonly events: RunEvent[] = [];
  emit(ev: RunEvent): void {
    this.events.push(ev);
  }
}

export function fanout(...rs: Reporter[]): Reporter {
  return { emit: (ev) => rs.forEach((r) => r.emit(ev)) };
}
