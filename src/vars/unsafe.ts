// Unsafe data (Ansible's "unsafe"): what comes from a host — facts, registered results, lookups —
// and everything a template derives from it is data, never a template.
//
// JS strings are values without identity, so a string cannot carry a flag. The marker is the
// string's content: every string holding Jinja markup that comes from unsafe data is recorded in a
// registry, and `isTemplate` — the one place that decides whether a string is a template — says no
// for it. The marker therefore survives every copy (register, set_fact, loop items, include params,
// hostvars, JSON round trips): a copy of a string is the same string. Strings without markup need
// no marker: they are never templates. Objects are also marked (a WeakSet) so that walks stop early.
//
// Taint: a render that reads unsafe data (a variable, a hostvars entry, a lookup) produces unsafe
// data; `trackTaint` records whether a render read any, and the templar marks its result.

const MARKUP_RE = /\{\{|\{%|\{#/;
const unsafeStrings = new Set<string>();
const unsafeObjects = new WeakSet<object>();
const safeObjects = new WeakMap<object, true>(); // walked, nothing unsafe inside (values are immutable once built)

/** Does this string contain Jinja markup (`{{`, `{%`, `{#`), whatever its origin? */
export function hasMarkup(s: string): boolean {
  return MARKUP_RE.test(s);
}

/**
 * THE test of whether a value is a template: a string with Jinja markup that is not unsafe data.
 * Everything that decides whether to template a string asks this.
 */
export function isTemplate(v: unknown): boolean {
  return typeof v === 'string' && MARKUP_RE.test(v) && !unsafeStrings.has(v);
}

/** Mark a value (deeply: every string with markup, key or value, and every object) as unsafe. Returns it. */
export function markUnsafe<T>(v: T): T {
  if (typeof v === 'string') return addString(v, false) as T;
  mark(v, 0, false);
  return v;
}

/**
 * A value written with the YAML tag `!unsafe`: unsafe like host data. The loader checks that no
 * template of the playbook has the same text (noteAuthoredText), so no warning here.
 */
export function markAuthoredUnsafe<T>(v: T): T {
  mark(v, 0, true);
  return v;
}

// Strings inside a value being marked become data: a TRUSTED_SUFFIX a template of the playbook had
// (its text copied, unrendered, into this value: a hostvars entry left as written) is removed in place.
function mark(v: unknown, depth: number, authored: boolean): void {
  if (typeof v === 'string') {
    addString(v, authored);
    return;
  }
  if (v === null || typeof v !== 'object' || depth > 100 || unsafeObjects.has(v)) return;
  unsafeObjects.add(v);
  safeObjects.delete(v);
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const x = v[i];
      if (typeof x !== 'string') mark(x, depth + 1, authored);
      else if (addString(x, authored) !== x) v[i] = asWritten(x);
    }
    return;
  }
  if (!isPlain(v)) return;
  const o = v as Record<string, unknown>;
  for (const k of Object.keys(o)) {
    addString(k, authored);
    const x = o[k];
    if (typeof x !== 'string') mark(x, depth + 1, authored);
    else if (addString(x, authored) !== x) o[k] = asWritten(x);
  }
}

/** Record a string as unsafe data; returns it as data (without a TRUSTED_SUFFIX). */
function addString(s: string, authored: boolean): string {
  if (!MARKUP_RE.test(s)) return s;
  s = asWritten(s);
  if (unsafeStrings.has(s)) return s;
  unsafeStrings.add(s);
  const at = authoredTemplates.get(s);
  if (at && !authored) warnShadowed(s, at);
  return s;
}

// The marker is content, so a template written in the playbook whose text is exactly that of unsafe
// data would not be rendered either. Never silently: a template with the text of an `!unsafe` value
// gets a comment that makes its text its own (the loader, src/yamldoc.ts), and where it cannot (the
// template was read first) the `!unsafe` value is a load error; host data with the text of a template
// is a warning naming the template that stays literal text.
const authoredTemplates = new Map<string, string>(); // text -> where it is written (FILE:LINE:COL)
const authoredUnsafe = new Map<string, string>();

/**
 * The loader saw a string with markup written at `where`, tagged `!unsafe` or not. Returns where
 * the same text was written the other way (a clash lvsplay cannot resolve by content), if anywhere.
 */
export function noteAuthoredText(text: string, where: string, unsafe: boolean): string | undefined {
  const mine = unsafe ? authoredUnsafe : authoredTemplates;
  const other = unsafe ? authoredTemplates : authoredUnsafe;
  if (!mine.has(text)) mine.set(text, where);
  return other.get(text);
}

/** Was this text written as an `!unsafe` value? */
export function isAuthoredUnsafe(text: string): boolean {
  return authoredUnsafe.has(text);
}

/** Appended to a template whose text is that of an `!unsafe` value: a Jinja comment, it renders to nothing. */
export const TRUSTED_SUFFIX = '{# lvsplay: a template, not the !unsafe text #}';

/** A string as its author wrote it, where it is used without being rendered (TRUSTED_SUFFIX removed). */
export function asWritten(s: string): string {
  return s.endsWith(TRUSTED_SUFFIX) ? s.slice(0, -TRUSTED_SUFFIX.length) : s;
}

const warned = new Set<string>();
function warnShadowed(text: string, at: string): void {
  if (warned.has(text) || warned.size > 100) return;
  warned.add(text);
  process.stderr.write(
    `[WARNING]: data from a host has the exact text of the template written at ${at}: lvsplay tells host data from templates by their text, so that template is not rendered from now on in this run (it stays literal text)\n`,
  );
}

const isPlain = (v: object) => {
  const p = Object.getPrototypeOf(v);
  return p === Object.prototype || p === null;
};

/** Is this value unsafe data, or does it contain some? */
export function isUnsafe(v: unknown, depth = 0): boolean {
  if (typeof v === 'string') return unsafeStrings.has(v);
  if (v === null || typeof v !== 'object' || depth > 100) return false;
  if (unsafeObjects.has(v)) return true;
  if (safeObjects.has(v)) return false;
  let r = false;
  if (Array.isArray(v)) r = v.some((x) => isUnsafe(x, depth + 1));
  else if (isPlain(v)) r = Object.entries(v).some(([k, x]) => unsafeStrings.has(k) || isUnsafe(x, depth + 1));
  if (!r) safeObjects.set(v, true);
  return r;
}

/** An object already known to be unsafe as a whole (a cheap check for walks). */
export function isMarkedObject(v: object): boolean {
  return unsafeObjects.has(v);
}

let current: { tainted: boolean } | undefined;

/** Run a render and tell whether it read unsafe data (through `noteRead`). Nested calls propagate outwards. */
export function trackTaint<T>(fn: () => T): { value: T; tainted: boolean } {
  return taintOf(fn, true);
}

/** Like trackTaint, but what fn read does not taint the render in progress (a prefetch that may go unused). */
export function isolateTaint<T>(fn: () => T): { value: T; tainted: boolean } {
  return taintOf(fn, false);
}

function taintOf<T>(fn: () => T, propagate: boolean): { value: T; tainted: boolean } {
  const outer = current;
  const mine = { tainted: false };
  current = mine;
  try {
    return { value: fn(), tainted: mine.tainted };
  } finally {
    current = outer;
    if (propagate && outer && mine.tainted) outer.tainted = true;
  }
}

/** A render in progress read this value: if it is unsafe, the render's result is too. */
export function noteRead(v: unknown): void {
  if (current && !current.tainted && isUnsafe(v)) current.tainted = true;
}

/** The render in progress read data that is unsafe by origin (a lookup's result). */
export function noteUnsafeRead(): void {
  if (current) current.tainted = true;
}

/**
 * A task's result as register/facts keep it: unsafe when a host produced it. A module that runs on
 * the controller (its TaskModule says controllerOnly) answers from the task's own, already rendered
 * and taint-checked, arguments: not host data. Returns the result.
 */
export function markResultUnsafe<T>(result: T, fromController: boolean): T {
  return fromController ? result : markUnsafe(result);
}
