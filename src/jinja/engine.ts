// Jinja2, lvsplay's template engine (issue 17; docs/templating.md): one engine process per lvsplay
// process (started by the CLI as soon as it knows it will run something, else on first use),
// lvsplay's filters, tests and lookups answered by call-back.
import { ConfigError, reworded, type Pos } from '../errors.js';
import { callFilter, FILTERS } from '../vars/filters.js';
import { lipsum } from '../vars/filters-jinja.js';
import type { Kw } from '../vars/filters-util.js';
import { lookupPlugin, type LookupCtx } from '../vars/lookups.js';
import { lookupFailure } from '../vars/lookup-types.js';
import { tests } from '../vars/tests.js';
import { isolateTaint, noteUnsafeRead } from '../vars/unsafe.js';
import { cloneValue, floatTagged } from '../vars/pyfloat.js';
import { didYouMean } from '../suggest.js';
import { ansibleWordsOf, isUndefinedError, markUndefined, withAnsibleWords } from '../vars/templerr.js';
import { EngineError, engineError, isLazy, lend, Lent, readAhead, readingAhead, type Answer, type Ask, type JinjaProcess } from './bridge.js';
import { startEngine } from './start.js';
import { keepChecks, keepNames, keepRender, keptChecks, keptNames, keptRender, openKept } from './kept.js';

export { EngineUnavailable } from './bridge.js';

const TESTS = tests as unknown as Record<string, (v: unknown, ...a: unknown[]) => boolean>;
const GLOBALS = ['lookup', 'query', 'q', 'lipsum'];

/** What a render needs from lvsplay: its variables (rendered on demand) and the lookups' context. */
export interface RenderHooks {
  lookupVar(name: string): { found: boolean; value?: unknown };
  lookups: LookupCtx;
  names(): string[];
  /**
   * Renders to do in the same request, ahead of the renders that will use them (the templar's
   * `together`: the task's strings, for each host running it), each pure result kept for those.
   */
  ahead?(op: 'arg' | 'expr', src: string): AheadRender[];
}

/** A string of a task the engine may render (the templar's `together`). */
export interface AheadString {
  op: 'arg' | 'expr';
  src: string;
}

/** A render done ahead: the string, and how its host's own render will read the variables. */
export interface AheadRender extends AheadString {
  hooks: RenderHooks;
}


let ready = false;
let failed: Error | undefined;

function setup(p: JinjaProcess): JinjaProcess {
  if (failed) throw failed;
  if (!ready) {
    try {
      const names = { filters: Object.keys(FILTERS), tests: Object.keys(TESTS), globals: GLOBALS };
      openKept(p.setup(names), names);
    } catch (e) {
      throw (failed = e as Error);
    }
    ready = true;
  }
  return p;
}

function engine(): JinjaProcess {
  const p = startEngine();
  if (!ready && !failed) p.open();
  return setup(p);
}

/** Resolves once the engine serves; rejects with EngineUnavailable (what to install) when it cannot. */
export async function engineReady(): Promise<void> {
  const p = startEngine();
  if (!ready && !failed) await p.whenReady();
  setup(p);
}

/**
 * The variables a template names, answered in one frame before it renders. A variable that fails
 * (its own template errs) is left for the render to ask when it really reads it: an untaken branch
 * must not fail the render. One that holds host data goes marked `tainted`: the engine says whether
 * the render read it (its result is then host data too).
 */
function prefetch(h: RenderHooks, names: string[], want?: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const n of names) {
    try {
      const { value: got, tainted } = isolateTaint(() => h.lookupVar(n));
      // a lazy mapping (hostvars) goes with what the render may read of it (bridge.ts `lend`)
      const value = want && got.found && isLazy(got.value) ? { found: true, value: lend(got.value, want) } : got;
      out[n] = tainted ? { ...value, tainted: true } : value;
    } catch {
      out[n] = { deferred: true };
    }
  }
  return out;
}

/**
 * Results of pure renders (the engine read only the string and the variables sent with it) by string
 * and variables: the same task argument on many hosts with the same values is rendered once. With
 * each, whether the render read host data: a reuse then reads host data too.
 */
