// Shared pieces of the custom-module tests: a scratch project, module sources, and running the
// bundled CLI in it (its own cache dir, so the first run compiles and the next ones hit the cache).
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cacheDir } from '../../src/cache.js';

export const CLI = fileURLToPath(new URL('../../cli/lvsplay.js', import.meta.url));
/** The worktree (package root): dist/test/api -> ../../.. */
export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** A TypeScript module that keeps one line in a file (through planFile), answering `name`. */
export function lineModule(name: string, tag = name): string {
  return `import { defineModule, planFile, type ModuleContext, type Plan } from 'lvsplay';
interface Args { path: string; text: string }
export default defineModule({
  name: '${name}',
  schema: {
    type: 'object',
    properties: { path: { type: 'string', description: 'file' }, text: { type: 'string', description: 'its one line' } },
    required: ['path', 'text'],
    additionalProperties: false,
  },
  async plan(ctx: ModuleContext): Promise<Plan> {
    const a = ctx.args as unknown as Args;
    const p = await planFile(ctx, { dest: a.path, content: a.text + '\\n', mode: '0640' });
    return { ...p, result: { ...p.result, tag: '${tag}' } };
  },
});
`;
}

/** The same module in plain JavaScript (for npm packages shipping compiled modules). */
export function lineModuleJs(name: string, tag = name): string {
  return `import { defineModule, planFile } from 'lvsplay';
export default defineModule({
  name: '${name}',
  schema: { type: 'object', properties: { path: { type: 'string' }, text: { type: 'string' } }, required: ['path', 'text'] },
  async plan(ctx) {
    const p = await planFile(ctx, { dest: String(ctx.args.path), content: ctx.args.text + '\\n', mode: '0640' });
    return { ...p, result: { ...p.result, tag: '${tag}' } };
  },
});
`;
}

/** A playbook using module `mod` on `file` (connection local), registering and showing the tag. */
export function linePlaybook(mod: string, file: string, extra = ''): string {
  return `- hosts: localhost
  gather_facts: false
  connection: local
${extra}  tasks:
    - name: keep the line
      ${mod}: {path: "${file}", text: hello}
      register: r
    - debug: {msg: "tag={{ r.tag }}"}
`;
}

export interface Project {
  dir: string;
  write(rel: string, text: string): string;
  cleanup(): void;
}

export function project(): Project {
  const dir = mkdtempSync(join(tmpdir(), 'lvsplay-modapi-'));
  return {
    dir,
    write(rel, text) {
      const p = join(dir, rel);
      mkdirSync(dirname(p), { recursive: true });
      writeFileSync(p, text);
      return p;
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

export interface CliRun {
  rc: number;
  out: string;
}

/** Run the CLI in `cwd` with its cache under cwd/.cache (ANSIBLE_CONFIG etc. through env). */
export function cli(cwd: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliRun> {
  return new Promise((res) => {
    execFile(
      process.execPath,
      [CLI, ...(args[0] === 'doc' ? args : ['-i', 'localhost,', ...args])],
      { cwd, env: { ...process.env, NO_COLOR: '1', LVSPLAY_CACHE_DIR: join(cwd, '.cache'), ANSIBLE_CONFIG: '', ...env }, timeout: 120_000 },
      (e, stdout, stderr) => res({ rc: e ? Number((e as { code?: unknown }).code ?? 250) : 0, out: stdout + stderr }),
    );
  });
}

/** ok/changed/failed of localhost in a console recap. */
export function recap(out: string): { ok: number; changed: number; failed: number } {
  const m = /localhost\s*: ok=(\d+)\s+changed=(\d+)\s+unreachable=\d+\s+failed=(\d+)/.exec(out);
  if (!m) throw new Error(`no recap in:\n${out}`);
  return { ok: Number(m[1]), changed: Number(m[2]), failed: Number(m[3]) };
}

/** Remove from the modules cache (src/playbook/modload.ts) what was compiled from files under `dir`. */
export function forgetCompiled(dir: string): void {
  const c = cacheDir('modules');
  if (!c) return;
  let names: string[] = [];
  try {
    names = readdirSync(c).filter((n) => n.endsWith('.json'));
  } catch {
    return;
  }
  for (const n of names) {
    try {
      const inputs = Object.keys((JSON.parse(readFileSync(join(c, n), 'utf8')) as { inputs: Record<string, string> }).inputs);
      if (inputs.some((f) => f.startsWith(`${dir}/`))) for (const ext of ['.json', '.mjs']) rmSync(join(c, n.replace(/\.json$/, ext)), { force: true });
    } catch {
      /* another process's entry being written: leave it */
    }
  }
}
