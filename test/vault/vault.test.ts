// Vault: envelopes interchangeable with the real ansible-vault 2.14 both ways (files, 1.2 labels,
// encrypt_string), vaulted vars in a playbook giving the same file as ansible-playbook, wrong
// passwords (same exit code, the file named, no host contacted) and vault values masked.
import { strict as assert } from 'node:assert';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decryptWith, encrypt, parseEnvelope } from '../../src/vault/envelope.js';
import { skipWithoutAnsible } from '../helpers/ansible.js';

const CLI = resolve(dirname(fileURLToPath(import.meta.url)), '../../cli/lvsplay.js');
const ENV = { ...process.env, NO_COLOR: '1', ANSIBLE_NOCOLOR: '1', LVSPLAY_LAB_DIR: '/nonexistent', ANSIBLE_CONFIG: '/nonexistent' };

function run(cmd: string, args: string[], cwd: string, input?: string) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', cwd, env: ENV, input });
  return { rc: r.status, out: r.stdout, err: r.stderr };
}
const lvsplay = (args: string[], cwd: string, input?: string) => run(process.execPath, [CLI, ...args], cwd, input);
/** Asynchronous (the test's TCP server must keep accepting while lvsplay runs). */
function lvsplayAsync(args: string[], cwd: string): Promise<{ rc: number | null; out: string }> {
  const child = spawn(process.execPath, [CLI, ...args], { cwd, env: ENV });
  let out = '';
  child.stdout.on('data', (b: Buffer) => (out += b));
  child.stderr.on('data', (b: Buffer) => (out += b));
  return new Promise((res) => child.on('close', (rc) => res({ rc, out })));
}

function dir(files: Record<string, string>): string {
  const d = mkdtempSync(join(tmpdir(), 'lvsplay-vault-'));
  for (const [p, t] of Object.entries(files)) writeFileSync(join(d, p), t);
  return d;
}

describe('vault envelope (node:crypto)', () => {
  it('round-trips, rejects a wrong password and a tampered ciphertext, writes 1.2 headers for labels', () => {
    const env = encrypt('a: 1\n', 'pw', 'prod');
    assert.match(env, /^\$ANSIBLE_VAULT;1\.2;AES256;prod\n/);
    assert.ok(env.split('\n').slice(1, -1).every((l) => l.length <= 80));
    const parsed = parseEnvelope(env);
    assert.equal(String(decryptWith(parsed, 'pw')), 'a: 1\n');
    assert.equal(decryptWith(parsed, 'wrong'), undefined);
    parsed.ciphertext[0] ^= 1;
    assert.equal(decryptWith(parsed, 'pw'), undefined);
    assert.match(encrypt('x', 'pw'), /^\$ANSIBLE_VAULT;1\.1;AES256\n/);
  });
});

