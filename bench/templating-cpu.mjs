// CPU time (not wall time: the shared machine's load makes wall time noisy) of the keepalived render and
// the site.yml template precheck for the build in a checkout: node bench/templating-cpu.mjs [CHECKOUT_DIR]
import { readFileSync } from 'node:fs';
const root = (await import('node:path')).resolve(process.argv[2] ?? '.');
const { Templar } = await import(root + '/dist/src/vars/templar.js');
const { LAB, hostVars } = await import(root + '/dist/test/cluster/clustervars.js');
const { loadPlaybook } = await import(root + '/dist/src/playbook/index.js');
const { precheckTemplates } = await import(root + '/dist/src/run/precheck.js');
const T = root + '/roles/lvs_director/templates/keepalived.conf.j2';
const text = readFileSync(T, 'utf8'); const vars = hostVars(LAB, 'lvs_director', 'node01');
const pb = await loadPlaybook(root + '/playbooks/site.yml');
const cpu = (n, fn) => { for (let i = 0; i < 20; i++) fn(); const c = process.cpuUsage(); for (let i = 0; i < n; i++) fn(); const d = process.cpuUsage(c); return ((d.user + d.system) / n / 1000).toFixed(3); };
const t = new Templar();
console.log(root.padEnd(16), 'warm render', cpu(2000, () => t.renderString(text, vars, T)), 'ms cpu | fresh Templar render', cpu(300, () => new Templar().renderString(text, vars, T)), '| precheck warm', cpu(2000, () => precheckTemplates(pb, t)), '| precheck fresh', cpu(200, () => precheckTemplates(pb, new Templar())));
