import assert from 'node:assert/strict';
import path from 'node:path';
import { formatHostList, inventoryGraph, inventoryList, loadInventory } from '../../src/inventory/index.js';
import { inventoryMain } from '../../src/inventory/cli.js';
import { tree } from './helpers.js';

const INI = 'lonely\n[directors]\nnode01 prio=100\n[real]\nnode02\n[lvs:children]\ndirectors\nreal\n[lvs:vars]\nvip=1.2.3.4\n';

async function capture(fn: () => Promise<number>): Promise<{ rc: number; out: string; err: string }> {
  const ow = process.stdout.write.bind(process.stdout);
  const ew = process.stderr.write.bind(process.stderr);
  let out = '';
  let err = '';
  process.stdout.write = ((s: string) => ((out += s), true)) as typeof process.stdout.write;
  process.stderr.write = ((s: string) => ((err += s), true)) as typeof process.stderr.write;
  try {
    return { rc: await fn(), out, err };
  } finally {
    process.stdout.write = ow;
    process.stderr.write = ew;
  }
}

describe('inventory: listing and CLI', () => {
  it('--list is ansible-inventory JSON with merged hostvars', async () => {
    const inv = await loadInventory([path.join(tree({ 'h.ini': INI }), 'h.ini')]);
    const l = inventoryList(inv) as Record<string, any>;
    assert.deepEqual(l.all, { children: ['ungrouped', 'lvs'] });
    assert.deepEqual(l.lvs, { children: ['directors', 'real'] });
    assert.deepEqual(l.directors, { hosts: ['node01'] });
    assert.deepEqual(l.ungrouped, { hosts: ['lonely'] });
    assert.deepEqual(l._meta.hostvars.node01, { vip: '1.2.3.4', prio: 100 });
  });

  it('--graph draws the tree as ansible-inventory', async () => {
    const inv = await loadInventory([path.join(tree({ 'h.ini': INI }), 'h.ini')]);
    assert.equal(
      inventoryGraph(inv),
      ['@all:', '  |--@ungrouped:', '  |  |--lonely', '  |--@lvs:', '  |  |--@directors:', '  |  |  |--node01', '  |  |--@real:', '  |  |  |--node02'].join('\n'), // as ansible-inventory 2.14 prints it
    );
    assert.equal(formatHostList(['a', 'b']), '    hosts (2):\n      a\n      b');
  });

  it('inventoryMain: --list, --graph GROUP, errors and exit codes', async () => {
    const f = path.join(tree({ 'h.ini': INI, 'bad.ini': '[x:y]\n' }), 'h.ini');
    const list = await capture(() => inventoryMain(['-i', f, '--list']));
    assert.equal(list.rc, 0);
    assert.deepEqual(JSON.parse(list.out).real, { hosts: ['node02'] });
    const g = await capture(() => inventoryMain(['-i', f, '--graph', 'real']));
    assert.equal(g.out, '@real:\n  |--node02\n');
    const bad = await capture(() => inventoryMain(['-i', path.join(path.dirname(f), 'bad.ini'), '--list']));
    assert.equal(bad.rc, 4);
    assert.match(bad.err, /bad\.ini:1:\d+: section \[x:y\] has unknown type 'y'/);
    const usage = await capture(() => inventoryMain(['-i', f]));
    assert.equal(usage.rc, 5);
  });
});
