// The shipped types: a module written against `lvsplay` (resolved through package.json `exports`
// to dist/src/index.d.ts, as a project depending on lvsplay sees it) type-checks with tsc --strict;
// misuses fail to compile; and no `any` leaks out of the declarations the public entry reaches.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, symlinkSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { project, ROOT, type Project } from './helpers.js';

const TSC = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');

const GOOD = `import { defineModule, planFile, sh, getFact, TaskError, run, type ModuleContext, type Plan, type RunEvent } from 'lvsplay';

interface Args { path: string; text: string; owner?: string }

export default defineModule({
  name: 'motd_line',
  aliases: ['acme.site.motd_line'],
  schema: {
    type: 'object',
    properties: { path: { type: 'string' }, text: { type: 'string' }, owner: { type: 'string' } },
    required: ['path', 'text'],
    additionalProperties: false,
  },
  probe: (ctx) => sh\`test -e \${String(ctx.args.path)} && echo yes || true\`,
  async plan(ctx: ModuleContext, probed): Promise<Plan> {
    const a = ctx.args as unknown as Args;
    const family = await getFact(ctx, 'ansible_os_family');
    const probe = probed ?? (await ctx.probe('true'));
    if (probe.rc !== 0) throw new TaskError('probe failed', { rc: probe.rc });
    const p = await planFile(ctx, { dest: a.path, content: \`\${a.text} (\${String(family)})\\n\`, owner: a.owner });
    return { ...p, result: { ...p.result, existed: probe.stdout.trim() === 'yes' } };
  },
});

export async function drive(): Promise<number> {
  const r = await run({ playbook: 'site.yml', check: true, onEvent: (e: RunEvent) => { if (e.type === 'host_result') console.log(e.host, e.status, e.durationMs); } });
  return r.exitCode + r.recap['h']!.changed;
}
`;

const BAD: [string, string, RegExp][] = [
  ['a plan returning the wrong shape', `import { defineModule } from 'lvsplay';\nexport default defineModule({ name: 'x', schema: { type: 'object' }, async plan() { return { steps: 'rm -rf /' }; } });\n`, /TS2322/],
  ['arguments used as a number without a check (ctx.args is unknown, not any)', `import { defineModule } from 'lvsplay';\nexport default defineModule({ name: 'x', schema: { type: 'object' }, async plan(ctx) { const n: number = ctx.args.count; return { steps: [], result: { n } }; } });\n`, /TS2322/],
  ['a schema that is not an object schema', `import { defineModule } from 'lvsplay';\nexport default defineModule({ name: 'x', schema: { type: 'string' }, async plan() { return { steps: [] }; } });\n`, /TS2322/],
  ['an internal path (only the package root is public)', `import { sh } from 'lvsplay/dist/src/shell.js';\nexport const x = sh;\n`, /TS2307|TS2339|TS2305/],
  ['an unknown run() option', `import { run } from 'lvsplay';\nexport const r = run({ playbook: 'x.yml', chek: true });\n`, /TS2353|TS2561/],
];

function tsc(dir: string): Promise<{ rc: number; out: string }> {
  return new Promise((res) => {
    execFile(process.execPath, [TSC, '-p', join(dir, 'tsconfig.json')], { cwd: dir, timeout: 120_000 }, (e, stdout, stderr) =>
      res({ rc: e ? Number((e as { code?: unknown }).code ?? 1) : 0, out: stdout + stderr }),
    );
  });
}

function consumer(p: Project, source: string): void {
  symlinkSync(ROOT, join(p.dir, 'node_modules', 'lvsplay'));
  // a module author writes Node code: the consumer has @types/node (Buffer appears in the API)
  p.write('node_modules/@types/.keep', '');
  symlinkSync(join(ROOT, 'node_modules', '@types', 'node'), join(p.dir, 'node_modules', '@types', 'node'));
  p.write('package.json', JSON.stringify({ name: 'consumer', type: 'module', private: true }));
  p.write('tsconfig.json', JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, noEmit: true, types: ['node'], skipLibCheck: false }, include: ['mod.ts'] }));
  p.write('mod.ts', source);
}

/** Every .d.ts the public entry reaches through relative imports/exports (import('...') types included). */
function reachable(entry: string): string[] {
  const seen = new Set<string>();
  const todo = [entry];
  while (todo.length) {
    const f = todo.pop()!;
    if (seen.has(f) || !existsSync(f)) continue;
    seen.add(f);
    for (const m of readFileSync(f, 'utf8').matchAll(/(?:from\s+|import\()\s*['"](\.[^'"]+)['"]/g)) todo.push(resolve(dirname(f), m[1].replace(/\.js$/, '.d.ts')));
  }
  return [...seen];
}

describe('api: types (tsc against the shipped declarations through package.json exports)', function () {
  this.timeout(180_000);
  let p: Project;
  beforeEach(() => {
    p = project();
    p.write('node_modules/.keep', '');
  });
  afterEach(() => p.cleanup());

  it('a typed module and a run() driver type-check with --strict (skipLibCheck off: the .d.ts themselves check)', async () => {
    consumer(p, GOOD);
    const r = await tsc(p.dir);
    assert.equal(r.rc, 0, r.out);
  });

  for (const [what, src, code] of BAD) {
    it(`refuses ${what}`, async () => {
      consumer(p, src);
      const r = await tsc(p.dir);
      assert.notEqual(r.rc, 0, `should not compile:\n${src}`);
      assert.match(r.out, code);
    });
  }

  it("the README's example module type-checks", async () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const m = /```ts\n(\/\/ library\/motd_line\.ts[\s\S]*?)```/.exec(readme);
    assert.ok(m, 'README has the example');
    consumer(p, m[1]);
    const r = await tsc(p.dir);
    assert.equal(r.rc, 0, r.out);
  });

  for (const [i, what] of ['module', 'run() driver'].entries()) {
    it(`docs/api.md's example ${what} type-checks`, async () => {
      const doc = readFileSync(join(ROOT, 'docs', 'api.md'), 'utf8');
      const example = doc.slice(doc.indexOf('## Example'), doc.indexOf('## Custom modules'));
      const blocks = [...example.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]);
      assert.equal(blocks.length, 2);
      consumer(p, blocks[i]);
      const r = await tsc(p.dir);
      assert.equal(r.rc, 0, r.out);
    });
  }

  it('no `any` in the declarations the public entry reaches', () => {
    const files = reachable(join(ROOT, 'dist', 'src', 'index.d.ts'));
    assert.ok(files.length > 5, `reached ${files.length} files`);
    const hits = files.flatMap((f) =>
      readFileSync(f, 'utf8')
        .split('\n')
        .map((l, i) => ({ l, i }))
        .filter(({ l }) => !/^\s*(\*|\/\/|\/\*)/.test(l) && /(?<![\w.])any(?![\w-])/.test(l))
        .map(({ l, i }) => `${f}:${i + 1}: ${l.trim()}`),
    );
    assert.deepEqual(hits, []);
  });
});
