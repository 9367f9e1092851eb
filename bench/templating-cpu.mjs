// CPU time (not wall time: the shared machine's load makes wall time noisy) of the keepalived render and
// the site.yml template precheck for the build in a checkout, the Jinja2 engine process's CPU included
// (builds that have one): node bench/templating-cpu.mjs [CHECKOUT_DIR]
import { existsSync, readFileSync } from 'node:fs';
const root = (await import('node:path')).resolve(process.argv[2] ?? '.');
const { Templar } = await import(root + '/dist/src/vars/templar.js');
const { LAB, hostVars } = await import(root + '/dist/test/cluster/clustervars.js');
const { loadPlaybook } = await import(root + '/dist/src/playbook/index.js');
const { precheckTemplates } = await import(root + '/dist/src/run/precheck.js');
const start = root + '/dist/src/jinja/start.js';
const { enginePid } = existsSync(start) ? await import(start) : { enginePid: () => undefined };
const T = root + '/roles/lvs_director/templates/keepalived.conf.j2';
const text = readFileSync(T, 'utf8'); const vars = hostVars(LAB, 'lvs_director', 'node01');
const pb = await loadPlaybook(root + '/playbooks/site.yml');
const tick = Number(process.env.CLK_TCK ?? 100);
const engineMs = () => {
  const pid = enginePid();
  if (!pid) return 0;
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return ((Number(f[11]) + Number(f[12])) / tick) * 1000;
};
const cpu = (n, fn) => { for (let i = 0; i < 20; i++) fn(); const c = process.cpuUsage(); const e = engineMs(); for (let i = 0; i < n; i++) fn(); const d = process.cpuUsage(c); return ((d.user + d.system) / 1000 / n + (engineMs() - e) / n).toFixed(3); };
const t = new Templar();
console.log(root.padEnd(16), 'warm render', cpu(2000, () => t.renderString(text, vars, T)), 'ms cpu | fresh Templar render', cpu(300, () => new Templar().renderString(text, vars, T)), '| precheck warm', cpu(2000, () => precheckTemplates(pb, t)), '| precheck fresh', cpu(200, () => precheckTemplates(pb, new Templar())));
process.exit(0);
