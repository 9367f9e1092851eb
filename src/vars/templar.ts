// Jinja2 templating as Ansible 2.14 does it: Jinja2 itself (src/jinja, one engine process per run),
// configured as Ansible configures it, asking this templar for variables (rendered lazily, on
// first read, with their unsafe marks tracked) and for lvsplay's filters, tests and lookups.
//
// Choices (Ansible's): trim_blocks on (the newline after a block tag is removed), lstrip_blocks off,
// autoescape off, trailing newline KEPT (Ansible's template module preserves it), None prints as ''.
// Undefined variables are errors (Ansible's StrictUndefined), except under `default` and the
// `defined`/`undefined` tests.
import fs from 'node:fs';
import { ConfigError, reworded, type Pos } from '../errors.js';
import type { Vars } from '../types.js';
import { hasTemplates } from './tplvalue.js';
import { DEFAULT_OPTIONS, missingFinalNewlines, searchPath, splitHeader, templateVars, type TemplateOptions } from './tplfile.js';
import type { LookupTemplateOptions } from './lookup-types.js';
import { isMapping, pyStr, truthy } from './pystr.js';
import type { LookupCtx } from './lookups.js';
import { BARE_VAR_RE, PY_LITERAL_RE } from './taskargs.js';
import * as jinja from '../jinja/engine.js';
import { hasMarkup, isMarkedObject, isTemplate, isUnsafe, markUnsafe, noteUnsafeRead, trackTaint } from './unsafe.js';
import { isPyFloat } from './pyfloat.js';

export { isTemplate, markResultUnsafe, markUnsafe } from './unsafe.js';

class Scope {
  cache = new Map<string, unknown>();
  tainted = new Set<string>(); // variables whose value is (or was derived from) unsafe data
  resolving: string[] = [];
  constructor(readonly vars: Vars) {}
}

export interface TemplarOptions {
  /** Maximum nesting of variables whose values are templates (default 50). */
  maxDepth?: number;
}

const hasOwn = (o: object, k: string) => Object.prototype.hasOwnProperty.call(o, k);
/** At most this many renders are done ahead with one render (a task on many hosts: the rest render when their hosts do). */
const AHEAD_MAX = 256;
/** `{{ name }}`, `{{ name.key.key }}` (templar's plainText). */
const PLAIN_REF_G = /\{\{\s*([A-Za-z_]\w*)((?:\.[A-Za-z_]\w*)*)\s*\}\}/g;
/** A Python dict's attributes: `d.items` in Jinja2 is the method, not the key. */
const DICT_ATTRS = new Set(['clear', 'copy', 'fromkeys', 'get', 'items', 'keys', 'pop', 'popitem', 'setdefault', 'update', 'values']);

export class Templar {
  /** Where include/import/extends look in the template file being rendered. */
  private paths: string[] = [];
  /** The variable lookup of the render in progress (lookup('vars', ...)). */
  private active: (name: string) => { found: boolean; value?: unknown } = () => ({ found: false });
  private activeNames: () => string[] = () => [];
  private activeVars: Vars = {};
  /** The context of lookup() calls in the render in progress. */
  private readonly inRender: LookupCtx = {
    vars: (name) => this.active(name),
    names: () => this.activeNames(),
    renderFile: (p, extra, opts) => this.renderNested(p, { ...this.activeVars, ...extra }, opts),
  };
  private readonly maxDepth: number;
  /**
   * The hosts running the current task together (play.ts), and the strings of the task the engine
   * renders. A render with one host's task variables also renders, in the same request (engine.ts
   * `ahead`), the same string for the other hosts (once per string: a variable's template too), and
   * the first render of one of the task's strings also the task's other strings for every host; each
   * pure result is kept for the host's own render of it.
   */
  private group?: {
    hosts: string[];
    varsOf: (host: string) => Vars;
    strings: jinja.AheadString[];
    /** Each host's variables as its own run of the task has them (`taskVars`). */
    own: Map<string, Vars>;
    /** Each host's variables and their lookups' caches, read ahead of its own renders. */
    ahead: Map<string, Scope>;
    /** The strings already rendered ahead for the other hosts; whether the task's strings were. */
    done: Set<string>;
    stringsDone: boolean;
  };
  constructor(opts: TemplarOptions = {}) {
    this.maxDepth = opts.maxDepth ?? 50;
  }

  /**
   * `hosts` run the next task together (`varsOf`: a host's task variables; `strings`: what of the
   * task the engine may render), until `apart()`.
   */
  together(hosts: string[], varsOf: (host: string) => Vars, strings: jinja.AheadString[] = []): void {
    this.group = { hosts, varsOf, strings, own: new Map(), ahead: new Map(), done: new Set(), stringsDone: false };
  }

