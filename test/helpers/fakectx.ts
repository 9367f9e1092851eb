// A fake ModuleContext for module tests: args validated by the module's schema (as the executor
// does), facts given, probe answers scripted, every probe command recorded.
import AjvModule from 'ajv';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ExecResult, ModuleContext, TaskModule, Vars } from '../../src/types.js';
import { loadVarsFile } from '../../src/playbook/index.js';
import { Templar } from '../../src/vars/templar.js';

const Ajv = AjvModule as unknown as typeof AjvModule.default;
const ajv = new Ajv({ allErrors: true, strict: false, coerceTypes: true, useDefaults: true }); // as the executor validates at run time

export type Answer = string | Partial<ExecResult>;

export interface FakeOpts {
  args: Vars;
  facts?: Vars;
  vars?: Vars;
  /** Answers to probes, in order; or a function of the command. */
  probes?: Answer[] | ((cmd: string, stdin?: string) => Answer);
  /** Rendered templates / controller files by name (findFile returns `/ctl/<kind>/<name>`). */
  files?: Record<string, string>;
  check?: boolean;
  diff?: boolean;
  host?: string;
  /** Where ctx.searchPaths(kind) looks: <searchDir>/<kind> (module fixtures: the fixture's folder). */
  searchDir?: string;
}

export interface FakeCtx extends ModuleContext {
  probed: { cmd: string; stdin?: string }[];
  factsCalls: number;
}

export function toResult(a: Answer): ExecResult {
  if (typeof a === 'string') return { stdout: a, stderr: '', rc: 0 };
  return { stdout: a.stdout ?? '', stderr: a.stderr ?? '', rc: a.rc ?? 0 };
}

/** Validate args against a module's schema like the executor (ajv, coercion on). Throws on errors. */
export function validateArgs(mod: TaskModule, args: Vars): void {
  const v = ajv.compile(mod.schema);
  if (!v(args)) throw new Error(`${mod.name}: bad args ${JSON.stringify(args)}: ${ajv.errorsText(v.errors)}`);
}

type ControllerParts = Pick<ModuleContext, 'argsPos' | 'verbosity' | 'searchPaths' | 'readVars' | 'evalExpr' | 'evalCondition'>;

/** The controller-side parts of a ModuleContext, as the executor gives them: the engine's templar over `vars`, vars files read by the loader. */
export function controllerStubs(vars: Vars = {}, searchDir?: string): ControllerParts {
  const templar = new Templar();
  const pos = { file: 'test.yml', line: 1, col: 1 };
  return {
    argsPos: {},
    verbosity: 0,
    searchPaths: (kind) => (searchDir ? [join(searchDir, kind)] : []),
    readVars: async (path, at) => loadVarsFile(path, at ?? pos),
    evalExpr: async (expr) => templar.evalExpr(expr, vars, pos),
    evalCondition: async (expr) => templar.evalCondition(expr, vars, pos),
  };
}

export function fakeCtx(mod: TaskModule, o: FakeOpts): FakeCtx {
  const args = structuredClone(o.args);
  validateArgs(mod, args);
  const facts = o.facts ?? {};
  const ansible: Vars = { ansible_facts: facts };
  for (const [k, v] of Object.entries(facts)) ansible[`ansible_${k}`] = v;
  let i = 0;
  const ctx: FakeCtx = {
    host: o.host ?? 'node01',
    args,
    vars: { ...ansible, ...(o.vars ?? {}) },
    check: o.check ?? false,
    diff: o.diff ?? true,
    pos: { file: 'test.yml', line: 1, col: 1 },
    probed: [],
    factsCalls: 0,
    async probe(cmd: string, stdin?: string) {
      ctx.probed.push({ cmd, stdin });
      const p = o.probes;
      if (typeof p === 'function') return toResult(p(cmd, stdin));
      if (!p || i >= p.length) throw new Error(`unexpected probe #${i + 1}: ${cmd}`);
      return toResult(p[i++]);
    },
    async facts() {
      ctx.factsCalls++;
      return facts;
    },
    findFile(kind, name) {
      return name.startsWith('/') ? name : `/ctl/${kind}/${name}`;
    },
    ...controllerStubs({ ...ansible, ...(o.vars ?? {}) }, o.searchDir),
    renderFile(path) {
      const name = path.replace(/^\/ctl\/(templates|files)\//, '');
      if (o.files && name in o.files) return o.files[name];
      return readFileSync(path, 'utf8');
    },
  };
  return ctx;
}
