// Rendering templates for `lvsplay check`: the Renderer interface the checker codes against, and
// a plain nunjucks implementation (Ansible's trim_blocks, no autoescape, the few Ansible filters
// the shipped roles use, templated variable values resolved recursively).
import nunjucks from 'nunjucks';
import type { Vars } from '../types.js';

export interface Renderer {
  /** Render a template (text of `file`) with the variables; throws on template errors. */
  render(text: string, vars: Vars, file?: string): string;
}

function toBool(v: unknown): boolean {
  if (typeof v === 'string') return ['yes', 'on', '1', 'true', 'y', 't'].includes(v.trim().toLowerCase());
  return Boolean(v);
}

export function nunjucksRenderer(): Renderer {
  const env = new nunjucks.Environment(null, { autoescape: false, trimBlocks: true, lstripBlocks: false });
  env.addFilter('bool', toBool);
  const resolve = (v: unknown, vars: Vars, depth: number): unknown => {
    if (depth > 8) return v;
    if (typeof v === 'string' && v.includes('{{')) {
      const out = env.renderString(v, vars);
      return resolve(out, vars, depth + 1);
    }
    if (Array.isArray(v)) return v.map((x) => resolve(x, vars, depth + 1));
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, resolve(x, vars, depth + 1)]));
    return v;
  };
  return {
    render(text: string, vars: Vars): string {
      const resolved: Vars = { ...vars };
      // Two passes let values that refer to other templated values settle (a -> b -> literal).
      for (let pass = 0; pass < 2; pass++)
        for (const [k, v] of Object.entries(resolved))
          if (k !== 'hostvars') resolved[k] = resolve(v, resolved, 0);
      if (vars.hostvars && typeof vars.hostvars === 'object') {
        const hv: Vars = {};
        for (const [h, hvars] of Object.entries(vars.hostvars as Record<string, Vars>)) hv[h] = resolve(hvars, { ...resolved, ...hvars }, 0);
        resolved.hostvars = hv;
      }
      return env.renderString(text, resolved);
    },
  };
}
