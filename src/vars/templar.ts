// Jinja2 templating as Ansible does it, on nunjucks (see njpatch.ts for the grammar/semantics patches).
//
// Choices (Ansible's): trim_blocks on (the newline after a block tag is removed), lstrip_blocks off,
// autoescape off, trailing newline KEPT (Ansible's template module preserves it), None prints as ''.
// Undefined variables are errors (Ansible's StrictUndefined), except under `default` and the
// `defined`/`undefined` tests. nunjucks' own throwOnUndefined is not used: our strict lookups throw
// earlier and know the variable's name and position.
import fs from 'node:fs';
import nunjucks from 'nunjucks';
import { ConfigError, type Pos } from '../errors.js';
import type { Vars } from '../types.js';
import { capture, makeEnvironment } from './njenv.js';
import { hasTemplates, singleExpr } from './tplvalue.js';
import { compileTemplate } from './njcache.js';
import { DEFAULT_OPTIONS, dropFinalNewline, missingFinalNewlines, searchPath, SearchPathLoader, splitHeader, templateVars, type TemplateOptions } from './tplfile.js';
import { installNunjucksPatches, type RenderState, UndefinedVarError, withState } from './njpatch.js';
import { toConfigError } from './templerr.js';
import { isMapping, isSafeString, pyStr, truthy } from './pystr.js';
import { lookupPlugin, type LookupCtx } from './lookups.js';
import { BARE_VAR_RE, escapeBackslashes, PY_LITERAL_RE, STRING_FILTER_LAST_RE } from './taskargs.js';
import * as jinja from '../jinja/engine.js';
import { hasMarkup, isMarkedObject, isTemplate, isUnsafe, markUnsafe, noteUnsafeRead, trackTaint } from './unsafe.js';

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

export class Templar {
  private readonly env: nunjucks.Environment;
  private readonly envs = new Map<string, nunjucks.Environment>();
  private readonly loader = new SearchPathLoader();
  /** The variable lookup of the render in progress (lookup('vars', ...)). */
  private active: (name: string) => { found: boolean; value?: unknown } = () => ({ found: false });
  private activeNames: () => string[] = () => [];
  private activeVars: Vars = {};
  /** The context of lookup() calls in the render in progress. */
  private readonly inRender: LookupCtx = {
    vars: (name) => this.active(name),
    names: () => this.activeNames(),
    renderFile: (p, extra) => this.renderNested(p, { ...this.activeVars, ...extra }),
  };
  private readonly compiled = new Map<string, nunjucks.Template>();
  private readonly maxDepth: number;

  constructor(opts: TemplarOptions = {}) {
    installNunjucksPatches();
    this.maxDepth = opts.maxDepth ?? 50;
    this.env = this.envFor(DEFAULT_OPTIONS);
  }

  /** The environment for a template's settings (one per distinct `#jinja2:` header), with the file loader. */
  private envFor(o: TemplateOptions): nunjucks.Environment {
    const key = JSON.stringify([o.trimBlocks, o.lstripBlocks, o.tags ?? null]);
    let env = this.envs.get(key);
    if (!env) this.envs.set(key, (env = makeEnvironment(this.loader, o, this.inRender)));
    return env;
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
    let parts: ReturnType<typeof splitHeader>;
    try {
      // the template module's arguments (trim_blocks, newline_sequence, ...) under the file's own #jinja2: header
      parts = splitHeader(src, (text) => (PY_LITERAL_RE.test(text) ? this.expr(text, new Scope({}), undefined) : text), { ...DEFAULT_OPTIONS, ...base });
    } catch (e) {
      throw new ConfigError((e as Error).message, { file, line: 1, col: 1 });
    }
    const { body, opts } = parts;
    const scope = new Scope({ ...vars, ...templateVars(file) });
    this.loader.paths = searchPath(file);
    if (jinja.jinjaEngineChosen()) {
      // Jinja2 drops the template's final newline and writes line breaks as newline_sequence itself
      const o = { file, trimBlocks: opts.trimBlocks, lstripBlocks: opts.lstripBlocks, tags: opts.tags, newline: opts.newline, keepTrailingNewline: opts.keepTrailingNewline, paths: this.loader.paths };
      const out = jinja.renderText(body, this.hooks(scope, undefined), o);
      return out + missingFinalNewlines(body, out, opts.newline);
    }
    const jinjaBody = dropFinalNewline(body);
    const text = opts.newline ? jinjaBody.replace(/\r\n|\r|\n/g, opts.newline) : jinjaBody;
    const out = pyStr(this.run(text, scope, { file }, false, this.envFor(opts)));
    return out + missingFinalNewlines(body, out, opts.newline);
  }

  /**
   * Syntax check without rendering (the executor checks every template string of a playbook before
   * the run). `expr`: a bare expression (when:, changed_when:). Throws the ConfigError.
   */
  checkSyntax(src: string, where?: Pos, expr = false, wholeFile = false): void {
    if (!expr && !hasMarkup(src)) return;
    if (jinja.jinjaEngineChosen()) return jinja.checkSyntax(src, expr, where, wholeFile);
    const st: RenderState = { line: 0, col: 0, lookup: () => ({ found: false }), names: () => [] };
    const text = expr ? `{{ __lvs_capture((${src})) }}` : src;
    try {
      this.compile(text);
    } catch (e) {
      throw toConfigError(e as Error, st, { where, expr: expr ? src : undefined }, expr);
    }
  }

