// Interleaved timing of lvsplay builds on one command (issue 16): `node dist/bench/startup.js
// --cli A.js --cli B.js [--n 11] -- ARGS...` runs `node CLI ARGS` for each build in turn, N rounds,
// and prints the median wall time and the median CPU time (user+sys of the controller process and
// its children, /usr/bin/time) of each. Builds are compared on the same machine load by alternating.
// Example (no-change site.yml on a lab):
//   node dist/bench/startup.js --cli bench/.snapshot-before/dist/cli/lvsplay.js --cli dist/cli/lvsplay.js \
//     --n 11 -- -i /var/lib/lvsplay/labs/h-speed4/inventory.ini playbooks/site.yml
import { run } from './lib/proc.js';
import { median } from './lib/stats.js';

const argv = process.argv.slice(2);
const clis: string[] = [];
let n = 11;
let rest: string[] = [];
for (let i = 0; i < argv.length; i++) {
  if (argv[i] === '--cli') clis.push(argv[++i]);
  else if (argv[i] === '--n') n = Number(argv[++i]);
  else if (argv[i] === '--') {
    rest = argv.slice(i + 1);
    break;
  } else {
    console.error(`startup: unknown option ${argv[i]}\nusage: node dist/bench/startup.js --cli A.js [--cli B.js ...] [--n 11] -- ARGS...`);
    process.exit(5);
  }
}
if (!clis.length || !(n >= 1)) {
  console.error('startup: at least one --cli, and --n >= 1');
  process.exit(5);
}
const walls = clis.map(() => [] as number[]);
const cpus = clis.map(() => [] as number[]);
for (let r = 0; r < n; r++) {
  const order = clis.map((_, i) => i);
  if (r % 2) order.reverse();
  for (const i of order) {
    const res = await run(process.execPath, [clis[i], ...rest], { env: { ...process.env, NO_COLOR: '1' } });
    if (res.code !== 0) {
      console.error(`startup: ${clis[i]} exited ${res.code}\n${res.stdout.slice(-800)}\n${res.stderr.slice(-800)}`);
      process.exit(1);
    }
    walls[i].push(res.wall * 1000);
    if (res.cpu !== undefined) cpus[i].push(res.cpu * 1000);
  }
}
for (let i = 0; i < clis.length; i++) {
  const w = walls[i].map((x) => x.toFixed(0)).join(' ');
  console.log(`${clis[i]}: median ${median(walls[i]).toFixed(0)} ms wall, ${cpus[i].length ? median(cpus[i]).toFixed(0) : '-'} ms cpu (n=${n}; walls: ${w})`);
}
