// Custom modules found as Ansible finds them — library/ beside the playbook, a role's library/
// (and a dependency's), -M, ansible.cfg `library`, npm packages' "lvsplay.modules" — each run with
// connection: local twice (the second run changes nothing), in check mode and with --diff.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { cli, linePlaybook, lineModule, lineModuleJs, project, recap, type Project } from './helpers.js';

/** Two runs (changed, then nothing), the file's content and mode, and the module's tag in the output. */
async function convergesTwice(p: Project, args: string[], tag: string, env: NodeJS.ProcessEnv = {}): Promise<void> {
  const out = join(p.dir, 'out.txt');
  const first = await cli(p.dir, [...args, 'pb.yml'], env);
  assert.equal(first.rc, 0, first.out);
  assert.deepEqual(recap(first.out), { ok: 2, changed: 1, failed: 0 }, first.out);
  assert.match(first.out, new RegExp(`tag=${tag}`));
  assert.equal(readFileSync(out, 'utf8'), 'hello\n');
  assert.equal((statSync(out).mode & 0o777).toString(8), '640');
  const second = await cli(p.dir, [...args, 'pb.yml'], env);
  assert.equal(second.rc, 0, second.out);
  assert.deepEqual(recap(second.out), { ok: 2, changed: 0, failed: 0 }, second.out);
}

