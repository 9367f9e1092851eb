// Every filter lvsplay implements, by name, and the one way to call one: a failure names the filter
// (ConfigErrors, which already say what and where, pass as they are).
import { ConfigError } from '../errors.js';
import { withAnsibleWords } from './templerr.js';
import { dataFilters } from './filters-data.js';
import { formatFilters } from './filters-format.js';
import { jinjaFilters } from './filters-jinja.js';
import { textFilters } from './filters-text.js';
import type { Kw } from './filters-util.js';

export type Filter = (this: unknown, v: unknown, a: unknown[], kw: Kw) => unknown;

export const FILTERS = { ...textFilters, ...dataFilters, ...formatFilters, ...jinjaFilters } as unknown as Record<string, Filter>;

export function callFilter(name: string, self: unknown, v: unknown, a: unknown[], kw: Kw): unknown {
  try {
    return FILTERS[name].call(self, v, a, kw);
  } catch (e) {
    if (e instanceof ConfigError) throw e;
    const msg = (e as Error).message;
    throw withAnsibleWords(new Error(`filter '${name}': ${msg}`), msg); // Ansible's msg is the filter's own text
  }
}
