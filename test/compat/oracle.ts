// Differential runs: the same playbook, inventory and files run by lvsplay (the bundled CLI) and by
// ansible-playbook 2.14 (the oracle), each in its own copy of a scratch directory, with local
// connections only. What is compared: the exit code, the PLAY RECAP counts per host, and every file
// the run left in the directory. Suites skip, saying why, where ansible-playbook is not installed.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { skipWithoutAnsible } from '../helpers/ansible.js';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The bundled CLI (LVSPLAY_TEST_CLI: another build, e.g. while dist/cli is in use by a long benchmark). */
const CLI = process.env.LVSPLAY_TEST_CLI ?? resolve(dirname(fileURLToPath(import.meta.url)), '../../cli/lvsplay.js');

/** In a mocha before(): skip the suite, printing why, when the oracle is missing (test/helpers/ansible.ts). */
export const skipWithoutOracle = (ctx: Mocha.Context): void => skipWithoutAnsible(ctx, 'ansible-playbook');

export interface Outcome {
  rc: number;
  /** host -> "ok=N changed=N unreachable=N failed=N skipped=N rescued=N ignored=N" */
  recap: Record<string, string>;
  /** relative path -> content, for every file under out/ */
  files: Record<string, string>;
  output: string;
}

function recapOf(out: string): Record<string, string> {
  const r: Record<string, string> = {};
  for (const m of out.matchAll(/^(\S+)\s*:\s*(ok=\d+\s+changed=\d+\s+unreachable=\d+\s+failed=\d+\s+skipped=\d+\s+rescued=\d+\s+ignored=\d+)/gm)) {
    r[m[1]] = m[2].replace(/\s+/g, ' ');
  }
  return r;
}

function filesUnder(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string): void => {
    for (const e of readdirSync(d).sort()) {
      const p = join(d, e);
      if (statSync(p).isDirectory()) walk(p);
      else out[relative(dir, p)] = readFileSync(p, 'utf8');
    }
  };
  walk(dir);
  return out;
}

function tree(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'lvsplay-compat-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  mkdirSync(join(dir, 'out'), { recursive: true });
  return dir;
}

/**
 * Run `pb.yml` of `files` with both tools. The inventory is `inventory.ini` of `files` (every
 * host `ansible_connection=local`); `{{ out }}` in the playbook is the run's own out/ directory.
 */
export function runBoth(files: Record<string, string>, args: string[] = [], extraEnv: NodeJS.ProcessEnv = {}): { lvsplay: Outcome; ansible: Outcome } {
  const env = { ...process.env, NO_COLOR: '1', ANSIBLE_NOCOLOR: '1', ANSIBLE_RETRY_FILES_ENABLED: '0', ANSIBLE_LOCALHOST_WARNING: '0', ANSIBLE_INVENTORY_UNPARSED_WARNING: '0', LVSPLAY_LAB_DIR: '/nonexistent', ...extraEnv };
  const specs = (['lvsplay', 'ansible'] as const).map((tool) => {
    const dir = tree(files);
    const common = ['-i', 'inventory.ini', 'pb.yml', '-e', `out=${join(dir, 'out')}`, ...args];
    return { tool, dir, cmd: tool === 'lvsplay' ? [process.execPath, CLI, ...common] : ['ansible-playbook', ...common] };
  });
  // both at once, each in its own copy (a machine with two cores runs them side by side): one
  // synchronous child that starts the two runs and reports their ends; ORACLE_SEQUENTIAL=1 runs one after the other
  const r = spawnSync(process.execPath, ['-e', BOTH, JSON.stringify(specs.map((x) => ({ cmd: x.cmd, cwd: x.dir })))], {
    encoding: 'utf8',
    env: { ...env, ORACLE_SEQUENTIAL: process.env.ORACLE_SEQUENTIAL ?? '' },
    timeout: 240_000,
    maxBuffer: 256 * 1024 * 1024,
  });
  const ends = JSON.parse(r.stdout || 'null') as { rc: number; output: string }[] | null;
  if (!ends) throw new Error(`the differential runner failed (exit ${r.status}, ${r.signal ?? 'no signal'}): ${r.stderr}`);
  const out = specs.map((x, i): Outcome => {
    const outcome = { rc: ends[i].rc, recap: recapOf(ends[i].output), files: filesUnder(join(x.dir, 'out')), output: ends[i].output };
    rmSync(x.dir, { recursive: true, force: true }); // the scratch copy is read: nothing left in /tmp
    return outcome;
  });
  return { lvsplay: out[0], ansible: out[1] };
}

