// ProxyJump: a target sshd reached only through a jump sshd (both real OpenSSH on loopback).
// Settings: -J / -o ProxyJump in ansible_ssh_common_args, ansible.cfg ssh_args, ~/.ssh/config;
// the jump host's own settings and host key come from ~/.ssh/config, as OpenSSH does.
// The same inventory run by ansible-playbook 2.14 (OpenSSH's ssh -J) and by lvsplay gives the same
// results; with the jump host gone both say the host is unreachable (lvsplay never falls back to a
// direct connection); a jump host with an unknown key is refused.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SshConnection } from '../../src/connection/ssh.js';
import { sshSettings } from '../../src/connection/index.js';
import { parseJumpHop, parseSshArgs } from '../../src/connection/sshconfig.js';
import { sshdMissing, startSshd, type TestSshd } from './sshd-helper.js';
import { skipWithoutAnsible } from '../helpers/ansible.js';

const CLI = resolve(dirname(fileURLToPath(import.meta.url)), '../../cli/lvsplay.js');

describe('ProxyJump: parsing', () => {
  it('reads -J and -o ProxyJump; the first value of an option wins, as in OpenSSH', () => {
    assert.equal(parseSshArgs('-J admin@bastion:2222').proxyjump, 'admin@bastion:2222');
    assert.equal(parseSshArgs('-Jbastion -o ProxyJump=other').proxyjump, 'bastion');
    assert.equal(parseSshArgs('-o Port=1 -o Port=2').port, '1');
  });
  it('parses hops: user, host, port, ssh:// and IPv6 in brackets; rejects junk', () => {
    assert.deepEqual(parseJumpHop('bastion'), { user: undefined, host: 'bastion', port: undefined });
    assert.deepEqual(parseJumpHop('ssh://ops@10.0.0.1:2200'), { user: 'ops', host: '10.0.0.1', port: 2200 });
    assert.deepEqual(parseJumpHop('[fd00::1]:22'), { user: undefined, host: 'fd00::1', port: 22 });
    assert.equal(parseJumpHop('a b'), undefined);
    assert.equal(parseJumpHop('host:99999'), undefined);
  });
  it('a ProxyCommand without ProxyJump is refused, naming the host (never a direct connection)', () => {
    assert.throws(() => sshSettings('web1', { ansible_ssh_common_args: "-o ProxyCommand='nc %h %p'" }, { sshConfigFile: '/nonexistent' }), /host 'web1': ProxyCommand is not supported by lvsplay/);
    assert.throws(() => sshSettings('web1', { ansible_ssh_common_args: '-J "a b"' }, { sshConfigFile: '/nonexistent' }), /ProxyJump 'a b': expected \[user@\]host\[:port\]/);
  });
});

