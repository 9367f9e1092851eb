// Live progress on a terminal: one status line under the normal output, redrawn a few times a
// second: a spinner, the running task, its elapsed time and each busy host's last output line
// (e.g. apt's "Unpacking keepalived ..."). Every other write clears it first and redraws it after,
// so the console output itself is unchanged. Only used when stdout is a TTY (plain lines otherwise).
import type { Reporter, RunEvent } from '../types.js';

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
/** A task shorter than this never shows the line (no flicker on fast runs). */
const SHOW_AFTER_MS = 700;

export interface ProgressStream {
  write(s: string): boolean;
  columns?: number;
}

/** The last non-empty line of output, without control characters. */
export function lastLine(chunk: string): string {
  const lines = chunk
    .replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '')
    .split(/[\r\n]+/)
    .map((l) => l.replace(/[\x00-\x1f\x7f]/g, '').trim())
    .filter(Boolean);
  return lines[lines.length - 1] ?? '';
}

export class LiveProgress {
  private task: string | undefined;
  private started = 0;
  private hosts = new Map<string, string>(); // host -> last output line
  private shown = false;
  private frame = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly stream: ProgressStream, private readonly now: () => number = Date.now) {}

  /** Write normal output: the status line is cleared first and redrawn after. */
  write(s: string, to: ProgressStream = this.stream): void {
    this.clear();
    to.write(s);
    this.draw();
  }

  /** Wrap a reporter: its events drive the status line. */
  wrap(inner: Reporter): Reporter {
    return {
      emit: (ev: RunEvent) => {
        this.clear();
        this.observe(ev);
        inner.emit(ev);
        this.draw();
      },
    };
  }

  /** The status line as it would be drawn now (tests). */
  status(width = this.stream.columns ?? 80): string {
    if (!this.task) return '';
    const secs = ((this.now() - this.started) / 1000).toFixed(1);
    const busy = [...this.hosts.entries()].map(([h, l]) => (l ? `${h}: ${l}` : h));
    const text = `${FRAMES[this.frame % FRAMES.length]} ${this.task} ${secs}s${busy.length ? ` | ${busy.join(' | ')}` : ''}`;
    return [...text].slice(0, Math.max(10, width - 1)).join('');
  }

  stop(): void {
    this.clear();
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.task = undefined;
  }

  private observe(ev: RunEvent): void {
    switch (ev.type) {
      case 'task_start':
        this.task = ev.handler ? `RUNNING HANDLER [${ev.name}]` : `TASK [${ev.name}]`;
        this.started = this.now();
        this.hosts.clear();
        this.tick();
        return;
      case 'progress': {
        if (ev.text.startsWith('EXEC ') || ev.text.startsWith('FAILED - RETRYING')) return;
        const l = lastLine(ev.text);
        if (l || !this.hosts.has(ev.host)) this.hosts.set(ev.host, l);
        return;
      }
      case 'host_result':
        this.hosts.delete(ev.host);
        return;
      case 'play_start':
      case 'recap':
      case 'playbook_end':
        this.stop();
        return;
      default:
        return;
    }
  }

  private tick(): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      this.frame++;
      this.clear();
      this.draw();
    }, 150);
    this.timer.unref();
  }

  private clear(): void {
    if (!this.shown) return;
    this.stream.write('\r\x1b[2K');
    this.shown = false;
  }

  private draw(): void {
    if (!this.task || this.now() - this.started < SHOW_AFTER_MS) return;
    this.stream.write(this.status());
    this.shown = true;
  }
}
