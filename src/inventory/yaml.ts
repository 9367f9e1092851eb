// YAML inventories: `all: {hosts: {h: {vars}}, vars: {}, children: {g: {...}}}` (any top-level group).
import { isMap, isScalar, type Document, type LineCounter, type Node, type Pair, type YAMLMap } from 'yaml';
import { ConfigError, type Pos } from '../errors.js';
import { parseYamlDoc, problemError, yamlToJS } from '../yamldoc.js';
import { unquotedTemplate } from '../yamlpos.js';
import { closest } from '../suggest.js';
import type { Vars } from '../types.js';
import type { InventoryData } from './model.js';
import { expandHostRange } from './ranges.js';
import { markVaultFileValues, openMaybeVaulted } from '../vault/yaml.js';

const GROUP_KEYS = ['hosts', 'vars', 'children'];

export function yamlPos(file: string, lc: LineCounter, node: Node | null | undefined): Pos | undefined {
  const off = node?.range?.[0];
  if (off === undefined) return undefined;
  const p = lc.linePos(off);
  return { file, line: p.line, col: p.col };
}

interface YamlSource {
  root: Node | null;
  lc: LineCounter;
  /** a node as JS, alias expansion bounded */
  js: (n: Node | null) => unknown;
}

/** Parse YAML text (single document) into a JS value, every syntax error as ConfigError with FILE:LINE:COL. */
export function parseYamlFile(text: string, file: string): YamlSource & { value: unknown } {
  const src = yamlSource(text, file);
  const value = src.js(src.root);
  if (src.vaulted) markVaultFileValues(value);
  return { ...src, value };
}

function yamlSource(raw: string, file: string): YamlSource & { vaulted: boolean } {
  // YAML 1.1 as PyYAML (Ansible): yes/no/on/off are booleans, 0755 is octal; a vault-encrypted file is decrypted first.
  const { text, vaulted } = openMaybeVaulted(raw, file);
  const { doc, lc, problems } = parseYamlDoc(text, file);
  if (problems.length) throw problemError(problems[0], file, text);
  const tpl = unquotedTemplate(doc);
  if (tpl !== undefined) {
    const p = lc.linePos(tpl);
    throw new ConfigError('a value starting with {{ must be quoted (YAML reads {{ x }} as a mapping)', { file, line: p.line, col: p.col }, 'write "{{ ... }}"');
  }
  const at = (n: Node): Pos => yamlPos(file, lc, n) ?? { file, line: 1, col: 1 };
  const root = doc.contents as Node | null;
  return { root, lc, vaulted, js: (n) => yamlToJS(doc as Document, n ?? root, at) };
}

export function parseYamlInventory(inv: InventoryData, text: string, file: string): void {
  const { root, lc, js } = yamlSource(text, file);
  if (root === null || (isScalar(root) && root.value === null)) return;
  const at = (n: Node | null | undefined): Pos => yamlPos(file, lc, n) ?? { file, line: 1, col: 1 };
  if (!isMap(root)) throw new ConfigError('a YAML inventory must be a mapping of groups (all: {hosts: ..., children: ...})', at(root));
  const groupEntry = (name: string, body: Node | null, keyNode: Node): void => {
    inv.addGroup(name, at(keyNode));
    if (body === null || (isScalar(body) && body.value === null)) return;
    if (!isMap(body)) throw new ConfigError(`group '${name}' must be a mapping with hosts, vars or children`, at(body));
    for (const pair of (body as YAMLMap).items as Pair<Node, Node | null>[]) {
      const key = String((pair.key as { value?: unknown })?.value);
      if (!GROUP_KEYS.includes(key)) {
        const sug = closest(key, GROUP_KEYS);
        throw new ConfigError(`unexpected key '${key}' in group '${name}': expected hosts, vars or children`, at(pair.key), sug ? `did you mean '${sug}'?` : undefined);
      }
      const v = pair.value;
      if (v === null || (isScalar(v) && v.value === null)) continue;
      if (!isMap(v)) throw new ConfigError(`'${key}' of group '${name}' must be a mapping`, at(v));
      if (key === 'vars') {
        inv.setVars('group', name, 'inventory', (js(v) ?? {}) as Vars);
      } else if (key === 'hosts') {
        for (const hp of (v as YAMLMap).items as Pair<Node, Node | null>[]) {
          const hname = String((hp.key as { value?: unknown })?.value);
          const hv = hp.value;
          if (hv !== null && !(isScalar(hv) && hv.value === null) && !isMap(hv)) {
            throw new ConfigError(`host '${hname}' must map to its variables (a mapping) or nothing`, at(hv));
          }
          let names: string[];
          try {
            names = expandHostRange(hname);
          } catch (e) {
            throw new ConfigError((e as Error).message, at(hp.key));
          }
          const vars = hv && isMap(hv) ? ((js(hv) ?? {}) as Vars) : {};
          for (const n of names) {
            inv.addHost(n, name, at(hp.key));
            if (Object.keys(vars).length) inv.setVars('host', n, 'inventory', vars);
          }
        }
      } else {
        for (const cp of (v as YAMLMap).items as Pair<Node, Node | null>[]) {
          const cname = String((cp.key as { value?: unknown })?.value);
          inv.addChild(name, cname, at(cp.key));
          groupEntry(cname, cp.value, cp.key);
        }
      }
    }
  };
  for (const pair of (root as YAMLMap).items as Pair<Node, Node | null>[]) {
    groupEntry(String((pair.key as { value?: unknown })?.value), pair.value, pair.key);
  }
}
