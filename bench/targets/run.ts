// Yardstick (issue 13): run ansible-core's own integration targets under ansible-playbook 2.14 and
// under lvsplay, `connection: local`, each in a sandbox, and write a Markdown table of the outcome.
// Nothing of Ansible's is in this repository: the targets tree is given with --ansible-src (an
// extracted checkout), the list file holds target names only. See bench/targets/README.md.
//
//   node dist/bench/targets/run.js --ansible-src /tmp/ans214 [--list FILE | NAME...]
//        [--timeout 240] [--jobs 2] [--reuse-ansible results.json] [--out FILE]
//        [--cli dist/cli/lvsplay.js] [--lvsplay-only]
//   node dist/bench/targets/run.js --render bench/results/targets-DATE.json   # the table again
import { spawn } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sandbox } from './isolate.js';
import { judgeRunme } from './runme.js';
import { firstError, markdown, summary, type TargetResult, type ToolOutcome } from './report.js';

const HERE = fileURLToPath(new URL('.', import.meta.url));
const REPO = resolve(HERE, '../../..');
let CLI = join(REPO, 'dist/cli/lvsplay.js');
type Tool = 'ansible' | 'lvsplay';

interface Opts {
  src: string;
  names: string[];
  timeout: number;
  jobs: number;
  reuse?: Map<string, ToolOutcome | undefined>;
  out: string;
  reasons: Map<string, string>;
  /** Run lvsplay only (while working on a fix; nothing is written). */
  lvsplayOnly: boolean;
}

