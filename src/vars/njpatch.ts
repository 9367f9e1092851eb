// Jinja2/Ansible semantics grafted onto nunjucks (installed once, process wide; only lvsplay uses nunjucks):
//  - strict variables: an undefined name or attribute throws UndefinedVarError naming it with its position,
//    except under `default`/`d` and the `defined`/`undefined` tests (soft lookups), like Ansible's StrictUndefined;
//  - variables are looked up through the active RenderState (lazy, recursive rendering of templated vars);
//  - True/False/None literals, Python methods (d.keys(), s.split()), negative indexes, slices `l[1:]`, `x.0` (x[0]),
//    `x is in(l)` and `x is in l`, tests with arguments (`is version('1.2', '>=')`);
//  - `+` concatenates lists; output and `~` use Python's str(): True, ['a', 'b'], {'k': 1}; None prints as '' (Ansible's finalize).
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { pyMethod } from './pymethods.js';
import { eqOp } from './filters-util.js';
import { isMapping, pyStr, pyType } from './pystr.js';

const require = createRequire(import.meta.url);
/** The file holding these patches (its identity keys the compiled-template cache, njcache.ts). */
export const PATCH_MODULE = fileURLToPath(import.meta.url);
/* eslint-disable @typescript-eslint/no-explicit-any */
const runtime: any = require('nunjucks/src/runtime');
const compilerMod: any = require('nunjucks/src/compiler');
const parserMod: any = require('nunjucks/src/parser');
const nodes: any = require('nunjucks/src/nodes');
const lexer: any = require('nunjucks/src/lexer');

/** An undefined variable or attribute, with its 0-based template position. */
export class UndefinedVarError extends Error {
  constructor(readonly varName: string, readonly line: number, readonly col: number, readonly candidates: string[], readonly detail = '') {
    super(`undefined variable '${varName}'${detail ? ` (${detail})` : ''}`);
    this.name = 'UndefinedVarError';
  }
}

/** What the runtime needs from the render in progress. */
export interface RenderState {
  /** Top-level variable lookup (the Templar renders templated values lazily). */
  lookup(name: string): { found: boolean; value?: unknown };
  names(): string[];
  /** Last known template position (0-based), updated at lookups, filters and calls. */
  line: number;
  col: number;
  /** The first error we raised ourselves (nunjucks rewraps errors; we keep the original). */
  error?: Error;
  capture?: unknown;
}

const stack: RenderState[] = [];
export function withState<T>(st: RenderState, fn: () => T): T {
  stack.push(st);
  try {
    return fn();
  } finally {
    stack.pop();
  }
}
function top(): RenderState | undefined {
  return stack[stack.length - 1];
}
function at(line: number, col: number): void {
  const st = top();
  if (st) {
    st.line = line;
    st.col = col;
  }
}
function fail(err: Error): Error {
  const st = top();
  if (st && !st.error) st.error = err;
  return err;
}

const hasOwn = (o: object, k: string) => Object.prototype.hasOwnProperty.call(o, k);

function lvsLookup(context: any, frame: any, name: string, soft: boolean, line: number, col: number): unknown {
  at(line, col);
  let v = frame.lookup(name);
  if (v !== undefined) return v;
  const st = top();
  if (st) {
    let r: { found: boolean; value?: unknown };
    try {
      r = st.lookup(name);
    } catch (e) {
      throw fail(e as Error);
    }
    if (r.found) return r.value;
  }
  v = context.lookup(name);
  if (v !== undefined) return v;
  if (soft) return undefined;
  throw fail(new UndefinedVarError(name, line, col, st ? st.names() : []));
}

function bind(obj: any, fn: any): any {
  return (...args: unknown[]) => fn.apply(obj, args);
}

