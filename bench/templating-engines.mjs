// Issue 17: cost of the two template engines on the cluster's own work, in one process, alternating:
// the keepalived.conf.j2 render (node01's variables) and the site.yml template precheck, each with
// nunjucks (default) and with Jinja2 (LVSPLAY_TEMPLATE_ENGINE=jinja2). Wall time per operation
// (median of rounds) and CPU per operation, the Jinja2 engine process's CPU counted as well.
//   node bench/templating-engines.mjs [CHECKOUT_DIR] [--n 300] [--rounds 5]
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
const args = process.argv.slice(2);
const opt = (name, d) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : d);
const root = path.resolve(args.find((a, i) => !a.startsWith('--') && !(i > 0 && args[i - 1].startsWith('--'))) ?? '.');
const N = opt('--n', 300);
const ROUNDS = opt('--rounds', 5);
const { Templar } = await import(root + '/dist/src/vars/templar.js');
const { enginePid } = await import(root + '/dist/src/jinja/engine.js');
const { LAB, hostVars } = await import(root + '/dist/test/cluster/clustervars.js');
const { loadPlaybook } = await import(root + '/dist/src/playbook/index.js');
const { precheckTemplates } = await import(root + '/dist/src/run/precheck.js');
const T = root + '/roles/lvs_director/templates/keepalived.conf.j2';
const text = readFileSync(T, 'utf8');
const vars = hostVars(LAB, 'lvs_director', 'node01');
const pb = await loadPlaybook(root + '/playbooks/site.yml');
const tick = Number(process.env.CLK_TCK ?? 100);
const childCpuMs = () => {
  const pid = enginePid();
  if (!pid) return 0;
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return ((Number(f[11]) + Number(f[12])) / tick) * 1000;
};
const setEngine = (e) => (e === 'jinja2' ? (process.env.LVSPLAY_TEMPLATE_ENGINE = 'jinja2') : delete process.env.LVSPLAY_TEMPLATE_ENGINE);
setEngine('jinja2');
let t0 = performance.now();
new Templar().renderString(text, vars, T);
const start = performance.now() - t0;
const ops = {
  'keepalived.conf.j2 render, warm Templar': (t) => t.renderString(text, vars, T),
  'site.yml template precheck, warm Templar': (t) => precheckTemplates(pb, t),
};
const results = {};
for (let r = 0; r < ROUNDS; r++) {
  for (const engine of r % 2 ? ['jinja2', 'nunjucks'] : ['nunjucks', 'jinja2']) {
    setEngine(engine);
    for (const [name, fn] of Object.entries(ops)) {
      const t = new Templar();
      for (let i = 0; i < 20; i++) fn(t);
      const c0 = process.cpuUsage();
      const k0 = childCpuMs();
      t0 = performance.now();
      for (let i = 0; i < N; i++) fn(t);
      const wall = (performance.now() - t0) / N;
      const c = process.cpuUsage(c0);
      const cpu = (c.user + c.system) / 1000 / N + (childCpuMs() - k0) / N;
      ((results[name] ??= {})[engine] ??= []).push({ wall, cpu });
    }
  }
}
const med = (xs) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log(`Jinja2 engine start (first render, process spawn + import): ${start.toFixed(1)} ms`);
console.log('| operation | nunjucks wall / cpu (ms) | Jinja2 wall / cpu (ms) |\n|---|---|---|');
for (const [name, by] of Object.entries(results)) {
  const f = (e) => `${med(by[e].map((x) => x.wall)).toFixed(3)} / ${med(by[e].map((x) => x.cpu)).toFixed(3)}`;
  console.log(`| ${name} | ${f('nunjucks')} | ${f('jinja2')} |`);
}
process.exit(0);
