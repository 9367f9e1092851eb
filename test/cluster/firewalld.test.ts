// Role lvs_firewall on the RHEL family: firewalld cannot run here (it needs dbus and systemd as
// PID 1), so its script (roles/lvs_firewall/files/lvs-firewall.sh) runs against a firewall-cmd
// stand-in answering as firewalld 1.x does (test/fixtures/firewalld/firewall-cmd, recorded answers:
// yes/no with exit 0/1, success, ALREADY_ENABLED, not running = 252, "no zone").
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './clustervars.js';

const SCRIPT = join(ROOT, 'roles/lvs_firewall/files/lvs-firewall.sh');
const STUB_DIR = join(ROOT, 'test/fixtures/firewalld');
const VRRP_RULE = 'rule family="ipv4" destination address="224.0.0.18" protocol value="vrrp" accept';

describe('cluster: role lvs_firewall with firewalld (cannot run here: no dbus/systemd; a firewall-cmd stand-in with recorded answers)', () => {
  let dir = '';
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'lvsplay-firewalld-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const script = (env: Record<string, string>): { out: string; calls: string[]; state: string[] } => {
    const r = spawnSync('sh', [SCRIPT], {
      encoding: 'utf8',
      // No nft or ufw on this PATH: only firewalld can be found.
      env: { PATH: `${STUB_DIR}:/usr/bin:/bin`, FWSTUB_DIR: dir, LVS_FW_PORTS: '80/tcp', LVS_FW_VRRP: '1', LVS_FW_VRRP_DEST: '224.0.0.18', LVS_FW_IFACE: 'eth1', ...env },
    });
    assert.equal(r.status, 0, `script exit ${r.status}: ${r.stdout}${r.stderr}`);
    const lines = (f: string): string[] => (existsSync(join(dir, f)) ? readFileSync(join(dir, f), 'utf8').trim().split('\n').filter(Boolean) : []);
    const calls = lines('calls');
    writeFileSync(join(dir, 'calls'), '');
    return { out: r.stdout, calls, state: lines('state').sort() };
  };
  const adds = (calls: string[]): string[] => calls.filter((c) => c.includes('--add-'));

  it('adds the VRRP rich rule and 80/tcp to the runtime and permanent configuration of the interface\'s zone, once', () => {
    const first = script({ FWSTUB_IFACE_ZONE: 'internal' });
    assert.match(first.out, /^lvsplay-fw: firewall: firewalld$/m);
    assert.deepEqual(adds(first.calls), [
      `--zone=internal --add-rich-rule=${VRRP_RULE}`,
      `--permanent --zone=internal --add-rich-rule=${VRRP_RULE}`,
      '--zone=internal --add-port=80/tcp',
      '--permanent --zone=internal --add-port=80/tcp',
    ]);
    assert.equal(first.out.match(/lvsplay-fw: changed:/g)?.length, 4);
    assert.deepEqual(first.state, [`permanent internal rich-rule ${VRRP_RULE}`, 'permanent internal port 80/tcp', `runtime internal rich-rule ${VRRP_RULE}`, 'runtime internal port 80/tcp'].sort());
    const again = script({ FWSTUB_IFACE_ZONE: 'internal' });
    assert.doesNotMatch(again.out, /changed:/, 'a second run changes nothing');
    assert.deepEqual(adds(again.calls), []);
  });

  it('check mode (LVS_FW_CHECK=1) reports the four missing rules and adds none', () => {
    const r = script({ LVS_FW_CHECK: '1' });
    assert.equal(r.out.match(/lvsplay-fw: changed:/g)?.length, 4);
    assert.deepEqual(adds(r.calls), []);
    assert.deepEqual(r.state, []);
  });

  it('an interface in no zone uses the default zone ("no zone" with exit 2, or with exit 0)', () => {
    for (const rc of ['2', '0']) {
      const r = script({ FWSTUB_NOZONE_RC: rc, FWSTUB_DEFAULT_ZONE: 'public' });
      assert.deepEqual(adds(r.calls).map((c) => c.match(/--zone=(\S+)/)?.[1]), ['public', 'public', 'public', 'public'], `exit ${rc}`);
      rmSync(join(dir, 'state'));
    }
  });

  it('only what is missing is added: permanent rules without runtime ones (after a firewalld restart without --reload)', () => {
    writeFileSync(join(dir, 'state'), `permanent public rich-rule ${VRRP_RULE}\npermanent public port 80/tcp\n`);
    assert.deepEqual(adds(script({}).calls), [`--zone=public --add-rich-rule=${VRRP_RULE}`, '--zone=public --add-port=80/tcp']);
  });

  it('unicast VRRP (LVS_FW_VRRP_DEST empty): the rich rule has no destination; real servers (LVS_FW_VRRP=0): ports only', () => {
    assert.ok(adds(script({ LVS_FW_VRRP_DEST: '' }).calls).includes('--zone=public --add-rich-rule=rule family="ipv4" protocol value="vrrp" accept'));
    rmSync(join(dir, 'state'));
    assert.deepEqual(adds(script({ LVS_FW_VRRP: '0', LVS_FW_PORTS: '80/tcp 443/tcp' }).calls), [
      '--zone=public --add-port=80/tcp',
      '--permanent --zone=public --add-port=80/tcp',
      '--zone=public --add-port=443/tcp',
      '--permanent --zone=public --add-port=443/tcp',
    ]);
  });

  it('firewalld installed but not running (exit 252): nothing is touched, the firewall stays off', () => {
    const r = script({ FWSTUB_STATE: 'stopped' });
    assert.match(r.out, /^lvsplay-fw: firewall: none$/m);
    assert.deepEqual(r.calls, ['--state']);
  });
});