  /** The variables `host`'s run of the task renders with (the renders made with them are that host's). */
  taskVars(host: string, vars: Vars): void {
    this.group?.own.set(host, vars);
  }

  apart(): void {
    this.group = undefined;
  }

  /** The renders to do ahead with a render of `src` in `scope` (see `group`), each with how its host's own render will read the variables. */
  private ahead(scope: Scope, op: 'arg' | 'expr', src: string, where: Pos | undefined): jinja.AheadRender[] {
    const g = this.group;
    const me = scope.vars.inventory_hostname;
    // a render with a host's own task variables (values read ahead make no request: engine.ts)
    if (!g || typeof me !== 'string' || g.own.get(me) !== scope.vars) return [];
    const hooksOf = (h: string): jinja.RenderHooks => {
      let sc = g.ahead.get(h);
      if (!sc) g.ahead.set(h, (sc = new Scope(g.own.get(h) ?? g.varsOf(h))));
      const ahead = sc;
      return { lookupVar: (name: string) => this.readAhead(ahead, name, where), lookups: this.inRender, names: () => Object.keys(ahead.vars) };
    };
    const out: jinja.AheadRender[] = [];
    const room = () => out.length < AHEAD_MAX;
    const key = `${op}\0${src}`;
    if (!g.done.has(key)) {
      g.done.add(key);
      for (const h of g.hosts) if (h !== me && room()) out.push({ op, src, hooks: hooksOf(h) });
    }
    if (!g.stringsDone && !scope.resolving.length && g.strings.some((x) => x.op === op && x.src === src)) {
      g.stringsDone = true;
      if (!g.ahead.has(me)) g.ahead.set(me, scope); // this render's own variables, already read
      for (const x of g.strings) {
        const k = `${x.op}\0${x.src}`;
        if (g.done.has(k)) continue;
        g.done.add(k);
        for (const h of g.hosts) if (room()) out.push({ ...x, hooks: hooksOf(h) });
      }
    }
    return out;
  }

  /** A variable read ahead of the render that may use it: the render in progress keeps its own state. */
  private readAhead(scope: Scope, name: string, where: Pos | undefined): { found: boolean; value?: unknown } {
    const saved = [this.active, this.activeNames, this.activeVars, this.paths] as const;
    try {
      return this.lookupVar(scope, name, where); // (a render it makes does not render ahead itself: engine.ts refuses while reading ahead)
    } finally {
      [this.active, this.activeNames, this.activeVars, this.paths] = saved;
    }
  }

  /** Render a value: strings are templated (a lone `{{ expr }}` keeps its native type), lists and dicts recursively. */
  render(value: unknown, vars: Vars, where?: Pos): unknown {
    return this.renderIn(value, new Scope(vars), where);
  }

  /** Evaluate a bare Jinja expression (no braces) to its native value. */
  evalExpr(expr: string, vars: Vars, where?: Pos): unknown {
    return this.expr(expr, new Scope(vars), where);
  }

  /** Ansible `when:` semantics: a bare expression (templates inside are rendered first), booleans as is. */
  evalCondition(expr: string | boolean, vars: Vars, where?: Pos): boolean {
    if (typeof expr === 'boolean') return expr;
    if (expr === null || expr === undefined) return false;
    if (typeof expr !== 'string') return truthy(expr);
    const scope = new Scope(vars);
    let e = expr.trim();
    if (e === '') return false;
    if (isTemplate(e)) {
      const { value: r, tainted } = trackTaint(() => this.renderIn(e, scope, where));
      if (typeof r !== 'string') return truthy(r);
      e = r.trim();
      if (e === '') return false;
      // data from a host is never evaluated as an expression
      if (tainted) throw new ConfigError(`Conditional is marked as unsafe, and cannot be evaluated.`, where);
    }
    return truthy(this.expr(e, scope, where));
  }

  /** Render a template file's text. Errors carry the template's own FILE:LINE:COL. */
  renderString(src: string, vars: Vars, file: string, base?: Partial<TemplateOptions>): string {
    return String(this.renderText(src, vars, file, base, false));
  }

  /** A template file's text, or with `convertData` (lookup('template')) the list, dict or bool it looks like. */
  private renderText(src: string, vars: Vars, file: string, base: Partial<TemplateOptions> | undefined, convertData: boolean, lookup = false): unknown {
    let parts: ReturnType<typeof splitHeader>;
    try {
      // the template module's arguments (trim_blocks, newline_sequence, ...) under the file's own #jinja2: header
      parts = splitHeader(src, (text) => (PY_LITERAL_RE.test(text) ? this.expr(text, new Scope({}), undefined) : text), { ...DEFAULT_OPTIONS, ...base });
    } catch (e) {
      throw new ConfigError((e as Error).message, { file, line: 1, col: 1 });
    }
    const { body, opts } = parts;
    const scope = new Scope({ ...vars, ...templateVars(file) });
    this.paths = searchPath(file, vars, lookup);
    // Jinja2 drops the template's final newline and writes line breaks as newline_sequence itself
    const o = { file, trimBlocks: opts.trimBlocks, lstripBlocks: opts.lstripBlocks, tags: opts.tags, newline: opts.newline, keepTrailingNewline: opts.keepTrailingNewline, paths: this.paths, convertData };
    const out = jinja.renderTextValue(body, this.hooks(scope, undefined), o);
    return typeof out === 'string' ? out + missingFinalNewlines(body, out, opts.newline) : out;
  }

