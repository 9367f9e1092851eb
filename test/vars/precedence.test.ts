import assert from 'node:assert/strict';
import { buildTaskVars, factVars, LAYER_ORDER, type VarLayers } from '../../src/vars/precedence.js';

// One value per layer, lowest first; each layer must beat every layer below it.
function layer(name: keyof VarLayers, value: string): VarLayers {
  const v = { x: value };
  switch (name) {
    case 'roleDefaults':
    case 'roleVars':
    case 'blockVars':
    case 'roleParams':
    case 'includeParams':
      return { [name]: [v] };
    case 'facts':
      return { facts: { x_fact: value } };
    default:
      return { [name]: v };
  }
}

describe('vars: precedence', () => {
  const order = LAYER_ORDER.filter((n) => n !== 'facts');
  it('documents the order lowest first, as Ansible', () => {
    assert.deepEqual(LAYER_ORDER, [
      'roleDefaults', 'inventory', 'facts', 'playVars', 'playVarsFiles', 'roleVars', 'blockVars', 'taskVars',
      'includeVars', 'setFacts', 'roleParams', 'includeParams', 'extraVars', 'magic', 'loop',
    ]);
  });
  for (let i = 1; i < order.length; i++) {
    for (let j = 0; j < i; j++) {
      const hi = order[i];
      const lo = order[j];
      it(`${hi} beats ${lo}`, () => {
        const v = buildTaskVars({ ...layer(lo, lo), ...layer(hi, hi) });
        assert.equal(v.x, hi);
      });
    }
  }
  it('facts beat inventory and lose to play vars (as ansible_<name>)', () => {
    const v = buildTaskVars({ inventory: { ansible_os_family: 'inv' }, facts: { os_family: 'Debian' } });
    assert.equal(v.ansible_os_family, 'Debian');
    assert.deepEqual(v.ansible_facts, { os_family: 'Debian' });
    const w = buildTaskVars({ facts: { os_family: 'Debian' }, playVars: { ansible_os_family: 'play' } });
    assert.equal(w.ansible_os_family, 'play');
  });
  it('within list layers, later entries (inner blocks, inner roles) win', () => {
    assert.equal(buildTaskVars({ blockVars: [{ x: 'outer' }, { x: 'inner' }] }).x, 'inner');
  });
  it('replaces dicts instead of merging them (hash_behaviour=replace)', () => {
    assert.deepEqual(buildTaskVars({ playVars: { d: { a: 1 } }, taskVars: { d: { b: 2 } } }).d, { b: 2 });
  });
  it("exposes 'vars' (non-enumerable)", () => {
    const v = buildTaskVars({ playVars: { a: 1 } });
    assert.deepEqual(v.vars, { a: 1 });
    assert.deepEqual(Object.keys(v), ['a']);
  });
  it('factVars injects ansible_ names', () => {
    assert.deepEqual(factVars({ hostname: 'n1', ansible_x: 1 }), { ansible_facts: { hostname: 'n1', ansible_x: 1 }, ansible_hostname: 'n1', ansible_x: 1 });
  });
});
