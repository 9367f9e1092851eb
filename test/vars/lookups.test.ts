// Lookup plugins on their own (the differential tests in test/compat/loops.test.ts and lookups.test.ts
// prove them against ansible-playbook): item shapes, sequence forms, password files, refusals.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { knownLookup, lookupPlugin, type LookupCtx } from '../../src/vars/lookups.js';

function ctx(vars: Record<string, unknown> = {}): LookupCtx {
  return { vars: (n) => ({ found: n in vars, value: vars[n] }), names: () => Object.keys(vars) };
}
const q = (kind: string, terms: unknown[], kw: Record<string, unknown> = {}, c = ctx()): unknown => lookupPlugin(kind, terms, kw, true, c);

describe('lookup plugins', () => {
  it('sequence: k=v, count, stride, format, the shortcut form, and its errors', () => {
    assert.deepEqual(q('sequence', ['start=1 end=3']), ['1', '2', '3']);
    assert.deepEqual(q('sequence', ['count=3 start=2 stride=2']), ['2', '4', '6']);
    assert.deepEqual(q('sequence', ['start=10 end=0 stride=-5 format=n%03d']), ['n010', 'n005', 'n000']);
    assert.deepEqual(q('sequence', ['2-8/3:x%d', '3']), ['x2', 'x5', 'x8', '1', '2', '3']);
    assert.deepEqual(q('sequence', ['start=0x0e end=0x10 format=%02x']), ['0e', '0f', '10']);
    assert.deepEqual(q('sequence', ['count=0']), []);
    assert.throws(() => q('sequence', ['start=1']), /must specify count or end/);
    assert.throws(() => q('sequence', ['end=3 count=3']), /can't specify both/);
    assert.throws(() => q('sequence', ['start=3 end=1']), /make stride negative/);
    assert.throws(() => q('sequence', ['end=3 step=1']), /unrecognized arguments/);
    assert.throws(() => q('sequence', ['end=3 format=%d%d']), /bad formatting string/);
  });

  it('subelements: the parent without the list, dotted keys, skip_missing, and the errors', () => {
    const users = [{ name: 'a', k: { l: [1, 2] } }, { name: 'b' }];
    assert.deepEqual(q('subelements', [users, 'k.l', { skip_missing: true }]), [
      [{ name: 'a', k: {} }, 1],
      [{ name: 'a', k: {} }, 2],
    ]);
    assert.deepEqual(users[0], { name: 'a', k: { l: [1, 2] } }, 'the variable itself is untouched');
    assert.throws(() => q('subelements', [users, 'k.l']), /could not find 'k' key/);
    assert.throws(() => q('subelements', [users, 'name']), /should point to a list/);
    assert.throws(() => q('subelements', [users, 'k.l', 'skip_missing']), /must be a dict with flags/);
    // as Ansible: flags other than skip_missing are ignored
    assert.equal((q('subelements', [users, 'k.l', { skip_missing: true, other: 1 }]) as unknown[]).length, 2);
  });

  it('items flattens one level, flattened all levels; nested, together, indexed_items, dict', () => {
    assert.deepEqual(q('items', [[1, [2]], 3]), [1, [2], 3]);
    assert.deepEqual(q('flattened', [[1, [2, [3, null]]], 4]), [1, 2, 3, null, 4]);
    assert.deepEqual(q('flattened', [[1, 'None', 2], 3, 'null', 4]), [1, 3]);
    assert.deepEqual(q('nested', [['a', 'b'], [1, 2]]), [['a', 1], ['a', 2], ['b', 1], ['b', 2]]);
    assert.deepEqual(q('together', [['a', 'b'], [1]]), [['a', 1], ['b', null]]);
    assert.deepEqual(q('indexed_items', [['x', 'y']]), [[0, 'x'], [1, 'y']]);
    assert.deepEqual(q('dict', [{ b: 1, a: 2 }]), [{ key: 'b', value: 1 }, { key: 'a', value: 2 }]);
    assert.throws(() => q('dict', [['x']]), /with_dict expects a dict/);
  });

  it('lookup() joins strings, keeps a single value, and an empty result is []; errors=ignore gives None', () => {
    assert.equal(lookupPlugin('items', [['a', 'b']], {}, false, ctx()), 'a,b');
    assert.deepEqual(lookupPlugin('dict', [{ a: 1 }], {}, false, ctx()), { key: 'a', value: 1 });
    assert.deepEqual(lookupPlugin('items', [[]], {}, false, ctx()), []);
    assert.equal(lookupPlugin('file', ['/nonexistent/x'], { errors: 'ignore' }, false, ctx()), null);
    assert.deepEqual(lookupPlugin('items', [['a']], { wantlist: true }, false, ctx()), ['a']);
  });

  it('password: writes a new password (0600) once, then reads it; chars and length', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lvsplay-pw-'));
    const c = ctx({ playbook_dir: dir });
    const [p1] = q('password', ['sub/pw length=8 chars=digits'], {}, c) as string[];
    assert.match(p1, /^[0-9]{8}$/);
    assert.equal(readFileSync(join(dir, 'sub/pw'), 'utf8'), `${p1}\n`);
    assert.equal(statSync(join(dir, 'sub/pw')).mode & 0o777, 0o600);
    assert.deepEqual(q('password', ['sub/pw'], {}, c), [p1]);
    assert.match((q('password', ['/dev/null'], { chars: ['ascii_lowercase', ',,'] }, c) as string[])[0], /^[a-z,]{20}$/);
    assert.throws(() => q('password', ['x encrypt=sha512_crypt'], {}, c), /not supported by lvsplay/);
  });

  it('inventory_hostnames over the groups variable; unknown lookups are named', () => {
    const c = ctx({ groups: { all: ['a', 'b', 'c'], ungrouped: ['c'], web: ['a', 'b'], db: ['b'] } });
    assert.deepEqual(q('inventory_hostnames', ['web:!db']), []);
    assert.deepEqual(q('inventory_hostnames', ['web:!db'], {}, c), ['a']);
    assert.deepEqual(q('inventory_hostnames', ['all:&db'], {}, c), ['b']);
    assert.equal(knownLookup('ansible.builtin.subelements'), true);
    assert.equal(knownLookup('nosuch'), false);
    assert.throws(() => q('nosuch', []), /lookup plugin 'nosuch' is not supported by lvsplay/);
  });
});
