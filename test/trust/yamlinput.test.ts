// Issue 19: every YAML input gets a positioned error or runs — alias bombs (everywhere YAML is read,
// and inside when/notify/tags/args/role params/meta dependencies), undefined and cyclic aliases,
// multi-document files, deep nesting, odd files in group_vars, duplicate keys in a big file.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { closeSync, copyFileSync, ftruncateSync, mkdirSync, openSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { lvsplay, tmpDir, writeFiles, type CliResult } from './helpers.js';
import { MAX_INPUT_BYTES } from '../../src/inputfile.js';

/** An alias bomb as one flow sequence: 9^7 strings if expanded. */
const BOMB = `[&a [x,x,x,x,x,x,x,x,x], ${'bcdefg'
  .split('')
  .map((c, i) => `&${c} [${Array(9).fill(`*${'abcdefg'[i]}`).join(',')}]`)
  .join(', ')}]`;

const PLAY = (tasks: string, extra = '') =>
  `- hosts: localhost\n  gather_facts: false\n  connection: local\n${extra}  tasks:\n${tasks}`;

function noCrash(r: CliResult, ctx: string): void {
  const text = r.out + r.err;
  assert.doesNotMatch(text, /unexpected error|^\s+at .+:\d+:\d+\)?$/m, `no stack trace (${ctx})\n${text}`);
  assert.notEqual(r.rc, 250, `not an internal error (${ctx})`);
}

function positioned(r: CliResult, where: RegExp, what: RegExp, ctx: string): void {
  noCrash(r, ctx);
  assert.equal(r.rc, 4, `exit 4 (${ctx})\n${r.out}${r.err}`);
  assert.match(r.err + r.out, where, `position (${ctx})`);
  assert.match(r.err + r.out, what, `message (${ctx})`);
}