function lvsGet(obj: any, key: unknown, soft: boolean, path: string, line: number, col: number): unknown {
  at(line, col);
  if (obj === undefined || obj === null) {
    if (soft) return undefined;
    throw fail(new UndefinedVarError(path, line, col, [], `${obj === null ? "'None'" : 'undefined'} has no attribute '${String(key)}'`));
  }
  if (typeof obj === 'string' || Array.isArray(obj)) {
    if (typeof key === 'number' || (typeof key === 'string' && /^-?\d+$/.test(key) && Array.isArray(obj))) {
      let i = Number(key);
      if (i < 0) i += obj.length;
      if (i >= 0 && i < obj.length) return obj[i];
      if (soft) return undefined;
      throw fail(new UndefinedVarError(path, line, col, [], `${pyType(obj)} index ${String(key)} out of range`));
    }
    const m = pyMethod(obj, String(key));
    if (m) return m;
  } else if (isMapping(obj)) {
    const k = String(key);
    if (hasOwn(obj, k)) return obj[k];
    const m = pyMethod(obj, k);
    if (m) return m;
    if (isPlain(obj)) {
      if (soft) return undefined;
      throw fail(new UndefinedVarError(path, line, col, Object.keys(obj), `'dict object' has no attribute '${k}'`));
    }
    // other objects (loop, cycler, SafeString, Proxies): plain property access
    const v = obj[k];
    if (typeof v === 'function') return bind(obj, v);
    if (v !== undefined || soft || k in obj) return v;
    throw fail(new UndefinedVarError(path, line, col, [], `'${obj.constructor?.name ?? 'object'}' object has no attribute '${k}'`));
  } else if (typeof obj === 'function') {
    return obj[String(key)];
  }
  if (soft) return undefined;
  throw fail(new UndefinedVarError(path, line, col, [], `'${pyType(obj)}' object has no attribute '${String(key)}'`));
}

function isPlain(o: object): boolean {
  const p = Object.getPrototypeOf(o);
  return p === Object.prototype || p === null;
}

function lvsSlice(obj: unknown, start: unknown, stop: unknown, step: unknown): unknown {
  if (typeof obj !== 'string' && !Array.isArray(obj)) throw fail(new Error(`cannot slice a ${pyType(obj)}`));
  const len = obj.length;
  const st = step === null || step === undefined ? 1 : Number(step);
  if (st === 0) throw fail(new Error('slice step cannot be zero'));
  const norm = (v: unknown, dflt: number) => {
    if (v === null || v === undefined) return dflt;
    let n = Number(v);
    if (n < 0) n += len;
    return st > 0 ? Math.min(Math.max(n, 0), len) : Math.min(Math.max(n, -1), len - 1);
  };
  const a = norm(start, st > 0 ? 0 : len - 1);
  const b = norm(stop, st > 0 ? len : -1);
  const out: unknown[] = [];
  for (let i = a; st > 0 ? i < b : i > b; i += st) out.push(obj[i]);
  return typeof obj === 'string' ? out.join('') : out;
}

/** Python's `*`: a string or list times an int repeats it; otherwise numbers. */
function lvsMul(a: unknown, b: unknown): unknown {
  const [seq, n] = typeof a === 'number' ? [b, a] : [a, b];
  if (typeof n === 'number' && Number.isInteger(n) && (typeof seq === 'string' || Array.isArray(seq))) {
    return typeof seq === 'string' ? seq.repeat(Math.max(0, n)) : Array.from({ length: Math.max(0, n) }, () => seq).flat();
  }
  return (a as number) * (b as number);
}

/** Python's `+`: lists concatenate into a new list; everything else as JavaScript's `+`. */
function lvsAdd(a: unknown, b: unknown): unknown {
  if (Array.isArray(a) && Array.isArray(b)) return [...a, ...b];
  if (Array.isArray(a) || Array.isArray(b)) throw fail(new Error(`can only concatenate list (not "${pyType(Array.isArray(a) ? b : a)}") to list`));
  return (a as number) + (b as number);
}

let installed = false;
/** Patch nunjucks (idempotent). */
export function installNunjucksPatches(): void {
  if (installed) return;
  installed = true;
  runtime.lvsLookup = lvsLookup;
  runtime.lvsGet = lvsGet;
  runtime.lvsSlice = lvsSlice;
  runtime.lvsAt = at;
  runtime.lvsConcat = (a: unknown, b: unknown) => pyStr(a) + pyStr(b);
  runtime.lvsAdd = lvsAdd;
  runtime.lvsEq = eqOp;
  runtime.lvsMul = lvsMul;
  runtime.suppressValue = (val: unknown) => (val === undefined || val === null ? '' : pyStr(val));
  patchCompiler(compilerMod.Compiler.prototype);
  patchParser(parserMod.Parser.prototype);
}