describe('vault against ansible-vault 2.14', function () {
  this.timeout(120000);
  before(function () {
    skipWithoutAnsible(this, 'ansible-vault', 'ansible-playbook');
  });

  it('files encrypted by ansible-vault (1.1, and 1.2 with a label) open in lvsplay', () => {
    const plain = 'db_password: "Sp 9Qz}"\nport: 5432\n';
    const d = dir({ 'a.yml': plain, 'b.yml': plain, pw: 'first\n', pw2: 'second\n' });
    assert.equal(run('ansible-vault', ['encrypt', '--vault-password-file', 'pw', 'a.yml'], d).rc, 0);
    assert.equal(run('ansible-vault', ['encrypt', '--vault-id', 'prod@pw2', 'b.yml'], d).rc, 0);
    assert.match(readFileSync(join(d, 'b.yml'), 'utf8'), /^\$ANSIBLE_VAULT;1\.2;AES256;prod\n/);
    const a = lvsplay(['vault', 'view', '--vault-password-file', 'pw', 'a.yml'], d);
    assert.equal(a.rc, 0, a.err);
    assert.equal(a.out, plain);
    const b = lvsplay(['vault', 'view', '--vault-id', 'dev@pw', '--vault-id', 'prod@pw2', 'b.yml'], d);
    assert.equal(b.out, plain, b.err);
    assert.equal(lvsplay(['vault', 'decrypt', '--vault-password-file', 'pw', 'a.yml'], d).rc, 0);
    assert.equal(readFileSync(join(d, 'a.yml'), 'utf8'), plain);
  });

  it('files encrypted and rekeyed by lvsplay open in ansible-vault', () => {
    const plain = 'secret: hunter22\n';
    const d = dir({ 'a.yml': plain, pw: 'first\n', pw2: 'second\n' });
    assert.equal(lvsplay(['vault', 'encrypt', '--vault-id', 'prod@pw', 'a.yml'], d).rc, 0);
    assert.match(readFileSync(join(d, 'a.yml'), 'utf8'), /^\$ANSIBLE_VAULT;1\.2;AES256;prod\n/);
    assert.equal(run('ansible-vault', ['view', '--vault-id', 'prod@pw', 'a.yml'], d).out, plain);
    assert.equal(lvsplay(['vault', 'rekey', '--vault-id', 'prod@pw', '--new-vault-password-file', 'pw2', 'a.yml'], d).rc, 0);
    assert.equal(run('ansible-vault', ['view', '--vault-password-file', 'pw2', 'a.yml'], d).out, plain);
    const old = run('ansible-vault', ['view', '--vault-password-file', 'pw', 'a.yml'], d);
    assert.equal(old.rc, 1);
  });

  it('create and edit through $EDITOR: the result opens in ansible-vault; an unchanged edit keeps the file', () => {
    const d = dir({ pw: 'pw\n', 'ed.sh': '#!/bin/sh\necho "edited: yes" >> "$1"\n', 'noop.sh': '#!/bin/sh\nexit 0\n' });
    chmodSync(join(d, 'ed.sh'), 0o755);
    chmodSync(join(d, 'noop.sh'), 0o755);
    const withEditor = (editor: string, args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', cwd: d, env: { ...ENV, EDITOR: join(d, editor) } });
    assert.equal(withEditor('ed.sh', ['vault', 'create', '--vault-id', 'dev@pw', 'new.yml']).status, 0);
    assert.equal(run('ansible-vault', ['view', '--vault-id', 'dev@pw', 'new.yml'], d).out, 'edited: yes\n');
    assert.equal(withEditor('ed.sh', ['vault', 'edit', '--vault-id', 'dev@pw', 'new.yml']).status, 0);
    assert.equal(run('ansible-vault', ['view', '--vault-id', 'dev@pw', 'new.yml'], d).out, 'edited: yes\nedited: yes\n');
    const before = readFileSync(join(d, 'new.yml'), 'utf8');
    assert.equal(withEditor('noop.sh', ['vault', 'edit', '--vault-id', 'dev@pw', 'new.yml']).status, 0);
    assert.equal(readFileSync(join(d, 'new.yml'), 'utf8'), before);
    assert.equal(withEditor('ed.sh', ['vault', 'create', '--vault-id', 'dev@pw', 'new.yml']).status, 1, 'create refuses an existing file');
  });

  it('encrypt_string both ways; a wrong password for a vaulted file: exit 1 from both, the file named', () => {
    const d = dir({ pw: 'first\n', bad: 'nope\n', 'whole.yml': 'y: 1\n' });
    const mine = lvsplay(['vault', 'encrypt_string', '--vault-password-file', 'pw', '-n', 'x', 'Sp 9Qz}'], d);
    assert.equal(mine.rc, 0, mine.err);
    assert.match(mine.out, /^x: !vault \|\n {10}\$ANSIBLE_VAULT;1\.1;AES256\n( {10}[0-9a-f]{1,80}\n)+$/);
    writeFileSync(join(d, 'mine.yml'), mine.out);
    const theirs = run('ansible-vault', ['encrypt_string', '--vault-password-file', 'pw', '-n', 'x', 'Sp 9Qz}'], d);
    writeFileSync(join(d, 'theirs.yml'), theirs.out + '\n');
    const pb = '- hosts: all\n  gather_facts: false\n  vars_files: [VARS]\n  tasks:\n    - copy: {content: "{{ x }}", dest: "{{ playbook_dir }}/OUT"}\n';
    for (const [vars, out, tool] of [['mine.yml', 'o1', 'ansible-playbook'], ['theirs.yml', 'o2', 'lvsplay']]) {
      writeFileSync(join(d, `${out}.yml`), pb.replace('VARS', vars).replace('OUT', out));
      const args = ['-i', 'localhost,', '-c', 'local', '--vault-password-file', 'pw', `${out}.yml`];
      const r = tool === 'lvsplay' ? lvsplay(args, d) : run('ansible-playbook', args, d);
      assert.equal(r.rc, 0, r.out + r.err);
      assert.equal(readFileSync(join(d, out), 'utf8'), 'Sp 9Qz}');
    }
    assert.equal(run('ansible-vault', ['encrypt', '--vault-password-file', 'pw', 'whole.yml'], d).rc, 0);
    writeFileSync(join(d, 'o3.yml'), pb.replace('VARS', 'whole.yml'));
    const args = ['-i', 'localhost,', '-c', 'local', '--vault-password-file', 'bad', 'o3.yml'];
    const a = run('ansible-playbook', args, d);
    const l = lvsplay(args, d);
    assert.equal(l.rc, a.rc);
    assert.equal(l.rc, 1);
    assert.match(l.err, /Decryption failed .*whole\.yml/);
    assert.doesNotMatch(l.err, /\n\s+at /); // no stack trace
  });

  it('a playbook with vaulted vars_files, group_vars, !vault values and -e @vaulted: the same file as ansible-playbook, nothing shown', () => {
    const files: Record<string, string> = {
      'pw.sh': '#!/bin/sh\necho "s3cret pass"\n',
      'inv.ini': '[lb]\nlocalhost ansible_connection=local\n',
      'vf.yml': 'keepalived_auth_pass: "Sp 9Qz}"\nplain_in_vault: visible-in-vault\n',
      'ev.yml': 'extra_secret: from-extra\n',
      'pb.yml':
        '- hosts: lb\n  gather_facts: false\n  vars_files: [vf.yml]\n  tasks:\n    - template: {src: t.j2, dest: "{{ playbook_dir }}/{{ out }}"}\n',
      't.j2': '{{ keepalived_auth_pass }}|{{ plain_in_vault }}|{{ group_secret }}|{{ extra_secret }}\n',
    };
    const d = dir(files);
    chmodSync(join(d, 'pw.sh'), 0o755);
    run('ansible-vault', ['encrypt', '--vault-password-file', 'pw.sh', 'vf.yml', 'ev.yml'], d);
    const gs = run('ansible-vault', ['encrypt_string', '--vault-password-file', 'pw.sh', '-n', 'group_secret', 'grp-value'], d).out;
    spawnSync('mkdir', [join(d, 'group_vars')]);
    writeFileSync(join(d, 'group_vars', 'lb.yml'), gs + '\n');
    const args = (out: string) => ['-i', 'inv.ini', '--vault-password-file', 'pw.sh', '-e', '@ev.yml', '-e', `out=${out}`, '-D', 'pb.yml'];
    const a = run('ansible-playbook', args('a.out'), d);
    assert.equal(a.rc, 0, a.out + a.err);
    const l = lvsplay([...args('l.out'), '-vvv'], d);
    assert.equal(l.rc, 0, l.out + l.err);
    const expected = 'Sp 9Qz}|visible-in-vault|grp-value|from-extra\n';
    assert.equal(readFileSync(join(d, 'a.out'), 'utf8'), expected);
    assert.equal(readFileSync(join(d, 'l.out'), 'utf8'), expected);
    for (const s of ['Sp 9Qz}', 'visible-in-vault', 'grp-value', 'from-extra']) assert.ok(!(l.out + l.err).includes(s), `'${s}' shown`);
    const j = lvsplay(['--json', ...args('j.out')], d);
    assert.equal(j.rc, 0, j.err);
    for (const s of ['Sp 9Qz}', 'grp-value']) assert.ok(!j.out.includes(s), `'${s}' in --json`);
  });

  it('vault_password_file and vault_identity_list from ansible.cfg, as ansible-playbook reads them', () => {
    const d = dir({ 'pw-a': 'alpha\n', 'pw-b': 'beta\n', 'a.yml': 'va: from-a\n', 'b.yml': 'vb: from-b\n' });
    run('ansible-vault', ['encrypt', '--vault-password-file', 'pw-a', 'a.yml'], d);
    run('ansible-vault', ['encrypt', '--vault-id', 'second@pw-b', 'b.yml'], d);
    writeFileSync(join(d, 'ansible.cfg'), '[defaults]\nvault_password_file = ./pw-a\nvault_identity_list = second@./pw-b\n');
    writeFileSync(join(d, 'pb.yml'), '- hosts: all\n  gather_facts: false\n  vars_files: [a.yml, b.yml]\n  tasks:\n    - copy: {content: "{{ va }} {{ vb }}", dest: "{{ playbook_dir }}/{{ out }}"}\n');
    const env: NodeJS.ProcessEnv = { ...ENV };
    delete env.ANSIBLE_CONFIG;
    for (const [cmd, pre, out] of [['ansible-playbook', [], 'a.out'], [process.execPath, [CLI], 'l.out']] as const) {
      const r = spawnSync(cmd, [...pre, '-i', 'localhost,', '-c', 'local', '-e', `out=${out}`, 'pb.yml'], { encoding: 'utf8', cwd: d, env });
      assert.equal(r.status, 0, r.stdout + r.stderr);
      assert.equal(readFileSync(join(d, out), 'utf8'), 'from-a from-b');
    }
  });

  it('vault-encrypted copy and template sources are decrypted as ansible-playbook does, their content masked in --diff', () => {
    const d = dir({ pw: 'pw\n', 'secret.conf': 'auth_pass Hidden-Line-42\n', 't.j2': 'user {{ who }} key Tmpl-Secret-77\n' });
    run('ansible-vault', ['encrypt', '--vault-password-file', 'pw', 'secret.conf', 't.j2'], d);
    writeFileSync(join(d, 'pb.yml'), '- hosts: all\n  gather_facts: false\n  vars: {who: bob}\n  tasks:\n    - copy: {src: secret.conf, dest: "{{ playbook_dir }}/{{ out }}.copy"}\n    - template: {src: t.j2, dest: "{{ playbook_dir }}/{{ out }}.tmpl"}\n');
    const args = (out: string) => ['-i', 'localhost,', '-c', 'local', '--vault-password-file', 'pw', '-D', '-e', `out=${out}`, 'pb.yml'];
    const a = run('ansible-playbook', args('a'), d);
    assert.equal(a.rc, 0, a.out + a.err);
    const l = lvsplay(args('l'), d);
    assert.equal(l.rc, 0, l.out + l.err);
    for (const ext of ['copy', 'tmpl']) assert.equal(readFileSync(join(d, `l.${ext}`), 'utf8'), readFileSync(join(d, `a.${ext}`), 'utf8'));
    assert.equal(readFileSync(join(d, 'l.copy'), 'utf8'), 'auth_pass Hidden-Line-42\n');
    for (const s of ['Hidden-Line-42', 'Tmpl-Secret-77']) assert.ok(!(l.out + l.err).includes(s), `'${s}' shown`);
  });

  it('wrong vault password: nothing is contacted', async () => {
    let connections = 0;
    const server = createServer((s) => {
      connections++;
      s.destroy();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    const d = dir({ pw: 'right\n', bad: 'wrong\n', 'v.yml': 'x: 1\n', 'pb.yml': '- hosts: all\n  vars_files: [v.yml]\n  tasks: [{command: echo hi}]\n' });
    run('ansible-vault', ['encrypt', '--vault-password-file', 'pw', 'v.yml'], d);
    writeFileSync(join(d, 'inv'), `h1 ansible_host=127.0.0.1 ansible_port=${port}\n`);
    const r2 = await lvsplayAsync(['-i', 'inv', '--vault-password-file', 'bad', 'pb.yml'], d);
    assert.equal(r2.rc, 1, r2.out);
    assert.match(r2.out, /Decryption failed .* on v\.yml/);
    assert.equal(connections, 0);
    // the control: with the right password the same run does connect (and finds no sshd there)
    const ok = await lvsplayAsync(['-i', 'inv', '--vault-password-file', 'pw', 'pb.yml'], d);
    server.close();
    assert.equal(ok.rc, 4, ok.out);
    assert.ok(connections > 0);
  });
});
