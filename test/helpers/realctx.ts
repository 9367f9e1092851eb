// Run a module for real on a Connection (local, ssh or lab): probe, plan, apply with
// src/run/apply.ts — a tiny stand-in for the executor, so module tests count real execs.
import { readFileSync } from 'node:fs';
import type { Connection, ModuleContext, Plan, TaskModule, Vars } from '../../src/types.js';
import { applyPlan } from '../../src/run/apply.js';
import { controllerStubs, validateArgs } from './fakectx.js';

export interface RealOpts {
  facts?: Vars;
  check?: boolean;
  /** Directory that findFile() looks in (templates/ and files/ are not distinguished). */
  filesDir?: string;
  /** Render a template file (default: read it as is). */
  render?: (path: string) => string;
}

export interface RunOutcome {
  plan: Plan;
  changed: boolean;
  fields: Vars;
  /** execs this task cost on the connection */
  execs: number;
  output: string;
}

export function realCtx(conn: Connection, mod: TaskModule, args: Vars, o: RealOpts = {}): ModuleContext {
  validateArgs(mod, args);
  return {
    host: conn.host,
    args,
    vars: { ansible_facts: o.facts ?? {} },
    check: o.check ?? false,
    diff: true,
    pos: { file: 'test.yml', line: 1, col: 1 },
    probe: (cmd, stdin) => conn.exec(cmd, { stdin }),
    async facts() {
      if (!o.facts) throw new Error('test gave no facts');
      return o.facts;
    },
    findFile: (_kind, name) => (name.startsWith('/') ? name : `${o.filesDir ?? '.'}/${name}`),
    renderFile: (p) => (o.render ? o.render(p) : readFileSync(p, 'utf8')),
    ...controllerStubs(),
  };
}

/** Plan and (unless check) apply one task; throws what the executor would report as a failure. */
export async function runTask(conn: Connection, mod: TaskModule, args: Vars, o: RealOpts = {}): Promise<RunOutcome> {
  const before = conn.execCount;
  const plan = await mod.plan(realCtx(conn, mod, structuredClone(args), o));
  if (plan.failed) throw new Error(`failed: ${plan.failed}`);
  const changed = plan.changed ?? plan.steps.length > 0;
  let fields: Vars = {};
  let output = '';
  if (plan.steps.length && !o.check) {
    const r = await applyPlan(conn, plan);
    fields = r.fields;
    output = r.res.stdout + r.res.stderr;
  }
  return { plan, changed, fields: { ...(plan.result ?? {}), ...fields }, execs: conn.execCount - before, output };
}
