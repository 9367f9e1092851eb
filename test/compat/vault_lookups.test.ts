// lookup('file') and lookup('unvault') on a file encrypted by the real ansible-vault: both tools
// decrypt it (file strips it, unvault does not), compared through the files they write with it.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import { onPath } from '../helpers/ansible.js';
import { assertSame, differential, skipWithoutAnsible } from './harness.js';

describe('compat: file and unvault lookups of a vault-encrypted file (differential against ansible-playbook)', function () {
  this.timeout(180_000);
  let pwDir: string;
  let pw: string;
  before(function () {
    skipWithoutAnsible(this);
    if (!onPath('ansible-vault')) this.skip();
    pwDir = mkdtempSync(join(tmpdir(), 'lvsplay-vaultpw-'));
    pw = join(pwDir, 'pw');
    writeFileSync(pw, 'lookup-pass\n');
    // encrypted once: both tools get the same ciphertext
    writeFileSync(join(pwDir, 'secret.vault'), '  s3cret value\n\n');
    execFileSync('ansible-vault', ['encrypt', '--vault-password-file', pw, join(pwDir, 'secret.vault')], { stdio: 'ignore' });
  });
  after(() => pwDir && rmSync(pwDir, { recursive: true, force: true }));

  it('decrypts like Ansible: file (stripped), unvault (as is), and a plain file unchanged', async () => {
    const pb = `
- hosts: all
  gather_facts: false
  tasks:
    - {name: file, copy: {content: "[{{ lookup('file', work + '/secret.vault') }}]", dest: "{{ work }}/out-file"}}
    - {name: unvault, copy: {content: "[{{ lookup('unvault', work + '/secret.vault') }}]", dest: "{{ work }}/out-unvault"}}
    - {name: plain, copy: {content: "[{{ lookup('unvault', work + '/plain.txt') }}]", dest: "{{ work }}/out-plain"}}
`;
    const setup = (work: string): void => {
      copyFileSync(join(pwDir, 'secret.vault'), join(work, 'secret.vault'));
      writeFileSync(join(work, 'plain.txt'), 'plain\n');
    };
    const d = await differential(pb, { setup, runs: 1, args: ['--vault-password-file', pw] });
    assertSame(d, { file: ['changed', 'failed'], unvault: ['changed', 'failed'], plain: ['changed', 'failed'] });
    assert.equal(d.lvsplay.files['out-file']?.content, '[  s3cret value]');
    assert.equal(d.lvsplay.files['out-unvault']?.content, '[  s3cret value\n\n]');
  });

  it('the vault_encrypted test: true for an inline !vault value (also kept by set_fact), false for other values', async () => {
    const inline = execFileSync('ansible-vault', ['encrypt_string', '--vault-password-file', pw, 'inline secret'], { encoding: 'utf8' }).trim();
    const indented = inline.replace(/\n/g, '\n        ');
    const pb = `
- hosts: all
  gather_facts: false
  vars:
    from_vault: ${indented.replace(/\n {8}/g, '\n      ')}
    plain: inline secret-ish
  tasks:
    - set_fact:
        kept: ${indented}
    - name: flags
      debug: {msg: "{{ [from_vault is vault_encrypted, kept is vault_encrypted, plain is vault_encrypted, inventory_hostname is not vault_encrypted, 3 is vault_encrypted] }}"}
`;
    const d = await differential(pb, { runs: 1, args: ['--vault-password-file', pw] });
    assertSame(d, { flags: ['msg', 'failed'] });
    assert.deepEqual(d.lvsplay.runs[0].tasks.get('flags')?.msg, [true, true, false, true, false]);
  });

  it('copy decrypts a vault-encrypted src by default, also in a directory src; decrypt: false copies it as it is', async () => {
    const pb = `
- hosts: all
  gather_facts: false
  tasks:
    - {name: plain, copy: {src: "{{ work }}/secret.vault", dest: "{{ work }}/out-decrypted"}}
    - {name: raw, copy: {src: "{{ work }}/secret.vault", dest: "{{ work }}/out-raw", decrypt: false}}
    - {name: tree, copy: {src: "{{ work }}/tree/", dest: "{{ work }}/out-tree/"}}
    - {name: tree-raw, copy: {src: "{{ work }}/tree/", dest: "{{ work }}/out-tree-raw/", decrypt: no}}
`;
    const setup = (work: string): void => {
      copyFileSync(join(pwDir, 'secret.vault'), join(work, 'secret.vault'));
      mkdirSync(join(work, 'tree'));
      copyFileSync(join(pwDir, 'secret.vault'), join(work, 'tree', 'inner.vault'));
    };
    const d = await differential(pb, { setup, runs: 1, args: ['--vault-password-file', pw] });
    assertSame(d, { plain: ['changed', 'failed'], raw: ['changed', 'failed'], tree: ['changed', 'failed'], 'tree-raw': ['changed', 'failed'] });
    assert.deepEqual(d.lvsplay.files, d.ansible.files, 'the files both tools left');
    assert.equal(d.lvsplay.files['out-decrypted']?.content, '  s3cret value\n\n');
    assert.match(String(d.lvsplay.files['out-raw']?.content), /^\$ANSIBLE_VAULT;1\.1;AES256/);
    assert.equal(d.lvsplay.files['out-tree/inner.vault']?.content, '  s3cret value\n\n');
    assert.match(String(d.lvsplay.files['out-tree-raw/inner.vault']?.content), /^\$ANSIBLE_VAULT/);
  });
});
