// loadInventory: Ansible inventories (INI, YAML, directories, `h1,h2,` lists, the `lab`) with group_vars/host_vars.
import fs from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../errors.js';
import { labDirFrom, labInventoryFile } from '../lab/config.js';
import { readInputFile } from '../inputfile.js';
import { parseIni } from './ini.js';
import { InventoryData } from './model.js';
import { loadVarsDirs } from './varsfiles.js';
import { parseYamlInventory } from './yaml.js';

export { InventoryData } from './model.js';
export { splitPattern } from './pattern.js';
export { formatHostList, inventoryGraph, inventoryList } from './list.js';

const IGNORED_EXTS = /(\.(pyc|pyo|swp|bak|orig|ini\.dist|cfg|retry|md|txt|rst|j2)|~)$/;

function looksYaml(file: string, text: string): boolean {
  if (/\.(ya?ml|json)$/i.test(file)) return true;
  for (const raw of text.split(/\r?\n/)) {
    const l = raw.trim();
    if (!l || l.startsWith('#') || l.startsWith(';')) continue;
    return l === '---' || l.startsWith('{') || /^[\w.-]+:\s*(#.*)?$/.test(l) || /^[\w.-]+:\s+\{/.test(l);
  }
  return false;
}

function parseFile(inv: InventoryData, file: string): void {
  const text = readInputFile(file, 'inventory');
  if (looksYaml(file, text)) parseYamlInventory(inv, text, file);
  else parseIni(inv, text, file);
}

/** Which file(s) and vars directories a source stands for. */
function resolveSource(src: string): { files: string[]; varDirs: string[]; hostList?: string[] } {
  if (src === 'lab') {
    const dir = labDirFrom();
    const file = labInventoryFile();
    if (!fs.existsSync(file)) throw new ConfigError(`no lab at ${dir}: run 'lvsplay lab up' first`);
    return { files: [file], varDirs: [dir] };
  }
  if (fs.existsSync(src)) {
    const st = fs.statSync(src);
    if (st.isDirectory()) {
      const files = fs
        .readdirSync(src, { withFileTypes: true })
        .filter((e) => e.isFile() && !e.name.startsWith('.') && !IGNORED_EXTS.test(e.name))
        .map((e) => path.join(src, e.name))
        .sort();
      return { files, varDirs: [src] };
    }
    return { files: [src], varDirs: [path.dirname(src)] };
  }
  if (src.includes(',')) {
    return { files: [], varDirs: [], hostList: src.split(',').map((h) => h.trim()).filter(Boolean) };
  }
  throw new ConfigError(`inventory source '${src}' not found (expected a file, a directory, 'lab' or a comma list such as 'host1,')`);
}

/**
 * Load and merge inventory sources. group_vars/host_vars beside each inventory source are loaded, then
 * those beside the playbook (`opts.playbookDir`, higher precedence, as Ansible).
 */
export async function loadInventory(sources: string[], opts: { playbookDir?: string } = {}): Promise<InventoryData> {
  const inv = new InventoryData([...sources]);
  const varDirs: string[] = [];
  for (const src of sources) {
    const r = resolveSource(src);
    for (const f of r.files) parseFile(inv, f);
    for (const h of r.hostList ?? []) inv.addHost(h, undefined, undefined);
    for (const d of r.varDirs) if (!varDirs.includes(d)) varDirs.push(d);
  }
  inv.reconcile();
  for (const d of varDirs) loadVarsDirs(inv, d, 'inventory_files');
  if (opts.playbookDir) loadPlaybookVars(inv, opts.playbookDir);
  return inv;
}

/** group_vars/host_vars beside a playbook (call again for each playbook directory). */
export function loadPlaybookVars(inv: InventoryData, playbookDir: string): void {
  loadVarsDirs(inv, playbookDir, 'playbook_files');
}
