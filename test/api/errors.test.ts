// Custom modules that cannot be used: clear errors at load time (exit 4), naming the files and
// keeping task positions — clashes, an override of a controller action, Ansible Python modules,
// a file whose module has another name, a broken file; and suggestions that know custom names.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { cli, linePlaybook, lineModule, lineModuleJs, project, type Project } from './helpers.js';

describe('api: custom module errors', function () {
  this.timeout(120_000);
  let p: Project;
  beforeEach(() => {
    p = project();
  });
  afterEach(() => p.cleanup());

  it('two modules of one name at the same precedence (playbook library/ and a role library/): an error naming both files', async () => {
    const a = p.write('library/dup.ts', lineModule('dup'));
    const b = p.write('roles/r/library/dup.ts', lineModule('dup'));
    p.write('roles/r/tasks/main.yml', '- debug: {msg: hi}\n');
    p.write('pb.yml', linePlaybook('dup', join(p.dir, 'out.txt'), '  roles: [r]\n'));
    const r = await cli(p.dir, ['pb.yml']);
    assert.equal(r.rc, 4, r.out);
    assert.ok(r.out.includes(`custom module 'dup' is defined twice at the same precedence: ${a} and ${b}`), r.out);
  });

  it('two npm packages declaring a module of the same name: an error naming both', async () => {
    for (const pkg of ['one', 'two']) {
      p.write(`node_modules/${pkg}/package.json`, JSON.stringify({ name: pkg, lvsplay: { modules: ['m.mjs'] } }));
      p.write(`node_modules/${pkg}/m.mjs`, lineModuleJs('same_line'));
    }
    p.write('pb.yml', linePlaybook('same_line', join(p.dir, 'out.txt')));
    const r = await cli(p.dir, ['pb.yml']);
    assert.equal(r.rc, 4, r.out);
    assert.match(r.out, /custom module 'same_line' is defined twice at the same precedence: .*node_modules\/one\/m\.mjs \(npm package one\) and .*node_modules\/two\/m\.mjs \(npm package two\)/);
  });

  it('a module overriding a controller action (debug) is refused, naming the file', async () => {
    const f = p.write('library/debug.ts', lineModule('debug'));
    p.write('pb.yml', linePlaybook('debug', join(p.dir, 'out.txt')));
    const r = await cli(p.dir, ['pb.yml']);
    assert.equal(r.rc, 4, r.out);
    assert.ok(r.out.includes(`${f}: custom module 'debug' would override the built-in controller action 'debug'`), r.out);
  });

  it("an Ansible module (NAME.py or no extension) used by a task where no python has ansible-core: FILE:LINE:COL of the task, and why", async () => {
    const py = p.write('library/haproxy_weight.py', '#!/usr/bin/python\nprint("{}")\n');
    const bare = p.write('library/old_tool', '#!/bin/sh\necho "{}"\n');
    p.write('pb.yml', `- hosts: localhost\n  gather_facts: false\n  tasks:\n    - debug: {msg: first}\n    - name: weight\n      haproxy_weight: {backend: web, weight: 1}\n    - old_tool: {}\n`);
    const r = await cli(p.dir, ['pb.yml'], { LVSPLAY_ANSIBLE_PYTHON: '/nonexistent/python3' });
    assert.equal(r.rc, 4, r.out);
    assert.ok(r.out.includes(`pb.yml:6:7: module 'haproxy_weight' is an Ansible module (${py}): lvsplay runs those with ansible-core's module builder on the controller, and no python here has ansible-core (/nonexistent/python3: `), r.out);
    assert.ok(r.out.includes(`pb.yml:7:7: module 'old_tool' is an Ansible module (${bare})`), r.out);
    assert.ok(!r.out.includes('first'), 'nothing ran');
  });

  it("an Ansible action plugin (action_plugins/NAME.py beside the playbook or in a role) used by a task where no python has ansible-core: named, with the task's position, and why", async () => {
    const beside = p.write('action_plugins/shout.py', 'from ansible.plugins.action import ActionBase\n');
    const inRole = p.write('roles/r/action_plugins/whisper.py', 'from ansible.plugins.action import ActionBase\n');
    p.write('roles/r/tasks/main.yml', '- whisper: {text: hi}\n');
    p.write('pb.yml', `- hosts: localhost\n  gather_facts: false\n  tasks:\n    - shout: {text: hi}\n- hosts: localhost\n  gather_facts: false\n  roles: [r]\n`);
    const r = await cli(p.dir, ['pb.yml'], { LVSPLAY_ANSIBLE_PYTHON: '/nonexistent/python3' });
    assert.equal(r.rc, 4, r.out);
    assert.ok(r.out.includes(`pb.yml:4:7: module 'shout' is an Ansible action plugin (${beside}): lvsplay runs those with ansible-core on the controller, and no python here has ansible-core (/nonexistent/python3: `), r.out);
    assert.ok(r.out.includes(`main.yml:1:3: module 'whisper' is an Ansible action plugin (${inRole})`), r.out);
  });

  it('a module whose name is not its file name, a default export that is not defineModule(), a TypeScript syntax error', async () => {
    const named = p.write('library/named.ts', lineModule('other_name'));
    const plain = p.write('library/plain.mjs', 'export default { name: "plain", plan() {} };\n');
    const broken = p.write('library/broken.ts', "import { defineModule } from 'lvsplay';\nexport default defineModule({ name: 'broken', schema: { type: 'object' }, async plan( { return { steps: [] }; } });\n");
    p.write('pb.yml', '- hosts: localhost\n  gather_facts: false\n  tasks: [{debug: {msg: hi}}]\n');
    const r = await cli(p.dir, ['pb.yml']);
    assert.equal(r.rc, 4, r.out);
    assert.ok(r.out.includes(`${named}: the module is named 'other_name' but its file 'named.ts'`), r.out);
    assert.ok(r.out.includes(`${plain}: a custom module's default export must be the result of defineModule()`), r.out);
    assert.match(r.out, new RegExp(`${broken.replace(/[.]/g, '\\.')}:2:\\d+: `), r.out);
  });

  it('a definition breaking the contract fails where it is loaded, with defineModule\'s message', async () => {
    const f = p.write('library/bad.ts', "import { defineModule } from 'lvsplay';\nexport default defineModule({ name: 'bad', schema: { type: 'object', properties: { n: { type: 'nope' } } }, async plan() { return { steps: [] }; } });\n");
    p.write('pb.yml', '- hosts: localhost\n  gather_facts: false\n  tasks: [{bad: {}}]\n');
    const r = await cli(p.dir, ['pb.yml']);
    assert.equal(r.rc, 4, r.out);
    assert.ok(r.out.includes(`${f}: cannot load the custom module: defineModule: module 'bad': 'schema' is not a valid JSON Schema`), r.out);
  });

  it("a custom module's arguments are checked against its schema at load, at FILE:LINE:COL, with suggestions", async () => {
    p.write('library/line_file.ts', lineModule('line_file'));
    p.write('library/lib/helper.ts', 'export const x = 1;\n'); // helpers in a subdirectory are not modules
    p.write('library/line_file.test.ts', 'export const notAModule = true;\n');
    p.write('pb.yml', `- hosts: localhost\n  gather_facts: false\n  tasks:\n    - line_file: {path: /tmp/x, txt: hello}\n    - line_file: {text: 3}\n`);
    const r = await cli(p.dir, ['pb.yml']);
    assert.equal(r.rc, 4, r.out);
    assert.ok(r.out.includes("pb.yml:4:33: unknown argument 'txt' for module line_file (did you mean 'text'?)"), r.out);
    assert.ok(r.out.includes('pb.yml:5:18: missing required argument \'path\' for module line_file'), r.out);
  });

  it('an unknown module name still gets a suggestion, custom names included', async () => {
    p.write('library/line_file.ts', lineModule('line_file'));
    p.write('pb.yml', linePlaybook('line_fil', join(p.dir, 'out.txt')));
    const r = await cli(p.dir, ['pb.yml']);
    assert.equal(r.rc, 4, r.out);
    assert.ok(r.out.includes(`pb.yml:6:7: unknown module 'line_fil' (did you mean 'line_file'?)`), r.out);
  });
});

