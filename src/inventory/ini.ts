// Ansible INI inventories: [group], [group:vars], [group:children], host ranges, inline host vars.
import { ConfigError } from '../errors.js';
import { closest } from '../suggest.js';
import type { Vars } from '../types.js';
import type { InventoryData } from './model.js';
import { expandHostRange } from './ranges.js';
import { literalEval, shlexSplit } from './values.js';

/** `host`, `host:port`, `[v6::addr]:port`. */
function splitHostPort(tok: string): [string, number | undefined] {
  const v6 = /^\[([^\]]+)\](?::(\d+))?$/.exec(tok);
  if (v6 && v6[1].includes(':')) return [v6[1], v6[2] ? Number(v6[2]) : undefined];
  const m = /^(.*?[^\]:]|.*\]):(\d+)$/.exec(tok);
  if (m && !m[1].includes(':')) return [m[1], Number(m[2])];
  return [tok, undefined];
}

export function parseIni(inv: InventoryData, text: string, file: string): void {
  let section = 'ungrouped';
  let kind: 'hosts' | 'vars' | 'children' = 'hosts';
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, idx) => {
    const line = raw.trim();
    const lineNo = idx + 1;
    const col = raw.length - raw.trimStart().length + 1;
    const pos = { file, line: lineNo, col };
    if (line === '' || line.startsWith('#') || line.startsWith(';')) return;
    if (line.startsWith('[')) {
      const m = /^\[([^\]]+)\]\s*([#;].*)?$/.exec(line);
      if (!m) throw new ConfigError(`invalid section header '${line}': expected [group], [group:vars] or [group:children]`, pos);
      const [name, type, extra] = m[1].split(':');
      if (extra !== undefined || !name) throw new ConfigError(`invalid section header '${line}'`, pos);
      if (type === undefined || type === 'hosts') kind = 'hosts';
      else if (type === 'vars' || type === 'children') kind = type;
      else {
        const sug = closest(type, ['vars', 'children']);
        throw new ConfigError(`section [${m[1]}] has unknown type '${type}': expected 'vars' or 'children'`, { ...pos, col: col + 1 + name.length + 1 }, sug ? `did you mean '${sug}'?` : undefined);
      }
      if (!/^[A-Za-z0-9_-]+$/.test(name) && !/^[\w.-]+$/.test(name)) throw new ConfigError(`invalid group name '${name}'`, pos);
      section = name;
      inv.addGroup(section, pos);
      return;
    }
    if (kind === 'vars') {
      const eq = line.indexOf('=');
      if (eq <= 0) throw new ConfigError(`expected key=value in [${section}:vars], got '${line}'`, pos);
      const key = line.slice(0, eq).trim();
      if (!/^[A-Za-z_]\w*$/.test(key)) throw new ConfigError(`invalid variable name '${key}'`, pos);
      inv.setVars('group', section, 'inventory', { [key]: literalEval(stripComment(line.slice(eq + 1).trim())) });
      return;
    }
    if (kind === 'children') {
      const child = line.split(/\s+/)[0];
      if (line.split(/\s+/).length > 1 && !/^[#;]/.test(line.split(/\s+/)[1])) throw new ConfigError(`expected one group name per line in [${section}:children], got '${line}'`, pos);
      inv.addChild(section, child, pos);
      return;
    }
    let toks: string[];
    try {
      toks = shlexSplit(line);
    } catch (e) {
      throw new ConfigError(`cannot parse host line: ${(e as Error).message}`, pos);
    }
    if (!toks.length) return;
    const [hostTok, ...rest] = toks;
    const vars: Vars = {};
    let from = raw.indexOf(hostTok) + hostTok.length;
    for (const t of rest) {
      const eq = t.indexOf('=');
      const at = raw.indexOf(eq > 0 ? t.slice(0, eq + 1) : t, from);
      const tcol = at >= 0 ? at + 1 : col;
      if (at >= 0) from = at + 1;
      if (eq <= 0) throw new ConfigError(`expected key=value host variable, got '${t}'`, { file, line: lineNo, col: tcol });
      vars[t.slice(0, eq)] = literalEval(t.slice(eq + 1));
    }
    const [pattern, port] = splitHostPort(hostTok);
    let names: string[];
    try {
      names = expandHostRange(pattern);
    } catch (e) {
      throw new ConfigError((e as Error).message, pos);
    }
    if (port !== undefined) vars.ansible_port = port;
    for (const n of names) {
      inv.addHost(n, section, pos);
      if (Object.keys(vars).length) inv.setVars('host', n, 'inventory', vars);
    }
  });
}

/** `value  # comment` in a vars section: Ansible keeps everything; we drop a ` #...` tail only outside quotes. */
function stripComment(v: string): string {
  if (/^['"[{(]/.test(v)) return v;
  const m = /\s+[#;]/.exec(v);
  return m ? v.slice(0, m.index) : v;
}
