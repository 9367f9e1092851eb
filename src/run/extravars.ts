// -e/--extra-vars: `k=v k2="a b"`, a JSON/YAML object, or @file (YAML or JSON). Later ones win.
import { readFileSync } from 'node:fs';
import { UsageError } from '../errors.js';
import type { Vars } from '../types.js';
import { parse } from 'yaml';

function kv(s: string): Vars {
  const out: Vars = {};
  const re = /([A-Za-z_][A-Za-z0-9_]*)=("(?:[^"\\]|\\.)*"|'[^']*'|\S*)/g;
  let m: RegExpExecArray | null;
  let used = 0;
  while ((m = re.exec(s))) {
    let v = m[2];
    if (v.startsWith('"')) v = v.slice(1, -1).replace(/\\(.)/g, '$1');
    else if (v.startsWith("'")) v = v.slice(1, -1);
    out[m[1]] = v;
    used += m[0].length;
  }
  if (used === 0 && s.trim()) throw new UsageError(`-e ${JSON.stringify(s)}: expected key=value pairs, a JSON object or @file`);
  return out;
}

export async function parseExtraVars(specs: string[]): Promise<Vars> {
  const out: Vars = {};
  for (const spec of specs) {
    const s = spec.trim();
    if (s.startsWith('@')) {
      const file = s.slice(1);
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch (e) {
        throw new UsageError(`-e @${file}: ${(e as Error).message}`);
      }
      const v = parse(text);
      if (v && typeof v === 'object' && !Array.isArray(v)) Object.assign(out, v);
      else if (v !== null && v !== undefined) throw new UsageError(`-e @${file}: expected a mapping of variables`);
    } else if (s.startsWith('{')) {
      let v: unknown;
      try {
        v = JSON.parse(s);
      } catch {
          v = parse(s);
      }
      if (!v || typeof v !== 'object' || Array.isArray(v)) throw new UsageError(`-e ${s}: expected a JSON object`);
      Object.assign(out, v);
    } else {
      Object.assign(out, kv(s));
    }
  }
  return out;
}
