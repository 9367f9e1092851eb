// Table-driven module tests from JSON fixtures: args + facts + probe answers in, the plan out
// (steps, diff, changed), optionally the output of applying it fed to `after`.
// UPDATE_FIXTURES=1 rewrites the `expect` blocks from what the module does (review the git diff!).
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Plan, TaskModule, Vars } from '../../src/types.js';
import { planScript } from '../../src/run/apply.js';
import { fakeCtx, toResult, type Answer } from './fakectx.js';

export const FIXTURES = fileURLToPath(new URL('../../../test/fixtures/modules/', import.meta.url));

type ProbeAnswer = Answer | { sections: Record<string, string>; rc?: number; stderr?: string };

export interface Fixture {
  title: string;
  args: Vars;
  facts?: Vars;
  vars?: Vars;
  files?: Record<string, string>;
  diffMode?: boolean;
  /** Plan as in check mode (ctx.check); the executor's own check-mode handling is tested in test/run. */
  check?: boolean;
  probes?: ProbeAnswer[];
  expect: {
    changed?: boolean;
    steps?: string[];
    stdin?: string;
    diff?: unknown[];
    failed?: string;
    error?: string;
    result?: Vars;
    probeCount?: number;
    probeContains?: string[];
  };
  apply?: Answer;
  expectAfter?: { fields?: Vars; error?: string };
}

/** Probe stdout from named sections, in the marker format of src/probe.ts. */
export function sectionsOut(secs: Record<string, string>): string {
  return Object.entries(secs)
    .map(([k, v]) => `\n@@lvsplay:${k}\n${v}${k.startsWith('content') ? '' : '\n'}`)
    .join('');
}

function answer(p: ProbeAnswer): Answer {
  if (typeof p === 'object' && 'sections' in p) return { stdout: sectionsOut(p.sections), rc: p.rc ?? 0, stderr: p.stderr ?? '' };
  return p;
}

export function loadFixtures(dir: string): { file: string; fx: Fixture }[] {
  const d = join(FIXTURES, dir);
  return readdirSync(d)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => ({ file: join(d, f), fx: JSON.parse(readFileSync(join(d, f), 'utf8')) as Fixture }));
}

/** Define one mocha test per fixture file of a module. */
export function fixtureTests(mod: TaskModule, dir: string): void {
  for (const { file, fx } of loadFixtures(dir)) {
    it(`${fx.title} [fixture ${dir}/${file.split('/').pop()}]`, async () => {
      const ctx = fakeCtx(mod, { args: fx.args, facts: fx.facts, vars: fx.vars, files: fx.files, diff: fx.diffMode ?? true, check: fx.check, probes: (fx.probes ?? []).map(answer), searchDir: join(FIXTURES, dir) });
      let plan: Plan | undefined;
      let error: string | undefined;
      try {
        plan = await mod.plan(ctx);
      } catch (e) {
        error = (e as Error).message;
      }
      const actual: Fixture['expect'] = {};
      if (error !== undefined) actual.error = error;
      if (plan) {
        actual.changed = plan.changed ?? plan.steps.length > 0;
        if (plan.failed !== undefined) actual.failed = plan.failed; // '' too: a failure without msg (Ansible's include_vars)
        actual.steps = plan.steps.map((s) => s.cmd);
        const st = plan.steps.find((s) => s.stdin !== undefined)?.stdin;
        if (st !== undefined) actual.stdin = st.toString();
        if (plan.diff?.length) actual.diff = plan.diff;
        if (plan.steps.length) planScript(plan); // at most one stdin step
      }
      if (process.env.UPDATE_FIXTURES) {
        const keep = { result: fx.expect.result, probeCount: fx.expect.probeCount, probeContains: fx.expect.probeContains };
        fx.expect = { ...actual, ...Object.fromEntries(Object.entries(keep).filter(([, v]) => v !== undefined)) };
        writeFileSync(file, `${JSON.stringify(fx, null, 2)}\n`);
      }
      const e = fx.expect;
      if (e.error !== undefined || error !== undefined) {
        assert.ok(error !== undefined, `expected an error containing ${e.error}, got a plan`);
        assert.ok(e.error !== undefined && error.includes(e.error), `unexpected error: ${error}`);
        return;
      }
      assert.ok(plan);
      if (e.failed !== undefined || plan.failed !== undefined) assert.ok(plan.failed?.includes(e.failed ?? '\0'), `failed: ${plan.failed}`);
      if (e.changed !== undefined) assert.equal(actual.changed, e.changed, 'changed');
      if (e.steps) assert.deepEqual(actual.steps, e.steps);
      if (e.stdin !== undefined) assert.equal(actual.stdin, e.stdin);
      if (e.diff) assert.deepEqual(actual.diff, e.diff);
      if (e.result) for (const [k, v] of Object.entries(e.result)) assert.deepEqual(plan.result?.[k], v, `result.${k}`);
      assert.equal(ctx.probed.length, e.probeCount ?? 1, 'probe execs');
      for (const c of e.probeContains ?? []) assert.ok(ctx.probed.some((p) => p.cmd.includes(c)), `a probe containing ${c}`);
      if (fx.apply) {
        assert.ok(plan.after, 'plan has an after hook');
        const res = toResult(fx.apply);
        if (fx.expectAfter?.error) {
          assert.throws(() => plan!.after!(res), (err: Error) => err.message.includes(fx.expectAfter!.error!));
        } else {
          const fields = plan.after(res) ?? {};
          for (const [k, v] of Object.entries(fx.expectAfter?.fields ?? {})) assert.deepEqual(fields[k], v, `after.${k}`);
        }
      }
    });
  }
}
