// drain/undrain's one change to the inventory: `lvs_weight` in host_vars/REALSERVER.yml beside the
// inventory (host_vars files outrank the inventory file's host variables, so the next site.yml run
// keeps it), with the weight before the drain kept in `lvsplay_undrain_weight` (null: it was unset).
// Comments and other keys of the file are kept; the file is replaced atomically (temp file + rename).
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseDocument } from 'yaml';
import { labDirFrom } from '../lab/config.js';
import { ConfigError } from '../errors.js';

export const SAVED = 'lvsplay_undrain_weight';

/** The host_vars file of `host` for an inventory source (an existing .yml/.yaml/extensionless file, else NAME.yml). */
export function hostVarsFile(source: string, host: string): string {
  const dir = source === 'lab' ? labDirFrom() : existsSync(source) && statSync(source).isDirectory() ? source : dirname(source);
  const base = join(dir, 'host_vars', host);
  if (existsSync(base) && statSync(base).isDirectory())
    throw new ConfigError(`${base} is a directory: drain/undrain edit a single host_vars file (host_vars/${host}.yml) and do not support a directory there`);
  for (const f of [`${base}.yml`, `${base}.yaml`, base]) if (existsSync(f)) return f;
  return `${base}.yml`;
}

export interface Edit {
  file: string;
  text: string | null; // null: remove the file
  summary: string; // what changed, for the user
}

function load(file: string) {
  const doc = parseDocument(existsSync(file) ? readFileSync(file, 'utf8') : '');
  if (doc.errors.length) throw new ConfigError(`${file}: ${doc.errors[0].message}`);
  if (doc.contents !== null && doc.contents !== undefined && !(doc.contents as { items?: unknown }).items)
    throw new ConfigError(`${file} is not a mapping of variables`);
  return doc;
}

/** Set lvs_weight 0, remembering the weight before (unless already drained by lvsplay). */
export function drainEdit(file: string): Edit {
  const doc = load(file);
  const prev = doc.get('lvs_weight');
  if (doc.has(SAVED)) {
    doc.set('lvs_weight', 0);
    return { file, text: doc.toString(), summary: `lvs_weight: 0 (already drained; the weight to restore stays ${JSON.stringify(doc.get(SAVED))})` };
  }
  doc.set(SAVED, prev === undefined ? null : prev);
  doc.set('lvs_weight', 0);
  return { file, text: doc.toString(), summary: `lvs_weight: 0 (was ${prev === undefined ? 'unset' : JSON.stringify(prev)}; kept in ${SAVED} for undrain)` };
}

/** Restore the weight kept by drain. */
export function undrainEdit(file: string): Edit {
  if (!existsSync(file)) throw new ConfigError(`${file} does not exist: the host was not drained by lvsplay`);
  const doc = load(file);
  if (!doc.has(SAVED)) throw new ConfigError(`${file} has no ${SAVED}: the host was not drained by lvsplay (set lvs_weight there yourself)`);
  const saved = doc.get(SAVED);
  doc.delete(SAVED);
  if (saved === null || saved === undefined) doc.delete('lvs_weight');
  else doc.set('lvs_weight', saved);
  const empty = !(doc.contents as { items?: unknown[] } | null)?.items?.length;
  return {
    file,
    text: empty ? null : doc.toString(),
    summary: saved === null || saved === undefined ? `lvs_weight removed (it was unset before the drain)${empty ? '; the file, now empty, removed' : ''}` : `lvs_weight: ${JSON.stringify(saved)} restored`,
  };
}

export function applyEdit(e: Edit): void {
  if (e.text === null) {
    rmSync(e.file, { force: true });
    return;
  }
  mkdirSync(dirname(e.file), { recursive: true });
  const tmp = `${e.file}.lvsplay-${process.pid}.tmp`;
  writeFileSync(tmp, e.text, { mode: 0o644 });
  renameSync(tmp, e.file);
}
