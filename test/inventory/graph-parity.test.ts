// `lvsplay inventory --graph` against ansible-inventory 2.14 on the same INI files: @ungrouped first
// (shown even when empty), groups and hosts in the inventory's order, nested children.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { skipWithoutAnsible } from '../helpers/ansible.js';

const CLI = resolve(dirname(fileURLToPath(import.meta.url)), '../../cli/lvsplay.js');

describe('inventory --graph against ansible-inventory 2.14', function () {
  this.timeout(60000);
  before(function () {
    skipWithoutAnsible(this, 'ansible-inventory');
  });

  const cases: Record<string, string> = {
    'ungrouped hosts': 'loose1\n[web]\nw1\n[db]\nd1\n[all:vars]\nx=1\n',
    'no ungrouped host': '[web]\nw1\n',
    'nested children, order as written, an empty group': '[web]\nw2\nw1\n[db]\nd1\n[app:children]\nweb\n[aaa]\n',
  };
  for (const [name, ini] of Object.entries(cases)) {
    it(name, () => {
      const d = mkdtempSync(join(tmpdir(), 'lvsplay-graph-'));
      writeFileSync(join(d, 'inv.ini'), ini);
      for (const group of [[], ['web']]) {
        const a = spawnSync('ansible-inventory', ['-i', 'inv.ini', '--graph', ...group], { encoding: 'utf8', cwd: d });
        const l = spawnSync(process.execPath, [CLI, 'inventory', '-i', 'inv.ini', '--graph', ...group], { encoding: 'utf8', cwd: d });
        assert.equal(l.status, a.status);
        assert.equal(l.stdout.trimEnd(), a.stdout.trimEnd());
      }
    });
  }

  it('without -i: the inventory named by ./ansible.cfg, as ansible-inventory', () => {
    const d = mkdtempSync(join(tmpdir(), 'lvsplay-graph-'));
    writeFileSync(join(d, 'hosts.ini'), 'loose\n[web]\nw1\n');
    writeFileSync(join(d, 'ansible.cfg'), '[defaults]\ninventory = hosts.ini\n');
    const env = { ...process.env };
    for (const k of Object.keys(env)) if (k.startsWith('ANSIBLE_')) delete env[k];
    const a = spawnSync('ansible-inventory', ['--graph'], { encoding: 'utf8', cwd: d, env });
    const l = spawnSync(process.execPath, [CLI, 'inventory', '--graph'], { encoding: 'utf8', cwd: d, env });
    assert.equal(l.status, 0, l.stderr);
    assert.equal(l.stdout.trimEnd(), a.stdout.trimEnd());
    assert.match(l.stdout, /\|--w1/);
  });
});
