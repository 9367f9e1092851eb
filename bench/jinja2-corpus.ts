// Issue 17 engine probe: the templating corpus (test/vars/corpus/expressions.txt over vars.yml)
// rendered by Jinja2 itself through the bridge (src/jinja), lvsplay's filters/tests/lookups
// answered from the controller, compared with Ansible 2.14's Templar (the corpus oracle) and
// with today's Templar (nunjucks). Prints counts, the remaining differences and timings.
//   node dist/bench/jinja2-corpus.js [--show]
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { JinjaProcess, type Ask } from '../src/jinja/bridge.js';
import { Templar } from '../src/vars/templar.js';
import { dataFilters } from '../src/vars/filters-data.js';
import { formatFilters } from '../src/vars/filters-format.js';
import { jinjaFilters, lipsum } from '../src/vars/filters-jinja.js';
import { textFilters } from '../src/vars/filters-text.js';
import { tests } from '../src/vars/tests.js';
import { lookupPlugin } from '../src/vars/lookups.js';

const CORPUS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../test/vars/corpus');
type R = { type: string; json: string };

function tag(v: unknown): R {
  const type = typeof v === 'string' ? 'str' : typeof v === 'boolean' ? 'bool' : typeof v === 'number' ? (Number.isInteger(v) ? 'int' : 'float') : v === null ? 'none' : Array.isArray(v) ? 'list' : typeof v === 'object' ? 'dict' : String(typeof v);
  return { type, json: JSON.stringify(v) ?? String(v) };
}
const cases = readFileSync(path.join(CORPUS, 'expressions.txt'), 'utf8').split('\n').filter((l) => l !== '' && !l.startsWith('#'));
const vars = parse(readFileSync(path.join(CORPUS, 'vars.yml'), 'utf8')) as Record<string, unknown>;
const python = '/usr/bin/python3';
const oracle = spawnSync(python, [path.join(CORPUS, 'ansible_oracle.py')], { input: JSON.stringify({ basedir: CORPUS, vars, cases }), encoding: 'utf8', cwd: CORPUS, maxBuffer: 64 << 20 });
const want = JSON.parse(oracle.stdout) as R[];
process.chdir(CORPUS);

const filters: Record<string, (v: unknown, a: unknown[], kw: Record<string, unknown>) => unknown> = { ...textFilters, ...dataFilters, ...formatFilters, ...jinjaFilters } as never;
const testFns = tests as unknown as Record<string, (v: unknown, ...a: unknown[]) => boolean>;
const ctx = { vars: (n: string) => (Object.hasOwn(vars, n) ? { found: true, value: new Templar().render(vars[n], vars) } : { found: false }), names: () => Object.keys(vars), renderFile: () => '', subdir: undefined } as never;
function answer(q: Ask): unknown {
  switch (q.op) {
    case 'var':
      return Object.hasOwn(vars, q.name) ? { found: true, value: vars[q.name] } : { found: false };
    case 'filter':
      return filters[q.name](q.v, q.a ?? [], q.kw ?? {});
    case 'test':
      return testFns[q.name](q.v, ...(q.a ?? []), ...(Object.keys(q.kw ?? {}).length ? [{ ...q.kw, __keywords: true }] : []));
    case 'global':
      if (q.name === 'lipsum') return lipsum(...((q.a ?? []) as never[]));
      return lookupPlugin(String((q.a ?? [])[0]), (q.a ?? []).slice(1), (q.kw ?? {}) as never, q.name !== 'lookup', ctx);
  }
}

const t0 = performance.now();
const j2 = new JinjaProcess(python);
j2.setup({ filters: Object.keys(filters), tests: Object.keys(testFns), globals: ['lookup', 'query', 'q', 'lipsum'] });
const tStart = performance.now() - t0;
const same = (a: R, b: R) => a.type === b.type && (a.type === 'error' || a.json === b.json);
let t = performance.now();
const got = cases.map((c) => {
  try {
    return tag(j2.render(c, answer));
  } catch (e) {
    return { type: 'error', json: (e as Error).message };
  }
});
const tJ2 = performance.now() - t;
t = performance.now();
const now = cases.map((c) => {
  try {
    return tag(new Templar().render(c, vars));
  } catch (e) {
    return { type: 'error', json: (e as Error).message.split('\n')[0] };
  }
});
const tNj = performance.now() - t;
j2.close();
const diffJ2 = cases.filter((_, i) => !same(got[i], want[i]));
const diffNj = cases.filter((_, i) => !same(now[i], want[i]));
if (process.argv.includes('--show')) for (const [i, c] of cases.entries()) if (!same(got[i], want[i])) console.log(`J2 DIFF ${c}\n   ansible ${want[i].type} ${want[i].json}\n   jinja2  ${got[i].type} ${got[i].json}`);
console.log(`cases ${cases.length}; differ from Ansible 2.14: Jinja2 bridge ${diffJ2.length}, nunjucks Templar ${diffNj.length}`);
console.log(`fixed by the bridge: ${diffNj.filter((c) => !diffJ2.includes(c)).length}; broken by the bridge: ${diffJ2.filter((c) => !diffNj.includes(c)).length}`);
console.log(`engine start ${tStart.toFixed(1)} ms; all cases: bridge ${tJ2.toFixed(1)} ms, nunjucks ${tNj.toFixed(1)} ms`);
