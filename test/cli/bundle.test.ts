// The `lvsplay` bin is the esbuild bundle (dist/cli/lvsplay.js, scripts/bundle.mjs): it must find
// lvsplay's own files (package.json, the shipped roles) from wherever it runs, and load the parts
// that stay packages (ajv's cached validators, ssh2's binding) and the Jinja2 engine's Python files (src/jinja).
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fromRoot, packageRoot, version } from '../../src/paths.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const BUNDLE = join(ROOT, 'dist', 'cli', 'lvsplay.js');

function run(args: string[], cwd: string) {
  const r = spawnSync(process.execPath, [BUNDLE, ...args], { encoding: 'utf8', cwd, env: { ...process.env, NO_COLOR: '1', LVSPLAY_LAB_DIR: '/nonexistent' } });
  return { rc: r.status, out: r.stdout, err: r.stderr };
}

describe('bundled CLI (dist/cli/lvsplay.js)', function () {
  this.timeout(60000);

  it('packageRoot() is the repository root from the compiled tree', () => {
    assert.equal(packageRoot(), ROOT);
    assert.ok(existsSync(fromRoot('roles', 'lvs_director', 'tasks', 'main.yml')));
    assert.equal(version(), (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version);
  });

  it('is one entry file plus chunks, and prints the package version from another directory', () => {
    assert.ok(existsSync(BUNDLE), 'npm run build makes dist/cli/lvsplay.js');
    const r = run(['--version'], tmpdir());
    assert.equal(r.rc, 0, r.err);
    assert.equal(r.out.trim(), `lvsplay ${version()}`);
  });

  it("finds lvsplay's shipped roles and its Jinja2 engine, run from outside the repository", () => {
    const d = mkdtempSync(join(tmpdir(), 'lvsplay-bundle-'));
    writeFileSync(
      join(d, 'pb.yml'),
      `- hosts: localhost
  gather_facts: false
  connection: local
  roles:
    - role: lvs_real_server
      when: false
  tasks:
    - debug:
        msg: "{{ [1, 2, 3] | map('string') | join('-') }} {{ 'x' if True else 'y' }} {{ ('a b'.split())[-1] }}"
`,
    );
    const list = run(['--list-tasks', '-i', 'localhost,', 'pb.yml'], d);
    assert.equal(list.rc, 0, list.err);
    assert.match(list.out, /lvs_real_server : /, 'the shipped role was found and expanded');
    const r = run(['-i', 'localhost,', 'pb.yml'], d);
    assert.equal(r.rc, 0, r.out + r.err);
    assert.match(r.out, /"msg": "1-2-3 x b"/);
  });
});
