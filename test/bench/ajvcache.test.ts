// The ajv validator cache (src/playbook/ajvcache.ts, a start-up speed fix of the bench): a cached
// validator reports exactly what a fresh compile reports.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import AjvModule from 'ajv';
import { cachedCompile } from '../../src/playbook/ajvcache.js';

const Ajv = AjvModule as unknown as typeof AjvModule.default;
const schema = {
  type: 'object',
  properties: { name: { type: 'string' }, value: { type: ['string', 'integer'] }, state: { enum: ['present', 'absent'] }, reload: { type: 'boolean' } },
  required: ['name'],
  additionalProperties: false,
};

describe('bench: ajv validator cache', () => {
  let dir: string;
  const saved = process.env.LVSPLAY_CACHE_DIR;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'lvsplay-ajvcache-'));
    process.env.LVSPLAY_CACHE_DIR = dir;
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
    if (saved === undefined) delete process.env.LVSPLAY_CACHE_DIR;
    else process.env.LVSPLAY_CACHE_DIR = saved;
  });

  it('writes one file per schema and flavour, and the cached validator gives the same errors', () => {
    const opts = { allErrors: true, verbose: true, strict: false, coerceTypes: true, code: { source: true } };
    const fresh = new Ajv(opts).compile(schema);
    const first = cachedCompile('coerce', schema, opts);
    assert.equal(readdirSync(join(dir, 'ajv')).length, 1);
    const cached = cachedCompile('coerce', schema, opts);
    assert.notEqual(cached, first, 'second call loads the file instead of compiling');
    for (const data of [{ name: 'a', value: '1' }, { value: 1 }, { name: 'a', state: 'gone', extra: 1 }, { name: 'a', reload: 'yes' }]) {
      const a = { ...data };
      const b = { ...data };
      assert.equal(cached(b), fresh(a), JSON.stringify(data));
      const strip = (es: typeof fresh.errors) => (es ?? []).map((e) => ({ ...e, schema: JSON.stringify(e.schema), parentSchema: JSON.stringify(e.parentSchema) }));
      assert.deepEqual(strip(cached.errors), strip(fresh.errors));
      assert.deepEqual(b, a, 'coercion is the same');
    }
    cachedCompile('plain', schema, { ...opts, coerceTypes: false });
    assert.equal(readdirSync(join(dir, 'ajv')).length, 2);
  });

  it('LVSPLAY_NO_CACHE=1 compiles without writing', () => {
    process.env.LVSPLAY_NO_CACHE = '1';
    try {
      const v = cachedCompile('plain', schema, { strict: false, code: { source: true } });
      assert.equal(v({ name: 'x' }), true);
      assert.throws(() => readdirSync(join(dir, 'ajv')));
    } finally {
      delete process.env.LVSPLAY_NO_CACHE;
    }
  });
});
