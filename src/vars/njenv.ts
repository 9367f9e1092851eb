// The nunjucks environment of one set of template settings: Ansible's filters, tests and globals
// (lookup/query/q, lipsum, dict) and the capture hook through which an expression returns its value.
import nunjucks from 'nunjucks';
import { callFilter, FILTERS } from './filters.js';
import { lipsum } from './filters-jinja.js';
import { splitKw } from './filters-util.js';
import { lookupPlugin, type LookupCtx } from './lookups.js';
import { isMapping } from './pystr.js';
import { tests } from './tests.js';
import type { SearchPathLoader, TemplateOptions } from './tplfile.js';

/** Where `{{ __lvs_capture(expr) }}` leaves the native value of the expression it renders. */
export const capture: { value: unknown } = { value: undefined };

export function makeEnvironment(loader: SearchPathLoader, o: TemplateOptions, inRender: LookupCtx): nunjucks.Environment {
  const env = new nunjucks.Environment(loader as unknown as nunjucks.ILoader, {
    autoescape: false,
    trimBlocks: o.trimBlocks,
    lstripBlocks: o.lstripBlocks,
    throwOnUndefined: false,
    dev: true,
    ...(o.tags ? { tags: o.tags } : {}),
  });
  for (const name of Object.keys(FILTERS)) {
    env.addFilter(name, function (this: unknown, v: unknown, ...rest: unknown[]) {
      const [a, kw] = splitKw(rest);
      return callFilter(name, this, v, a, kw);
    });
  }
  for (const [name, fn] of Object.entries(tests)) (env as unknown as { addTest(n: string, f: unknown): void }).addTest(name, fn);
  env.addGlobal('__lvs_capture', (v: unknown) => {
    capture.value = v;
    return '';
  });
  env.addGlobal('lookup', (kind: unknown, ...rest: unknown[]) => lookupPlugin(String(kind), ...splitKw(rest), false, inRender));
  env.addGlobal('query', (kind: unknown, ...rest: unknown[]) => lookupPlugin(String(kind), ...splitKw(rest), true, inRender));
  env.addGlobal('q', (kind: unknown, ...rest: unknown[]) => lookupPlugin(String(kind), ...splitKw(rest), true, inRender));
  env.addGlobal('lipsum', lipsum);
  env.addGlobal('dict', (...rest: unknown[]) => {
    const [a, kw] = splitKw(rest);
    return { ...(isMapping(a[0]) ? a[0] : Array.isArray(a[0]) ? Object.fromEntries(a[0] as [string, unknown][]) : {}), ...kw };
  });
  return env;
}
