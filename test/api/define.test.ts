// defineModule(): the contract checked when a module is defined, and the module it returns being
// the one the executor runs (plan, then apply) — with the public helpers a module author uses.
import assert from 'node:assert/strict';
import { defineModule, isDefinedModule, ModuleDefinitionError, sh, quote, parseSections, sectionMark, TaskError, type ModuleDefinition } from '../../src/index.js';
import * as api from '../../src/index.js';

const ok: ModuleDefinition = {
  name: 'my_mod',
  schema: { type: 'object', properties: { a: { type: 'string' } } },
  async plan() {
    return { steps: [] };
  },
};

describe('api: defineModule()', () => {
  it('returns a module with the shipped modules\' contract (name, aliases, schema, plan), recognisable as defined', async () => {
    const m = defineModule({ ...ok, aliases: ['acme.tools.my_mod'], secretArgs: ['a'], plansAhead: true });
    assert.equal(m.name, 'my_mod');
    assert.deepEqual(m.aliases, ['acme.tools.my_mod']);
    assert.deepEqual(m.secretArgs, ['a']);
    assert.equal(m.plansAhead, true);
    assert.ok(isDefinedModule(m));
    assert.ok(!isDefinedModule({ ...m }), 'a copy is not a defineModule() result');
    assert.deepEqual(await m.plan({} as never), { steps: [] });
  });

  it('probe: its command runs once through ctx.probe and plan() gets the output', async () => {
    const calls: string[] = [];
    const m = defineModule({
      ...ok,
      probe: (ctx) => sh`cat ${String(ctx.args.a)}`,
      async plan(_ctx, probed) {
        return { steps: probed?.stdout === 'x\n' ? [] : [{ describe: 'fix', cmd: 'true' }], result: { seen: probed?.stdout } };
      },
    });
    const ctx = { args: { a: 'f 1' }, probe: async (c: string) => (calls.push(c), { stdout: 'x\n', stderr: '', rc: 0 }) };
    assert.deepEqual(await m.plan(ctx as never), { steps: [], result: { seen: 'x\n' } });
    assert.deepEqual(calls, [`cat 'f 1'`]);
  });

  const bad: [string, unknown, RegExp][] = [
    ['a probe that is not a function', { ...ok, probe: 'cat /x' }, /'probe' must be a function/],
    ['a missing name', { ...ok, name: undefined }, /'name' is missing/],
    ['a bad name', { ...ok, name: 'my-mod' }, /'name' must be letters, digits and _/],
    ['a missing plan', { ...ok, plan: undefined }, /module 'my_mod': 'plan' is missing/],
    ['a missing schema', { ...ok, schema: undefined }, /'schema' is missing/],
    ['a schema that is not an object schema', { ...ok, schema: { type: 'string' } }, /'schema.type' must be 'object'/],
    ['an invalid JSON Schema', { ...ok, schema: { type: 'object', properties: { a: { type: 'strin' } } } }, /'schema' is not a valid JSON Schema/],
    ['an unknown field', { ...ok, chekMode: true }, /unknown field 'chekMode'/],
    ['bad aliases', { ...ok, aliases: 'x' }, /'aliases' must be a list/],
  ];
  for (const [what, def, re] of bad) {
    it(`refuses ${what} with a clear ModuleDefinitionError`, () => {
      assert.throws(() => defineModule(def as ModuleDefinition), (e: unknown) => e instanceof ModuleDefinitionError && re.test(e.message) && e.message.startsWith('defineModule: '));
    });
  }

  it('lists every problem at once', () => {
    assert.throws(() => defineModule({} as ModuleDefinition), /'name' is missing.*'plan' is missing.*'schema' is missing/);
  });

  it('helpers: sh quotes every value (POSIX single quotes), the probe-section protocol round-trips', () => {
    assert.equal(sh`echo ${"it's"} ${['a b', 'c']}`, `echo 'it'\\''s' 'a b' c`);
    assert.equal(quote('$HOME'), `'$HOME'`);
    assert.deepEqual([...parseSections(`junk\n@@lvsplay:one\n1\n@@lvsplay:two\n2\n`)], [['one', '1'], ['two', '2']]);
    assert.equal(sectionMark('one'), `printf '\\n@@lvsplay:one\\n'`);
  });

  it('TaskError is recognised across copies of lvsplay (a global symbol)', () => {
    const e = new TaskError('x', { rc: 1 });
    assert.ok(e instanceof TaskError);
    const foreign = Object.assign(new Error('y'), { [Symbol.for('lvsplay.TaskError')]: true });
    assert.ok(foreign instanceof TaskError);
    assert.ok(!(new Error('z') instanceof TaskError));
  });

  it('the public API is exactly the documented list (docs/api.md)', () => {
    assert.deepEqual(Object.keys(api).sort(), [
      'ModuleDefinitionError', 'TaskError', 'argList', 'argString', 'boolSchema', 'contentDiff', 'defineModule', 'fileProbe', 'getFact',
      'isDefinedModule', 'parseFileProbe', 'parseSections', 'planFile', 'quote', 'requireArg', 'run', 'sectionMark', 'sh', 'toBool', 'writeAfter', 'writeSteps',
    ]);
  });
});
