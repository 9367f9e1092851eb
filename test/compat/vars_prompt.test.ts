// vars_prompt, run by lvsplay and by ansible-playbook 2.14 on the same files: without a terminal
// (no prompt, Ansible's warning, the default or 'None'), with -e (no prompt), and on a terminal
// (a pseudo-terminal from script(1), answers typed once each prompt shows): the values (written to
// out/), the prompts, and that a private answer is never echoed.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { q } from '../../src/shell.js';
import { assertBothSame, skipWithoutOracle } from './oracle.js';

const CLI = fileURLToPath(new URL('../../cli/lvsplay.js', import.meta.url));
const INV = 'h1 ansible_connection=local\n';
const same = (pb: string, args: string[] = []) => assertBothSame({ 'inventory.ini': INV, 'pb.yml': pb }, args);

const PB = `- hosts: h1
  gather_facts: false
  vars: { d: dflt }
  vars_prompt:
    - name: a
      prompt: "Value of a"
      default: "{{ d }}-x"
    - name: b
    - name: c
      default: 5
      private: false
    - name: e
      default: "{{ '{{' }} d ~ 1 {{ '}}' }}"
      unsafe: true
    - name: f
      default: "{{ '{{' }} d {{ '}}' }}"
    - name: g
      prompt: never asked
      default: given
  tasks:
    - copy: { dest: "{{ out }}/vals", content: "{{ [a, b, c, e, f, g] | to_json }}" }
`;

/** Run a command on a pseudo-terminal; each answer is typed once the output matches its prompt. */
function onTerminal(argv: string[], cwd: string, answers: [RegExp, string][]): Promise<{ rc: number; output: string }> {
  return new Promise((resolve) => {
    const env = { ...process.env, NO_COLOR: '1', ANSIBLE_NOCOLOR: '1', ANSIBLE_RETRY_FILES_ENABLED: '0', ANSIBLE_LOCALHOST_WARNING: '0', LVSPLAY_LAB_DIR: '/nonexistent' };
    const child = spawn('script', ['-qfec', argv.map(q).join(' '), '/dev/null'], { cwd, env });
    let output = '';
    let next = 0;
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.stdout.on('data', (b: Buffer) => {
      output += b.toString().replace(/\x1b\[[0-9;]*[A-Za-z]/g, ''); // readline's cursor moves
      while (next < answers.length && answers[next][0].test(output)) {
        const [re, text] = answers[next++];
        output = output.replace(re, (m) => `${m}<${next}>`); // a prompt shown twice is answered twice
        setTimeout(() => child.stdin.write(`${text}\r`), 200);
      }
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ rc: code ?? -1, output });
    });
  });
}

describe('compat: vars_prompt (differential, connection: local)', function () {
  this.timeout(240_000);
  before(function () {
    skipWithoutOracle(this);
  });

  it('no terminal: not prompted (warning), defaults templated with play vars, no default -> "None", unsafe kept raw, -e skips', () => {
    const { lvsplay } = same(PB, ['-e', 'g=fromcli']);
    assert.match(lvsplay.output, /\[WARNING\]: Not prompting as we are not in interactive mode/);
    assert.equal(lvsplay.files.vals, '["dflt-x", "None", "5", "{{ d ~ 1 }}", "dflt", "fromcli"]');
  });

  it('hosts templated with a prompted variable (the default, without a terminal)', () => {
    const { lvsplay } = assertBothSame(
      { 'inventory.ini': 'h1 ansible_connection=local\nh2 ansible_connection=local\n', 'pb.yml': `- hosts: "{{ target }}"\n  gather_facts: false\n  vars_prompt: [{ name: target, default: h2 }]\n  tasks:\n    - copy: { dest: "{{ out }}/{{ inventory_hostname }}", content: x }\n` },
    );
    assert.deepEqual(Object.keys(lvsplay.files), ['h2']);
  });

  it('every value from -e: no warning, nothing asked', () => {
    const { lvsplay, ansible } = same(`- hosts: h1\n  gather_facts: false\n  vars_prompt: [{ name: x }]\n  tasks:\n    - copy: { dest: "{{ out }}/x", content: "{{ x }}" }\n`, ['-e', 'x=1']);
    for (const o of [lvsplay, ansible]) assert.doesNotMatch(o.output, /Not prompting/);
  });

  it('encrypt is refused at load with its position (not supported), nothing run', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lvsplay-vp-'));
    writeFileSync(join(dir, 'pb.yml'), `- hosts: localhost\n  vars_prompt:\n    - name: p\n      encrypt: sha512_crypt\n  tasks: []\n`);
    return onTerminal([process.execPath, CLI, '-i', 'localhost,', 'pb.yml'], dir, []).then((r) => {
      rmSync(dir, { recursive: true, force: true });
      assert.equal(r.rc, 4, r.output);
      assert.match(r.output, /pb\.yml:4:7: vars_prompt 'encrypt' is not supported/);
    });
  });

  it('on a terminal: the prompts as Ansible shows them, typed values (empty -> default), confirm repeats on a mismatch, private input not echoed', async () => {
    const pb = `- hosts: h1
  gather_facts: false
  vars_prompt:
    - name: user
      prompt: Your name
      private: false
      default: nobody
    - name: empty
      prompt: Empty
      default: dflt
    - name: secret
      prompt: Secret
      confirm: true
  tasks:
    - copy: { dest: "{{ out }}/vals", content: "{{ [user, empty, secret] | to_json }}" }
`;
    const answers: [RegExp, string][] = [
      [/Your name \[nobody\]: $/, 'alice'],
      [/Empty \[dflt\]: $/, ''],
      [/Secret: $/, 'pw-one'],
      [/confirm Secret: $/, 'pw-two'],
      [/Secret: $/, 'pw-3x'],
      [/confirm Secret: $/, 'pw-3x'],
    ];
    const run = async (tool: 'ansible' | 'lvsplay') => {
      const dir = mkdtempSync(join(tmpdir(), `lvsplay-vp-${tool}-`));
      writeFileSync(join(dir, 'pb.yml'), pb);
      writeFileSync(join(dir, 'inventory.ini'), INV);
      mkdirSync(join(dir, 'out'));
      const args = ['-i', 'inventory.ini', 'pb.yml', '-e', `out=${join(dir, 'out')}`];
      const r = await onTerminal(tool === 'ansible' ? ['ansible-playbook', ...args] : [process.execPath, CLI, ...args], dir, answers);
      const vals = readFileSync(join(dir, 'out', 'vals'), 'utf8');
      rmSync(dir, { recursive: true, force: true });
      return { ...r, vals };
    };
    const [a, l] = await Promise.all([run('ansible'), run('lvsplay')]);
    assert.equal(l.rc, a.rc, `${l.output}\n---\n${a.output}`);
    assert.equal(l.vals, a.vals);
    assert.equal(l.vals, '["alice", "dflt", "pw-3x"]');
    for (const o of [l.output, a.output]) {
      assert.match(o, /\*\*\*\*\* VALUES ENTERED DO NOT MATCH \*\*\*\*/);
      assert.match(o, /alice/); // a visible answer is echoed
      assert.doesNotMatch(o, /pw-one|pw-two|pw-3x/, o);
    }
  });
});
