// The fuzzer in CI (issue 19): ~2,000 cases on a fixed seed — mutations of the shipped playbook,
// roles, templates and inventory plus hostile structures — each must end with exit 0 or a
// positioned error: no stack trace, no exit 250, no crash, none over 10 s. A larger run:
//   node dist/test/fuzz/run.js --seed 7 --count 20000
import { strict as assert } from 'node:assert';
import { runFuzz } from './driver.js';

export const CI_SEED = 19;
export const CI_CASES = Number(process.env.LVSPLAY_FUZZ_CASES ?? 2000);

describe('fuzz: mutated and hostile inputs', function () {
  this.timeout(600_000);
  it(`${CI_CASES} cases (seed ${CI_SEED}): positioned errors or success, no trace, no 250, none over 10 s`, async () => {
    const r = await runFuzz({ seed: CI_SEED, count: CI_CASES, log: (s) => console.log(`      ${s}`) });
    const exits = Object.entries(r.byExit).map(([k, v]) => `exit ${k}: ${v}`).join(', ');
    console.log(`      ${r.cases} cases in ${(r.totalMs / 1000).toFixed(1)} s (${exits}); slowest ${Math.round(r.slowest.ms)} ms: #${r.slowest.index} ${r.slowest.file} (${r.slowest.what})`);
    const show = r.failures.slice(0, 10).map((f) => `#${f.index} ${f.file} [${f.what}]: ${f.why}\n${f.output.split('\n').slice(0, 6).join('\n')}`);
    assert.equal(r.failures.length, 0, `${r.failures.length} failing cases:\n${show.join('\n---\n')}`);
    assert.equal(r.cases, CI_CASES);
  });
});
