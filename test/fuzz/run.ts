// A larger fuzz run than CI's: node dist/test/fuzz/run.js [--seed N] [--count N] [--from INDEX] [--limit-ms N]
// (one case again: --seed S --from INDEX --count 1)
// Prints the figures and each failing case.
import { runFuzz } from './driver.js';

const arg = (name: string, dflt: number): number => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : dflt;
};

const r = await runFuzz({ seed: arg('--seed', 19), count: arg('--count', 20000), from: arg('--from', 0), limitMs: arg('--limit-ms', 10000), log: console.log });
console.log(`${r.cases} cases in ${(r.totalMs / 1000).toFixed(1)} s; exits ${JSON.stringify(r.byExit)}; slowest ${Math.round(r.slowest.ms)} ms (#${r.slowest.index} ${r.slowest.file}: ${r.slowest.what})`);
for (const f of r.failures) console.log(`FAIL #${f.index} ${f.file} [${f.what}]: ${f.why}\n${f.output.split('\n').slice(0, 8).join('\n')}\n`);
process.exitCode = r.failures.length ? 1 : 0;
