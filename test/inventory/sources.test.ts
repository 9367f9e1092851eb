import assert from 'node:assert/strict';
import path from 'node:path';
import { loadInventory, loadPlaybookVars } from '../../src/inventory/index.js';
import { errorOf, tree } from './helpers.js';

describe('inventory: sources and vars files', () => {
  it('group_vars/host_vars beside the inventory and the playbook, in Ansible order (playbook wins)', async () => {
    const dir = tree({
      'inv/hosts.ini': '[web]\nw1 hv=ini\n[web:vars]\nx=ini\nonly_ini=1\n[all:vars]\na=ini\n',
      'inv/group_vars/all.yml': 'a: inv_all\nx: inv_all\n',
      'inv/group_vars/web.yaml': 'x: inv_web\nhv: inv_group\n',
      'inv/host_vars/w1.json': '{"hv": "inv_host", "h2": "inv_host"}',
      'play/group_vars/all/main.yml': 'a: play_all\n',
      'play/group_vars/all/more.yml': 'more: 1\n',
      'play/group_vars/web': 'x: play_web\n',
      'play/host_vars/w1.yml': 'h2: play_host\n',
      'play/group_vars/nosuchgroup.yml': 'ignored: true\n',
    });
    const inv = await loadInventory([path.join(dir, 'inv/hosts.ini')], { playbookDir: path.join(dir, 'play') });
    const v = inv.hostVars('w1');
    assert.equal(v.a, 'play_all', 'playbook group_vars/all beats inventory group_vars/all and [all:vars]');
    assert.equal(v.x, 'play_web', 'playbook group_vars/web beats inventory group_vars/web and [web:vars]');
    assert.equal(v.only_ini, 1);
    assert.equal(v.more, 1, 'directory group_vars/all/ loads every file');
    assert.equal(v.hv, 'inv_host', 'host_vars file beats inline host var and group vars');
    assert.equal(v.h2, 'play_host', 'playbook host_vars beat inventory host_vars');
    assert.equal(inv.groups.get('web')!.vars.x, 'play_web');
    assert.ok(!inv.groups.has('nosuchgroup'));
  });

  it('inventory group_vars/all is below [web:vars] of a child group? no: below other groups_vars files only', async () => {
    // Ansible: INI group vars (all < web) < group_vars/all files < group_vars/web files
    const dir = tree({ 'hosts.ini': '[web]\nw1\n[web:vars]\nx=ini_web\n', 'group_vars/all.yml': 'x: file_all\n' });
    const inv = await loadInventory([path.join(dir, 'hosts.ini')]);
    assert.equal(inv.hostVars('w1').x, 'file_all');
  });

  it('several sources merge; a directory loads every file; comma lists; later playbook dirs', async () => {
    const dir = tree({
      'd/10-web.ini': '[web]\nw1\n',
      'd/20-db.yml': 'db:\n  hosts:\n    d1:\n',
      'd/README.md': 'not an inventory',
      'd/group_vars/web.yml': 'role: web\n',
      'other.ini': '[web]\nw2\n',
      'pb/host_vars/x1.yml': 'late: yes\n',
    });
    const inv = await loadInventory([path.join(dir, 'd'), path.join(dir, 'other.ini'), 'x1,x2,']);
    assert.deepEqual(inv.select('all'), ['w1', 'd1', 'w2', 'x1', 'x2']);
    assert.deepEqual(inv.select('web'), ['w1', 'w2']);
    assert.deepEqual(inv.select('ungrouped'), ['x1', 'x2']);
    assert.equal(inv.hostVars('w2').role, 'web');
    loadPlaybookVars(inv, path.join(dir, 'pb'));
    assert.equal(inv.hostVars('x1').late, true);
  });

  it("'lab' reads <LVSPLAY_LAB_DIR>/inventory.ini, and says how to create it when missing", async () => {
    const old = process.env.LVSPLAY_LAB_DIR;
    try {
      const dir = tree({ 'inventory.ini': '[directors]\nnode01 ansible_host=10.150.0.11\n' });
      process.env.LVSPLAY_LAB_DIR = dir;
      const inv = await loadInventory(['lab']);
      assert.equal(inv.hostVars('node01').ansible_host, '10.150.0.11');
      process.env.LVSPLAY_LAB_DIR = path.join(dir, 'nope');
      assert.match(await errorOf(() => loadInventory(['lab'])), /no lab at .*nope: run 'lvsplay lab up' first/);
    } finally {
      if (old === undefined) delete process.env.LVSPLAY_LAB_DIR;
      else process.env.LVSPLAY_LAB_DIR = old;
    }
  });

  it('a missing source and a bad vars file are errors with where', async () => {
    assert.match(await errorOf(() => loadInventory(['/nonexistent/hosts'])), /inventory source '\/nonexistent\/hosts' not found/);
    const dir = tree({ 'hosts.ini': '[web]\nw1\n', 'group_vars/web.yml': 'a: 1\n b: 2\n', 'host_vars/w1.yml': '- 1\n' });
    assert.match(await errorOf(() => loadInventory([path.join(dir, 'hosts.ini')])), /group_vars\/web\.yml:\d+:\d+: YAML syntax error/);
    const dir2 = tree({ 'hosts.ini': '[web]\nw1\n', 'host_vars/w1.yml': '- 1\n' });
    assert.match(await errorOf(() => loadInventory([path.join(dir2, 'hosts.ini')])), /host_vars\/w1\.yml:1:1: a vars file must be a mapping/);
  });
});
