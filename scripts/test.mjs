// `npm test` after the build: the test files two at a time (mocha --parallel, one worker per core of
// the 2-core CI machine), then the files that time faults against the clock (test/trust: signals,
// a stopped sshd, links taken down, dpkg killed) one at a time, as they were written to run. Each
// lab a test brings up has its own name, directory and subnet, so files may run side by side.
// Ends with mocha's summary lines for both parts together (what .ci/run counts). (Run beside other
// files on a busy machine, four test/trust files failed their timings on 2026-12-05: kept serial.)
// LVSPLAY_TEST_JOBS=1 runs everything one file at a time; extra arguments go to both mocha runs.
import { spawn } from 'node:child_process';

const jobs = Number(process.env.LVSPLAY_TEST_JOBS ?? 2);
const extra = process.argv.slice(2);
const SERIAL = 'dist/test/trust/**/*.test.js';

/** Runs mocha with `args`, its output shown as it comes; resolves with its exit code and its summary counts. */
function mocha(args) {
  return new Promise((done) => {
    const child = spawn(process.execPath, ['node_modules/mocha/bin/mocha.js', ...args, ...extra], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => {
      process.stdout.write(d);
      out = (out + d).slice(-20000); // the summary is at the end
    });
    child.on('close', (code, signal) => {
      const count = (word) => Number([...out.replace(/\x1b\[[0-9;]*m/g, "").matchAll(new RegExp(`^ +(\\d+) ${word}`, 'gm'))].pop()?.[1] ?? 0);
      done({ code: code ?? (signal ? 1 : 0), passing: count('passing'), failing: count('failing'), pending: count('pending') });
    });
  });
}

const t0 = Date.now();
const parts = [];
if (jobs > 1) {
  process.stdout.write(`\n== test files ${jobs} at a time (test/trust after them, one at a time)\n`);
  parts.push(await mocha(['--parallel', '--jobs', String(jobs), '--ignore', SERIAL, 'dist/test/**/*.test.js']));
  process.stdout.write('\n== test/trust, one file at a time\n');
  parts.push(await mocha([SERIAL]));
} else parts.push(await mocha(['dist/test/**/*.test.js']));
const sum = (k) => parts.reduce((n, p) => n + p[k], 0);
const minutes = Math.round((Date.now() - t0) / 60000);
process.stdout.write(`\n== all tests\n\n  ${sum('passing')} passing (${minutes}m)\n`);
if (sum('pending')) process.stdout.write(`  ${sum('pending')} pending\n`);
if (sum('failing')) process.stdout.write(`  ${sum('failing')} failing\n`);
process.exitCode = parts.some((p) => p.code !== 0) || sum('failing') > 0 ? 1 : 0;
