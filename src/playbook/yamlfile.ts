// One YAML source file with positions: parse with the yaml library (YAML 1.1 like Ansible:
// yes/no booleans, 0644 octal, << merge keys), map nodes and JSON paths back to FILE:LINE:COL.
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { type Alias, Document, LineCounter, isAlias, isMap, isScalar, isSeq, type Node, type Pair } from 'yaml';
import { ConfigError, type Pos } from '../errors.js';
import { readInputFile } from '../inputfile.js';
import type { Vars } from '../types.js';
import { aliasTargets, parseYamlDoc, problemError, yamlToJS } from '../yamldoc.js';
import { unquotedTemplate } from '../yamlpos.js';
import { VaultError } from '../vault/keyring.js';
import { markVaultFileValues, openMaybeVaulted } from '../vault/yaml.js';
import { rememberWritten } from './written.js';

/** The path shown in messages: relative to the working directory when inside it, else absolute. */
export function displayPath(abs: string): string {
  const rel = path.relative(process.cwd(), abs);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : abs;
}

export interface Entry {
  key: string;
  keyNode: Node | null;
  node: Node | null; // the value node
  value: unknown; // the value as JS
  /** Where `value` starts in the node's text (an `action:` string after its module name). */
  valueOffset?: number;
}

export class YamlFile {
  readonly display: string;
  private targets?: Map<Alias, Node | undefined>;
  constructor(readonly abs: string, readonly doc: Document, readonly lc: LineCounter) {
    this.display = displayPath(abs);
  }

  get root(): Node | null {
    return this.deref(this.doc.contents as Node | null);
  }

  deref(node: Node | null | undefined): Node | null {
    if (!node) return null;
    if (!isAlias(node)) return node;
    this.targets ??= aliasTargets(this.doc); // one pass over the document, not one per alias
    return this.targets.get(node) ?? null;
  }

  /** Position of a node (its first character); the file start when unknown. */
  pos(node: Node | null | undefined, fallback?: Pos): Pos {
    const r = node?.range;
    if (!r) return fallback ?? { file: this.display, line: 1, col: 1 };
    const { line, col } = this.lc.linePos(r[0]);
    return { file: this.display, line, col };
  }

  /** Position `offset` characters into a node's source text (for free-form arguments). */
  posAtOffset(node: Node | null | undefined, offset: number): Pos {
    const r = node?.range;
    if (!r) return this.pos(node);
    const { line, col } = this.lc.linePos(r[0] + offset);
    return { file: this.display, line, col };
  }

  js(node: Node | null | undefined): unknown {
    const n = this.deref(node);
    if (!n) return null;
    return yamlToJS(this.doc, n, (x) => this.pos(x));
  }

  /** The entries of a mapping node, in order (merge keys expanded through JS). */
  entries(node: Node | null): Entry[] {
    const n = this.deref(node);
    if (!isMap(n)) return [];
    const byKey = new Map<string, Entry>(); // insertion order; a later key replaces an earlier one at the end
    for (const p of n.items as Pair<Node, Node>[]) {
      const keyNode = p.key ?? null;
      const key = isScalar(keyNode) ? String(keyNode.value) : String(this.js(keyNode));
      if (key === '<<') {
        // merge key: expand the merged mappings' entries (positions point into their source)
        const src = this.deref(p.value);
        const maps = isSeq(src) ? src.items.map((i) => this.deref(i as Node)) : [src];
        for (const m of maps) for (const e of this.entries(m)) if (!byKey.has(e.key)) byKey.set(e.key, e);
        continue;
      }
      const valNode = this.deref(p.value ?? null);
      byKey.delete(key);
      byKey.set(key, { key, keyNode, node: valNode, value: this.js(valNode) });
    }
    return [...byKey.values()];
  }

  items(node: Node | null): (Node | null)[] {
    const n = this.deref(node);
    return isSeq(n) ? n.items.map((i) => this.deref(i as Node)) : [];
  }