const memo = new Map<string, { value: unknown; tainted: boolean }>();
const MEMO_KEY_MAX = 16 * 1024;
const MEMO_BYTES = 8 << 20; // the keys' total length: emptied when it would pass this
let memoBytes = 0;

/** The memo's key for a render with these variables (host data marked as such), or undefined when it must not be reused (a variable deferred or lent by reference). */
function memoKey(key: string, vars: Record<string, unknown>): string | undefined {
  for (const v of Object.values(vars)) if ((v as { deferred?: boolean }).deferred) return undefined;
  let lent = false;
  const text = JSON.stringify(vars, (k, v: unknown) => {
    if (v instanceof Lent) return { lent: v.keys ?? null, pre: v.pre }; // what the render may read of it without asking
    if (isLazy(v)) lent = true;
    return lent ? undefined : floatTagged(k, v); // 2.0 is not 2
  });
  return lent || text.length > MEMO_KEY_MAX ? undefined : `${key}\0${text}`;
}

/**
 * The names each string's render asked for (the engine's analysis of it): the next render of the
 * same string sends their values with the request, saving a round trip.
 */
const namesOf = new Map<string, string[]>();

/**
 * The keys a render of `src` may read of a lent mapping (hostvars[host].key, x['key']): the
 * identifiers after a dot or quoted in it, at most WANT_MAX. A key read that is not among them is
 * asked for (the render is then not reused): this is a guess that saves questions, not a rule.
 */
