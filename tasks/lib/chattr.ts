// Linux file attributes (lsattr/chattr) as Ansible 2.14's set_attributes_if_different sets them:
// `attributes` (alias `attr`) is `[+-=]FLAGS` ('=' when no sign); the current flags are lsattr's
// with the dashes removed ('' when lsattr is missing or fails, e.g. on tmpfs); chattr runs when they
// differ from FLAGS, or always for '-' — so '+A' on a file whose flags are 'Ae' runs again, as in
// Ansible — and fails the task ("chattr failed") when it exits non-zero or prints anything.
// Without chattr on the host nothing is done.
import type { Step } from '../../src/types.js';
import { q } from '../../src/shell.js';
import { mark, sections } from '../../src/probe.js';

export const chattrSchema = {
  attributes: { type: 'string', description: "Linux file attributes as chattr takes them: '+i', '-A', '=ai' or 'i' (= set exactly); compared with lsattr's flags as Ansible compares them (alias attr)." },
  attr: { type: 'string', description: 'Alias of attributes.' },
};

/** The wished attributes, split as Ansible splits them, or undefined. */
export function wantedAttributes(a: Record<string, unknown>): { mod: string; flags: string } | undefined {
  const v = a.attributes ?? a.attr;
  if (v === undefined || v === null) return undefined;
  const s = String(v);
  return /^[-+]/.test(s) ? { mod: s[0], flags: s.slice(1) } : { mod: '=', flags: s };
}

/** Probe lines: whether chattr exists, and the path's current flags. */
export function chattrProbe(path: string): string {
  return [mark('chattr'), 'command -v chattr >/dev/null 2>&1 && echo yes', mark('lsattr'), `lsattr -d -- ${q(path)} 2>/dev/null`].join('\n');
}

/** The path's current flags from the probe (lsattr's first word without dashes), and whether chattr exists. */
export function probedAttributes(stdout: string): { flags: string; chattr: boolean } {
  const s = sections(stdout);
  const first = (s.get('lsattr') ?? '').trim().split(/\s+/)[0] ?? '';
  return { flags: first.replace(/-/g, '').trim(), chattr: (s.get('chattr') ?? '').trim() === 'yes' };
}

/** The chattr step, checking rc and output as Ansible does; `recheck`: the path is created by this run (its flags are read when the step runs). */
function step(path: string, w: { mod: string; flags: string }, recheck: boolean): Step {
  const set = `${w.mod}${w.flags}`;
  const run = `out=$(chattr ${q(set)} ${q(path)} 2>&1); rc=$?; if [ $rc -ne 0 ] || [ -n "$out" ]; then printf 'chattr failed: Error while setting attributes: %s\\n' "$out" >&2; exit 1; fi`;
  const cmd = recheck
    ? `command -v chattr >/dev/null 2>&1 || exit 0; cur=$(lsattr -d -- ${q(path)} 2>/dev/null | awk '{print $1}' | tr -d -); if [ ${q(w.mod)} = - ] || [ "$cur" != ${q(w.flags)} ]; then ${run}; fi`
    : run;
  return { describe: `chattr ${set} ${path}`, cmd };
}

/**
 * The steps that give `path` the wished attributes: none when they are there already; `created`:
 * the path does not exist yet (this run creates it), so its flags are compared when the step runs.
 */
export function chattrSteps(path: string, w: { mod: string; flags: string } | undefined, probed: { flags: string; chattr: boolean }, created: boolean): Step[] {
  if (!w) return [];
  if (created) return [step(path, w, true)];
  if (!probed.chattr) return [];
  return probed.flags !== w.flags || w.mod === '-' ? [step(path, w, false)] : [];
}
