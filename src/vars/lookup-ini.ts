// The `ini` lookup (and with_ini): values of an INI or Java properties file on the controller, read
// as Ansible 2.14 reads it — by Python's configparser in the engine process (src/jinja/j2ini.py); options as keywords or inline
// in the term ('key section=s file=f re=true'; inline values stay strings, so any is "true" for `re`).
import { toBool } from '../bool.js';
import { iniLookup, type IniStep } from '../jinja/engine.js';
import type { Kw } from './filters-util.js';
import { lookupFailure, termByTerm, type LookupCtx, type Plugin } from './lookup-types.js';
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

function ini(terms: unknown[], kw: Kw, ctx: LookupCtx): unknown[] {
  const opts: Kw = { type: 'ini', file: 'ansible.ini', section: 'global', re: false, encoding: 'utf-8', default: '', case_sensitive: false, allow_no_value: false };
  for (const [k, v] of Object.entries(kw)) {
    const name = k === 'allow_none' ? 'allow_no_value' : k;
    if (!OPTIONS.includes(name)) continue;
    opts[name] = ['re', 'case_sensitive', 'allow_no_value'].includes(name) ? toBool(v) : v;
  }
  const parser = { allowNoValue: opts.allow_no_value === true, caseSensitive: opts.case_sensitive === true };
  return termByTerm<IniStep>(terms, (t) => step(t, opts, ctx), (steps) => iniLookup(steps, parser));
}

/** One term: its inline options (they stay for the later terms, as Ansible's), its file found, its key. */
function step(term: string, opts: Kw, ctx: LookupCtx): IniStep {
  let key = term;
  if (term.includes('=') || term.trim().includes(' ')) {
    let keyed = false;
    for (const p of parseInline(term)) {
      if (p.includes('=')) {
        const parts = p.split('=');
        if (parts.length !== 2) throw lookupFailure(`Could not use '${p}': too many values to unpack (expected 2)`, 'AnsibleLookupError');
        if (!OPTIONS.includes(parts[0])) throw lookupFailure(`${parts[0]} is not a valid option.`, 'AnsibleLookupError');
        opts[parts[0]] = parts[1];
      } else if (key === term) {
        key = p;
        keyed = true;
      }
    }
    if (!keyed) throw lookupFailure(`No key to lookup was provided as first term with in string inline options: ${term}`, 'AnsibleOptionsError');
  }
  const file = String(opts.file);
  const found = findInSearchPath(ctx, 'files', file);
  if (found === undefined) throw lookupFailure(`Unable to find '${file}' in expected paths`, 'AnsibleParserError', "Invalid filename: 'None'"); // Ansible 2.14 reads the file it did not find
  const properties = opts.type === 'properties';
  if (properties) opts.section = 'java_properties';
  // inline values stay strings: any non-empty `re=` is true, as in Ansible
  const re = opts.re !== false && opts.re !== '' && opts.re !== null && opts.re !== undefined;
  return { path: found, file, encoding: String(opts.encoding), properties, section: String(opts.section), key, re, default: opts.default };
}

export const iniPlugins: Record<string, Plugin> = { ini };
