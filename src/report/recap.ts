// PLAY RECAP lines, byte for byte as ansible-playbook's default callback prints them
// (lib/ansible/plugins/callback/default.py + lib/ansible/utils/color.py: hostcolor/colorize).
import { paint as P } from './color.js';
import type { RecapCounts } from '../types.js';

type Paint = (s: string) => string;

/** colorize(): `lead=%-4s`, coloured only when the count is not 0. */
function colorize(lead: string, num: number, paint: Paint | undefined): string {
  const s = `${lead}=${String(num).padEnd(4)}`;
  return num !== 0 && paint ? paint(s) : s;
}

/** hostcolor(): `%-26s` plain; coloured, the escape codes count in a `%-37s` field. */
function hostcolor(host: string, t: RecapCounts, color: boolean): string {
  if (!color) return host.padEnd(26);
  const paint = t.failed !== 0 || t.unreachable !== 0 || !!t.interrupted ? P('error') : t.changed !== 0 ? P('changed') : P('ok');
  return paint(host).padEnd(37);
}

export function recapLine(host: string, t: RecapCounts, color = false): string {
  const c = (p: Paint) => (color ? p : undefined);
  return [
    `${hostcolor(host, t, color)} :`,
    colorize('ok', t.ok, c(P('ok'))),
    colorize('changed', t.changed, c(P('changed'))),
    colorize('unreachable', t.unreachable, c(P('unreachable'))),
    colorize('failed', t.failed, c(P('error'))),
    colorize('skipped', t.skipped, c(P('skip'))),
    colorize('rescued', t.rescued, c(P('ok'))),
    colorize('ignored', t.ignored, c(P('warn'))),
    // lvsplay's own column, only when a task was cut short (ansible-playbook prints no recap then)
    ...(t.interrupted ? [colorize('interrupted', t.interrupted, c(P('error')))] : []),
  ].join(' ');
}

/** Hosts sorted as Python's sorted() does on str (code point order). */
export function recapLines(hosts: Record<string, RecapCounts>, color = false): string[] {
  return Object.keys(hosts)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    .map((h) => recapLine(h, hosts[h], color));
}

/** `display.banner()`: the message, a space and stars up to the terminal width (79 off a TTY). */
export function banner(msg: string, columns = 79): string {
  const m = msg.trim(); // Display.banner strips the message ('CUSTOM STATS: ')
  const stars = Math.max(3, columns - m.length);
  return `${m} ${'*'.repeat(stars)}`;
}
