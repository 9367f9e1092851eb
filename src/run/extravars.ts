// -e/--extra-vars as ansible-playbook reads them (later ones win):
//  - `@file`: a YAML/JSON file (vault-encrypted files and `!vault` values are decrypted);
//  - starting with `{` or `[`: JSON or YAML, which must be a mapping (malformed: exit 4, not a mapping: exit 5);
//  - anything else: Ansible's parse_kv, as free-form arguments are read (src/playbook/splitlines.ts):
//    words split at spaces outside quotes and Jinja, escapes (\n, \t, \xHH, \N{NAME}...) decoded, a
//    value quoted at both ends unquoted; the words without `=` are the variable `_raw_params`.
import { ConfigError, UsageError } from '../errors.js';
import { readInputFile } from '../inputfile.js';
import type { Vars } from '../types.js';
import { ArgsSplitError, parseKv } from '../playbook/splitlines.js';
import { VaultError } from '../vault/keyring.js';
import { markVaultFileValues, openMaybeVaulted } from '../vault/yaml.js';
import { parseYamlDoc, problemError, yamlToJS } from '../yamldoc.js';
import { pyJsonLoads } from '../vars/pyfloat.js';

/** YAML (or JSON) text as a value through the one bounded YAML reader; problems are errors at `file`:line:col. */
function parseYamlValue(text: string, file: string): unknown {
  const { doc, lc, problems } = parseYamlDoc(text, file);
  if (problems.length) throw problemError(problems[0], file, text);
  return yamlToJS(doc, null, (n) => ({ file, ...lc.linePos(n.range?.[0] ?? 0) }));
}

export function parseKeyValues(s: string): Vars {
  if (s.length && !s.trim()) throw new ConfigError(`-e ${JSON.stringify(s)}: unable to parse an empty argument string`);
  try {
    return parseKv(s); // as Ansible's load_extra_vars: words without `=` become the variable `_raw_params`
  } catch (e) {
    if (e instanceof ArgsSplitError) throw new ConfigError(`-e ${JSON.stringify(s)}: ${e.message}`);
    throw e;
  }
}

function structured(s: string, what: string): Vars {
  let v: unknown;
  try {
    v = pyJsonLoads(s);
  } catch (je) {
    try {
      v = parseYamlValue(s, what);
    } catch (ye) {
      if (ye instanceof VaultError) throw ye;
      const yaml = (ye as Error).message.split('\n')[0];
      throw new ConfigError(`${what}: could not be read as JSON nor YAML (JSON: ${(je as Error).message}; YAML: ${yaml})`);
    }
  }
  if (v === null || v === undefined) return {};
  if (typeof v !== 'object' || Array.isArray(v)) throw new UsageError(`Invalid extra vars data supplied. ${what} could not be made into a dictionary`);
  return v as Vars;
}

function fromFile(file: string): Vars {
  const text = readInputFile(file, 'extra vars file'); // odd files (FIFO, device, huge) named, never hung on
  const opened = openMaybeVaulted(text, file);
  const v = parseYamlValue(opened.text, file); // JSON is YAML: errors at FILE:LINE:COL
  if (v === null || v === undefined) return {};
  if (typeof v !== 'object' || Array.isArray(v)) throw new UsageError(`Invalid extra vars data supplied. -e @${file} could not be made into a dictionary`);
  if (opened.vaulted) markVaultFileValues(v);
  return v as Vars;
}

export async function parseExtraVars(specs: string[]): Promise<Vars> {
  const out: Vars = {};
  for (const spec of specs) {
    if (spec.startsWith('@')) Object.assign(out, fromFile(spec.slice(1)));
    else if (/^\s*[[{]/.test(spec)) Object.assign(out, structured(spec, `'${spec}'`));
    else Object.assign(out, parseKeyValues(spec));
  }
  return out;
}
