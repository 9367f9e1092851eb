// One YAML document read safely, for every loader (playbooks, vars files, inventories, -e @file):
// the yaml library's parse with its own limits on alias expansion, plus what it leaves to the caller —
// one document only, duplicate keys found in linear time (its uniqueKeys check is quadratic in the
// size of a mapping), aliases that name no anchor or their own ancestor (a cycle) — each problem at
// its line:col.
import { LineCounter, type Alias, type CollectionTag, isAlias, isCollection, isMap, isScalar, parseDocument, type Scalar, type ScalarTag, visit, type Document, type Node, type Tags, YAMLMap, YAMLSeq } from 'yaml';
import { ConfigError, type Pos } from './errors.js';
import { yamlErrorPos } from './yamlpos.js';
import { VaultError } from './vault/keyring.js';
import { isVaultTagError, vaultTag, vaultTagMessage } from './vault/yaml.js';
import { pyFloat } from './vars/pyfloat.js';
import { hasMarkup, isAuthoredUnsafe, markAuthoredUnsafe, noteAuthoredText, TRUSTED_SUFFIX } from './vars/unsafe.js';

/**
 * The yaml library's bound on alias expansion (its `maxAliasCount`: roughly the number of nodes
 * aliases may copy in one conversion). Far above any real playbook; an alias bomb stops here.
 */
export const MAX_ALIAS_EXPANSION = 10000;

export interface YamlProblem {
  offset: number;
  line: number;
  col: number;
  message: string;
  /** duplicate keys are reported but the document is still usable */
  duplicate: boolean;
  /** an inline `!vault` value that could not be decrypted */
  vault?: boolean;
}

/** ansible.cfg duplicate_dict_key: lvsplay's default is an error; `warn` and `ignore` keep the last value, as Ansible. */
export type DuplicateKeyPolicy = 'error' | 'warn' | 'ignore';
let duplicateKeys: DuplicateKeyPolicy = 'error';
export function setDuplicateKeyPolicy(p: DuplicateKeyPolicy): void {
  duplicateKeys = p;
}

export interface ParsedYaml {
  doc: Document;
  lc: LineCounter;
  problems: YamlProblem[];
}

// Booleans as PyYAML (and so Ansible) reads them: yes/no/on/off/true/false, but not y/n.
const PY_TRUE = /^(?:[Yy]es|YES|[Tt]rue|TRUE|[Oo]n|ON)$/;
const PY_FALSE = /^(?:[Nn]o|NO|[Ff]alse|FALSE|[Oo]ff|OFF)$/;
// Floats as PyYAML resolves them: a dot after a digit or before one (so `.`, `-.` and `._` are
// strings), an exponent only after a dot and with a sign (`1e5` is a string, `1.0e+5` a float).
const PY_FLOAT = /^(?:[-+]?[0-9][0-9_]*\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?)$/;
const NEVER = /(?!)/;
/** The YAML tags as Ansible reads them: PyYAML's booleans and floats, and `!vault` values (decrypted). */
export function ansibleTags(tags: Tags): Tags {
  const out = tags.map((t) => {
    if (typeof t !== 'object' || !('test' in t) || !t.test) return t;
    if (t.tag === 'tag:yaml.org,2002:bool') return { ...t, test: t.test.test('yes') ? PY_TRUE : PY_FALSE } as typeof t;
    if (t.tag !== 'tag:yaml.org,2002:float' || t.test.test('1:2.5') || t.test.test('.nan')) return t;
    // the library's plain float takes PyYAML's pattern (its separate exponent form is in it too); a
    // whole value stays a float (src/vars/pyfloat.ts: `2.0` prints 2.0, as in Ansible)
    if (!t.test.test('1.5')) return { ...t, test: NEVER } as typeof t;
    return { ...t, test: PY_FLOAT, resolve: (str: string) => pyFloat(parseFloat(str.replace(/_/g, ''))) } as typeof t;
  });
  return [...out, vaultTag, ...unsafeTags];
}

// `!unsafe` (Ansible's AnsibleUnsafe): the value, a string, list or mapping, is data and never a
// template — marked as host data is (src/vars/unsafe.ts), everything inside it too.
type ToJSContext = Parameters<YAMLSeq['toJSON']>[1];
type MapLike = Map<unknown, unknown> | Set<unknown> | Record<string | number | symbol, unknown>;
class UnsafeSeq extends YAMLSeq {
  override toJSON(_?: unknown, ctx?: ToJSContext): unknown[] {
    return markAuthoredUnsafe(super.toJSON(_, ctx));
  }
}
class UnsafeMap extends YAMLMap {
  override toJSON<T extends MapLike = Map<unknown, unknown>>(_?: unknown, ctx?: ToJSContext, Type?: { new (): T }): T {
    return markAuthoredUnsafe(super.toJSON(_, ctx, Type));
  }
}
const unsafeTags: (ScalarTag | CollectionTag)[] = [
  { tag: '!unsafe', resolve: (s: string) => markAuthoredUnsafe(s) },
  { tag: '!unsafe', collection: 'seq', nodeClass: UnsafeSeq },
  { tag: '!unsafe', collection: 'map', nodeClass: UnsafeMap },
];