  /**
   * Syntax check without rendering (the executor checks every template string of a playbook before
   * the run), many strings in one round trip to the engine: each one's error, or undefined.
   * `expr`: a bare expression (when:, changed_when:).
   */
  checkSyntaxMany(items: jinja.SyntaxItem[]): (Error | undefined)[] {
    const idx = this.toCheck(items);
    const out: (Error | undefined)[] = items.map(() => undefined);
    jinja.checkSyntaxMany(idx.map((i) => items[i])).forEach((e, k) => (out[idx[k]] = e));
    return out;
  }

  /** The strings checkSyntaxMany will check sent to the engine now, without waiting (it checks them while lvsplay goes on; checkSyntaxMany uses the answer). */
  postSyntaxMany(items: jinja.SyntaxItem[]): void {
    jinja.postChecks(this.toCheck(items).map((i) => items[i]));
  }

  /** The indexes of the items the engine parses: expressions, and strings with template markup. */
  private toCheck(items: jinja.SyntaxItem[]): number[] {
    return items.map((it, i) => i).filter((i) => items[i].expr || hasMarkup(items[i].src));
  }

  /** The context of a lookup run outside a template (a with_* loop): the task's variables, templated on read. */
  lookupContext(vars: Vars, subdir?: string): LookupCtx {
    const scope = new Scope(vars);
    return {
      vars: (name) => this.lookupVar(scope, name, undefined),
      names: () => Object.keys(vars),
      renderFile: (p, extra, opts) => this.renderLookup(p, { ...vars, ...extra }, opts),
      subdir,
    };
  }

  /** A template file rendered from inside a render (lookup('template')): the outer render's lookups stay its own. */
  private renderNested(p: string, vars: Vars, opts?: LookupTemplateOptions): unknown {
    const saved = [this.active, this.activeNames, this.activeVars, this.paths] as const;
    try {
      return this.renderLookup(p, vars, opts);
    } finally {
      [this.active, this.activeNames, this.activeVars, this.paths] = saved;
    }
  }

  /** Render a template file from disk. */
  renderFile(path: string, vars: Vars): string {
    return this.renderString(fs.readFileSync(path, 'utf8'), vars, path);
  }

  /** A template file as lookup('template') renders it: its delimiter options, convert_data (on unless false). */
  private renderLookup(path: string, vars: Vars, opts: LookupTemplateOptions = {}): unknown {
    const { convertData, ...base } = opts;
    return this.renderText(fs.readFileSync(path, 'utf8'), vars, path, base, convertData !== false, true);
  }

  private renderIn(value: unknown, scope: Scope, where: Pos | undefined, depth = 0): unknown {
    if (typeof value === 'string') {
      if (!isTemplate(value)) return value;
      // `{{ name }}` of a variable holding a number, boolean or None: that value, untouched (as 2.14)
      const bare = BARE_VAR_RE.exec(value);
      if (bare && hasOwn(scope.vars, bare[1])) {
        const raw = scope.vars[bare[1]];
        if (raw === null || typeof raw === 'number' || typeof raw === 'boolean' || isPyFloat(raw)) return raw;
      }
      const text = this.plainText(value, scope, where);
      if (text !== undefined) return text;
      const { value: out, tainted } = trackTaint(() => jinja.renderArg(value, this.hooks(scope, where), where));
      return tainted ? markUnsafe(out) : out;
    }
    if (value === null || typeof value !== 'object' || depth > 100 || isMarkedObject(value) || !hasTemplates(value)) return value;
    if (Array.isArray(value)) return value.map((v) => this.renderIn(v, scope, where, depth + 1));
    if (!isMapping(value) || Object.getPrototypeOf(value) !== Object.prototype) return value;
    const out: Vars = {};
    for (const [k, v] of Object.entries(value)) {
      const key = isTemplate(k) ? pyStr(this.renderIn(k, scope, where, depth + 1)) : k;
      out[key] = this.renderIn(v, scope, where, depth + 1);
    }
    return out;
  }