const WANT_RE = /\.\s*([A-Za-z_]\w*)|(['"])([A-Za-z_]\w*)\2/g;
const WANT_MAX = 64;
const wantOf = new Map<string, string[]>();
function wanted(key: string, src: string): string[] {
  let w = wantOf.get(key);
  if (!w) {
    const set = new Set<string>();
    for (const m of src.matchAll(WANT_RE)) if (set.size < WANT_MAX) set.add(m[1] ?? m[3]);
    if (wantOf.size > 20000) wantOf.clear();
    wantOf.set(key, (w = [...set]));
  }
  return w;
}

/** The names a string's render reads, known now: for this run and, kept, the next. */
function learned(key: string, names: string[]): void {
  if (namesOf.size > 20000) namesOf.clear();
  namesOf.set(key, names);
  keepNames(key, names);
}

function answerer(h: RenderHooks, key?: string): (q: Ask) => unknown {
  return (q) => {
    const a = q.a ?? [];
    const kw = (q.kw ?? {}) as Kw;
    switch (q.op) {
      case 'var':
        return h.lookupVar(q.name);
      case 'vars':
        if (key !== undefined) learned(key, q.names ?? []);
        return prefetch(h, q.names ?? []);
      case 'filter':
        return callFilter(q.name, undefined, q.v, a, kw);
      case 'test':
        return TESTS[q.name](q.v, ...a, ...(Object.keys(kw).length ? [{ ...kw, __keywords: true }] : []));
      case 'global':
        if (readingAhead()) throw new Error('no lookup while values are read ahead of their use');
        if (q.name === 'lipsum') return lipsum(...(a as never[]));
        return lookupPlugin(String(a[0]), a.slice(1), kw, q.name !== 'lookup', h.lookups);
    }
  };
}

/** The error's hint computed when first read. */
function lazyHint(e: ConfigError, make: () => string | undefined): void {
  let hint: string | undefined;
  let made = false;
  Object.defineProperty(e, 'hint', {
    get: () => {
      if (!made) [hint, made] = [make(), true];
      return hint;
    },
    enumerable: true,
    configurable: true,
  });
}

function asConfigError(e: unknown, where: Pos | undefined, src: string, isExpr: boolean, names: () => string[]): Error {
  const words = ansibleWordsOf(e);
  const keep = (ce: ConfigError): ConfigError => (words === undefined ? ce : withAnsibleWords(ce, words));
  // an error of a nested render (a variable's own template) gets the task's position
  if (e instanceof ConfigError && !e.pos && where) return keep(isUndefinedError(e) ? markUndefined(reworded(e, e.message, where)) : reworded(e, e.message, where));
  if (!(e instanceof EngineError)) {
    if (e instanceof ConfigError || !(e instanceof Error)) return e as Error;
    const ce = new ConfigError(e.message, where); // an answer's error (a lookup's): its words and kind kept
    return keep(isUndefinedError(e) ? markUndefined(ce) : ce);
  }
  if (e.kind === 'undefined' && e.path) {
    const word = e.path.split('.').pop() ?? e.path;
    const ce = markUndefined(new ConfigError(`undefined variable '${e.path}'${e.message ? ` (${e.message})` : ''}`, where));
    // the hint when it is read: most such errors are caught (an untaken branch, a default) and never shown
    if (word.length >= 3) lazyHint(ce, () => didYouMean(word, e.candidates ?? names()) || undefined);
    return e.jinja ? withAnsibleWords(ce, `${e.jinja}. ${e.jinja}`) : ce; // AnsibleUndefinedVariable repeats Jinja2's text
  }
  const text = e.kind === 'syntax' ? `template syntax error${isExpr ? ` in expression '${src}'` : ''}: ${e.message}` : e.message;
  // Ansible's templar words a TypeError with the text it was templating (a conditional as it wraps it)
  const typeWords = (): string => `Unexpected templating type error occurred on (${isExpr ? `{% if ${src} %} True {% else %} False {% endif %}` : src}): ${e.message}. ${e.message}`;
  if (e.kind === 'filter') return withAnsibleWords(new ConfigError(e.filter ? `filter '${e.filter}': ${text}` : text, where), e.typeError ? typeWords() : e.message);
  const ce = new ConfigError(text, where);
  if (e.kind === 'TypeError') return withAnsibleWords(ce, typeWords());
  return e.kind === 'undefined' ? markUndefined(ce) : ce;
}

/** A render asked for while values are read ahead of their use whose result is not known yet: that value is left for its own render. */
class NotKnownYet extends Error {
  constructor() {
    super('not rendered ahead of its use');
  }
}

/** A render's value; when it read host data (sent with the request, or when a memo's result was made), the render in progress has read host data. */
function read(tainted: boolean, value: unknown): unknown {
  if (tainted) noteUnsafeRead();
  return value;
}

/** A render request's value, read as `read` says (the request made first: its answer sets the flag). */
function requested(p: JinjaProcess, req: Record<string, unknown>, answer: Answer): unknown {
  const value = p.request(req, answer);
  return read(p.tainted, value);
}

/**
 * A render request for `src`, with its variables when an earlier render of it (this run's or, kept,
 * an earlier run's) named them; `text`: a template file's, with its options (part of the key).
 */
function render(op: 'arg' | 'expr' | 'text', src: string, h: RenderHooks, text?: TextOptions & { convertData?: boolean }): unknown {
  // a template file's options are part of its key; not its path nor its search path (a render that
  // includes another file is never reused, and a pure one does not depend on where its text was read)
  const key = text ? `${op}\0${JSON.stringify({ ...text, file: undefined, paths: undefined })}\0${src}` : `${op}\0${src}`;
  const names = namesOf.get(key) ?? keptNames(key);
  const p = engine();
  // values read ahead of their use come from what is known already: no request of their own (a
  // variable's template rendered for another host is asked of the engine with that host's strings)
  if (!names && readingAhead()) throw new NotKnownYet();
  if (!names) {
    const value = requested(p, { op, src, ...text }, answerer(h, key));
    if (p.names && !namesOf.has(key)) learned(key, p.names); // a template that reads no variable asks for none
    return value;
  }
  const vars = prefetch(h, names, wanted(key, src));
  const mk = memoKey(key, vars);
  const known = mk === undefined ? undefined : (memo.get(mk) ?? kept(mk));
  if (known) return read(known.tainted, cloneValue(known.value));
  if (readingAhead()) throw new NotKnownYet();
  const also = mk === undefined || op === 'text' ? [] : rendersAhead(mk, h.ahead?.(op, src) ?? []);
  const value = requested(p, { op, src, ...text, vars, ...(also.length ? { also: also.map((o) => ({ op: o.op, src: o.src, vars: o.vars })) } : {}) }, answerer(h));
  if (mk !== undefined && p.pure) {
    remember(mk, vars, { value: cloneValue(value), tainted: p.tainted }, p.kept);
    p.also.forEach((r, i) => r && also[i] && remember(also[i].mk, also[i].vars, r, r.kept === true));
  }
  return value;
}

/** A result kept by an earlier run, in this run's memo from now on. */
function kept(mk: string): { value: unknown; tainted: boolean } | undefined {
  const got = keptRender(mk);
  if (got) remember(mk, {}, got, false);
  return got;
}

/** A pure render's result, for this run (the memo) and, when `kept`, for later runs (kept.ts). */
function remember(mk: string, vars: Record<string, unknown>, entry: { value: unknown; tainted: boolean }, keep: boolean): void {
  if (memoBytes + mk.length > MEMO_BYTES) {
    memo.clear();
    memoBytes = 0;
  }
  memo.set(mk, { value: entry.value, tainted: entry.tainted });
  memoBytes += mk.length;
  if (keep) keepRender(mk, vars, entry.value, entry.tainted);
}

/**
 * The renders to do ahead whose results are not known yet (each distinct once), with their variables
 * read as their own renders will read them: with no lookup run (a lookup's side effects happen only
 * when a host really renders), what they read of host data not counted against this render. A
 * string whose names are not known yet (no precheck of it) is left for its own render.
 */
function rendersAhead(mk: string, todo: AheadRender[]): { op: string; src: string; mk: string; vars: Record<string, unknown> }[] {
  const out: { op: string; src: string; mk: string; vars: Record<string, unknown> }[] = [];
  const seen = new Set([mk]);
  for (const r of todo) {
    const key = `${r.op}\0${r.src}`;
    const names = namesOf.get(key);
    if (!names) continue;
    const vars = readAhead(() => prefetch(r.hooks, names, wanted(key, r.src)));
    const k = memoKey(key, vars);
    if (k === undefined || seen.has(k) || memo.has(k) || kept(k)) continue; // (kept: by an earlier run)
    seen.add(k);
    out.push({ op: r.op, src: r.src, mk: k, vars });
  }
  return out;
}

/** The error a task argument's render fails with when `e` is thrown while it reads a variable. */
export function renderFailure(e: unknown, src: string, h: RenderHooks, where?: Pos): Error {
  return asConfigError(e, where, src, false, h.names);
}

/** A task argument string rendered as ansible-core 2.14 renders it (jinja2_native off). */
export function renderArg(src: string, h: RenderHooks, where?: Pos): unknown {
  try {
    return render('arg', src, h);
  } catch (e) {
    throw asConfigError(e, where, src, false, h.names);
  }
}

/** A bare expression's native value (when:, changed_when:, loop terms). */
export function evalExpr(src: string, h: RenderHooks, where?: Pos): unknown {
  try {
    return render('expr', src, h);
  } catch (e) {
    throw asConfigError(e, where, src, true, h.names);
  }
}

/** One string to parse: `wholeFile`: `src` is a file's text from `where` on (the error at its line). */
export interface SyntaxItem {
  src: string;
  expr: boolean;
  /** Where the string is (asked only when it does not parse). */
  where?: () => Pos | undefined;
  wholeFile?: boolean;
  /** A template file's text rendered as it is with the default options (the engine compiles it ahead). */
  plainFile?: boolean;
}

const checked = new Set<string>();
const checkKey = (src: string, isExpr: boolean): string => `${isExpr ? 'e' : 't'}${src}`;

function syntaxError(e: unknown, it: SyntaxItem): Error {
  const where = it.where?.();
  const line = it.wholeFile && where && e instanceof EngineError && e.line ? e.line : undefined;
  return asConfigError(e, line ? { ...where!, line: where!.line + line - 1, col: 1 } : where, it.src, it.expr, () => []);
}

/** The strings of `items` not checked yet, their batch's key (keptChecks) and the engine's request for them. */
function checkBatch(items: SyntaxItem[]): { todo: number[]; batch: string; req: Record<string, unknown> } {
  const todo = items.map((it, i) => i).filter((i) => !checked.has(checkKey(items[i].src, items[i].expr)));
  const batch = JSON.stringify(todo.map((i) => [items[i].src, items[i].expr, !!items[i].wholeFile]));
  return { todo, batch, req: { op: 'checks', items: todo.map((i) => (items[i].wholeFile ? [items[i].src, items[i].expr, items[i].plainFile ? 'plain' : true] : [items[i].src, items[i].expr])) } };
}

/** Answers of check batches posted ahead (postChecks), by batch, read and not used yet. */
const postedChecks = new Map<string, unknown[]>();

/**
 * A batch of strings sent to the engine to check without waiting (the precheck's, while lvsplay
 * loads its inventory and modules): checkSyntaxMany of the same strings then uses its answer. Not
 * when the engine is not serving yet, nor when an earlier run's answer is kept.
 */
export function postChecks(items: SyntaxItem[]): void {
  if (!ready || failed) return;
  const { todo, batch, req } = checkBatch(items);
  if (!todo.length || postedChecks.has(batch) || keptChecks(batch)) return;
  startEngine().post(req, (value) => {
    if (Array.isArray(value) && value.length === todo.length) postedChecks.set(batch, value);
  });
}

/** Parse many strings in one round trip to the engine (the load-time precheck): each one's error, or undefined. */
export function checkSyntaxMany(items: SyntaxItem[]): (Error | undefined)[] {
  const out: (Error | undefined)[] = items.map(() => undefined);
  const { todo, batch, req } = checkBatch(items);
  if (!todo.length) return out;
  const p = engine();
  p.collect(); // a batch posted ahead: its answer
  const ahead = postedChecks.get(batch);
  postedChecks.delete(batch);
  // the same strings as an earlier run's, all of which parsed: its answer, without a request
  let answers: unknown = keptChecks(batch);
  if (!answers || (answers as unknown[]).length !== todo.length) {
    try {
      answers = ahead ?? p.request(req, () => undefined);
    } catch (e) {
      throw e instanceof EngineError ? syntaxError(e, items[todo[0]]) : e; // the request itself failed (the engine is gone)
    }
    const frames = answers as (Record<string, unknown> | string[])[];
    if (frames.every((f) => Array.isArray(f))) keepChecks(batch, frames.map((f, k) => (items[todo[k]].wholeFile ? null : (f as string[]))));
  }
  if (checked.size > 20000) checked.clear();
  todo.forEach((i, k) => {
    const frame = (answers as (Record<string, unknown> | string[] | null)[])[k];
    if (frame !== null && !Array.isArray(frame)) {
      out[i] = syntaxError(engineError(frame), items[i]);
      return;
    }
    checked.add(checkKey(items[i].src, items[i].expr));
    // the names its render reads: its first render sends their values (no question back)
    if (namesOf.size > 20000) namesOf.clear();
    if (!items[i].wholeFile && frame) namesOf.set(`${items[i].expr ? 'expr' : 'arg'}\0${items[i].src}`, frame);
  });
  return out;
}

/** What a template file's render needs besides its text. */
export interface TextOptions {
  file: string;
  trimBlocks: boolean;
  lstripBlocks: boolean;
  /** Delimiters set by the #jinja2: header (short names, as tplfile.ts reports them; j2text.py maps them). */
  tags?: Record<string, string>;
  /** newline_sequence (Jinja2 writes every line break of the template as this). */
  newline?: string;
  /** keep_trailing_newline from the #jinja2: header. */
  keepTrailingNewline?: boolean;
  /** Where include/import/extends look (the template's dir, its role's templates/ and role dir). */
  paths: string[];
}

/** A template file's text rendered (the template module); errors carry the template's FILE:LINE. */
export function renderText(src: string, h: RenderHooks, o: TextOptions): string {
  return String(renderTextValue(src, h, { ...o, convertData: false }));
}

/** As renderText; with `convertData` (lookup('template')) text that looks like a list, dict or bool comes back as that value. */
export function renderTextValue(src: string, h: RenderHooks, o: TextOptions & { convertData?: boolean }): unknown {
  try {
    return render('text', src, h, o);
  } catch (e) {
    const line = e instanceof EngineError && e.line ? e.line : 1;
    // Jinja2 knows the line only: the column is where the undefined name first appears on it
    const root = e instanceof EngineError && e.path ? /^[A-Za-z_]\w*/.exec(e.path)?.[0] : undefined;
    const at = root ? (src.split(/\r\n|\r|\n/)[line - 1] ?? '').search(new RegExp(`\\b${root}\\b`)) : -1;
    throw asConfigError(e, { file: o.file, line, col: at >= 0 ? at + 1 : 1 }, src, false, h.names);
  }
}

/** One term of the `ini` lookup: the file found for it and what to read from it. */
export interface IniStep {
  path: string;
  file: string;
  encoding: string;
  properties: boolean;
  section: string;
  key: string;
  re: boolean;
  default: unknown;
}

/** A lookup's part the engine does (src/jinja/j2lookups.py); its failure is the lookup's, with Python's message. */
function lookupRequest(msg: Record<string, unknown>, answer: Answer = () => undefined): unknown[] {
  try {
    return engine().request(msg, answer) as unknown[];
  } catch (e) {
    throw e instanceof EngineError ? lookupFailure(e.message, e.cls ?? 'AnsibleError') : e;
  }
}

/** The `ini` lookup's values, read by Python's configparser (one parser for all steps, as Ansible's). */
export function iniLookup(steps: IniStep[], opts: { allowNoValue: boolean; caseSensitive: boolean }): unknown[] {
  return lookupRequest({ op: 'ini', steps, allow_no_value: opts.allowNoValue, case_sensitive: opts.caseSensitive });
}

/** One term of the `csvfile` lookup: the file found for it (null: none) and what to read from it. */
export interface CsvStep {
  path: string | null;
  key: string;
  delimiter: unknown;
  encoding: unknown;
  default: unknown;
  col: unknown;
}

/** The `csvfile` lookup's values, read by Python's csv module (one step per term). */
export function csvLookup(steps: CsvStep[]): unknown[] {
  return lookupRequest({ op: 'csvfile', steps });
}

/** The `url` lookup's values: each URL fetched by Python's urllib (src/vars/lookup-url.ts has the options). */
export function urlLookup(terms: string[], options: Record<string, unknown>): unknown[] {
  return lookupRequest({ op: 'url', terms, options });
}

const ansibleLookups = new Map<string, string | null>();

/** The FQCN ansible-core on the controller resolves a lookup name lvsplay has no port of to, or null (none, or no ansible-core). Asked once per name. */
export function ansibleLookupName(name: string): string | null {
  if (!ansibleLookups.has(name)) {
    let got: Record<string, string | null> = {};
    try {
      got = engine().request({ op: 'ansible_lookup_find', names: [name] }, () => undefined) as Record<string, string | null>;
    } catch {
      /* no engine: no ansible-core lookups */
    }
    ansibleLookups.set(name, got[name] ?? null);
  }
  return ansibleLookups.get(name)!;
}

/** Run ansible-core's lookup plugin `name` (src/jinja/j2lookups.py): the variables it reads are the task's, asked one by one. */
export function ansibleLookup(name: string, terms: unknown[], kwargs: Kw, ctx: LookupCtx, basedir?: string): unknown[] {
  return lookupRequest({ op: 'ansible_lookup', name, terms, kwargs, basedir }, (q: Ask) => {
    if (q.op === 'lkvar') return ctx.vars(q.name);
    if (q.op === 'lknames') return ctx.names();
    return undefined;
  });
}

/** The `varnames` lookup: the names each pattern finds (Python's re.search), pattern by pattern. */
export function varnamesLookup(terms: string[], names: string[]): string[] {
  return lookupRequest({ op: 'varnames', terms, names }) as string[];
}