const SOFT_FILTERS = new Set(['default', 'd']);
const SOFT_TESTS = new Set(['defined', 'undefined']);

function markSoft(node: any): void {
  if (!node) return;
  node.__lvsSoft = true;
  if (node.typename === 'LookupVal') markSoft(node.target);
  else if (node.typename === 'Group' && node.children?.length === 1) markSoft(node.children[0]);
}

function pathOf(node: any): string {
  switch (node?.typename) {
    case 'Symbol':
      return node.value;
    case 'LookupVal': {
      const t = pathOf(node.target);
      const v = node.val;
      if (v.typename === 'Literal' && typeof v.value === 'string' && /^[A-Za-z_]\w*$/.test(v.value)) return `${t}.${v.value}`;
      if (v.typename === 'Literal') return `${t}[${JSON.stringify(v.value)}]`;
      return `${t}[${pathOf(v)}]`;
    }
    case 'FunCall':
      return `${pathOf(node.name)}(...)`;
    default:
      return '...';
  }
}

function patchCompiler(C: any): void {
  C.compileSymbol = function (node: any, frame: any) {
    const name = node.value;
    const v = frame.lookup(name);
    if (v) return this._emit(v);
    if (name === 'True' || name === 'False' || name === 'None') {
      return this._emit(name === 'None' ? 'null' : name.toLowerCase());
    }
    this._emit(`runtime.lvsLookup(context, frame, ${JSON.stringify(name)}, ${node.__lvsSoft ? 'true' : 'false'}, ${node.lineno}, ${node.colno})`);
  };
  C.compileLookupVal = function (node: any, frame: any) {
    if (node.__lvsSoft) markSoft(node.target);
    if (node.val?.typename === 'LvsSlice') {
      this._emit('runtime.lvsSlice((');
      this._compileExpression(node.target, frame);
      this._emit('),');
      for (const [i, part] of [node.val.start, node.val.stop, node.val.step].entries()) {
        if (part) this._compileExpression(part, frame);
        else this._emit('null');
        if (i < 2) this._emit(',');
      }
      this._emit(')');
      return;
    }
    this._emit('runtime.lvsGet((');
    this._compileExpression(node.target, frame);
    this._emit('),');
    this._compileExpression(node.val, frame);
    this._emit(`, ${node.__lvsSoft ? 'true' : 'false'}, ${JSON.stringify(pathOf(node))}, ${node.lineno}, ${node.colno})`);
  };
  // binary operators with Python's meaning, through a runtime function
  const binary = (fn: string) =>
    function (this: any, node: any, frame: any) {
      this._emit(`runtime.${fn}(`);
      this.compile(node.left, frame);
      this._emit(',');
      this.compile(node.right, frame);
      this._emit(')');
    };
  C.compileAdd = binary('lvsAdd');
  // a single == or != between lists/mappings compares values (Python), not identities
  const origCompare = C.compileCompare;
  C.compileCompare = function (node: any, frame: any) {
    const op = node.ops.length === 1 ? node.ops[0] : undefined;
    if (op?.type !== '==' && op?.type !== '!=') return origCompare.call(this, node, frame);
    this._emit(op.type === '!=' ? '!runtime.lvsEq(' : 'runtime.lvsEq(');
    this.compile(node.expr, frame);
    this._emit(',');
    this.compile(op.expr, frame);
    this._emit(')');
  };
  // a loop filter: the kept items (the loop names bound in a frame of their own for the condition) into a
  // variable the loop then runs over
  const origFor = C.compileFor;
  C.compileFor = function (node: any, frame: any) {
    if (!node.lvsFilter) return origFor.call(this, node, frame);
    const [arr, out, i, k] = [this._tmpid(), this._tmpid(), this._tmpid(), this._tmpid()];
    const names: string[] = node.name instanceof nodes.Array ? node.name.children.map((c: any) => c.value) : [node.name.value];
    const bind = (v: string) => (names.length === 1 ? `frame.set(${JSON.stringify(names[0])}, ${v});` : names.map((n, u) => `frame.set(${JSON.stringify(n)}, ${v}[${u}]);`).join(''));
    this._emit(`var ${arr} = `);
    this._compileExpression(node.arr, frame);
    this._emitLine(`; ${arr} = ${arr} ? runtime.fromIterator(${arr}) : ${arr}; var ${out} = ${arr};`);
    // a mapping with one loop name: its keys (as Jinja)
    if (names.length === 1) this._emitLine(`if (${arr} && !runtime.isArray(${arr}) && typeof ${arr} === 'object') ${arr} = Object.keys(${arr});`);
    this._emitLine(`if (${arr}) { frame = frame.push(); var ${k} = runtime.isArray(${arr});`);
    this._emitLine(`${out} = ${k} ? [] : {}; for (var ${i} in ${arr}) { if (${k}) { ${bind(`${arr}[${i}]`)} } else { ${names.length === 1 ? bind(i) : `frame.set(${JSON.stringify(names[0])}, ${i}); frame.set(${JSON.stringify(names[1] ?? '')}, ${arr}[${i}]);`} }`);
    this._emit('if (');
    this.compile(node.lvsFilter, frame.push());
    this._emitLine(`) { if (${k}) ${out}.push(${arr}[${i}]); else ${out}[${i}] = ${arr}[${i}]; } }`);
    this._emitLine('frame = frame.pop(); }');
    const sym = `__lvs_filtered_${out}`;
    frame.set(sym, out);
    return origFor.call(this, { ...node, typename: 'For', arr: new nodes.Symbol(node.lineno, node.colno, sym), lvsFilter: undefined }, frame);
  };
  C.compileMul = binary('lvsMul');
  // dict literals: any expression as a key (`{item.key: item.value}`), computed at run time as Jinja does
  const origPair = C.compilePair;
  C.compilePair = function (node: any, frame: any) {
    const k = node.key;
    if (k instanceof nodes.Symbol || (k instanceof nodes.Literal && typeof k.value === 'string')) return origPair.call(this, node, frame);
    this._emit('[');
    this.compile(k, frame);
    this._emit(']: ');
    this._compileExpression(node.value, frame);
  };
  C.compileConcat = binary('lvsConcat');
  const origFilter = C.compileFilter;
  C.compileFilter = function (node: any, frame: any) {
    if (SOFT_FILTERS.has(node.name?.value)) markSoft(node.args?.children?.[0]);
    this._emit(`(runtime.lvsAt(${node.lineno}, ${node.colno}), `);
    origFilter.call(this, node, frame);
    this._emit(')');
  };
  const origCall = C.compileFunCall;
  C.compileFunCall = function (node: any, frame: any) {
    this._emit(`(runtime.lvsAt(${node.lineno}, ${node.colno}), `);
    origCall.call(this, node, frame);
    this._emit(')');
  };
  C.compileIs = function (node: any, frame: any) {
    const right = node.right.name ? node.right.name.value : node.right.value;
    if (SOFT_TESTS.has(right)) markSoft(node.left);
    this._emit(`(runtime.lvsAt(${node.lineno}, ${node.colno}), env.getTest(${JSON.stringify(right)}).call(context, `);
    this.compile(node.left, frame);
    if (node.right.args) {
      for (const a of node.right.args.children) {
        this._emit(', ');
        this.compile(a, frame);
      }
    }
    this._emit(') === true)');
  };
}

