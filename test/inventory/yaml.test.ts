import assert from 'node:assert/strict';
import path from 'node:path';
import { loadInventory } from '../../src/inventory/index.js';
import { errorOf, tree } from './helpers.js';

const YML = `all:
  vars:
    ntp: pool.ntp.org
  hosts:
    standalone:
  children:
    lvs:
      vars:
        vip: 10.0.0.100
      children:
        directors:
          hosts:
            node01: {ansible_host: 10.0.0.1, priority: 100}
            node04:
              ansible_host: 10.0.0.4
              priority: 50
        real_servers:
          hosts:
            node[02:03]:
              weight: 1
`;

describe('inventory: YAML', () => {
  it('reads all/hosts/vars/children, nested groups and ranges with native types', async () => {
    const dir = tree({ 'inv.yml': YML });
    const inv = await loadInventory([path.join(dir, 'inv.yml')]);
    assert.deepEqual([...inv.hosts.keys()], ['standalone', 'node01', 'node04', 'node02', 'node03']);
    assert.deepEqual(inv.groups.get('lvs')!.children, ['directors', 'real_servers']);
    assert.deepEqual(inv.groups.get('ungrouped')!.hosts, ['standalone']);
    assert.equal(inv.hostVars('node01').priority, 100);
    assert.equal(inv.hostVars('node03').weight, 1);
    assert.equal(inv.hostVars('node03').vip, '10.0.0.100');
    assert.equal(inv.hostVars('standalone').ntp, 'pool.ntp.org');
    assert.deepEqual(inv.groupNames('node02'), ['lvs', 'real_servers']);
  });

  it('a YAML file without extension is detected by its content', async () => {
    const dir = tree({ hosts: 'web:\n  hosts:\n    w1:\n' });
    const inv = await loadInventory([path.join(dir, 'hosts')]);
    assert.deepEqual(inv.select('web'), ['w1']);
  });

  it('errors carry FILE:LINE:COL from the YAML parser, misspelt keys get a suggestion', async () => {
    const dir = tree({
      'bad.yml': 'all:\n  children:\n    web:\n      host:\n        w1:\n',
      'syntax.yml': 'all:\n  hosts:\n    w1: {a: 1\n',
      'list.yml': '- w1\n- w2\n',
      'hostvars.yml': 'web:\n  hosts:\n    w1: [1, 2]\n',
    });
    assert.match(await errorOf(() => loadInventory([path.join(dir, 'bad.yml')])), /bad\.yml:4:7: unexpected key 'host' in group 'web'.*did you mean 'hosts'\?/);
    assert.match(await errorOf(() => loadInventory([path.join(dir, 'syntax.yml')])), /syntax\.yml:\d+:\d+: YAML syntax error/);
    assert.match(await errorOf(() => loadInventory([path.join(dir, 'list.yml')])), /list\.yml:1:1: a YAML inventory must be a mapping/);
    assert.match(await errorOf(() => loadInventory([path.join(dir, 'hostvars.yml')])), /hostvars\.yml:3:9: host 'w1' must map to its variables/);
  });
});