describe('trust II: YAML inputs are bounded and positioned', function () {
  this.timeout(120000);
  let dir: string;
  before(() => {
    dir = tmpDir();
    writeFiles(dir, {
      'bomb.yml': `x: ${BOMB}\n`,
      'bombinv.yml': `all:\n  vars:\n    x: ${BOMB}\n`,
      'undef.yml': 'a: 1\nb: *nope\n',
      'multi.yml': 'a: 1\n---\nb: 2\n',
      'cycle.yml': 'a: &x [1, *x]\n',
      'deep.yml': `a: ${'['.repeat(20000)}${']'.repeat(20000)}\n`,
      'ok.yml': PLAY('    - debug: msg=ok\n'),
    });
  });

  // [file, line:col in that file (a regex), message]
  for (const [file, at, what] of [
    ['bomb.yml', ':\\d:\\d+', /alias \*\w expands to too much data through YAML aliases .*alias bomb/],
    ['undef.yml', ':2:4', /alias \*nope names no anchor defined before it/],
    ['multi.yml', ':2:1', /a second YAML document starts here .*exactly one document/],
    ['cycle.yml', ':1:11', /alias \*x refers to a node that contains it \(a cycle\)/],
    ['deep.yml', ':1:\\d+', /YAML syntax error: the YAML is nested too deeply/],
  ] as const) {
    it(`${file}: as vars_files, as -e @file, as group_vars and as an inventory`, () => {
      const where = (name: string) => new RegExp(`${name.replace('.', '\\.')}${at}: `);
      writeFiles(dir, { [`p-${file}`]: PLAY('    - debug: msg=ok\n', `  vars_files: [${file}]\n`) });
      positioned(lvsplay(['-i', 'localhost,', `p-${file}`], dir), where(file), what, `vars_files ${file}`);
      positioned(lvsplay(['-i', 'localhost,', '-e', `@${file}`, 'ok.yml'], dir), where(file), what, `-e @${file}`);
      const inv = join(dir, `inv-${file.replace('.yml', '')}`);
      writeFiles(inv, { 'hosts.ini': 'localhost\n' });
      mkdirSync(join(inv, 'group_vars'));
      copyFileSync(join(dir, file), join(inv, 'group_vars/all.yml'));
      positioned(lvsplay(['-i', join(inv, 'hosts.ini'), 'ok.yml'], dir), where('group_vars/all.yml'), what, `group_vars ${file}`);
      // as an inventory (the bomb inside a group's vars: a bare list is rejected as a group before it expands)
      const invFile = file === 'bomb.yml' ? 'bombinv.yml' : file;
      positioned(lvsplay(['-i', invFile, 'ok.yml'], dir), where(invFile), what, `inventory ${invFile}`);
    });
  }

  // [keyword, task, the bomb's line in kw.yml]
  for (const [kw, task, line] of [
    ['when', `    - debug: msg=hi\n      when: ${BOMB}\n`, 6],
    ['notify', `    - debug: msg=hi\n      notify: ${BOMB}\n`, 6],
    ['tags', `    - debug: msg=hi\n      tags: ${BOMB}\n`, 6],
    ['task args', `    - debug:\n        msg: ${BOMB}\n`, 6],
    ['role params', `    - include_role: { name: dep }\n      vars: { x: ${BOMB} }\n`, 6],
    ['meta dependency params', '    - import_role: { name: r }\n', 0],
  ] as const) {
    it(`an alias bomb in ${kw} is an error at its line (--syntax-check and a run)`, () => {
      writeFiles(dir, {
        'roles/dep/tasks/main.yml': '- debug: msg=dep\n',
        'roles/r/tasks/main.yml': '- debug: msg=r\n',
        'roles/r/meta/main.yml': `dependencies:\n  - role: dep\n    x: ${BOMB}\n`,
        'kw.yml': PLAY(task),
      });
      const where = kw.startsWith('meta') ? /roles\/r\/meta\/main\.yml:3:\d+: alias \*\w expands/ : new RegExp(`kw\\.yml:${line}:\\d+: alias \\*\\w expands`);
      positioned(lvsplay(['-i', 'localhost,', '--syntax-check', 'kw.yml'], dir), where, /alias bomb/, `${kw} --syntax-check`);
      positioned(lvsplay(['-i', 'localhost,', 'kw.yml'], dir), where, /alias bomb/, `${kw} run`);
    });
  }

  it('aliases that expand moderately (merge keys, shared lists) still load', () => {
    writeFiles(dir, {
      'shared.yml': PLAY(
        '    - debug: { msg: "{{ b.k }} {{ c.k }} {{ l2 | length }}" }\n',
        '  vars:\n    base: &base { k: v }\n    b: { <<: *base }\n    c: { <<: *base, z: 1 }\n    l1: &l1 [1, 2, 3]\n    l2: [*l1, *l1, *l1]\n',
      ),
    });
    const r = lvsplay(['-i', 'localhost,', 'shared.yml'], dir);
    assert.equal(r.rc, 0, r.out + r.err);
    assert.match(r.out, /"msg": "v v 3"/);
  });

  describe('odd files in group_vars/', () => {
    let inv: string;
    beforeEach(() => {
      inv = tmpDir();
      writeFiles(inv, { 'hosts.ini': 'localhost\n', 'real/extra.yml': 'from_linked_dir: yes-linked\n', 'group_vars/all/main.yml': 'x: 1\n' });
    });
    const play = () => {
      writeFiles(inv, { 'show.yml': PLAY('    - debug: { msg: "{{ from_linked_dir | default(\'none\') }}" }\n') });
      return lvsplay(['-i', join(inv, 'hosts.ini'), join(inv, 'show.yml')], inv);
    };

    it('a symlink to a directory is followed (as Ansible does)', () => {
      symlinkSync(join(inv, 'real'), join(inv, 'group_vars/all/linked'));
      const r = play();
      assert.equal(r.rc, 0, r.out + r.err);
      assert.match(r.out, /"msg": "yes-linked"/);
    });
    it('a symlink back to its parent directory is a loop, reported with its path', () => {
      symlinkSync('..', join(inv, 'group_vars/all/loop'));
      const r = play();
      noCrash(r, 'loop');
      assert.equal(r.rc, 4, r.out + r.err);
      assert.match(r.err, /group_vars\/all\/loop(\/all)?' is a symbolic link back to its parent .* \(a loop\)/);
    });
    for (const [name, make, what] of [
      ['a dangling symlink', (p: string) => symlinkSync('/nonexistent/x', p), /is a dangling symbolic link/],
      ['a FIFO', (p: string) => spawnSync('mkfifo', [p]), /is a FIFO/],
      ['a device', (p: string) => symlinkSync('/dev/zero', p), /is a device/],
      [
        'a huge file',
        (p: string) => {
          const fd = openSync(p, 'w');
          ftruncateSync(fd, MAX_INPUT_BYTES + 1); // sparse: no disk used
          closeSync(fd);
        },
        /is too large/,
      ],
    ] as const) {
      it(`${name} is reported with its path, no hang`, () => {
        mkdirSync(join(inv, 'group_vars/all'), { recursive: true });
        make(join(inv, 'group_vars/all/odd.yml'));
        const r = play();
        noCrash(r, name);
        assert.equal(r.rc, 4, r.out + r.err);
        assert.match(r.err, new RegExp(`group_vars/all/odd\\.yml' ${what.source}`));
      });
    }
  });

  it('a duplicate key at the end of a 50,000-key vars file is reported at its line', () => {
    const n = 50000;
    const body = Array.from({ length: n }, (_, i) => `key_${i}: ${i}`).join('\n') + '\nkey_17: again\n';
    writeFiles(dir, { 'big.yml': body, 'pbig.yml': PLAY('    - debug: msg=ok\n', '  vars_files: [big.yml]\n') });
    const r = lvsplay(['-i', 'localhost,', '--syntax-check', 'pbig.yml'], dir);
    positioned(r, new RegExp(`big\\.yml:${n + 1}:1: duplicate key 'key_17'`), /may appear only once/, 'big duplicate');
  });
});