function patchParser(P: any): void {
  // `{% for x in xs if cond %}` (Jinja's loop filter) parses in nunjucks as the inline if `xs if cond`: taken
  // apart into the list and the filter (compileFor filters the list first, so loop.* counts what is kept). `for k, v in d`: nunjucks binds the names
  // at run time under the symbol nodes' string form, which `{% include %}` looks up: their names.
  const parseFor = P.parseFor;
  P.parseFor = function () {
    const node = parseFor.call(this);
    if (node.arr instanceof nodes.InlineIf && !node.arr.else_) [node.arr, node.lvsFilter] = [node.arr.body, node.arr.cond];
    if (node.name instanceof nodes.Array) for (const c of node.name.children) c.toString = () => String(c.value);
    return node;
  };
  P.parseIs = function () {
    let node = this.parseCompare();
    if (this.skipSymbol('is')) {
      const not = this.skipSymbol('not');
      let node2;
      if (this.skipSymbol('in')) {
        const arg = this.parseCompare();
        node2 = new nodes.FunCall(arg.lineno, arg.colno, new nodes.Symbol(arg.lineno, arg.colno, 'in'), new nodes.NodeList(arg.lineno, arg.colno, [arg]));
      } else {
        node2 = this.parseCompare();
      }
      node = new nodes.Is(node.lineno, node.colno, node, node2);
      if (not) node = new nodes.Not(node.lineno, node.colno, node);
    }
    return node;
  };
  // Postfix operators: calls, `.name`, and subscripts `x[a]`, `x[a:b]`, `x[:b]`, `x[a:b:c]` (Python slices).
  P.parsePostfix = function (node: any) {
    let tok = this.peekToken();
    while (tok) {
      if (tok.type === lexer.TOKEN_LEFT_PAREN) {
        node = new nodes.FunCall(tok.lineno, tok.colno, node, this.parseSignature());
      } else if (tok.type === lexer.TOKEN_LEFT_BRACKET) {
        node = new nodes.LookupVal(tok.lineno, tok.colno, node, this.lvsParseSubscript(tok));
      } else if (tok.type === lexer.TOKEN_OPERATOR && tok.value === '.') {
        this.nextToken();
        const val = this.nextToken();
        if (val && (val.type === lexer.TOKEN_INT || val.type === lexer.TOKEN_FLOAT)) {
          // Jinja's `x.0` is x[0]; nunjucks lexes `x.0.name` as `x . 0. name` and `x.1.2` as `x . 1.2`
          const [a, b] = String(val.value).split('.');
          node = new nodes.LookupVal(tok.lineno, tok.colno, node, new nodes.Literal(val.lineno, val.colno, Number(a)));
          if (b) node = new nodes.LookupVal(tok.lineno, tok.colno, node, new nodes.Literal(val.lineno, val.colno, Number(b)));
          else if (b === '' && this.peekToken()?.type === lexer.TOKEN_SYMBOL) {
            const attr = this.nextToken();
            node = new nodes.LookupVal(tok.lineno, tok.colno, node, new nodes.Literal(attr.lineno, attr.colno, attr.value));
          }
          tok = this.peekToken();
          continue;
        }
        if (!val || val.type !== lexer.TOKEN_SYMBOL) this.fail(`expected name as lookup value, got ${val?.value}`, val?.lineno, val?.colno);
        node = new nodes.LookupVal(tok.lineno, tok.colno, node, new nodes.Literal(val.lineno, val.colno, val.value));
      } else {
        break;
      }
      tok = this.peekToken();
    }
    return node;
  };
  P.lvsParseSubscript = function (open: any) {
    this.nextToken();
    const parts: any[] = [null];
    for (;;) {
      const t = this.peekToken();
      if (!t) this.fail('unexpected end of expression in subscript', open.lineno, open.colno);
      if (t.type === lexer.TOKEN_RIGHT_BRACKET) {
        this.nextToken();
        break;
      }
      if (t.type === lexer.TOKEN_COLON) {
        this.nextToken();
        if (parts.length >= 3) this.fail('invalid slice', t.lineno, t.colno);
        parts.push(null);
        continue;
      }
      if (parts[parts.length - 1] !== null) this.fail('expected ] or : in subscript', t.lineno, t.colno);
      parts[parts.length - 1] = this.parseExpression();
    }
    if (parts.length === 1) {
      if (!parts[0]) this.fail('empty subscript', open.lineno, open.colno);
      return parts[0];
    }
    return { typename: 'LvsSlice', start: parts[0], stop: parts[1] ?? null, step: parts[2] ?? null };
  };
}
