// -e/--extra-vars: `k=v k2="a b"`, a JSON/YAML object, or @file (YAML or JSON). Later ones win.
import { ConfigError, UsageError } from '../errors.js';
import { readInputFile } from '../inputfile.js';
import type { Vars } from '../types.js';
import { parseYamlDoc, problemError, yamlToJS } from '../yamldoc.js';

/** YAML (or JSON) text of -e as a value; problems are ConfigErrors at `file`:line:col. */
function parseYamlValue(text: string, file: string): unknown {
  const { doc, lc, problems } = parseYamlDoc(text);
  if (problems.length) throw problemError(problems[0], file, text);
  return yamlToJS(doc, null, (n) => ({ file, ...lc.linePos(n.range?.[0] ?? 0) }));
}

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
      const text = readInputFile(file, 'extra vars file');
      const v = parseYamlValue(text, file);
      if (v && typeof v === 'object' && !Array.isArray(v)) Object.assign(out, v);
      else if (v !== null && v !== undefined) throw new ConfigError(`-e @${file}: expected a mapping of variables`, { file, line: 1, col: 1 });
    } else if (s.startsWith('{')) {
      let v: unknown;
      try {
        v = JSON.parse(s);
      } catch {
        v = parseYamlValue(s, '-e');
      }
      if (!v || typeof v !== 'object' || Array.isArray(v)) throw new UsageError(`-e ${s}: expected a JSON object`);
      Object.assign(out, v);
    } else {
      Object.assign(out, kv(s));
    }
  }
  return out;
}
