// `node dist/bench/bigload.js [--keys 40000,100000] [--hosts 100000] [--cli PATH]`: how long the CLI takes to load a
// vars file with N keys (a play's vars_files, then -e @file) and an INI inventory of N range hosts
// (`node[000001:N]`). Prints one line per case; figures only, nothing asserted (issue 19: these were
// quadratic — 40k keys took 20 s, 100k INI hosts 57 s).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const cliAt = process.argv.indexOf('--cli');
/** --cli PATH: time another build (e.g. an older commit's dist/cli/lvsplay.js) */
const CLI = cliAt >= 0 ? resolve(process.argv[cliAt + 1]) : resolve(dirname(fileURLToPath(import.meta.url)), '../cli/lvsplay.js');

function arg(name: string, dflt: string): number[] {
  const i = process.argv.indexOf(name);
  return (i >= 0 ? process.argv[i + 1] : dflt).split(',').map(Number);
}

function timeCli(args: string[], cwd: string): { ms: number; rc: number | null; tail: string } {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, maxBuffer: 1 << 30 });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  return { ms, rc: r.status, tail: (r.stderr || '').trim().split('\n').slice(-1)[0] ?? '' };
}

function line(what: string, r: { ms: number; rc: number | null; tail: string }): void {
  console.log(`${what.padEnd(44)} ${(r.ms / 1000).toFixed(2).padStart(7)} s  exit ${r.rc}${r.rc === 0 ? '' : `  (${r.tail})`}`);
}

const dir = mkdtempSync(join(tmpdir(), 'lvsplay-bigload-'));
try {
  writeFileSync(join(dir, 'inv.ini'), 'localhost ansible_connection=local\n');
  for (const n of arg('--keys', '40000,100000')) {
    const body = Array.from({ length: n }, (_, i) => `key_${i}: value ${i}`).join('\n') + '\n';
    writeFileSync(join(dir, `vars${n}.yml`), body);
    writeFileSync(join(dir, `play${n}.yml`), `- hosts: localhost\n  gather_facts: false\n  vars_files: [vars${n}.yml]\n  tasks:\n    - debug: { var: key_${n - 1} }\n`);
    line(`vars_files with ${n} keys (run)`, timeCli(['-i', 'inv.ini', `play${n}.yml`], dir));
    line(`-e @file with ${n} keys (--syntax-check)`, timeCli(['-i', 'inv.ini', '-e', `@vars${n}.yml`, '--syntax-check', `play${n}.yml`], dir));
    writeFileSync(join(dir, `gv${n}.yml`), `all:\n  hosts:\n    localhost:\n      ansible_connection: local\n  vars:\n${body.replace(/^/gm, '    ').trimEnd()}\n`);
    line(`YAML inventory with ${n} group vars (--list-hosts)`, timeCli(['-i', `gv${n}.yml`, '--list-hosts', `play${n}.yml`], dir));
  }
  for (const n of arg('--hosts', '100000')) {
    writeFileSync(join(dir, `hosts${n}.ini`), `[web]\nnode[000001:${String(n).padStart(6, '0')}]\n[web:vars]\nx=1\n`);
    writeFileSync(join(dir, 'hostsplay.yml'), '- hosts: web\n  gather_facts: false\n  tasks: []\n');
    line(`INI inventory with ${n} range hosts (--list-hosts)`, timeCli(['-i', `hosts${n}.ini`, '--list-hosts', 'hostsplay.yml'], dir));
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
