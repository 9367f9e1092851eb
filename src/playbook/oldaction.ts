// Ansible's old-style invocations: `action: copy src=a dest=b`, `action: {module: copy, src: a}` and
// `local_action:` (the same, delegated to localhost) are read as the module's own key, so the rest
// of the loader sees `copy: src=a dest=b` — with the positions of the text as written.
import { ConfigError } from '../errors.js';
import { isTemplate } from '../vars/unsafe.js';
import { splitArgs } from './args.js';
import type { LoadCtx } from './common.js';
import { isMapping } from '../vars/pystr.js';
import { isScalar } from 'yaml';
import type { Entry, YamlFile } from './yamlfile.js';

const OLD_STYLE = ['action', 'local_action'];

/**
 * The task's entries with `action:`/`local_action:` replaced by the module's entry (and delegate_to:
 * localhost); `refused` when that failed (the error is recorded).
 */
export function oldStyleActions(ctx: LoadCtx, f: YamlFile, entries: Entry[]): { entries: Entry[]; refused: boolean } {
  const old = entries.filter((e) => OLD_STYLE.includes(e.key));
  if (old.length === 0) return { entries, refused: false };
  if (old.length > 1) {
    ctx.errors.push(new ConfigError('action and local_action are mutually exclusive', f.pos(old[1].keyNode)));
    return { entries: entries.filter((e) => !OLD_STYLE.includes(e.key)), refused: true };
  }
  const e = old[0];
  const mod = moduleEntry(ctx, f, e);
  const out = entries.filter((x) => x !== e && !(e.key === 'local_action' && x.key === 'delegate_to'));
  if (mod) out.push(mod);
  if (e.key === 'local_action') out.push({ key: 'delegate_to', keyNode: e.keyNode, node: null, value: 'localhost' });
  return { entries: out, refused: !mod };
}

function moduleEntry(ctx: LoadCtx, f: YamlFile, e: Entry): Entry | undefined {
  const pos = f.pos(e.node ?? e.keyNode);
  if (isMapping(e.value)) {
    const name = e.value.module;
    if (typeof name !== 'string' || !name.trim()) {
      ctx.errors.push(new ConfigError(`'${e.key}' as a mapping needs a 'module' key naming the module`, pos));
      return undefined;
    }
    if (splitArgs(name.trim()).length > 1 || isTemplate(name)) {
      ctx.errors.push(new ConfigError(`'${e.key}': arguments or a template in 'module' are not supported by lvsplay (give the module's name, and its arguments as keys)`, pos));
      return undefined;
    }
    const { module: _m, ...args } = e.value;
    return { key: name.trim(), keyNode: e.keyNode, node: e.node, value: args };
  }
  if (typeof e.value !== 'string' || !e.value.trim()) {
    ctx.errors.push(new ConfigError(`'${e.key}' must name a module (and its arguments) as a string or a mapping with 'module'`, pos));
    return undefined;
  }
  const text = e.value;
  const toks = splitArgs(text);
  const name = toks[0].text;
  if (isTemplate(name)) {
    ctx.errors.push(new ConfigError(`'${e.key}': a templated module name ('${name}') is not supported by lvsplay`, pos));
    return undefined;
  }
  const rest = toks.length > 1 ? text.slice(toks[1].start, toks[toks.length - 1].end) : '';
  const quoted = isScalar(e.node) && (e.node.type === 'QUOTE_DOUBLE' || e.node.type === 'QUOTE_SINGLE');
  const single = !text.includes('\n') && (quoted || (isScalar(e.node) && e.node.type === 'PLAIN'));
  return { key: name, keyNode: e.keyNode, node: single ? e.node : null, value: rest === '' ? null : rest, valueOffset: toks[1]?.start ?? 0 };
}
