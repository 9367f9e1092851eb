// What lvsplay does not check or do is refused, never silently skipped: role argument specs using
// keys its validation lacks (aliases, no_log, mutually_exclusive, ...) fail at load, naming each
// key, exit 4; a directory copy with validate or backup (applied per file by Ansible) fails the task.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const CLI = resolve(dirname(fileURLToPath(import.meta.url)), '../../cli/lvsplay.js');

function project(files: Record<string, string>): string {
  const d = mkdtempSync(join(tmpdir(), 'lvsplay-refused-'));
  for (const [p, t] of Object.entries(files)) {
    mkdirSync(dirname(join(d, p)), { recursive: true });
    writeFileSync(join(d, p), t);
  }
  return d;
}
const run = (d: string) => spawnSync(process.execPath, [CLI, '-i', 'localhost,', '-c', 'local', 'site.yml'], { cwd: d, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });

describe('unsupported features are refused, not skipped', () => {
  it('role argument specs with keys lvsplay does not check: exit 4, each key named, nothing run', () => {
    const d = project({
      'site.yml': '- hosts: all\n  gather_facts: false\n  roles: [r]\n',
      'roles/r/meta/argument_specs.yml': 'argument_specs:\n  main:\n    options:\n      a: {type: str, aliases: [b]}\n    required_one_of: [[a]]\n',
      'roles/r/tasks/main.yml': '- copy: {content: x, dest: "{{ playbook_dir }}/ran"}\n',
    });
    const r = run(d);
    assert.equal(r.status, 4, r.stdout + r.stderr);
    assert.match(r.stderr, /site\.yml:3:\d+: role 'r': argument_specs\.main\.options\.a\.aliases is not supported by lvsplay's argument validation/);
    assert.match(r.stderr, /argument_specs\.main\.required_one_of is not supported/);
    assert.equal(spawnSync('test', ['-e', join(d, 'ran')]).status, 1);
    rmSync(d, { recursive: true, force: true });
  });

  it('copy of a directory with validate or backup: the task fails saying so', () => {
    const d = project({
      'site.yml': '- hosts: all\n  gather_facts: false\n  tasks:\n    - copy: {src: tree/, dest: "{{ playbook_dir }}/out/", backup: true}\n',
      'tree/a.conf': 'a\n',
    });
    const r = run(d);
    assert.equal(r.status, 2, r.stdout + r.stderr);
    assert.match(r.stdout, /copy: backup with a directory src is not supported by lvsplay/);
    rmSync(d, { recursive: true, force: true });
  });
});