function parseArgs(argv: string[]): Opts {
  let src = '';
  let list = join(REPO, 'bench/targets/targets.txt');
  let timeout = 240;
  let jobs = 2;
  let reuse: Opts['reuse'];
  const date = new Date().toISOString().slice(0, 10);
  let out = join(REPO, `bench/results/targets-${date}.md`);
  const names: string[] = [];
  let lvsplayOnly = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = () => argv[++i] ?? '';
    if (a === '--ansible-src') src = next();
    else if (a === '--list') list = next();
    else if (a === '--timeout') timeout = Number(next());
    else if (a === '--jobs') jobs = Number(next());
    else if (a === '--out') out = next();
    else if (a === '--cli') CLI = resolve(next());
    else if (a === '--lvsplay-only') lvsplayOnly = true;
    else if (a === '--reuse-ansible') {
      const prev = JSON.parse(readFileSync(next(), 'utf8')) as TargetResult[];
      reuse = new Map(prev.map((r) => [r.name, r.ansible]));
    } else if (a.startsWith('-')) throw new Error(`unknown option ${a}`);
    else names.push(a);
  }
  if (!src) throw new Error('--ansible-src DIR is required (a tree holding test/integration/targets)');
  const fromList = names.length ? names : readFileSync(list, 'utf8').split('\n').map((l) => l.replace(/#.*/, '').trim()).filter(Boolean);
  const reasonsFile = join(REPO, 'bench/targets/reasons.txt');
  const reasons = new Map<string, string>();
  if (existsSync(reasonsFile))
    for (const l of readFileSync(reasonsFile, 'utf8').split('\n')) {
      const m = /^([\w.-]+):\s*(.+)$/.exec(l.trim());
      if (m) reasons.set(m[1], m[2]);
    }
  return { src: resolve(src), names: fromList, timeout, jobs, reuse, out: resolve(out), reasons, lvsplayOnly };
}

const SKIP_ALIASES: [RegExp, string][] = [
  [/^(unsupported|disabled|hidden)$/, 'marked unsupported/hidden for ansible-test'],
  [/^needs\/httptester$/, "needs ansible-test's httptester (network services); the sandbox has no network"],
  [/^needs\/ssh$/, 'needs ssh to the test host'],
];

function targetsDir(src: string): string {
  const d = join(src, 'test/integration/targets');
  return existsSync(d) ? d : src;
}

/** How ansible-test would run the target, or why it is skipped. */
function plan(dir: string, name: string): { mode: 'role' | 'runme'; gatherFacts: boolean } | { mode: 'skipped'; reason: string } {
  const t = join(dir, name);
  if (!existsSync(t)) return { mode: 'skipped', reason: 'not in this targets tree' };
  const aliases = existsSync(join(t, 'aliases')) ? readFileSync(join(t, 'aliases'), 'utf8').split('\n').map((l) => l.replace(/#.*/, '').trim()) : [];
  for (const [re, why] of SKIP_ALIASES) if (aliases.some((a) => re.test(a))) return { mode: 'skipped', reason: why };
  if (existsSync(join(t, 'runme.sh'))) {
    const v = judgeRunme(readFileSync(join(t, 'runme.sh'), 'utf8'));
    return v.simple ? { mode: 'runme', gatherFacts: true } : { mode: 'skipped', reason: `runme.sh is not a plain ansible-playbook call: ${v.reason}` };
  }
  if (!existsSync(join(t, 'tasks/main.yml'))) return { mode: 'skipped', reason: 'no runme.sh and no tasks/main.yml' };
  return { mode: 'role', gatherFacts: !aliases.includes('gather_facts/no/') };
}

function exec(argv: string[], env: NodeJS.ProcessEnv, cwd: string): Promise<{ rc: number; out: string }> {
  return new Promise((res) => {
    const p = spawn(argv[0], argv.slice(1), { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const add = (d: Buffer) => {
      if (out.length < 4 << 20) out += d.toString('utf8');
    };
    p.stdout.on('data', add);
    p.stderr.on('data', add);
    p.on('close', (code, sig) => res({ rc: code ?? (sig ? 128 : 1), out }));
  });
}

async function runTool(o: Opts, dir: string, name: string, how: { mode: 'role' | 'runme'; gatherFacts: boolean }, tool: Tool, root: string): Promise<ToolOutcome> {
  const base = join(root, name, tool);
  const integ = join(base, 'test/integration');
  const targets = join(integ, 'targets');
  mkdirSync(integ, { recursive: true });
  cpSync(dir, targets, { recursive: true, verbatimSymlinks: true });
  const inventory = join(integ, 'inventory');
  writeFileSync(inventory, '[testgroup]\ntesthost ansible_connection=local ansible_pipelining=yes ansible_python_interpreter=/usr/bin/python3\n');
  const outputDir = join(base, 'output_dir');
  mkdirSync(outputDir);
  const bin = join(base, 'bin');
  mkdirSync(bin);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ANSIBLE_ROLES_PATH: targets,
    ANSIBLE_PLAYBOOK_DIR: integ,
    OUTPUT_DIR: outputDir,
    INVENTORY_PATH: inventory,
    ANSIBLE_NOCOLOR: '1',
    NO_COLOR: '1',
  };
  if (tool === 'lvsplay') {
    writeFileSync(join(bin, 'ansible-playbook'), `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(CLI)} "$@"\n`);
    chmodSync(join(bin, 'ansible-playbook'), 0o755);
    env.PATH = `${bin}:${env.PATH ?? '/usr/bin:/bin'}`;
  }
  let cwd = integ;
  let cmd: string[];
  if (how.mode === 'role') {
    const play = [{ hosts: 'testhost', gather_facts: how.gatherFacts, vars_files: [], vars: { output_dir: outputDir }, roles: [name] }];
    const file = join(integ, `${name}-play.yml`);
    writeFileSync(file, JSON.stringify(play, null, 4));
    cmd = ['ansible-playbook', file, '-i', inventory];
  } else {
    cwd = join(targets, name);
    cmd = ['bash', './runme.sh'];
  }
  const t0 = Date.now();
  const r = await exec(['timeout', '-k', '10', String(o.timeout), ...sandbox(base, join(root, name, `${tool}.ovl`)), ...cmd], env, cwd);
  const outcome: ToolOutcome = { rc: r.rc, seconds: Math.round((Date.now() - t0) / 100) / 10 };
  if (r.rc !== 0) outcome.firstError = r.rc === 124 ? `timed out after ${o.timeout}s` : firstError(r.out.split(`${integ}/`).join(''));
  writeFileSync(join(root, `${name}.${tool}.log`), r.out);
  rmSync(join(root, name, tool), { recursive: true, force: true });
  rmSync(join(root, name, `${tool}.ovl`), { recursive: true, force: true });
  return outcome;
}

async function main(): Promise<void> {
  if (process.argv[2] === '--render') return render(process.argv[3]);
  const o = parseArgs(process.argv.slice(2));
  if (process.getuid?.() !== 0) throw new Error('run as root (the sandbox needs namespaces and overlay mounts)');
  if (!existsSync(CLI)) throw new Error(`${CLI} missing: npm run build first`);
  const dir = targetsDir(o.src);
  const root = mkdtempSync(join(tmpdir(), 'lvstargets-'));
  const results: TargetResult[] = [];
  const queue = [...o.names];
  const worker = async () => {
    for (let name = queue.shift(); name !== undefined; name = queue.shift()) {
      const how = plan(dir, name);
      const r: TargetResult = { name, mode: how.mode };
      if (how.mode === 'skipped') r.skipReason = how.reason;
      else {
        if (!o.lvsplayOnly) r.ansible = o.reuse?.get(name) ?? (await runTool(o, dir, name, how, 'ansible', root));
        r.lvsplay = await runTool(o, dir, name, how, 'lvsplay', root);
        if (r.lvsplay.rc !== 0) r.reason = o.reasons.get(name) ?? r.lvsplay.firstError;
        rmSync(join(root, name), { recursive: true, force: true });
      }
      results.push(r);
      console.log(`${name}: ${r.mode}${r.skipReason ? ` (${r.skipReason})` : ''} ansible=${r.ansible?.rc ?? '-'} lvsplay=${r.lvsplay?.rc ?? '-'} ${r.lvsplay?.firstError ?? ''}`);
    }
  };
  await Promise.all(Array.from({ length: o.jobs }, worker));
  if (o.lvsplayOnly) return console.log(`logs: ${root}`);
  results.sort((a, b) => o.names.indexOf(a.name) - o.names.indexOf(b.name));
  const command = `node dist/bench/targets/run.js --ansible-src ${o.src}${process.argv.slice(2).filter((a) => a !== o.src && a !== '--ansible-src').length ? ' ...' : ''}`;
  mkdirSync(resolve(o.out, '..'), { recursive: true });
  writeFileSync(o.out, markdown(results, { date: new Date().toISOString().slice(0, 10), source: 'ansible/ansible stable-2.14, test/integration/targets', command }));
  writeFileSync(o.out.replace(/\.md$/, '.json'), `${JSON.stringify(results, null, 1)}\n`);
  console.log(`logs: ${root}\n${summary(results).line}\nwritten: ${o.out}`);
}

/** Write the Markdown table again from a run's JSON (e.g. after editing reasons.txt). */
function render(json: string): void {
  const o = parseArgs(['--ansible-src', '-']);
  const results = (JSON.parse(readFileSync(json, 'utf8')) as TargetResult[]).map((r) => ({
    ...r,
    reason: r.lvsplay && r.lvsplay.rc !== 0 ? (o.reasons.get(r.name) ?? r.lvsplay.firstError) : undefined,
  }));
  const out = json.replace(/\.json$/, '.md');
  writeFileSync(out, markdown(results, { date: json.match(/\d{4}-\d\d-\d\d/)?.[0] ?? new Date().toISOString().slice(0, 10), source: 'ansible/ansible stable-2.14, test/integration/targets', command: 'node dist/bench/targets/run.js --ansible-src DIR' }));
  console.log(`${summary(results).line}\nwritten: ${out}`);
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exitCode = 1;
});