describe('ProxyJump over real sshds (jump + target on loopback)', function () {
  this.timeout(120_000);
  let jump: TestSshd;
  let target: TestSshd;
  let home: string;
  let sshConfig: string;

  before(async function () {
    const why = sshdMissing();
    if (why) {
      console.log(`    skipping: ${why}`);
      this.skip();
    }
    jump = await startSshd('AllowTcpForwarding yes');
    target = await startSshd();
    home = mkdtempSync(join(tmpdir(), 'lvsplay-jump-home-'));
    mkdirSync(join(home, '.ssh'), { mode: 0o700 });
    const kh = join(home, '.ssh', 'known_hosts');
    writeFileSync(kh, readFileSync(jump.knownHosts, 'utf8') + readFileSync(target.knownHosts, 'utf8'));
    sshConfig = join(home, '.ssh', 'config');
    writeFileSync(
      sshConfig,
      [
        'Host jumpy',
        '  HostName 127.0.0.1',
        `  Port ${jump.port}`,
        '  User root',
        'Host *',
        `  IdentityFile ${jump.clientKey}`,
        `  IdentityFile ${target.clientKey}`,
        '  IdentitiesOnly yes',
        `  UserKnownHostsFile ${kh}`,
        '  StrictHostKeyChecking yes',
        '',
      ].join('\n'),
      { mode: 0o600 },
    );
  });

  after(async () => {
    await jump?.stop();
    await target?.stop();
    if (home) rmSync(home, { recursive: true, force: true });
  });

  const vars = (args: string) => ({ ansible_host: '127.0.0.1', ansible_port: target.port, ansible_user: 'root', ansible_ssh_common_args: args });

  it('connects through the jump host; the jump host\'s settings come from ~/.ssh/config', async () => {
    const s = sshSettings('web1', vars('-o ProxyJump=jumpy'), { sshConfigFile: sshConfig });
    assert.equal(s.jump?.hostName, '127.0.0.1');
    assert.equal(s.jump?.port, jump.port);
    const c = new SshConnection(s);
    try {
      const r = await c.exec('echo $SSH_CONNECTION');
      // (both sshds are on loopback, so the address cannot tell the path: the last test shows that
      // without the jump host the target is unreachable)
      assert.match(r.stdout, new RegExp(`^127\\.0\\.0\\.1 \\d+ 127\\.0\\.0\\.1 ${target.port}\\n$`));
    } finally {
      await c.close();
    }
  });

  it("a jump host whose key is unknown is refused, naming it; the target is never contacted directly", async () => {
    const other = join(home, 'empty_known_hosts');
    writeFileSync(other, '');
    const cfg = join(home, 'config-unknown');
    writeFileSync(cfg, readFileSync(sshConfig, 'utf8').replace(/UserKnownHostsFile .*/, `UserKnownHostsFile ${other}`));
    const s = sshSettings('web1', { ...vars('-J jumpy'), lvsplay_known_hosts: target.knownHosts }, { sshConfigFile: cfg });
    const c = new SshConnection(s);
    const err = await c.exec('true').catch((e: Error) => e);
    await c.close();
    assert.ok(err instanceof Error);
    assert.match(err.message, /web1 \(127\.0\.0\.1:\d+\): through jump host jumpy \(127\.0\.0\.1:\d+\): .*host key/i);
  });

  /** One tool's run of the playbook in dir (HOME holds the ssh config both read). */
  function tool(name: 'ansible' | 'lvsplay', dir: string) {
    const env: NodeJS.ProcessEnv = { ...process.env, HOME: home, NO_COLOR: '1', ANSIBLE_NOCOLOR: '1', ANSIBLE_RETRY_FILES_ENABLED: 'false', LVSPLAY_LAB_DIR: '/nonexistent' };
    delete env.SSH_AUTH_SOCK;
    const [cmd, args] = name === 'ansible' ? ['ansible-playbook', []] : [process.execPath, [CLI]];
    const r = spawnSync(cmd, [...args, '-i', 'hosts.ini', '-e', `tool=${name}`, 'pb.yml'], { cwd: dir, env, encoding: 'utf8', timeout: 60_000 });
    return { rc: r.status, out: r.stdout + r.stderr, recap: /web1 +: (ok=\d+ +changed=\d+ +unreachable=\d+ +failed=\d+)/.exec(r.stdout)?.[1] };
  }

  it('ansible.cfg ssh_args ProxyJump: the same results as ansible-playbook 2.14; with the jump host gone both are unreachable (exit 4)', async function () {
    skipWithoutAnsible(this, 'ansible-playbook');
    const dir = mkdtempSync(join(tmpdir(), 'lvsplay-jump-'));
    const out = join(dir, 'out');
    mkdirSync(out);
    writeFileSync(join(dir, 'ansible.cfg'), `[ssh_connection]\nssh_args = -F ${sshConfig} -o ProxyJump=jumpy\n`);
    writeFileSync(join(dir, 'hosts.ini'), `web1 ansible_host=127.0.0.1 ansible_port=${target.port} ansible_user=root ansible_python_interpreter=/usr/bin/python3\n`);
    writeFileSync(
      join(dir, 'pb.yml'),
      `- hosts: web1\n  gather_facts: false\n  tasks:\n    - command: echo through\n      register: r\n      changed_when: false\n    - copy: {content: "{{ r.stdout }}\\n", dest: "${out}/{{ tool }}.txt"}\n`,
    );
    try {
      const a = tool('ansible', dir);
      const l = tool('lvsplay', dir);
      const ctx = `\n--- ansible:\n${a.out}\n--- lvsplay:\n${l.out}`;
      assert.equal(a.rc, 0, ctx);
      assert.equal(l.rc, a.rc, `exit code${ctx}`);
      assert.equal(l.recap, a.recap, `recap${ctx}`);
      assert.equal(readFileSync(join(out, 'lvsplay.txt'), 'utf8'), 'through\n');
      assert.equal(readFileSync(join(out, 'ansible.txt'), 'utf8'), 'through\n');
      // the jump host goes away: both fail the host as unreachable; lvsplay names the jump host
      jump.kill();
      const a2 = tool('ansible', dir);
      const l2 = tool('lvsplay', dir);
      const ctx2 = `\n--- ansible:\n${a2.out}\n--- lvsplay:\n${l2.out}`;
      assert.equal(l2.rc, a2.rc, `exit code${ctx2}`);
      assert.equal(l2.rc, 4, ctx2);
      assert.equal(l2.recap, a2.recap, `recap${ctx2}`);
      assert.match(l2.out, /through jump host jumpy \(127\.0\.0\.1:\d+\): connection refused/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
