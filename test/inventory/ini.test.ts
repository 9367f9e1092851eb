import assert from 'node:assert/strict';
import path from 'node:path';
import { loadInventory } from '../../src/inventory/index.js';
import { literalEval, shlexSplit } from '../../src/inventory/values.js';
import { expandHostRange } from '../../src/inventory/ranges.js';
import { errorOf, tree } from './helpers.js';

const INI = `# the cluster
lonely ansible_host=10.0.0.9
[directors]
node01 ansible_host=10.0.0.1 priority=100 state=MASTER msg="hello world" flag=True t=true q='5' lst=[1,2]
node04:2222 ansible_host=10.0.0.4 priority=50

[real_servers]
node[02:03]

[lvs:children]
directors
real_servers

[lvs:vars]
vip=10.0.0.100
ports=[80, 443]
level=1

[directors:vars]
level=2
`;

describe('inventory: INI', () => {
  it('reads groups, children, ranges, ports and inline vars typed as Ansible (literal_eval)', async () => {
    const dir = tree({ 'hosts.ini': INI });
    const inv = await loadInventory([path.join(dir, 'hosts.ini')]);
    assert.deepEqual([...inv.hosts.keys()], ['lonely', 'node01', 'node04', 'node02', 'node03']);
    assert.deepEqual(inv.groups.get('real_servers')!.hosts, ['node02', 'node03']);
    assert.deepEqual(inv.groups.get('lvs')!.children, ['directors', 'real_servers']);
    assert.deepEqual(inv.groups.get('all')!.children, ['ungrouped', 'lvs']);
    assert.deepEqual(inv.groups.get('ungrouped')!.hosts, ['lonely']);
    const v = inv.hosts.get('node01')!.vars;
    assert.equal(v.priority, 100);
    assert.equal(v.msg, 'hello world');
    assert.equal(v.flag, true);
    assert.equal(v.t, 'true', "Ansible keeps lowercase 'true' a string in INI");
    assert.equal(v.q, 5, 'shlex removes the quotes, then literal_eval makes 5 an int (as Ansible)');
    assert.deepEqual(v.lst, [1, 2]);
    assert.equal(inv.hosts.get('node04')!.vars.ansible_port, 2222);
  });

  it('hostVars: all < parent group < child group < host', async () => {
    const dir = tree({ 'hosts.ini': INI });
    const inv = await loadInventory([path.join(dir, 'hosts.ini')]);
    assert.equal(inv.hostVars('node01').level, 2, 'child group directors beats parent lvs');
    assert.equal(inv.hostVars('node02').level, 1);
    assert.equal(inv.hostVars('node02').vip, '10.0.0.100');
    assert.deepEqual(inv.hostVars('node02').ports, [80, 443]);
    assert.equal(inv.hostVars('lonely').vip, undefined);
    assert.deepEqual(inv.groupNames('node01'), ['directors', 'lvs']);
    assert.deepEqual(inv.groupNames('lonely'), ['ungrouped']);
  });

  it('same-depth groups merge alphabetically, ansible_group_priority wins over names', async () => {
    const dir = tree({ 'h.ini': '[b]\nh1\n[a]\nh1\n[a:vars]\nx=a\n[b:vars]\nx=b\n' });
    const inv = await loadInventory([path.join(dir, 'h.ini')]);
    assert.equal(inv.hostVars('h1').x, 'b');
    const dir2 = tree({ 'h.ini': '[b]\nh1\n[a]\nh1\n[a:vars]\nx=a\nansible_group_priority=10\n[b:vars]\nx=b\n' });
    assert.equal((await loadInventory([path.join(dir2, 'h.ini')])).hostVars('h1').x, 'a');
  });

  it('reports syntax problems with FILE:LINE:COL', async () => {
    const dir = tree({
      'bad1.ini': '[web]\nnode01\n[web:varz]\nx=1\n',
      'bad2.ini': '[web:vars]\nno equals here\n',
      'bad3.ini': '[web]\nnode01 novalue\n',
      'bad4.ini': '[web]\nnode[04:01]\n',
      'bad5.ini': '[web\nnode01\n',
      'bad6.ini': '[web]\nnode01 msg="unterminated\n',
    });
    const f = (n: string) => path.join(dir, n);
    assert.match(await errorOf(() => loadInventory([f('bad1.ini')])), /bad1\.ini:3:\d+: section \[web:varz\] has unknown type 'varz'.*did you mean 'vars'\?/);
    assert.match(await errorOf(() => loadInventory([f('bad2.ini')])), /bad2\.ini:2:1: expected key=value in \[web:vars\]/);
    assert.match(await errorOf(() => loadInventory([f('bad3.ini')])), /bad3\.ini:2:8: expected key=value host variable, got 'novalue'/);
    assert.match(await errorOf(() => loadInventory([f('bad4.ini')])), /bad4\.ini:2:1: host range must be begin <= end/);
    assert.match(await errorOf(() => loadInventory([f('bad5.ini')])), /bad5\.ini:1:1: invalid section header/);
    assert.match(await errorOf(() => loadInventory([f('bad6.ini')])), /bad6\.ini:2:1: cannot parse host line: No closing quotation/);
  });

  it('a [g:children] cycle is an error', async () => {
    const dir = tree({ 'c.ini': '[a:children]\nb\n[b:children]\na\n' });
    assert.match(await errorOf(() => loadInventory([path.join(dir, 'c.ini')])), /c\.ini:4:1: group 'a' cannot be a child of 'b': that would make a cycle/);
  });
});

describe('inventory: values and ranges', () => {
  it('literal_eval like Python', () => {
    assert.equal(literalEval('42'), 42);
    assert.equal(literalEval('-3.5'), -3.5);
    assert.equal(literalEval('0x10'), 16);
    assert.equal(literalEval('True'), true);
    assert.equal(literalEval('None'), null);
    assert.equal(literalEval('"a b"'), 'a b');
    assert.deepEqual(literalEval("{'a': [1, 'x'], 'b': None}"), { a: [1, 'x'], b: null });
    assert.equal(literalEval('010'), '010', 'Python 3 rejects leading zeros: stays a string');
    assert.equal(literalEval('10.0.0.1'), '10.0.0.1');
    assert.equal(literalEval('yes'), 'yes');
  });
  it('shlex splitting', () => {
    assert.deepEqual(shlexSplit(`h a="x y" b='c d' e=f\\ g # comment`), ['h', 'a=x y', 'b=c d', 'e=f g']);
  });
  it('host ranges: numeric with padding, letters, steps, several brackets', () => {
    assert.deepEqual(expandHostRange('node[01:04]'), ['node01', 'node02', 'node03', 'node04']);
    assert.deepEqual(expandHostRange('db-[a:c].lab'), ['db-a.lab', 'db-b.lab', 'db-c.lab']);
    assert.deepEqual(expandHostRange('w[1:9:4]'), ['w1', 'w5', 'w9']);
    assert.deepEqual(expandHostRange('r[1:2]c[a:b]'), ['r1ca', 'r1cb', 'r2ca', 'r2cb']);
    assert.throws(() => expandHostRange('n[a:3]'), /invalid host range/);
  });
});