/** Parse `src` as one YAML 1.1 document, as PyYAML (so Ansible) reads it. */
export function parseYamlDoc(src: string, file = 'YAML'): ParsedYaml {
  const lc = new LineCounter();
  const doc = parseDocument(src, { lineCounter: lc, prettyErrors: false, version: '1.1', customTags: ansibleTags, uniqueKeys: false });
  const problems: YamlProblem[] = [];
  const add = (offset: number, message: string, duplicate = false): void => {
    const { line, col } = lc.linePos(offset);
    problems.push({ offset, line, col, message, duplicate });
  };
  for (const err of doc.errors) {
    if (err.code === 'MULTIPLE_DOCS') {
      add(err.pos[0], "a second YAML document starts here ('---'): this file must hold exactly one document");
      continue;
    }
    const p = yamlErrorPos(err, src, lc);
    if (isVaultTagError(err)) {
      problems.push({ offset: err.pos[0], line: p.line, col: p.col, message: vaultTagMessage(err), duplicate: false, vault: true });
      continue;
    }
    const message = /Maximum call stack/.test(p.message) ? 'the YAML is nested too deeply' : p.message;
    problems.push({ offset: err.pos[0], line: p.line, col: p.col, message, duplicate: false });
  }
  for (const w of doc.warnings) {
    if (w.code !== 'TAG_RESOLVE_FAILED') continue;
    // PyYAML (so Ansible) refuses a tag it has no constructor for
    const tag = /Unresolved tag: (\S+)/.exec(w.message)?.[1] ?? '?';
    add(w.pos[0], `the YAML tag ${tag} is unknown (could not determine a constructor for the tag '${tag}')`);
  }
  if (problems.length === 0) {
    for (const c of unsafeClashes(doc, lc, file)) add(c.offset, c.message);
  }
  if (problems.length === 0 && duplicateKeys !== 'ignore') {
    for (const off of duplicateKeyOffsets(doc)) {
      if (duplicateKeys === 'error') add(off, 'duplicate key', true);
      else {
        const { line, col } = lc.linePos(off);
        process.stderr.write(`[WARNING]: ${file}:${line}:${col}: duplicate key${keyName(src, off)}: the last value is used\n`);
      }
    }
  }
  if (problems.length === 0 || problems.every((p) => p.duplicate)) {
    for (const a of badAliases(doc)) add(a.offset, a.message);
  }
  problems.sort((a, b) => a.offset - b.offset);
  return { doc, lc, problems };
}

/**
 * Strings with template markup, each noted as a template or as `!unsafe` text. lvsplay tells unsafe
 * data by its text (src/vars/unsafe.ts), so a template with the text of an `!unsafe` value would stay
 * literal: such a template is given a Jinja comment at its end (TRUSTED_SUFFIX), which renders to
 * nothing and makes its text its own. A template converted before the `!unsafe` value was read (an
 * earlier file) cannot be changed any more: that clash is an error at the `!unsafe` value.
 */
function unsafeClashes(doc: Document, lc: LineCounter, file: string): { offset: number; message: string }[] {
  const out: { offset: number; message: string }[] = [];
  const templates: Scalar[] = [];
  const where = (n: Node) => {
    const { line, col } = lc.linePos(n.range?.[0] ?? 0);
    return `${file}:${line}:${col}`;
  };
  visit(doc, {
    Scalar(_k, node, path) {
      const v = node.value;
      if (typeof v !== 'string' || !hasMarkup(v)) return;
      if (node.tag !== '!unsafe' && !path.some((p) => isCollection(p) && p.tag === '!unsafe')) {
        templates.push(node);
        return;
      }
      const other = noteAuthoredText(v, where(node), true);
      if (other !== undefined) {
        out.push({
          offset: node.range?.[0] ?? 0,
          message: `this !unsafe value has the exact text of the template written at ${other}, read earlier: lvsplay tells unsafe text from templates by their text and cannot keep one literal and render the other; write one of them differently`,
        });
      }
    },
  });
  for (const node of templates) {
    if (isAuthoredUnsafe(node.value as string)) node.value = `${node.value as string}${TRUSTED_SUFFIX}`;
    noteAuthoredText(node.value as string, where(node), false);
  }
  return out;
}

