// The `ini` lookup (and with_ini): values of an INI or Java properties file on the controller, read
// as Ansible 2.14 reads it — Python's configparser (configparser.ts), options as keywords or inline
// in the term ('key section=s file=f re=true'; inline values stay strings, so any is "true" for `re`).
import fs from 'node:fs';
import { toBool } from '../bool.js';
import { ConfigParser, NoSectionError } from './configparser.js';
import type { Kw } from './filters-util.js';
import { pyRegex } from './filters-util.js';
import type { LookupCtx, Plugin } from './lookup-types.js';
import { findInSearchPath } from './lookups-files.js';

const OPTIONS = ['type', 'file', 'section', 're', 'encoding', 'default', 'case_sensitive', 'allow_no_value'];

/** Ansible's _parse_params: words of the term grouped under the option whose `name=` starts them (the key first). */
function parseInline(term: string): string[] {
  const params = new Map<string, string>();
  let current = 'key';
  term.split(/\s+/).filter(Boolean).forEach((word, i) => {
    if (word.includes('=')) for (const k of OPTIONS) if (word.includes(`${k}=`)) current = k;
    const had = params.get(current);
    if (i === 0 || !had) params.set(current, word);
    else params.set(current, `${had} ${word}`);
  });
  return [...params.values()];
}

/** A file's bytes as text in a Python codec's name (latin-1 is Python's, not the WHATWG windows-1252). */
function decode(data: Buffer, encoding: string): string {
  const e = encoding.toLowerCase().replace(/_/g, '-');
  if (['latin1', 'latin-1', 'iso8859-1', 'iso-8859-1', 'l1', 'cp819', '8859'].includes(e)) return data.toString('latin1');
  try {
    return new TextDecoder(e).decode(data);
  } catch {
    throw new Error(`unknown encoding: ${encoding}`);
  }
}

function ini(terms: unknown[], kw: Kw, ctx: LookupCtx): unknown[] {
  const opts: Kw = { type: 'ini', file: 'ansible.ini', section: 'global', re: false, encoding: 'utf-8', default: '', case_sensitive: false, allow_no_value: false };
  for (const [k, v] of Object.entries(kw)) {
    const name = k === 'allow_none' ? 'allow_no_value' : k;
    if (!OPTIONS.includes(name)) continue;
    opts[name] = ['re', 'case_sensitive', 'allow_no_value'].includes(name) ? toBool(v) : v;
  }
  const cp = new ConfigParser({ allowNoValue: opts.allow_no_value === true, caseSensitive: opts.case_sensitive === true });
  const out: unknown[] = [];
  for (const t of terms) {
    const term = String(t);
    let key = term;
    if (term.includes('=') || term.trim().includes(' ')) {
      let keyed = false;
      for (const p of parseInline(term)) {
        if (p.includes('=')) {
          const parts = p.split('=');
          if (parts.length !== 2) throw new Error(`Could not use '${p}': too many values to unpack (expected 2)`);
          if (!OPTIONS.includes(parts[0])) throw new Error(`${parts[0]} is not a valid option.`);
          opts[parts[0]] = parts[1];
        } else if (key === term) {
          key = p;
          keyed = true;
        }
      }
      if (!keyed) throw new Error(`No key to lookup was provided as first term with in string inline options: ${term}`);
    }
    const file = String(opts.file);
    const found = findInSearchPath(ctx, 'files', file);
    if (found === undefined) throw new Error(`Unable to find '${file}' in expected paths`);
    let text = decode(fs.readFileSync(found), String(opts.encoding));
    if (opts.type === 'properties') {
      text = `[java_properties]\n${text}`;
      opts.section = 'java_properties';
    }
    try {
      cp.read(text);
    } catch (e) {
      if (/already exists$/.test((e as Error).message)) throw new Error(`Duplicate option in '${file}': ${(e as Error).message}`);
      throw e;
    }
    const section = String(opts.section);
    try {
      if (opts.re !== false && opts.re !== '' && opts.re !== null) {
        const re = pyRegex(key);
        out.push(...cp.items(section).filter(([k]) => re.exec(k)?.index === 0).map(([, v]) => v));
      } else {
        const v = cp.get(section, key);
        const got = v === undefined ? opts.default : v;
        if (got !== null && got !== undefined) out.push(got);
      }
    } catch (e) {
      if (e instanceof NoSectionError) throw new Error(`No section '${section}' in ${file}`);
      throw e;
    }
  }
  return out;
}

export const iniPlugins: Record<string, Plugin> = { ini };
