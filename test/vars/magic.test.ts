import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadInventory } from '../../src/inventory/index.js';
import { buildTaskVars } from '../../src/vars/precedence.js';
import { magicVars, OMIT } from '../../src/vars/magic.js';
import { Templar } from '../../src/vars/templar.js';

describe('vars: magic variables', () => {
  it('inventory_hostname, groups, group_names, hostvars (lazy, templated), play hosts, omit', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lvsplay-magic-'));
    fs.writeFileSync(path.join(dir, 'h.ini'), 'lonely\n[directors]\nnode01.lab ansible_host=10.0.0.1\n[real]\nnode02 ansible_host=10.0.0.2\n[all:vars]\nnet=10.0.0\nvip="{{ net }}.100"\n');
    const inv = await loadInventory([path.join(dir, 'h.ini')]);
    let calls = 0;
    const hostvarsOf = (h: string) => {
      calls++;
      return inv.hostVars(h);
    };
    const m = magicVars({ host: 'node01.lab', inventory: inv, playHosts: ['node01.lab', 'node02'], playbookDir: '/pb', rolePath: '/pb/roles/r', roleName: 'r', hostvarsOf, check: true });
    assert.equal(m.inventory_hostname, 'node01.lab');
    assert.equal(m.inventory_hostname_short, 'node01');
    assert.deepEqual(m.groups, { all: ['lonely', 'node01.lab', 'node02'], ungrouped: ['lonely'], directors: ['node01.lab'], real: ['node02'] });
    assert.deepEqual(m.group_names, ['directors']);
    assert.deepEqual(m.ansible_play_hosts, ['node01.lab', 'node02']);
    assert.deepEqual(m.ansible_play_hosts_all, ['node01.lab', 'node02']);
    assert.deepEqual(m.play_hosts, ['node01.lab', 'node02']);
    assert.equal(m.playbook_dir, '/pb');
    assert.equal(m.role_path, '/pb/roles/r');
    assert.equal(m.role_name, 'r');
    assert.equal(m.omit, OMIT);
    assert.equal(m.ansible_check_mode, true);
    assert.equal(calls, 0, 'hostvars is lazy');
    const t = new Templar();
    const vars = buildTaskVars({ inventory: inv.hostVars('node01.lab'), magic: m });
    assert.equal(t.render("{{ hostvars['node02'].ansible_host }}", vars), '10.0.0.2');
    assert.equal(t.render("{{ hostvars['node02']['vip'] }}", vars), '10.0.0.100');
    assert.deepEqual(t.render("{{ groups['real'] | map('extract', hostvars, 'ansible_host') | list }}", vars), ['10.0.0.2']);
    assert.equal(calls, 1);
    assert.equal(t.render("{{ 'node01.lab' in groups.directors }}", vars), true);
    assert.equal(t.render("{{ x | default(omit) }}", vars), OMIT);
    assert.match(String((() => { try { t.render("{{ hostvars['nohost'].x }}", vars); } catch (e) { return e; } })()), /undefined variable 'hostvars\["nohost"\]\.x'|undefined variable/);
  });
});