describe('api: custom module failures at run time', function () {
  this.timeout(120_000);
  let p: Project;
  beforeEach(() => {
    p = project();
  });
  afterEach(() => p.cleanup());

  it("a TaskError from the module (imported from 'lvsplay', another copy than the CLI's bundle) fails the task with its fields; another error is the module's internal error; ignore_errors works", async () => {
    p.write('library/boom.ts', "import { defineModule, TaskError } from 'lvsplay';\nexport default defineModule({ name: 'boom', schema: { type: 'object', properties: { plain: { type: 'boolean' } } }, async plan(ctx) { if (ctx.args.plain) throw new Error('kaboom'); throw new TaskError('nope', { rc: 3 }); } });\n");
    p.write('pb.yml', '- hosts: localhost\n  gather_facts: false\n  connection: local\n  tasks:\n    - {boom: {}, ignore_errors: true}\n    - {boom: {plain: true}, ignore_errors: true}\n    - debug: {msg: after}\n');
    const r = await cli(p.dir, ['pb.yml']);
    assert.equal(r.rc, 0, r.out);
    assert.ok(r.out.includes('fatal: [localhost]: FAILED! => {"changed": false, "msg": "nope", "rc": 3}'), r.out);
    assert.ok(r.out.includes('"msg": "internal error in boom: kaboom"'), r.out);
    assert.match(r.out, /ok=3 +changed=0 +unreachable=0 +failed=0 +skipped=0 +rescued=0 +ignored=2/);
  });
});
