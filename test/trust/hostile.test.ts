// Hostile values reach the host as data, never as shell: inventory and extra variables with $(...),
// backticks, quotes, ';', newlines and spaces go through copy content, lineinfile, template,
// command argv, shell with `| quote` and a file path; read back byte-exact; no side effect file.
import { strict as assert } from 'node:assert';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { TestLab } from '../helpers/lab.js';
import { labExec, lvsplay, tmpDir, writeFiles, trustLabOrSkip } from './helpers.js';

// Each payload would create /tmp/pwned-* if any shell evaluated it.
const EVIL = `a $(touch /tmp/pwned-1) \`touch /tmp/pwned-2\` 'sq' "dq" ; touch /tmp/pwned-3 && x\nline 2 | touch /tmp/pwned-4 > y\n  trailing spaces  \\ back\\slash $HOME %s { } \\n`;
const EVIL_LINE = `b $(touch /tmp/pwned-5) ; \`touch /tmp/pwned-6\` 'q' "dq" & | > <`;
// no '/' (a path component): relative payloads would land in the remote shell's cwd (/root)
const NAME_EVIL = `d $(touch pwned-10) ; \`touch pwned-11\` 'q' "dq" & x`;
const INI_EVIL = `c $(touch /tmp/pwned-7) ; touch /tmp/pwned-8 \`touch /tmp/pwned-9\``;

describe('trust: hostile values are data on the lab', function () {
  this.timeout(300000);
  let lab: TestLab;
  let dir: string;

  before(async function () {
    lab = await trustLabOrSkip(this);
    for (const h of lab.hosts) labExec(lab.dir, h.name, 'rm -rf /tmp/pwned-* /root/trust-h-* /root/trust\\ h*');
    for (let i = 1; i <= 9; i++) rmSync(`/tmp/pwned-${i}`, { force: true });
    dir = tmpDir();
    writeFiles(dir, {
      // INI: the value in single quotes (Ansible strips them); it holds $(), `` and ;
      'evil.ini': `[real_servers]\nnode02 ini_evil='${INI_EVIL}'\nnode03 ini_evil='${INI_EVIL}'\n`,
      'evil.json': JSON.stringify({ evil: EVIL, evil_line: EVIL_LINE, evil_name: NAME_EVIL }),
      'evil.j2': '{{ evil }}|{{ ini_evil }}',
      'play.yml': `- hosts: real_servers
  gather_facts: false
  tasks:
    - copy: { content: "{{ evil }}", dest: /root/trust-h-copy }
    - template: { src: evil.j2, dest: /root/trust-h-tpl }
    - lineinfile: { path: /root/trust-h-line, line: "{{ evil_line }}", create: true }
    - lineinfile: { path: /root/trust-h-line, line: "{{ ini_evil }}" }
    - command:
        argv: [printf, "%s", "{{ evil }}"]
        expand_argument_vars: false # Ansible's default expands $HOME in each word: keep every byte
      register: argv_out
    - copy: { content: "{{ argv_out.stdout }}", dest: /root/trust-h-argv }
    - shell: "printf '%s' {{ evil | quote }} > /root/trust-h-shell; printf '%s' {{ ini_evil | quote }} >> /root/trust-h-shell"
    - file: { path: "/root/trust h {{ evil_name }}", state: directory }
`,
    });
  });

  it('copy, template, lineinfile, command argv, shell | quote and file paths keep every byte; nothing is executed', () => {
    const r = lvsplay(['-i', lab.inventory, '-i', join(dir, 'evil.ini'), '-e', `@${join(dir, 'evil.json')}`, join(dir, 'play.yml')]);
    assert.equal(r.rc, 0, r.out + r.err);
    for (const h of ['node02', 'node03']) {
      const read = (p: string) => labExec(lab.dir, h, `cat ${p}`).out;
      assert.equal(read('/root/trust-h-copy'), EVIL, `${h}: copy content`);
      assert.equal(read('/root/trust-h-tpl'), `${EVIL}|${INI_EVIL}`, `${h}: template`);
      assert.equal(read('/root/trust-h-line'), `${EVIL_LINE}\n${INI_EVIL}\n`, `${h}: lineinfile`);
      assert.equal(read('/root/trust-h-argv'), EVIL, `${h}: command argv (printf %s) output`);
      assert.equal(read('/root/trust-h-shell'), EVIL + INI_EVIL, `${h}: shell with | quote`);
      const d = labExec(lab.dir, h, 'ls -1d /root/trust\\ h*').out;
      assert.equal(d, `/root/trust h ${NAME_EVIL}\n`, `${h}: directory named by the value`);
      const pwned = labExec(lab.dir, h, 'ls /tmp/pwned-* /root/pwned-* /root/y 2>/dev/null || true').out;
      assert.equal(pwned, '', `${h}: no payload ran`);
    }
    for (let i = 1; i <= 9; i++) assert.ok(!existsSync(`/tmp/pwned-${i}`), `no payload ran on the controller (/tmp/pwned-${i})`);
  });

  it('a second run with the same hostile values changes nothing (the values compare as data too)', () => {
    const r = lvsplay(['-i', lab.inventory, '-i', join(dir, 'evil.ini'), '-e', `@${join(dir, 'evil.json')}`, join(dir, 'play.yml')]);
    assert.equal(r.rc, 0, r.out + r.err);
    // command and shell always report changed (Ansible semantics): the file modules must not.
    for (const h of ['node02', 'node03']) assert.match(r.out, new RegExp(`^${h}\\s+: ok=8\\s+changed=2 `, 'm'), r.out);
  });
});
