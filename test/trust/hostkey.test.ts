// A lab host's sshd host key changes between two runs (lab; root): node03's ed25519 host key is
// regenerated and sshd reloaded. lvsplay refuses node03 — a message naming the host and the
// known_hosts file and line that holds the old key — changes nothing there, the other hosts run
// every task; exit 4 (Ansible's for an unreachable host), the recap, no temp file left. After the
// operator's correction (`ssh-keygen -R`, then the new key added) the next run repairs node03.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { paths } from '../../src/lab/index.js';
import type { TestLab } from '../helpers/lab.js';
import { escapeRe, labExec, lvsplay, tmpDir, writeFiles } from './helpers.js';
import { faultLabOrSkip, nsExec, recapOf, until } from './labfaults.js';

const NODE = 'node03';
const KEY = '/etc/ssh/ssh_host_ed25519_key';

describe('trust: a host key changed between runs (lab)', function () {
  this.timeout(120000);
  let lab: TestLab;
  let dir: string;
  let known: string;
  let original: { priv: string; pub: string } | undefined;
  const addr = () => lab.hosts.find((h) => h.name === NODE)!.addr;
  const env = () => ({ LVSPLAY_STATE_DIR: join(dir, 'state') });
  const reloadSshd = () => {
    const r = nsExec(lab, NODE, 'kill -HUP "$(cat /run/sshd.pid)"');
    assert.equal(r.rc, 0, r.err);
  };
  const files = (node: string) => nsExec(lab, node, 'ls -a /srv/hk | grep -v "^\\.*$" || true').out.trim();

  before(async function () {
    lab = await faultLabOrSkip(this);
    dir = tmpDir('lvsplay-hostkey-');
    known = join(dir, 'known_hosts');
    copyFileSync(paths(lab.dir).knownHosts, known); // the test's own copy: the lab's stays right
    const p = paths(lab.dir);
    for (const h of lab.hosts) labExec(lab.dir, h.name, 'rm -rf /srv/hk; mkdir -p /srv/hk');
    writeFiles(dir, {
      'inv.ini': [
        '[all]',
        ...lab.hosts.map((h) => `${h.name} ansible_host=${h.addr} ansible_user=root`),
        '[all:vars]',
        `ansible_ssh_private_key_file=${p.key}`,
        `ansible_ssh_common_args='-o UserKnownHostsFile=${known} -o StrictHostKeyChecking=yes'`,
        `lvsplay_known_hosts=${known}`,
        '',
      ].join('\n'),
      'site.yml': `- hosts: all
  gather_facts: false
  tasks:
    - name: conf
      copy: { content: "v1\\n", dest: /srv/hk/app.conf }
      notify: reload
    - name: last
      copy: { content: "last\\n", dest: /srv/hk/last }
  handlers:
    - name: reload
      shell: echo reloaded >> /srv/hk/reloads
`,
    });
    const r = nsExec(lab, NODE, `cat ${KEY}; echo ===; cat ${KEY}.pub`);
    const [priv, pub] = r.out.split('===\n');
    original = { priv, pub };
  });
  after(async () => {
    if (!original) return;
    // the lab's own key back (the lab's known_hosts and every other suite rely on it)
    nsExec(lab, NODE, `umask 077; cat > ${KEY}`, original.priv);
    nsExec(lab, NODE, `cat > ${KEY}.pub`, original.pub);
    reloadSshd();
    await until(`${NODE} answers with its key`, () => labExec(lab.dir, NODE, 'true').rc === 0, () => '', 20000);
  });

  it(`${NODE}'s host key regenerated: refused with the host and the known_hosts line named, nothing done there, the others proceed, exit 4`, async () => {
    const line = readFileSync(known, 'utf8').split('\n').findIndex((l) => l.startsWith(`${addr()} `) || l.includes(`${addr()} `)) + 1;
    assert.ok(line > 0, `the lab's known_hosts has ${NODE}`);
    const regen = nsExec(lab, NODE, `rm -f ${KEY} ${KEY}.pub && ssh-keygen -q -t ed25519 -N '' -f ${KEY}`);
    assert.equal(regen.rc, 0, regen.err);
    reloadSshd();
    await until('sshd offering the new key', () => labExec(lab.dir, NODE, 'true').rc !== 0, () => 'the lab key still accepted', 20000);
    const r = lvsplay(['-i', join(dir, 'inv.ini'), join(dir, 'site.yml')], dir, env());
    assert.equal(r.rc, 4, r.out + r.err);
    assert.match(r.out, new RegExp(`fatal: \\[${NODE}\\]: UNREACHABLE! => .*${escapeRe(NODE)}.*host key mismatch: known_hosts says ssh-ed25519 SHA256:[^ ]+ \\(${escapeRe(known)}:${line}\\)`), r.out);
    assert.match(r.out, /PLAY RECAP/);
    assert.deepEqual([recapOf(r.out, NODE).ok, recapOf(r.out, NODE).changed, recapOf(r.out, NODE).unreachable], [0, 0, 1], r.out);
    assert.equal(files(NODE), '', `${NODE}: nothing done, no temp file`);
    for (const h of lab.hosts.filter((x) => x.name !== NODE)) {
      assert.deepEqual([recapOf(r.out, h.name).changed, recapOf(r.out, h.name).unreachable], [3, 0], r.out);
      assert.equal(files(h.name), 'app.conf\nlast\nreloads', `${h.name}: every task ran, no temp file`);
    }
  });

  it('after ssh-keygen -R and the new key added, the next run repairs the host', () => {
    const rm = spawnSync('ssh-keygen', ['-R', addr(), '-f', known], { encoding: 'utf8' });
    assert.equal(rm.status, 0, rm.stderr);
    const scan = spawnSync('sh', ['-c', `ssh-keyscan -t ed25519 ${addr()} >> ${known}`], { encoding: 'utf8' });
    assert.equal(scan.status, 0, scan.stderr);
    const r = lvsplay(['-i', join(dir, 'inv.ini'), join(dir, 'site.yml')], dir, env());
    assert.equal(r.rc, 0, r.out + r.err);
    assert.deepEqual([recapOf(r.out, NODE).changed, recapOf(r.out, NODE).failed], [3, 0], r.out);
    for (const h of lab.hosts) assert.equal(nsExec(lab, h.name, 'cat /srv/hk/app.conf /srv/hk/last /srv/hk/reloads').out, 'v1\nlast\nreloaded\n', h.name);
  });
});
