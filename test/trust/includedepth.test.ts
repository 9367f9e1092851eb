// Issue 19: include_tasks / include_role into itself stops at a depth limit, with the chain shown.
import { strict as assert } from 'node:assert';
import { MAX_INCLUDE_DEPTH } from '../../src/run/include.js';
import { lvsplay, tmpDir, writeFiles } from './helpers.js';

const PLAY = (task: string) => `- hosts: localhost\n  gather_facts: false\n  connection: local\n  tasks:\n    - ${task}\n`;

describe('trust II: include recursion is bounded', function () {
  this.timeout(120000);
  let dir: string;
  before(() => {
    dir = tmpDir();
    writeFiles(dir, {
      'self.yml': '- include_tasks: other.yml\n',
      'other.yml': '- include_tasks: self.yml\n',
      'tasks.yml': PLAY('include_tasks: self.yml'),
      'roles/selfr/tasks/main.yml': '- include_role: { name: selfr }\n',
      'role.yml': PLAY('include_role: { name: selfr }'),
    });
  });

  for (const [what, file, inner] of [
    ['include_tasks (through a second file)', 'tasks.yml', /self\.yml:1:3 -> other\.yml:1:3/],
    ['include_role', 'role.yml', /roles\/selfr\/tasks\/main\.yml:1:3 -> roles\/selfr\/tasks\/main\.yml:1:3/],
  ] as const) {
    it(`${what} into itself fails the host with the chain, after ${MAX_INCLUDE_DEPTH} levels`, () => {
      const r = lvsplay(['-i', 'localhost,', file], dir);
      assert.equal(r.rc, 2, r.out + r.err);
      assert.match(r.out, new RegExp(`includes nested more than ${MAX_INCLUDE_DEPTH} deep .*${file.replace('.', '\\.')}:5:7 -> `));
      assert.match(r.out, inner);
      // Ansible counts each included file as ok, an included role not at all
      assert.match(r.out, new RegExp(`localhost\\s+: ok=${what === 'include_role' ? 0 : MAX_INCLUDE_DEPTH} .* failed=1 `));
    });
  }
});
