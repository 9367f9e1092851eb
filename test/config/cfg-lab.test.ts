// A run whose inventory comes only from ansible.cfg converges a namespace lab host over SSH: no -i,
// `inventory =` in ./ansible.cfg points at the lab's inventory; the second run changes nothing.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { skipWithoutLab, useLab, type TestLab } from '../helpers/lab.js';

const CLI = resolve(dirname(fileURLToPath(import.meta.url)), '../../cli/lvsplay.js');

describe('ansible.cfg inventory on the lab (h-cli)', function () {
  this.timeout(180000);
  let lab: TestLab | undefined;
  before(async function () {
    skipWithoutLab(this);
    lab = await useLab('h-cli', { hosts: 1, subnet: '10.172.0.0/24' });
  });
  after(async () => {
    await lab?.down();
  });

  it('no -i: the inventory from ./ansible.cfg; converges, then nothing changes', () => {
    const d = mkdtempSync(join(tmpdir(), 'lvsplay-cfglab-'));
    writeFileSync(join(d, 'ansible.cfg'), `[defaults]\ninventory = ${lab!.inventory}\nforks = 2\n`);
    writeFileSync(join(d, 'pb.yml'), '- hosts: all\n  gather_facts: false\n  tasks:\n    - copy: {content: "from ansible.cfg\\n", dest: /tmp/cfg-lab-proof}\n');
    const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', LVSPLAY_LAB_DIR: '/nonexistent' };
    for (const k of Object.keys(env)) if (k.startsWith('ANSIBLE_')) delete env[k];
    const go = () => spawnSync(process.execPath, [CLI, '--json', 'pb.yml'], { encoding: 'utf8', cwd: d, env });
    const recap = (out: string) => (out.trim().split('\n').map((l) => JSON.parse(l)).find((e) => e.type === 'recap') as { hosts: Record<string, { changed: number; ok: number }> }).hosts;
    const first = go();
    assert.equal(first.status, 0, first.stdout + first.stderr);
    const host = lab!.hosts[0].name;
    assert.equal(recap(first.stdout)[host].changed, 1);
    const second = go();
    assert.equal(second.status, 0, second.stderr);
    assert.equal(recap(second.stdout)[host].changed, 0);
  });
});
