// `lvsplay doc`: --list names every registered module (FQCN) with its summary; `doc MODULE` (name
// or FQCN) prints the schema's arguments; a module only ansible-core has is described as it finds
// it; an unknown module warns and exits as ansible-doc 2.14.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { allModules, builtinModule } from '../../src/playbook/modules.js';
import { hasAnsibleCore } from '../../src/pymod/runner.js';

const CLI = resolve(dirname(fileURLToPath(import.meta.url)), '../../cli/lvsplay.js');
const lvsplay = (args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });

describe('lvsplay doc', function () {
  this.timeout(30000);

  it('--list: one line per module', () => {
    const r = lvsplay(['doc', '--list']);
    assert.equal(r.status, 0, r.stderr);
    const lines = r.stdout.trim().split('\n');
    // the shipped modules (other suites in this process may have registered stand-ins)
    assert.equal(lines.length, allModules().filter((m) => builtinModule(m.name) === m).length);
    assert.match(r.stdout, /^ansible\.builtin\.copy +Copy a file/m);
  });

  it('doc MODULE and doc FQCN: every argument of the schema', () => {
    const copy = allModules().find((m) => m.name === 'copy')!;
    for (const name of ['copy', 'ansible.builtin.copy']) {
      const r = lvsplay(['doc', name]);
      assert.equal(r.status, 0);
      for (const arg of Object.keys((copy.schema.properties ?? {}) as object)) assert.ok(r.stdout.includes(`\`${arg}\``), `${arg} missing`);
    }
  });

  it('an unknown module: a warning, and the exit code of ansible-doc', () => {
    const r = lvsplay(['doc', 'no_such_module']);
    assert.match(r.stderr, /module no_such_module not found/);
    const a = spawnSync('ansible-doc', ['no_such_module'], { encoding: 'utf8' });
    assert.equal(r.status, a.error ? 0 : a.status);
  });

  it("a module lvsplay has no port of, as ansible-core finds it: how it runs (its module, or its action plugin) and the arguments its documentation lists (needs ansible-core)", function () {
    if (!hasAnsibleCore()) {
      console.log('      (skipped: ansible-core is not installed; CI installs it with .ci/setup)');
      return this.skip();
    }
    const r = lvsplay(['doc', 'community.general.ufw', 'getent', 'ansible.posix.synchronize']);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^## community\.general\.ufw\n\nNot one of lvsplay's modules: lvsplay runs it as Ansible runs it/m);
    assert.match(r.stdout, /^- Arguments it documents: `state`, `default`, `policy`,/m);
    assert.match(r.stdout, /^## ansible\.builtin\.getent\n/m);
    assert.match(r.stdout, /^## ansible\.posix\.synchronize\n\nNot one of lvsplay's modules: Ansible runs it through an action plugin of its own \(Python on the controller\), and so does lvsplay/m);
    assert.match(r.stdout, /`ansible-doc ansible\.posix\.synchronize`/);
  });
});