describe('api: custom modules (library/, roles, -M, ansible.cfg, npm)', function () {
  this.timeout(120_000);
  let p: Project;
  beforeEach(() => {
    p = project();
  });
  afterEach(() => p.cleanup());

  it('library/ beside the playbook: a TypeScript module, compiled once and cached, converges twice', async () => {
    p.write('library/line_file.ts', lineModule('line_file', 'playbook-library'));
    p.write('pb.yml', linePlaybook('line_file', join(p.dir, 'out.txt')));
    await convergesTwice(p, [], 'playbook-library');
    const cached = readdirSync(join(p.dir, '.cache', 'modules'));
    assert.equal(cached.filter((f) => f.endsWith('.mjs')).length, 1, `one compiled module in the cache: ${cached}`);
  });

  it('the cache follows the files: an edited module or a file it imports is compiled again; an unwritable cache dir falls back to a temp dir', async () => {
    p.write('library/tagger.ts', "import { defineModule } from 'lvsplay';\nimport { TAG } from './lib/tag.js';\nexport default defineModule({ name: 'tagger', schema: { type: 'object' }, async plan() { return { steps: [], result: { tag: TAG } }; } });\n");
    p.write('library/lib/tag.ts', "export const TAG = 'one';\n");
    p.write('pb.yml', '- hosts: localhost\n  gather_facts: false\n  connection: local\n  tasks:\n    - {tagger: {}, register: r}\n    - debug: {msg: "tag={{ r.tag }}"}\n');
    assert.match((await cli(p.dir, ['pb.yml'])).out, /tag=one/);
    p.write('library/lib/tag.ts', "export const TAG = 'two';\n");
    assert.match((await cli(p.dir, ['pb.yml'])).out, /tag=two/);
    p.write('library/tagger.ts', "import { defineModule } from 'lvsplay';\nexport default defineModule({ name: 'tagger', schema: { type: 'object' }, async plan() { return { steps: [], result: { tag: 'three' } }; } });\n");
    assert.match((await cli(p.dir, ['pb.yml'])).out, /tag=three/);
    const notDir = p.write('a-file', ''); // a cache dir below a file cannot be created (root ignores modes)
    const ro = await cli(p.dir, ['pb.yml'], { LVSPLAY_CACHE_DIR: join(notDir, 'cache') });
    assert.equal(ro.rc, 0, ro.out);
    assert.match(ro.out, /tag=three/);
  });

  it('check mode and --diff come from the plan (nothing written in check mode)', async () => {
    p.write('library/line_file.ts', lineModule('line_file'));
    p.write('pb.yml', linePlaybook('line_file', join(p.dir, 'out.txt')));
    const check = await cli(p.dir, ['--check', '--diff', 'pb.yml']);
    assert.equal(check.rc, 0, check.out);
    assert.deepEqual(recap(check.out), { ok: 2, changed: 1, failed: 0 });
    assert.match(check.out, /\+\+\+ after: .*out\.txt\n@@ -0,0 \+1 @@\n\+hello/);
    assert.ok(!existsSync(join(p.dir, 'out.txt')), 'check mode wrote nothing');
    const diff = await cli(p.dir, ['--diff', 'pb.yml']);
    assert.match(diff.out, /\+hello/);
    assert.equal(readFileSync(join(p.dir, 'out.txt'), 'utf8'), 'hello\n');
    p.write('out.txt', 'old\n');
    const again = await cli(p.dir, ['--check', '--diff', 'pb.yml']);
    assert.match(again.out, /-old\n\+hello/);
    assert.equal(readFileSync(join(p.dir, 'out.txt'), 'utf8'), 'old\n');
  });

  it("a role's library/ and its dependency's library/ (usable by the play's own tasks too)", async () => {
    p.write('roles/web/meta/main.yml', 'dependencies: [base]\n');
    p.write('roles/web/library/web_line.ts', lineModule('web_line', 'role-library'));
    p.write('roles/web/tasks/main.yml', `- web_line: {path: "${join(p.dir, 'web.txt')}", text: web}\n`);
    p.write('roles/base/library/base_line.ts', lineModule('base_line', 'dependency-library'));
    p.write('roles/base/tasks/main.yml', `- base_line: {path: "${join(p.dir, 'base.txt')}", text: base}\n`);
    p.write('pb.yml', linePlaybook('base_line', join(p.dir, 'out.txt'), '  roles: [web]\n'));
    const first = await cli(p.dir, ['pb.yml']);
    assert.equal(first.rc, 0, first.out);
    assert.deepEqual(recap(first.out), { ok: 4, changed: 3, failed: 0 }, first.out);
    assert.match(first.out, /tag=dependency-library/);
    assert.equal(readFileSync(join(p.dir, 'web.txt'), 'utf8'), 'web\n');
    assert.equal(readFileSync(join(p.dir, 'base.txt'), 'utf8'), 'base\n');
    const second = await cli(p.dir, ['pb.yml']);
    assert.deepEqual(recap(second.out), { ok: 4, changed: 0, failed: 0 }, second.out);
  });

  it("a role from an npm roles package (node_modules/pkg/roles/x) with its library/: the issue's roles+module package", async () => {
    p.write('node_modules/acme-roles/package.json', JSON.stringify({ name: 'acme-roles', version: '1.0.0' }));
    p.write('node_modules/acme-roles/roles/motd/library/motd_line.ts', lineModule('motd_line', 'npm-role-library'));
    p.write('node_modules/acme-roles/roles/motd/tasks/main.yml', `- motd_line: {path: "${join(p.dir, 'out.txt')}", text: hello}\n  register: r\n- debug: {msg: "tag={{ r.tag }}"}\n`);
    p.write('pb.yml', '- hosts: localhost\n  gather_facts: false\n  connection: local\n  roles: [motd]\n');
    const first = await cli(p.dir, ['pb.yml']);
    assert.equal(first.rc, 0, first.out);
    assert.match(first.out, /tag=npm-role-library/);
    assert.deepEqual(recap(first.out), { ok: 2, changed: 1, failed: 0 });
    const second = await cli(p.dir, ['pb.yml']);
    assert.deepEqual(recap(second.out), { ok: 2, changed: 0, failed: 0 });
  });

  it('include_role at run time loads the library/ of the role it includes', async () => {
    p.write('roles/late/library/late_line.ts', lineModule('late_line', 'late'));
    p.write('roles/late/tasks/main.yml', `- late_line: {path: "${join(p.dir, 'out.txt')}", text: hello}\n  register: r\n- debug: {msg: "tag={{ r.tag }}"}\n`);
    p.write('pb.yml', `- hosts: localhost\n  gather_facts: false\n  connection: local\n  tasks:\n    - include_role: {name: "{{ 'late' }}"}\n`);
    const first = await cli(p.dir, ['pb.yml']);
    assert.equal(first.rc, 0, first.out);
    assert.match(first.out, /tag=late/);
    assert.equal(readFileSync(join(p.dir, 'out.txt'), 'utf8'), 'hello\n');
  });

  it('-M/--module-path', async () => {
    p.write('mods/mpath_line.ts', lineModule('mpath_line', 'module-path'));
    p.write('pb.yml', linePlaybook('mpath_line', join(p.dir, 'out.txt')));
    const bare = await cli(p.dir, ['pb.yml']);
    assert.equal(bare.rc, 4, bare.out);
    assert.match(bare.out, /unknown module 'mpath_line'/);
    await convergesTwice(p, ['-M', 'mods'], 'module-path');
  });

  it('ad-hoc mode (as `ansible -M DIR -m MODULE`): a custom module from -M', async () => {
    p.write('mods/mpath_line.ts', lineModule('mpath_line', 'adhoc'));
    const out = join(p.dir, 'out.txt');
    const r = await cli(p.dir, ['localhost', '-c', 'local', '-M', 'mods', '-m', 'mpath_line', '-a', `path=${out} text=hello`]);
    assert.equal(r.rc, 0, r.out);
    assert.match(r.out, /localhost \| CHANGED => /);
    assert.equal(readFileSync(out, 'utf8'), 'hello\n');
    const again = await cli(p.dir, ['localhost', '-c', 'local', '-M', 'mods', '-m', 'mpath_line', '-a', `path=${out} text=hello`]);
    assert.match(again.out, /localhost \| SUCCESS => /);
  });

  it('lvsplay doc shows custom modules (library/ of the working directory, -M), as ansible-doc -M', async () => {
    p.write('mods/mpath_line.ts', lineModule('mpath_line'));
    p.write('library/line_file.ts', lineModule('line_file'));
    const docArgs = (args: string[]) => cli(p.dir, ['doc', ...args]);
    const one = await docArgs(['-M', 'mods', 'mpath_line']);
    assert.match(one.out, /## mpath_line\n[\s\S]*\| `text` \| string \| yes \|/);
    const list = await docArgs(['-M', 'mods', '--list']);
    assert.match(list.out, /^line_file\b/m);
    assert.match(list.out, /^mpath_line\b/m);
    assert.match(list.out, /^ansible\.builtin\.copy\b/m);
  });

  it('ansible.cfg `library` (relative to the cfg file) and ANSIBLE_LIBRARY', async () => {
    p.write('cfgmods/cfg_line.ts', lineModule('cfg_line', 'ansible-cfg'));
    p.write('ansible.cfg', '[defaults]\nlibrary = ./cfgmods\n');
    p.write('pb.yml', linePlaybook('cfg_line', join(p.dir, 'out.txt')));
    await convergesTwice(p, [], 'ansible-cfg');
    p.write('ansible.cfg', '[defaults]\n');
    p.write('out.txt', 'other\n');
    const env = await cli(p.dir, ['pb.yml'], { ANSIBLE_LIBRARY: join(p.dir, 'cfgmods') });
    assert.equal(env.rc, 0, env.out);
    assert.deepEqual(recap(env.out), { ok: 2, changed: 1, failed: 0 });
  });

  it('an npm package listing modules in package.json "lvsplay.modules" (JavaScript)', async () => {
    p.write('node_modules/acme-mods/package.json', JSON.stringify({ name: 'acme-mods', version: '1.0.0', type: 'module', lvsplay: { modules: ['dist/acme_line.js'] } }));
    p.write('node_modules/acme-mods/dist/acme_line.js', lineModuleJs('acme_line', 'npm-package'));
    p.write('playbooks/pb.yml', linePlaybook('acme_line', join(p.dir, 'out.txt')));
    p.write('pb.yml', '- import_playbook: playbooks/pb.yml\n');
    await convergesTwice(p, [], 'npm-package');
  });

  it('precedence: library/ beside the playbook over -M over npm packages (as Ansible: library/ over -M)', async () => {
    p.write('library/line_file.ts', lineModule('line_file', 'from-library'));
    p.write('mods/line_file.ts', lineModule('line_file', 'from-module-path'));
    p.write('node_modules/m/package.json', JSON.stringify({ name: 'm', lvsplay: { modules: ['x.mjs'] } }));
    p.write('node_modules/m/x.mjs', lineModuleJs('line_file', 'from-npm'));
    p.write('pb.yml', linePlaybook('line_file', join(p.dir, 'out.txt')));
    assert.match((await cli(p.dir, ['-M', 'mods', 'pb.yml'])).out, /tag=from-library/);
    rmSync(join(p.dir, 'library'), { recursive: true });
    assert.match((await cli(p.dir, ['-M', 'mods', 'pb.yml'])).out, /tag=from-module-path/);
    assert.match((await cli(p.dir, ['pb.yml'])).out, /tag=from-npm/);
  });
});