  /**
   * Text with `{{ name }}` / `{{ name.key.key }}` references and nothing else of Jinja's, each value
   * text, an int, a bool or None: what the engine would render, without the round trip. Ansible's
   * concat joins the pieces (None as '', a bool as True/False, an int as its digits) and reads back
   * what looks like a list, dict or bool: such a result is the engine's. A lone reference to a bool
   * is that bool. Anything else — another type, a name not in scope, a key that is missing or is a
   * dict method's name (Jinja2 tries the attribute first), a mapping lent lazily, text with other
   * markup or a carriage return (Jinja2 rewrites newlines) — is the engine's (undefined: no answer).
   */
  private plainText(src: string, scope: Scope, where: Pos | undefined): string | boolean | undefined {
    const refs = [...src.matchAll(PLAIN_REF_G)];
    if (!refs.length || src.includes('\r')) return undefined;
    const lits: string[] = [];
    let at = 0;
    for (const m of refs) {
      lits.push(src.slice(at, m.index));
      at = m.index + m[0].length;
    }
    lits.push(src.slice(at));
    if (lits.some((l) => hasMarkup(l) || l.endsWith('{')) || refs.some((m) => !hasOwn(scope.vars, m[1]))) return undefined;
    const lone = refs.length === 1 && lits[0] === '' && lits[1] === '';
    const { value: text, tainted } = trackTaint((): string | boolean | undefined => {
      const values = refs.map((m) => {
        try {
          return this.lookupVar(scope, m[1], where).value; // the template reads them whatever else happens
        } catch (e) {
          throw jinja.renderFailure(e, src, this.hooks(scope, where), where);
        }
      });
      let out = lits[0];
      for (let i = 0; i < refs.length; i++) {
        let v = values[i];
        for (const key of refs[i][2] ? refs[i][2].slice(1).split('.') : []) {
          if (v === null || typeof v !== 'object' || Object.getPrototypeOf(v) !== Object.prototype || DICT_ATTRS.has(key) || !hasOwn(v, key)) return undefined;
          v = (v as Vars)[key];
        }
        if (lone && typeof v === 'boolean') return v;
        if (typeof v === 'string') out += v;
        else if (typeof v === 'number' && Number.isSafeInteger(v)) out += String(v);
        else if (typeof v === 'boolean') out += v ? 'True' : 'False';
        else if (v !== null) return undefined;
        out += lits[i + 1];
      }
      return /^[{[]|^True$|^False$/.test(out) ? undefined : out;
    });
    return typeof text === 'string' && tainted ? markUnsafe(text) : text;
  }

  /** What the Jinja2 engine asks of a render in `scope`. */
  private hooks(scope: Scope, where: Pos | undefined): jinja.RenderHooks {
    this.active = (name) => this.lookupVar(scope, name, where);
    this.activeNames = () => Object.keys(scope.vars);
    this.activeVars = scope.vars;
    return { lookupVar: this.active, lookups: this.inRender, names: this.activeNames, ahead: (op, src) => this.ahead(scope, op, src, where) };
  }

  private expr(expr: string, scope: Scope, where: Pos | undefined): unknown {
    if (!expr.trim()) throw new ConfigError('empty expression', where);
    return jinja.evalExpr(expr, this.hooks(scope, where), where);
  }

  private lookupVar(scope: Scope, name: string, where: Pos | undefined): { found: boolean; value?: unknown } {
    if (!hasOwn(scope.vars, name)) return { found: false };
    if (scope.cache.has(name)) {
      if (scope.tainted.has(name)) noteUnsafeRead();
      return { found: true, value: scope.cache.get(name) };
    }
    const raw = scope.vars[name];
    if (!hasTemplates(raw)) {
      scope.cache.set(name, raw);
      if (isUnsafe(raw)) {
        scope.tainted.add(name);
        noteUnsafeRead();
      }
      return { found: true, value: raw };
    }
    if (scope.resolving.includes(name)) {
      throw new ConfigError(`recursive loop detected in template: ${[...scope.resolving, name].join(' -> ')}`, where);
    }
    if (scope.resolving.length >= this.maxDepth) {
      throw new ConfigError(`template recursion deeper than ${this.maxDepth} variables: ${scope.resolving.join(' -> ')}`, where);
    }
    scope.resolving.push(name);
    try {
      const { value: v, tainted } = trackTaint(() => this.renderIn(raw, scope, undefined));
      scope.cache.set(name, v);
      if (tainted || isUnsafe(v)) {
        scope.tainted.add(name);
        noteUnsafeRead();
      }
      return { found: true, value: v };
    } catch (e) {
      if (e instanceof ConfigError && !/^recursive loop|^template recursion/.test(e.message) && !e.message.includes(`(in variable '${name}')`)) {
        throw reworded(e, `${e.message} (in variable '${name}')`, e.pos);
      }
      throw e;
    } finally {
      scope.resolving.pop();
    }
  }

}

