// Secrets never show: keepalived_auth_pass given to the director role, no_log tasks, become and
// ssh passwords from the inventory. Every output (console with --diff -vvv, --json events) is
// grepped for the secret; keepalived.conf on the host has it, mode 0640.
import { strict as assert } from 'node:assert';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { TestLab } from '../helpers/lab.js';
import { REPO, labExec, lvsplay, tmpDir, writeFiles, trustLabOrSkip } from './helpers.js';

const secret = (n = 8) => `S${randomBytes(8).toString('hex')}`.slice(0, n);

describe('trust: secrets are masked on the lab', function () {
  this.timeout(600000);
  let lab: TestLab;
  let dir: string;
  let site: string;

  before(async function () {
    lab = await trustLabOrSkip(this);
    dir = tmpDir();
    site = [join(REPO, 'playbooks/site.yml'), join(REPO, 'site.yml')].find(existsSync)!;
  });

  for (const how of ['-e', 'inventory group vars'] as const) {
    it(`keepalived_auth_pass from ${how}: never in console --diff -vvv nor --json output; keepalived.conf has it, mode 0640`, () => {
      const pass = secret();
      const inv = join(writeFiles(dir, { [`pass-${pass}.ini`]: `[directors:vars]\nkeepalived_auth_pass=${pass}\n` }), `pass-${pass}.ini`);
      const given = how === '-e' ? ['-e', `keepalived_auth_pass=${pass}`] : ['-i', inv];
      const r = lvsplay(['-i', lab.inventory, ...given, '-l', 'directors', '--diff', '-vvv', site]);
      assert.equal(r.rc, 0, r.out + r.err);
      assert.match(r.out, /keepalived\.conf/, 'the diff of keepalived.conf is shown');
      assert.ok(!(r.out + r.err).includes(pass), `the secret appears in the console output:\n${(r.out + r.err).split('\n').filter((l) => l.includes(pass)).join('\n')}`);
      for (const h of ['node01', 'node04']) {
        const s = labExec(lab.dir, h, 'stat -c %a /etc/keepalived/keepalived.conf; grep -c "auth_pass ' + pass + '$" /etc/keepalived/keepalived.conf');
        assert.equal(s.out, '640\n1\n', `${h}: keepalived.conf mode 640 and holds the new auth_pass`);
      }
      // Again with another password, as JSON events.
      const pass2 = secret();
      const j = lvsplay(['-i', lab.inventory, '-e', `keepalived_auth_pass=${pass2}`, '-l', 'directors', '--diff', '-vvv', '--json', site]);
      assert.equal(j.rc, 0, j.out + j.err);
      assert.ok(j.out.split('\n').filter(Boolean).every((l) => JSON.parse(l)), 'one JSON event per line');
      for (const p of [pass, pass2]) assert.ok(!(j.out + j.err).includes(p), `a secret (old or new) appears in the --json output`);
    });
  }

  it('no_log hides results, -vvv command echoes and --diff of the task; become/ssh passwords from the inventory are masked', () => {
    const tok = secret(16);
    const become = secret(12);
    const sshpw = secret(12);
    writeFiles(dir, {
      'pw.ini': `[real_servers:vars]\nansible_become_password=${become}\nansible_password=${sshpw}\n`,
      'nolog.yml': `- hosts: real_servers
  gather_facts: false
  vars:
    api_value: ${tok}
  tasks:
    - shell: "echo {{ api_value }} > /root/trust-s-token"
      no_log: true
    - copy: { content: "token={{ api_value }}\\n", dest: /root/trust-s-copy }
      no_log: true
    - debug: { msg: "become {{ ansible_become_password }} ssh {{ ansible_password }}" }
    - command: echo {{ ansible_become_password }}
      register: out
    - debug: { var: out.stdout }
`,
    });
    for (const h of ['node02', 'node03']) labExec(lab.dir, h, 'rm -f /root/trust-s-*');
    for (const extra of [['-vvv', '--diff'], ['--json', '-vvv', '--diff']]) {
      const r = lvsplay(['-i', lab.inventory, '-i', join(dir, 'pw.ini'), ...extra, join(dir, 'nolog.yml')]);
      assert.equal(r.rc, 0, r.out + r.err);
      const all = r.out + r.err;
      for (const [what, s] of [['no_log token', tok], ['become password', become], ['ssh password', sshpw]]) {
        assert.ok(!all.includes(s), `${what} appears with ${extra.join(' ')}:\n${all.split('\n').filter((l) => l.includes(s)).join('\n')}`);
      }
      assert.match(all, /no_log: true/, 'the censored notice is shown');
      assert.match(all, /\*{8}/, 'masked values are shown as ********');
    }
    for (const h of ['node02', 'node03']) {
      assert.equal(labExec(lab.dir, h, 'cat /root/trust-s-token').out, `${tok}\n`, 'the no_log task really ran');
      assert.equal(labExec(lab.dir, h, 'cat /root/trust-s-copy').out, `token=${tok}\n`);
    }
  });
});