  /** The context of a lookup run outside a template (a with_* loop): the task's variables, templated on read. */
  lookupContext(vars: Vars, subdir?: string): LookupCtx {
    const scope = new Scope(vars);
    return {
      vars: (name) => this.lookupVar(scope, name, undefined),
      names: () => Object.keys(vars),
      renderFile: (p, extra) => this.renderFile(p, { ...vars, ...extra }),
      subdir,
    };
  }

  /** A template file rendered from inside a render (lookup('template')): the outer render's lookups stay its own. */
  private renderNested(p: string, vars: Vars): string {
    const saved = [this.active, this.activeNames, this.activeVars, this.loader.paths] as const;
    try {
      return this.renderFile(p, vars);
    } finally {
      [this.active, this.activeNames, this.activeVars, this.loader.paths] = saved;
    }
  }

  /** Render a template file from disk. */
  renderFile(path: string, vars: Vars): string {
    return this.renderString(fs.readFileSync(path, 'utf8'), vars, path);
  }

  private renderIn(value: unknown, scope: Scope, where: Pos | undefined, depth = 0): unknown {
    if (typeof value === 'string') {
      if (!isTemplate(value)) return value;
      // `{{ name }}` of a variable holding a number, boolean or None: that value, untouched (as 2.14)
      const bare = BARE_VAR_RE.exec(value);
      if (bare && hasOwn(scope.vars, bare[1])) {
        const raw = scope.vars[bare[1]];
        if (raw === null || typeof raw === 'number' || typeof raw === 'boolean') return raw;
      }
      const { value: out, tainted } = trackTaint(() => {
        if (jinja.jinjaEngineChosen()) return jinja.renderArg(value, this.hooks(scope, where), where);
        const src = escapeBackslashes(value);
        const single = singleExpr(src);
        if (single === undefined) return this.asTaskValue(this.run(src, scope, { where }, false));
        const v = this.expr(single, scope, where);
        return STRING_FILTER_LAST_RE.test(single) ? pyStr(v) : this.asTaskValue(v);
      });
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
   * What a rendered template string becomes as a task argument or variable (jinja2_native off, as
   * ansible-core 2.14): the value's text, except that text which reads as a Python literal list,
   * dict or boolean becomes that value. Numbers therefore arrive as strings, None as ''.
   */
  private asTaskValue(v: unknown): unknown {
    if (v === null || v === undefined) return '';
    if (typeof v === 'boolean') return v;
    if (typeof v === 'object' && !isSafeString(v)) return v; // its repr reads back as the same list/dict
    const text = pyStr(v);
    if (text === 'True' || text === 'False') return text === 'True';
    if ((text.startsWith('[') || text.startsWith('{')) && PY_LITERAL_RE.test(text)) {
      try {
        return this.expr(text, new Scope({}), undefined);
      } catch {
        return text;
      }
    }
    return text;
  }

  /** What the Jinja2 engine asks of a render in `scope`. */
  private hooks(scope: Scope, where: Pos | undefined): jinja.RenderHooks {
    this.active = (name) => this.lookupVar(scope, name, where);
    this.activeNames = () => Object.keys(scope.vars);
    this.activeVars = scope.vars;
    return { lookupVar: this.active, lookups: this.inRender, names: this.activeNames };
  }

  private expr(expr: string, scope: Scope, where: Pos | undefined): unknown {
    if (!expr.trim()) throw new ConfigError('empty expression', where);
    if (jinja.jinjaEngineChosen()) return jinja.evalExpr(expr, this.hooks(scope, where), where);
    const saved = capture.value;
    capture.value = undefined;
    try {
      this.run(`{{ __lvs_capture((${expr})) }}`, scope, { where, expr }, true);
      const v = capture.value;
      return v !== null && typeof v === 'object' && isSafeString(v as object) ? String(v) : v;
    } finally {
      capture.value = saved;
    }
  }

  /** Compile (cached) and render `src` in `scope`, turning every failure into a ConfigError. */
  private run(src: string, scope: Scope, loc: { where?: Pos; file?: string; expr?: string }, isExpr: boolean, env = this.env): string {
    const st: RenderState = {
      line: 0,
      col: 0,
      lookup: (this.active = (name) => this.lookupVar(scope, name, loc.where)),
      names: (this.activeNames = () => Object.keys(scope.vars)),
    };
    this.activeVars = scope.vars;
    try {
      const tmpl = this.compile(src, loc.file, env);
      return withState(st, () => tmpl.render({}));
    } catch (e) {
      throw toConfigError(e as Error, st, loc, isExpr, src);
    }
  }

  private compile(src: string, file?: string, env = this.env): nunjucks.Template {
    const key = `${env === this.env ? '' : [...this.envs.values()].indexOf(env)}\0${file ?? ''}\0${src}`;
    let t = this.compiled.get(key);
    if (!t) {
      // trim_blocks also removes the line break after a comment tag (nunjucks only does it after blocks)
      const trimmed = (env as unknown as { opts: { trimBlocks?: boolean } }).opts.trimBlocks ? src.replace(/#\}\r?\n/g, '#}') : src;
      t = compileTemplate(trimmed, env, file);
      if (this.compiled.size > 5000) this.compiled.clear();
      this.compiled.set(key, t);
    }
    return t;
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
        throw new ConfigError(`${e.message} (in variable '${name}')`, e.pos, e.hint);
      }
      throw e;
    } finally {
      scope.resolving.pop();
    }
  }

}

