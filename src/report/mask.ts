// The Masker: secret values never reach the output. The executor registers every value of a module's
// secretArgs (and become passwords) as it templates arguments; the reporter masks text, results and diffs.
import type { FileDiff, Vars } from '../types.js';
import { isPyFloat } from '../vars/pyfloat.js';
import { pyStr } from '../vars/pystr.js';

export const MASK = '********';
export const NO_LOG_MSG = "the output has been hidden due to the fact that 'no_log: true' was specified for this result";

/** Secrets shorter than this are not masked inside longer text (they would mask common words). */
const MIN_SECRET = 3;

export class Masker {
  private secrets = new Set<string>();
  private re: RegExp | undefined;

  add(value: unknown): void {
    if (value === undefined || value === null) return;
    if (typeof value === 'object' && !isPyFloat(value)) {
      for (const v of Object.values(value as Record<string, unknown>)) this.add(v);
      return;
    }
    const s = isPyFloat(value) ? pyStr(value) : String(value);
    if (s.length < MIN_SECRET || this.secrets.has(s)) return;
    this.secrets.add(s);
    this.re = undefined;
  }

  get size(): number {
    return this.secrets.size;
  }

  text(s: string): string {
    if (this.secrets.size === 0) return s;
    if (!this.re) {
      const parts = [...this.secrets].sort((a, b) => b.length - a.length).map((x) => x.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
      this.re = new RegExp(parts.join('|'), 'g');
    }
    return s.replace(this.re, MASK);
  }

  /** Deep copy with every string masked. */
  value<T>(v: T): T {
    if (this.secrets.size === 0) return v;
    return this.walk(v) as T;
  }

  private walk(v: unknown): unknown {
    if (typeof v === 'string') return this.text(v);
    if (Array.isArray(v)) return v.map((x) => this.walk(x));
    if (v && typeof v === 'object' && !(v instanceof Date) && !isPyFloat(v)) {
      const out: Vars = {};
      for (const [k, x] of Object.entries(v as Vars)) out[k] = this.walk(x);
      return out;
    }
    return v;
  }

  diffs(d: FileDiff[] | undefined): FileDiff[] | undefined {
    return d?.map((x) => {
      const after = maskSecretKeyed(this.text(x.after));
      const before = maskSecretKeyed(maskLikeAfter(this.text(x.before), after));
      return { path: x.path, before: markOldValues(x.before, before, x.after, after), after, ...(x.prepared !== undefined ? { prepared: maskSecretKeyed(this.text(x.prepared)) } : {}) };
    });
  }
}

/**
 * The old content may hold an old secret nobody registered (the password being replaced): a
 * `before` line that starts like a masked `after` line (`auth_pass ********`) is masked the same way.
 */
function maskLikeAfter(before: string, after: string): string {
  if (!after.includes(MASK)) return before;
  const prefixes = after
    .split('\n')
    .filter((l) => l.includes(MASK))
    .map((l) => l.slice(0, l.indexOf(MASK)))
    .filter((p) => p.trim().length >= 3);
  if (!prefixes.length) return before;
  return before
    .split('\n')
    .map((l) => {
      const p = prefixes.find((x) => l.startsWith(x) && !l.slice(x.length).startsWith(MASK));
      return p === undefined ? l : `${p}${MASK}`;
    })
    .join('\n');
}

/**
 * A masked old line that reads like a new one (`auth_pass ********` on both sides) but whose real
 * text changed: mark it, or the diff would hide that the secret changed.
 */
function markOldValues(rawBefore: string, before: string, rawAfter: string, after: string): string {
  const raw = rawBefore.split('\n');
  const lines = before.split('\n');
  if (raw.length !== lines.length || !before.includes(MASK)) return before;
  const kept = new Set(rawAfter.split('\n'));
  const lookAlike = new Set(after.split('\n'));
  return lines.map((l, i) => (l.includes(MASK) && lookAlike.has(l) && !kept.has(raw[i]) ? `${l} (old value)` : l)).join('\n');
}

/** A line `KEY VALUE`, `KEY = VALUE`, `KEY: VALUE` or `"KEY": "VALUE",` (the key, then the value). */
const KEYED_LINE = /^(\s*(?:-\s+)?["']?)([A-Za-z0-9_.-]+)(["']?(?:\s*[:=]\s*|\s+))(\S.*)$/;
/** Keys that name a secret (auth_pass, requirepass, password, api_token, client_secret, ...). */
const SECRET_KEY = /(pass|passwd|password|passphrase|secret|token|pwd)$/i;

/**
 * In a diff, the value of a line whose key names a secret is masked on both sides: an old secret
 * that was removed, replaced by a short one or by a templated one was never registered as a secret.
 */
export function maskSecretKeyed(text: string): string {
  if (!/pass|secret|token|pwd/i.test(text)) return text;
  return text
    .split('\n')
    .map((l) => {
      const m = KEYED_LINE.exec(l);
      if (!m || !SECRET_KEY.test(m[2]) || m[4] === MASK) return l;
      return `${m[1]}${m[2]}${m[3]}${MASK}`;
    })
    .join('\n');
}

/** What a no_log task shows instead of its result. */
export function censored(result: Vars): Vars {
  const out: Vars = { censored: NO_LOG_MSG };
  if (typeof result.changed === 'boolean') out.changed = result.changed;
  if (result.failed) out.failed = true;
  if (result.skipped) out.skipped = true;
  return out;
}