/** The runner spawnSync starts: runs each {cmd, cwd} (120 s each at most), prints [{rc, output}] as JSON. */
const BOTH = `
const { spawn } = require('node:child_process');
const one = ({ cmd, cwd }) => new Promise((done) => {
  // stderr into the same pipe as stdout (2>&1): warnings stay where each tool printed them
  const c = spawn('/bin/sh', ['-c', 'exec "$@" 2>&1', 'sh', ...cmd], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  c.stdout.on('data', (d) => (output += d));
  c.stderr.on('data', (d) => (output += d));
  const t = setTimeout(() => c.kill('SIGKILL'), 120000);
  c.on('close', (code) => { clearTimeout(t); done({ rc: code ?? -1, output }); });
});
(async () => {
  const specs = JSON.parse(process.argv[1]);
  const ends = process.env.ORACLE_SEQUENTIAL === '1' ? [await one(specs[0]), await one(specs[1])] : await Promise.all(specs.map(one));
  process.stdout.write(JSON.stringify(ends));
})();
`;

/** Run both tools on the files and assert the same exit code, recap per host (there must be one unless `expectRecap` is false) and out/ files; returns both outcomes. */
export function assertBothSame(files: Record<string, string>, args: string[] = [], env: NodeJS.ProcessEnv = {}, expectRecap = true): { lvsplay: Outcome; ansible: Outcome } {
  const both = runBoth(files, args, env);
  const { lvsplay, ansible } = both;
  const view = (o: Outcome) => ({ rc: o.rc, recap: o.recap, files: o.files });
  if (JSON.stringify(view(lvsplay)) !== JSON.stringify(view(ansible)) || (expectRecap && Object.keys(ansible.recap).length === 0)) {
    throw new Error(`lvsplay and ansible-playbook differ\n--- lvsplay: ${JSON.stringify(view(lvsplay), null, 1)}\n${lvsplay.output}\n--- ansible-playbook: ${JSON.stringify(view(ansible), null, 1)}\n${ansible.output}`);
  }
  return both;
}

/** The console from the first task to the end of the recap (the part both tools must print alike), scratch paths as SCRATCH. */
export const tasksOutput = (out: string): string =>
  out
    .slice(out.indexOf('TASK ['))
    .replace(/\/tmp\/lvsplay-compat-\w+/g, 'SCRATCH') // each tool's own copy of the files
    .trimEnd();

/**
 * Run both tools and assert the same exit code, recap (there must be one), out/ files and console
 * from the first task on; lvsplay's own `  pb.yml:L:C:` line under a fatal one (where it found the
 * failing argument) is left out, the rest must be Ansible's. Returns ansible-playbook's output.
 */
export function assertSameConsole(files: Record<string, string>, args: string[] = [], env: NodeJS.ProcessEnv = {}): string {
  const { lvsplay, ansible } = runBoth(files, args, env);
  const view = (o: Outcome) => ({ rc: o.rc, recap: o.recap, files: o.files, console: tasksOutput(o.output).replace(/^ {2}pb\.yml:\d+:\d+: .*\n/gm, '') });
  assert.deepEqual(view(lvsplay), view(ansible), `lvsplay and ansible-playbook differ\n--- lvsplay:\n${lvsplay.output}\n--- ansible-playbook:\n${ansible.output}`);
  assert.ok(Object.keys(ansible.recap).length > 0, ansible.output);
  return ansible.output;
}
