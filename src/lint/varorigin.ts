// Where an inventory variable of a host was set: the host's INI line, a [group:vars] section,
// or a group_vars/host_vars file — so `lvsplay check` can point at the line to fix.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import type { Pos } from '../errors.js';
import type { Inventory } from '../types.js';

const esc = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function lines(file: string): string[] {
  try {
    return readFileSync(file, 'utf8').split('\n');
  } catch {
    return [];
  }
}

function varFiles(dir: string, kind: 'group_vars' | 'host_vars', name: string): string[] {
  const base = path.join(dir, kind, name);
  const out: string[] = [];
  for (const ext of ['', '.yml', '.yaml', '.json']) {
    const f = base + ext;
    if (!existsSync(f)) continue;
    if (statSync(f).isDirectory()) out.push(...readdirSync(f).filter((x) => /\.(ya?ml|json)$/.test(x)).sort().map((x) => path.join(f, x)));
    else if (ext) out.push(f);
  }
  return out;
}

function findYamlKey(file: string, name: string): Pos | undefined {
  const re = new RegExp(`^(\\s*)["']?${esc(name)}["']?\\s*:`);
  const ls = lines(file);
  for (let i = 0; i < ls.length; i++) {
    const m = re.exec(ls[i]);
    if (m) return { file, line: i + 1, col: m[1].length + 1 };
  }
  return undefined;
}

function findIniSectionVar(file: string, group: string, name: string): Pos | undefined {
  const ls = lines(file);
  let inSection = false;
  for (let i = 0; i < ls.length; i++) {
    const t = ls[i].trim();
    if (t.startsWith('[')) {
      inSection = t === `[${group}:vars]`;
      continue;
    }
    if (inSection && new RegExp(`^${esc(name)}\\s*=`).test(t)) return { file, line: i + 1, col: ls[i].indexOf(name) + 1 };
  }
  return undefined;
}

export class VarOrigins {
  private readonly files: string[];
  private readonly dirs: string[];
  constructor(private readonly inv: Inventory, inventoryFiles: string[], playbookDir?: string) {
    this.files = inventoryFiles;
    this.dirs = [...new Set([...inventoryFiles.map((f) => path.dirname(f)), ...(playbookDir ? [playbookDir] : [])])];
  }

  /** The most specific place that sets `name` for `host`, or undefined. */
  find(host: string, name: string): Pos | undefined {
    for (const d of [...this.dirs].reverse()) for (const f of varFiles(d, 'host_vars', host)) {
      const p = findYamlKey(f, name);
      if (p) return p;
    }
    const h = this.inv.hosts.get(host);
    if (h?.pos) {
      const line = lines(h.pos.file)[h.pos.line - 1] ?? '';
      const m = new RegExp(`(^|\\s)${esc(name)}=`).exec(line);
      if (m) return { file: h.pos.file, line: h.pos.line, col: m.index + m[1].length + 1 };
    }
    // Child groups before their parents, 'all' last.
    const groups = [...this.inv.groupNames(host)].reverse().concat('all');
    for (const g of groups) {
      for (const d of [...this.dirs].reverse()) for (const f of varFiles(d, 'group_vars', g)) {
        const p = findYamlKey(f, name);
        if (p) return p;
      }
      for (const f of this.files) {
        const p = findIniSectionVar(f, g, name);
        if (p) return p;
      }
    }
    return undefined;
  }
}
