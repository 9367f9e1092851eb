// One YAML source file with positions: parse with the yaml library (YAML 1.1 like Ansible:
// yes/no booleans, 0644 octal, << merge keys), map nodes and JSON paths back to FILE:LINE:COL.
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { Document, LineCounter, isAlias, isMap, isScalar, isSeq, parseDocument, type Node, type Pair, type Tags } from 'yaml';
import { ConfigError, type Pos } from '../errors.js';
import type { Vars } from '../types.js';
import { unquotedTemplate, yamlErrorPos } from '../yamlpos.js';
import { VaultError } from '../vault/keyring.js';
import { isVaultTagError, markVaultFileValues, openMaybeVaulted, vaultTag, vaultTagMessage } from '../vault/yaml.js';

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
}

export class YamlFile {
  readonly display: string;
  constructor(readonly abs: string, readonly doc: Document, readonly lc: LineCounter) {
    this.display = displayPath(abs);
  }

  get root(): Node | null {
    return this.deref(this.doc.contents as Node | null);
  }

  deref(node: Node | null | undefined): Node | null {
    if (!node) return null;
    return isAlias(node) ? ((node.resolve(this.doc) as Node | undefined) ?? null) : node;
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
    return n.toJS(this.doc, { maxAliasCount: -1 });
  }

  /** The entries of a mapping node, in order (merge keys expanded through JS). */
  entries(node: Node | null): Entry[] {
    const n = this.deref(node);
    if (!isMap(n)) return [];
    const out: Entry[] = [];
    for (const p of n.items as Pair<Node, Node>[]) {
      const keyNode = p.key ?? null;
      const key = isScalar(keyNode) ? String(keyNode.value) : String(this.js(keyNode));
      if (key === '<<') {
        // merge key: expand the merged mappings' entries (positions point into their source)
        const src = this.deref(p.value);
        const maps = isSeq(src) ? src.items.map((i) => this.deref(i as Node)) : [src];
        for (const m of maps) for (const e of this.entries(m)) if (!out.some((o) => o.key === e.key)) out.push(e);
        continue;
      }
      const valNode = this.deref(p.value ?? null);
      const idx = out.findIndex((o) => o.key === key);
      if (idx >= 0) out.splice(idx, 1);
      out.push({ key, keyNode, node: valNode, value: this.js(valNode) });
    }
    return out;
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
        const e = this.entries(cur).find((x) => x.key === String(s));
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
}

export function kindOf(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (Array.isArray(v)) return 'list';
  if (typeof v === 'object') return 'mapping';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

// Booleans as PyYAML (and so Ansible) reads them: yes/no/on/off/true/false, but not y/n; and `!vault` values.
const PY_TRUE = /^(?:[Yy]es|YES|[Tt]rue|TRUE|[Oo]n|ON)$/;
const PY_FALSE = /^(?:[Nn]o|NO|[Ff]alse|FALSE|[Oo]ff|OFF)$/;
export function ansibleTags(tags: Tags): Tags {
  const out = tags.map((t) => {
    if (typeof t !== 'object' || t.tag !== 'tag:yaml.org,2002:bool' || !('test' in t) || !t.test) return t;
    return { ...t, test: t.test.test('yes') ? PY_TRUE : PY_FALSE } as typeof t;
  });
  return [...out, vaultTag];
}

export type DuplicateKeyPolicy = 'error' | 'warn' | 'ignore';
let duplicateKeys: DuplicateKeyPolicy = 'error';

/** ansible.cfg duplicate_dict_key: lvsplay's default is an error; `warn`/`ignore` keep the last value, as Ansible. */
export function setDuplicateKeyPolicy(p: DuplicateKeyPolicy): void {
  duplicateKeys = p;
}

/** Read and parse a YAML file; syntax errors (with the yaml library's line/col) go to `errors`. */
export function readYaml(abs: string, errors: ConfigError[], from?: Pos, what = 'file'): YamlFile | undefined {
  let src: string;
  try {
    src = readFileSync(abs, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'not found' : code === 'EISDIR' ? 'is a directory' : String((e as Error).message);
    errors.push(new ConfigError(`${what} '${displayPath(abs)}' ${why}`, from));
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
  const lc = new LineCounter();
  const doc = parseDocument(src, { lineCounter: lc, prettyErrors: false, version: '1.1', uniqueKeys: true, customTags: ansibleTags });
  const f = new YamlFile(abs, doc, lc);
  let bad = false;
  for (const err of doc.errors) {
    if (err.code !== 'DUPLICATE_KEY') bad = true; // duplicates are reported; the rest is still checked
    const { line, col, message } = yamlErrorPos(err, src, lc);
    const pos = { file: f.display, line, col };
    if (isVaultTagError(err)) {
      errors.push(new VaultError(vaultTagMessage(err), pos));
    } else if (err.code === 'DUPLICATE_KEY') {
      if (duplicateKeys === 'warn') process.stderr.write(`[WARNING]: ${pos.file}:${pos.line}:${pos.col}: duplicate key${dupName(src, err.pos[0])}: the last value is used\n`);
      else if (duplicateKeys === 'error') errors.push(new ConfigError(`duplicate key${dupName(src, err.pos[0])}: a key may appear only once in a mapping`, pos));
    } else {
      errors.push(new ConfigError(`YAML syntax error: ${message}`, pos));
    }
  }
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

/** A vars file (vars_files, role vars/defaults, include_vars): a mapping of variables (an empty file: {}). Problems go to `errors`. */
export function readVarsFile(abs: string, errors: ConfigError[], from?: Pos): Vars | undefined {
  const f = readYaml(abs, errors, from, 'vars file');
  if (!f) return undefined;
  if (f.root === null) return {};
  const v = f.js(f.root);
  if (!isMap(f.root)) {
    errors.push(new ConfigError(`'${displayPath(abs)}' must be a mapping of variables, got ${kindOf(v)}`, f.pos(f.root)));
    return undefined;
  }
  return v as Vars;
}

function dupName(src: string, offset: number): string {
  const m = /^\s*["']?([^"':\n]+)["']?\s*:/.exec(src.slice(offset, offset + 200));
  return m ? ` '${m[1].trim()}'` : '';
}