  /** The node at a JSON path (`['loop_control','loop_var']`), or the deepest node found. */
  nodeAt(node: Node | null, segs: (string | number)[], wantKey = false): Node | null {
    let cur = this.deref(node);
    for (let i = 0; i < segs.length; i++) {
      const s = segs[i];
      if (isMap(cur)) {
        const e = this.findEntry(cur, String(s));
        if (!e) return cur;
        if (wantKey && i === segs.length - 1) return e.keyNode ?? e.node;
        cur = e.node;
      } else if (isSeq(cur)) {
        const it = cur.items[Number(s)] as Node | undefined;
        if (!it) return cur;
        cur = this.deref(it);
      } else return cur;
    }
    return cur;
  }

  /**
   * One entry of a mapping by key, as entries() would give it (an explicit key beats a merged one;
   * the last explicit one wins, the first merged one) without converting any value: positions of
   * many errors in a big mapping stay linear.
   */
  private findEntry(map: Node, key: string): { keyNode: Node | null; node: Node | null } | undefined {
    if (!isMap(map)) return undefined;
    let explicit: { keyNode: Node | null; node: Node | null } | undefined;
    let merged: { keyNode: Node | null; node: Node | null } | undefined;
    for (const p of map.items as Pair<Node, Node>[]) {
      const keyNode = p.key ?? null;
      const k = isScalar(keyNode) ? String(keyNode.value) : String(this.js(keyNode));
      if (k === '<<') {
        const src = this.deref(p.value);
        for (const m of isSeq(src) ? src.items.map((x) => this.deref(x as Node)) : [src]) merged ??= m ? this.findEntry(m, key) : undefined;
      } else if (k === key) explicit = { keyNode, node: this.deref(p.value ?? null) };
    }
    return explicit ?? merged;
  }
}

export function kindOf(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (Array.isArray(v)) return 'list';
  if (typeof v === 'object') return 'mapping';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

/** Read and parse a YAML file; syntax errors (with the yaml library's line/col) go to `errors`. */
export function readYaml(abs: string, errors: ConfigError[], from?: Pos, what = 'file'): YamlFile | undefined {
  let src: string;
  try {
    src = readInputFile(abs, what, displayPath(abs), from);
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    errors.push(e);
    return undefined;
  }
  let vaulted = false;
  try {
    ({ text: src, vaulted } = openMaybeVaulted(src, displayPath(abs), from));
  } catch (e) {
    if (!(e instanceof VaultError)) throw e;
    errors.push(e);
    return undefined;
  }
  const { doc, lc, problems } = parseYamlDoc(src, displayPath(abs));
  const f = new YamlFile(abs, doc, lc);
  for (const p of problems) errors.push(problemError(p, f.display, src));
  const bad = problems.some((p) => !p.duplicate); // duplicates are reported; the rest is still checked
  const tpl = bad ? undefined : unquotedTemplate(doc);
  if (tpl !== undefined) {
    const { line, col } = lc.linePos(tpl);
    errors.push(
      new ConfigError('a value starting with {{ must be quoted (YAML reads {{ x }} as a mapping)', { file: f.display, line, col }, `write "{{ ... }}"`),
    );
    return undefined;
  }
  if (!bad && vaulted) markVaultFileValues(f.js(f.root));
  return bad ? undefined : f;
}

/** A vars_files entry's file: the first of its alternatives (relative to dir) that exists. */
export function firstExisting(dir: string, names: string[]): string | undefined {
  return names.map((n) => path.resolve(dir, n)).find((p) => existsSync(p));
}

/** A vars file (vars_files, role vars/defaults, include_vars): a mapping of variables (an empty file: {}). Problems go to `errors`. */
export function readVarsFile(abs: string, errors: ConfigError[], from?: Pos): Vars | undefined {
  const f = readYaml(abs, errors, from, 'vars file');
  if (!f) return undefined;
  if (f.root === null) return {};
  let v: unknown;
  try {
    v = f.js(f.root);
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    errors.push(e);
    return undefined;
  }
  if (!isMap(f.root)) {
    errors.push(new ConfigError(`'${displayPath(abs)}' must be a mapping of variables, got ${kindOf(v)}`, f.pos(f.root)));
    return undefined;
  }
  rememberWritten(v as Vars, f, f.root);
  return v as Vars;
}