/** Offsets of every key that repeats an earlier key of the same mapping (scalar keys, as the yaml library compares them). */
function duplicateKeyOffsets(doc: Document): number[] {
  const out: number[] = [];
  visit(doc, {
    Map(_k, map: YAMLMap) {
      const seen = new Set<unknown>();
      for (const pair of map.items) {
        const key = pair.key as Node | null;
        if (!isScalar(key)) continue;
        if (seen.has(key.value)) out.push(key.range?.[0] ?? 0);
        else seen.add(key.value);
      }
    },
  });
  return out;
}

/** Every alias of the document and the node it stands for (the latest anchor of its name before it), in one pass. */
export function aliasTargets(doc: Document): Map<Alias, Node | undefined> {
  const out = new Map<Alias, Node | undefined>();
  const anchors = new Map<string, Node>();
  visit(doc, {
    Node(_k, node) {
      if (isAlias(node)) out.set(node, anchors.get(node.source));
      else if (node.anchor) anchors.set(node.anchor, node);
    },
  });
  return out;
}

/** Aliases that name no earlier anchor, or an anchor around themselves (a cyclic value). */
function badAliases(doc: Document): { offset: number; message: string }[] {
  const out: { offset: number; message: string }[] = [];
  const targets = aliasTargets(doc);
  if (targets.size === 0) return out;
  visit(doc, {
    Alias(_k, node, path) {
      const target = targets.get(node);
      const offset = node.range?.[0] ?? 0;
      if (!target) out.push({ offset, message: `alias *${node.source} names no anchor defined before it (&${node.source})` });
      else if (path.includes(target)) out.push({ offset, message: `alias *${node.source} refers to a node that contains it (a cycle)` });
    },
  });
  return out;
}

/** A problem as a ConfigError of file `file`. */
export function problemError(p: YamlProblem, file: string, src: string): ConfigError {
  const pos: Pos = { file, line: p.line, col: p.col };
  if (p.vault) return new VaultError(p.message, pos);
  if (p.duplicate) return new ConfigError(`duplicate key${keyName(src, p.offset)}: a key may appear only once in a mapping`, pos);
  if (p.message.startsWith('alias') || p.message.startsWith('a second') || p.message.startsWith('the YAML tag') || p.message.startsWith('this ')) return new ConfigError(p.message, pos);
  return new ConfigError(`YAML syntax error: ${p.message}`, pos);
}

function keyName(src: string, offset: number): string {
  const m = /^\s*["']?([^"':\n]+)["']?\s*:/.exec(src.slice(offset, offset + 200));
  return m ? ` '${m[1].trim()}'` : '';
}

/** The error the yaml library throws when aliases expand beyond the bound. */
function isExpansionError(e: unknown): boolean {
  return e instanceof ReferenceError && /resource exhaustion|Excessive alias/.test(e.message);
}

/**
 * `node` (default: the whole document) as a JS value, alias expansion bounded. An alias bomb is a
 * ConfigError at the innermost node that still expands too far (found by converting its children).
 */
export function yamlToJS(doc: Document, node: Node | null | undefined, at: (n: Node) => Pos): unknown {
  const target = node ?? (doc.contents as Node | null);
  if (!target) return null;
  try {
    return convert(doc, target);
  } catch (e) {
    if (!isExpansionError(e)) throw e;
    const culprit = innermostBomb(doc, target);
    const name = isAlias(culprit) ? `alias *${culprit.source}` : 'this value';
    throw new ConfigError(
      `${name} expands to too much data through YAML aliases (more than ${MAX_ALIAS_EXPANSION} nodes: an alias bomb?)`,
      at(culprit),
    );
  }
}

function convert(doc: Document, node: Node): unknown {
  return node === doc.contents ? doc.toJS({ maxAliasCount: MAX_ALIAS_EXPANSION }) : node.toJS(doc, { maxAliasCount: MAX_ALIAS_EXPANSION });
}

function innermostBomb(doc: Document, node: Node): Node {
  let cur = node;
  for (let depth = 0; depth < 1000; depth++) {
    if (isAlias(cur)) return cur;
    if (!isCollection(cur)) return cur;
    const children: Node[] = [];
    for (const it of cur.items as unknown[]) {
      if (isMap(cur)) {
        const pair = it as { key: Node | null; value: Node | null };
        if (pair.key) children.push(pair.key);
        if (pair.value) children.push(pair.value);
      } else if (it) children.push(it as Node);
    }
    const next = children.find((c) => {
      try {
        convert(doc, c);
        return false;
      } catch (e) {
        return isExpansionError(e);
      }
    });
    if (!next) return cur;
    cur = next;
  }
  return cur;
}
