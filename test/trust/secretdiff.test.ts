// Issue 19: an OLD secret (removed, shortened, replaced) never shows in --diff or --json: it was
// never registered as a secret, so the diff masks the value of any line whose key names a secret.
import { strict as assert } from 'node:assert';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { maskSecretKeyed, MASK } from '../../src/report/mask.js';
import { lvsplay, tmpDir, writeFiles } from './helpers.js';

const OLD = 'OldS3cretPw';

describe('trust II: old secrets are masked in diffs', function () {
  this.timeout(120000);
  let dir: string;
  before(() => {
    dir = tmpDir();
    writeFiles(dir, {
      'ka.conf.j2': 'vrrp_instance VI_1 {\n    state MASTER\n{% if keepalived_auth_pass %}    auth_pass {{ keepalived_auth_pass }}\n{% endif %}}\n',
      'play.yml':
        '- hosts: localhost\n  gather_facts: false\n  connection: local\n  tasks:\n' +
        '    - template: { src: ka.conf.j2, dest: "{{ dest }}" }\n',
    });
  });

  for (const [how, next] of [
    ['removed', ''],
    ['shortened to 2 characters', 'ab'],
    ['changed', 'NewS3cret'],
  ] as const) {
    it(`keepalived_auth_pass ${how}: the old value is not in --diff nor in --json`, () => {
      const dest = join(dir, `ka-${how.split(' ')[0]}.conf`);
      writeFileSync(dest, `vrrp_instance VI_1 {\n    state MASTER\n    auth_pass ${OLD}\n}\n`);
      const args = ['-i', 'localhost,', '-e', `dest=${dest}`, '-e', `keepalived_auth_pass=${next}`, '--diff'];
      const r = lvsplay([...args, 'play.yml'], dir);
      assert.equal(r.rc, 0, r.out + r.err);
      assert.match(r.out, /changed: \[localhost\]/);
      // a changed value reads `auth_pass ********` on both sides: the old one is marked so the change shows
      const old = next ? ' \\(old value\\)' : '$';
      assert.match(r.out, new RegExp(`^-\\s+auth_pass \\*+${old}`, 'm'), `the old line is shown, masked:\n${r.out}`);
      assert.ok(!(r.out + r.err).includes(OLD), `the old secret is in the --diff output:\n${r.out}`);
      if (next.length >= 2) assert.ok(!r.out.includes(`auth_pass ${next}`), `the new secret is in the --diff output:\n${r.out}`);
      assert.equal(readFileSync(dest, 'utf8').includes(`auth_pass ${next}`), next !== '', 'the file got the new value');
      writeFileSync(dest, `vrrp_instance VI_1 {\n    state MASTER\n    auth_pass ${OLD}\n}\n`);
      const j = lvsplay([...args, '--json', 'play.yml'], dir);
      assert.equal(j.rc, 0, j.out + j.err);
      assert.ok(!(j.out + j.err).includes(OLD), `the old secret is in the --json output`);
    });
  }

  it('maskSecretKeyed: secret-named keys in common config syntaxes, other lines untouched', () => {
    const text = [
      '    auth_pass hunter22',
      'requirepass = hunter22',
      '"client_secret": "hunter22",',
      '  - api_token: hunter22',
      'password_file /etc/pw',
      'state MASTER',
      '# the password is below',
    ].join('\n');
    const out = maskSecretKeyed(text).split('\n');
    assert.deepEqual(out.slice(0, 4), [`    auth_pass ${MASK}`, `requirepass = ${MASK}`, `"client_secret": ${MASK}`, `  - api_token: ${MASK}`]);
    assert.deepEqual(out.slice(4), ['password_file /etc/pw', 'state MASTER', '# the password is below']);
  });
});
