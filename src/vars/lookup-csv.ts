// The `csvfile` lookup (and with_csvfile): the column of the row whose first column is the key, in a
// CSV/TSV file on the controller, read as Ansible 2.14 reads it — by Python's csv module in the engine
// process (src/jinja/j2lookups.py). Options as keywords or inline in the term (parse_kv); inline
// values stay for the later terms, as Ansible's.
import { csvLookup, type CsvStep } from '../jinja/engine.js';
import { parseKv } from '../playbook/splitlines.js';
import type { Kw } from './filters-util.js';
import { lookupFailure, termByTerm, type LookupCtx, type Plugin } from './lookup-types.js';
import { findInSearchPath } from './lookups-files.js';

const OPTIONS = ['col', 'default', 'delimiter', 'file', 'encoding'];

function csvfile(terms: unknown[], kw: Kw, ctx: LookupCtx): unknown[] {
  const opts: Kw = { col: '1', default: null, delimiter: 'TAB', file: 'ansible.csv', encoding: 'utf-8' };
  for (const [k, v] of Object.entries(kw)) if (OPTIONS.includes(k)) opts[k] = v; // others: no effect, as in Ansible 2.14
  return termByTerm<CsvStep>(terms, (t) => step(t, opts, ctx), csvLookup);
}

function step(term: string, opts: Kw, ctx: LookupCtx): CsvStep {
  const kv = parseKv(term);
  if (!('_raw_params' in kv)) throw lookupFailure('Search key is required but was not found', 'AnsibleError');
  for (const [name, value] of Object.entries(kv)) {
    if (name === '_raw_params') continue;
    if (!OPTIONS.includes(name)) throw lookupFailure(`${name} is not a valid option`, 'AnsibleError');
    opts[name] = value;
  }
  if (opts.delimiter === 'TAB') opts.delimiter = '\t';
  // a file not found: Ansible warns, then opens the name None (its error is the lookup's)
  const path = findInSearchPath(ctx, 'files', String(opts.file)) ?? null;
  return { path, key: kv._raw_params, delimiter: opts.delimiter, encoding: opts.encoding, default: opts.default, col: opts.col };
}

export const csvPlugins: Record<string, Plugin> = { csvfile };
