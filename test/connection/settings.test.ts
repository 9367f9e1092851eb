// Pure parts of the connection layer: known_hosts matching, ssh config, settings precedence.
import assert from 'node:assert/strict';
import { createHmac, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  blobType,
  fingerprint,
  hostFieldMatches,
  keysForHost,
  lookupName,
  preferredHostKeyAlgorithms,
  verifyHostKey,
} from '../../src/connection/knownhosts.js';
import { computeSshConfig, parseSshArgs } from '../../src/connection/sshconfig.js';
import { createConnection, envHostKeyChecking, reveal, sshSettings } from '../../src/connection/index.js';
import { LocalConnection } from '../../src/connection/local.js';
import { ConfigError } from '../../src/errors.js';

function fakeBlob(type: string): Buffer {
  const t = Buffer.from(type);
  const len = Buffer.alloc(4);
  len.writeUInt32BE(t.length);
  return Buffer.concat([len, t, randomBytes(32)]);
}

describe('known_hosts', () => {
  const ed = fakeBlob('ssh-ed25519');
  const rsa = fakeBlob('ssh-rsa');

  it('matches plain names, [host]:port, wildcards and negations', () => {
    assert.equal(lookupName('10.0.0.1', 22), '10.0.0.1');
    assert.equal(lookupName('10.0.0.1', 2222), '[10.0.0.1]:2222');
    assert.ok(hostFieldMatches('node01,10.0.0.1', '10.0.0.1'));
    assert.ok(hostFieldMatches('[10.0.0.1]:2222', '[10.0.0.1]:2222'));
    assert.ok(!hostFieldMatches('10.0.0.1', '[10.0.0.1]:2222'));
    assert.ok(hostFieldMatches('10.150.0.*', '10.150.0.12'));
    assert.ok(!hostFieldMatches('10.150.0.*,!10.150.0.12', '10.150.0.12'));
    assert.ok(hostFieldMatches('node0?', 'NODE01'), 'host names are case-insensitive');
  });

  it('matches hashed |1|salt|hmac entries', () => {
    const salt = randomBytes(20);
    const h = createHmac('sha1', salt).update('[10.0.0.1]:2222').digest('base64');
    const field = `|1|${salt.toString('base64')}|${h}`;
    assert.ok(hostFieldMatches(field, '[10.0.0.1]:2222'));
    assert.ok(!hostFieldMatches(field, '10.0.0.1'));
  });

  it('verifies: ok, mismatch, unknown, revoked; comments and @cert-authority ignored', () => {
    const text = [
      '# comment',
      `@cert-authority * ssh-ed25519 ${fakeBlob('ssh-ed25519').toString('base64')}`,
      `node01 ssh-ed25519 ${ed.toString('base64')} comment here`,
      `@revoked node02 ssh-rsa ${rsa.toString('base64')}`,
    ].join('\n');
    const k1 = keysForHost(text, 'node01', 'kh');
    assert.equal(k1.length, 1);
    assert.equal(k1[0].line, 3);
    assert.equal(verifyHostKey(k1, ed).ok, true);
    const bad = verifyHostKey(k1, rsa);
    assert.ok(!bad.ok && bad.why === 'mismatch');
    const unknown = verifyHostKey(keysForHost(text, 'node09'), ed);
    assert.ok(!unknown.ok && unknown.why === 'unknown');
    const revoked = verifyHostKey(keysForHost(text, 'node02'), rsa);
    assert.ok(!revoked.ok && revoked.why === 'revoked');
  });

  it('fingerprints like ssh-keygen -l and reads the key type from the blob', () => {
    assert.match(fingerprint(ed), /^SHA256:[A-Za-z0-9+/]{43}$/);
    assert.equal(blobType(rsa), 'ssh-rsa');
  });

  it('prefers the host key algorithms already known for the host', () => {
    const known = keysForHost(`h ssh-rsa ${rsa.toString('base64')}`, 'h');
    const algs = preferredHostKeyAlgorithms(known, ['ssh-ed25519', 'rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa']);
    assert.deepEqual(algs, ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa', 'ssh-ed25519']);
  });
});

describe('ssh config and ssh args', () => {
  it('first value wins across Host blocks; wildcards; ~ expanded', () => {
    const c = computeSshConfig(
      'Host node01\n  HostName 10.0.0.1\n  IdentityFile ~/.ssh/one\nHost node*\n  User vagrant\n  Port 2222\n  IdentityFile ~/.ssh/two\nHost *\n  User nobody\n  ConnectTimeout 3\n',
      'node01',
    );
    assert.equal(c.hostName, '10.0.0.1');
    assert.equal(c.user, 'vagrant');
    assert.equal(c.port, 2222);
    assert.deepEqual(c.identityFiles, [join(homedir(), '.ssh/one'), join(homedir(), '.ssh/two')]);
    assert.equal(c.connectTimeoutMs, 3000);
  });

  it('parses -o options in all their spellings', () => {
    assert.deepEqual(parseSshArgs(`-o StrictHostKeyChecking=no -oUserKnownHostsFile=/tmp/kh -o "ProxyJump bastion" -o Port 2200`), {
      stricthostkeychecking: 'no',
      userknownhostsfile: '/tmp/kh',
      proxyjump: 'bastion',
      port: '2200',
    });
  });
});

describe('createConnection / sshSettings', () => {
  let dir: string;
  let cfg: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'lvsplay-sshcfg-'));
    cfg = join(dir, 'config');
    writeFileSync(cfg, 'Host node01\n  HostName 192.168.121.10\n  User vagrant\n  Port 22\n  IdentityFile /keys/node01\n  IdentitiesOnly yes\n  UserKnownHostsFile /dev/null\n  StrictHostKeyChecking no\n');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));
  const noEnv = { env: {} };

  it('ansible_connection=local gives a LocalConnection; unknown kinds are a ConfigError', () => {
    assert.ok(createConnection('localhost', { ansible_connection: 'local' }) instanceof LocalConnection);
    assert.throws(() => createConnection('h', { ansible_connection: 'docker' }), ConfigError);
  });

  it('inventory vars beat ~/.ssh/config, which fills in the rest', () => {
    const s = sshSettings('node01', { ansible_user: 'root' }, { sshConfigFile: cfg, ...noEnv });
    assert.equal(s.hostName, '192.168.121.10');
    assert.equal(s.user, 'root');
    assert.deepEqual(s.keyFiles, ['/keys/node01']);
    assert.equal(s.identitiesOnly, true);
    assert.equal(s.strictHostKeyChecking, false);
    assert.deepEqual(s.knownHostsFiles, ['/dev/null']);
  });

  it('defaults: port 22, strict checking, ~/.ssh/known_hosts, 10 s timeout', () => {
    const s = sshSettings('web1', { ansible_host: '10.150.0.12' }, { sshConfigFile: '/nonexistent', ...noEnv });
    assert.equal(s.port, 22);
    assert.equal(s.strictHostKeyChecking, true);
    assert.equal(s.knownHostsFiles[0], join(homedir(), '.ssh/known_hosts'));
    assert.equal(s.connectTimeoutMs, 10000);
  });

  it('lvsplay_known_hosts (set by the lab) and ansible_ssh_common_args choose the known_hosts file', () => {
    const a = sshSettings('n', { lvsplay_known_hosts: '/var/lib/lab/known_hosts' }, { sshConfigFile: '/nonexistent', ...noEnv });
    assert.deepEqual(a.knownHostsFiles, ['/var/lib/lab/known_hosts']);
    const b = sshSettings('n', { ansible_ssh_common_args: '-o UserKnownHostsFile=/tmp/kh' }, { sshConfigFile: '/nonexistent', ...noEnv });
    assert.deepEqual(b.knownHostsFiles, ['/tmp/kh']);
  });

  it('host key checking opt-outs: option, LVSPLAY_HOST_KEY_CHECKING, ANSIBLE_HOST_KEY_CHECKING', () => {
    const base = { sshConfigFile: '/nonexistent' };
    assert.equal(sshSettings('n', {}, { ...base, strictHostKeyChecking: false, env: {} }).strictHostKeyChecking, false);
    assert.equal(sshSettings('n', {}, { ...base, env: { ANSIBLE_HOST_KEY_CHECKING: 'False' } }).strictHostKeyChecking, false);
    assert.equal(envHostKeyChecking({ LVSPLAY_HOST_KEY_CHECKING: 'false' }), false);
    assert.equal(envHostKeyChecking({}), undefined);
    const labArgs = { ansible_ssh_common_args: '-o StrictHostKeyChecking=yes' };
    assert.equal(sshSettings('n', labArgs, { ...base, env: {} }).strictHostKeyChecking, true);
    assert.equal(sshSettings('n', labArgs, { ...base, strictHostKeyChecking: false, env: {} }).strictHostKeyChecking, false, '--ssh-insecure wins');
  });

  it('passwords may be secret wrappers; they are revealed only for ssh', () => {
    assert.equal(reveal({ reveal: () => 'pw' }), 'pw');
    assert.equal(reveal({ value: 'pw2' }), 'pw2');
    const s = sshSettings('n', { ansible_ssh_pass: { value: 'x' } }, { sshConfigFile: '/nonexistent', ...noEnv });
    assert.equal(s.password, 'x');
  });
});
