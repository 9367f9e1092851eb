// Templating engines side by side (docs/templating.md): render the lab's keepalived.conf.j2 and run
// site.yml's template precheck with (1) lvsplay's Templar (nunjucks + njpatch.ts), (2) nunjucks with
// its public API only (no patches: run with --plain in a fresh process, the patches are process wide),
// (3) minijinja-js (WASM), from MINIJINJA_JS (a directory holding the package; not a dependency).
//   node dist/bench/templating.js [--plain] [--reps N]
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import nunjucks from 'nunjucks';
import { loadPlaybook } from '../src/playbook/index.js';
import { precheckTemplates } from '../src/run/precheck.js';
import { pyStr } from '../src/vars/pystr.js';
import { LAB, ROOT, hostVars } from '../test/cluster/clustervars.js';

const args = process.argv.slice(2);
const reps = Number(args[args.indexOf('--reps') + 1] || 200);
const TEMPLATE = path.join(ROOT, 'roles/lvs_director/templates/keepalived.conf.j2');
const text = readFileSync(TEMPLATE, 'utf8');
const expected = readFileSync(path.join(ROOT, 'test/fixtures/cluster/render/lab/node01.keepalived.conf'), 'utf8');

function time(label: string, n: number, fn: () => unknown): void {
  for (let i = 0; i < 5; i++) fn(); // warm up
  const t = performance.now();
  for (let i = 0; i < n; i++) fn();
  const ms = (performance.now() - t) / n;
  console.log(`${label.padEnd(58)} ${ms.toFixed(3)} ms`);
}

/** Every variable value rendered up front (an engine without lazy variables needs this). */
function eager(render: (v: unknown, vars: Record<string, unknown>) => unknown, vars: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(vars)) {
    if (k === 'hostvars') {
      const hv: Record<string, unknown> = {};
      for (const [h, hvars] of Object.entries(v as Record<string, Record<string, unknown>>)) hv[h] = eager(render, { ...hvars });
      out[k] = hv;
    } else out[k] = render(v, vars);
  }
  return out;
}

const boolF = (v: unknown) => (typeof v === 'string' ? ['true', 'yes', '1', 'on'].includes(v.toLowerCase()) : Boolean(v));

async function main(): Promise<void> {
  const vars = hostVars(LAB, 'lvs_director', 'node01');
  const pb = await loadPlaybook(path.join(ROOT, 'playbooks/site.yml'));
  if (args.includes('--plain')) {
    // nunjucks, public API only: strings in variables are not rendered lazily, so render them first with the same engine.
    const env = new nunjucks.Environment(null, { autoescape: false, trimBlocks: true });
    env.addFilter('bool', boolF);
    env.addFilter('trim', (v: unknown) => String(v).trim());
    const r = (v: unknown, ctx: Record<string, unknown>) => (typeof v === 'string' && v.includes('{') ? env.renderString(v, ctx) : v);
    const out = env.renderString(text, eager(r, vars));
    console.log(`nunjucks (public API): output ${out === expected ? 'identical to' : 'DIFFERS from'} ansible's`);
    time('nunjucks public API: keepalived.conf.j2, eager vars + render', reps, () => env.renderString(text, eager(r, vars)));
    const checker = { render: (v: unknown) => v, checkSyntax: (s: string, _w?: unknown, expr?: boolean) => void new nunjucks.Template(expr ? `{{ ${s} }}` : s, env, undefined, true) };
    time('nunjucks public API: site.yml template precheck', reps, () => precheckTemplates(pb, checker as unknown as Parameters<typeof precheckTemplates>[1]));
    return;
  }
  const { Templar } = await import('../src/vars/templar.js');
  const t = new Templar();
  const ours = t.renderString(text, vars, TEMPLATE);
  console.log(`Templar: output ${ours === expected ? 'identical to' : 'DIFFERS from'} ansible's`);
  time('Templar (nunjucks+njpatch): keepalived.conf.j2, lazy vars', reps, () => new Templar().renderString(text, vars, TEMPLATE));
  time('Templar (nunjucks+njpatch): keepalived.conf.j2, one Templar', reps, () => t.renderString(text, vars, TEMPLATE));
  time('Templar: site.yml template precheck (fresh Templar, cold)', 20, () => precheckTemplates(pb, new Templar()));
  time('Templar: site.yml template precheck (warm cache)', reps, () => precheckTemplates(pb, t));

  const dir = process.env.MINIJINJA_JS ?? '/tmp/mj/node_modules/minijinja-js';
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  let mj: { Environment: new () => any };
  try {
    mj = (await import(path.join(dir, 'dist/node/minijinja_js.js'))) as typeof mj;
  } catch (e) {
    console.log(`minijinja-js not found in ${dir} (${(e as Error).message}); set MINIJINJA_JS`);
    return;
  }
  const env = new mj.Environment();
  env.trimBlocks = true;
  env.keepTrailingNewline = true;
  env.undefinedBehavior = 'strict';
  env.enablePyCompat();
  env.addFilter('bool', boolF);
  const r = (v: unknown, ctx: Record<string, unknown>) => (typeof v === 'string' && v.includes('{') ? env.renderStr(v, ctx) : v);
  let out: string;
  try {
    out = env.renderStr(text, eager(r, vars)) as string;
    console.log(`minijinja-js: output ${out === expected ? 'identical to' : 'DIFFERS from'} ansible's`);
  } catch (e) {
    console.log(`minijinja-js: render fails: ${(e as Error).message}`);
  }
  time('minijinja-js: keepalived.conf.j2, eager vars + render', reps, () => env.renderStr(text, eager(r, vars)));
  const ctx = eager(r, vars);
  time('minijinja-js: keepalived.conf.j2, render only (context ready)', reps, () => env.renderStr(text, ctx));
  let n = 0;
  const checker = {
    render: (v: unknown) => v,
    checkSyntax: (s: string, _w?: unknown, expr?: boolean) => {
      env.addTemplate(`t${n % 64}`, expr ? `{{ ${s} }}` : s); // parse only
      n++;
    },
  };
  time('minijinja-js: site.yml template precheck (parse every string)', reps, () => precheckTemplates(pb, checker as unknown as Parameters<typeof precheckTemplates>[1]));
  console.log(`(value printing check: ${pyStr(null)}|${String(env.renderStr('{{ none }}|{{ [1, "a"] }}|{{ {"k": true} }}|{{ x.y is defined }}', { x: {} }))})`);
}

await main();
