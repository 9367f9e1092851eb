import assert from 'node:assert/strict';
import path from 'node:path';
import { loadInventory } from '../../src/inventory/index.js';
import type { InventoryData } from '../../src/inventory/model.js';
import { splitPattern } from '../../src/inventory/pattern.js';
import { tree } from './helpers.js';

const INI = `lonely
[directors]
node01
node04
[real_servers]
node[02:03]
[web]
node02
[lvs:children]
directors
real_servers
`;

describe('inventory: host patterns', () => {
  let inv: InventoryData;
  before(async () => {
    inv = await loadInventory([path.join(tree({ 'h.ini': INI }), 'h.ini')]);
  });
  const table: [string, string[]][] = [
    ['all', ['lonely', 'node01', 'node04', 'node02', 'node03']],
    ['*', ['lonely', 'node01', 'node04', 'node02', 'node03']],
    ['directors', ['node01', 'node04']],
    ['lvs', ['node01', 'node04', 'node02', 'node03']],
    ['node03', ['node03']],
    ['directors:web', ['node01', 'node04', 'node02']],
    ['directors,web', ['node01', 'node04', 'node02']],
    ['lvs:&web', ['node02']],
    ['lvs:!directors', ['node02', 'node03']],
    ['!directors', ['lonely', 'node02', 'node03']],
    ['node0*', ['node01', 'node04', 'node02', 'node03']],
    ['node0[!4]', ['node01', 'node02', 'node03']],
    ['node0[12]', []], // brackets after a name are a subscript in Ansible, not a glob
    ['*rs', ['node01', 'node04', 'node02', 'node03']], // directors and real_servers
    ['~node0[34]$', ['node04', 'node03']],
    ['lvs[0]', ['node01']],
    ['lvs[-1]', ['node03']],
    ['lvs[1:2]', ['node04', 'node02']],
    ['lvs[2:]', ['node02', 'node03']],
    ['ungrouped', ['lonely']],
    ['localhost', ['localhost']],
    ['nosuch', []],
  ];
  for (const [pattern, expected] of table) {
    it(`${pattern} -> ${expected.join(',') || '(none)'}`, () => {
      assert.deepEqual(inv.select(pattern), expected);
    });
  }
  it('unknown terms are reported for the caller to warn', () => {
    assert.deepEqual(inv.unknownPatterns('directors:nosuch:!other'), ['nosuch', '!other']);
    assert.deepEqual(inv.unknownPatterns('lvs:&web'), []);
  });
  it('splits like Ansible: commas first, colons outside brackets', () => {
    assert.deepEqual(splitPattern('a:b[1:2]:!c'), ['a', 'b[1:2]', '!c']);
    assert.deepEqual(splitPattern('a, b:c'), ['a', 'b:c']);
  });
  it('implicit localhost has connection local and is not in all', () => {
    assert.equal(inv.hostVars('localhost').ansible_connection, 'local');
    assert.ok(!inv.select('all').includes('localhost'));
  });
});
