// Role lvs_firewall under both tools (`connection: local`): its one task (a shell script from the
// role's files/ via lookup, environment from role vars merged with the play's, changed_when on its
// output, run in check mode with LVS_FW_CHECK=1) gives the same results and leaves the same
// firewall state under ansible-playbook 2.14 and lvsplay. firewalld cannot run here (no dbus or
// systemd): a firewall-cmd stand-in with firewalld's recorded answers (test/fixtures/firewalld)
// keeps its state in the scratch directory. PATH has no nft or ufw (no firewall found = none).
import { mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { assertSame, differential, skipWithoutAnsible } from './harness.js';

const ROLE = fileURLToPath(new URL('../../../roles/lvs_firewall', import.meta.url));
const STUB = fileURLToPath(new URL('../../../test/fixtures/firewalld', import.meta.url));
const TASK = `lvs_firewall : Open VRRP and 80/tcp in the host firewall, if one is active`;
const FIELDS = ['changed', 'failed', 'rc', 'stdout', 'skipped'];

// The role beside the playbook (roles/lvs_firewall), found by name by both tools.
const beside = (dir: string): void => {
  mkdirSync(join(dir, 'roles'));
  symlinkSync(ROLE, join(dir, 'roles', 'lvs_firewall'));
};
const playbook = (vars: string): string => `
- hosts: all
  gather_facts: false
  environment:
    FWSTUB_DIR: "{{ work }}"
  roles:
    - role: lvs_firewall
      vars: {lvs_firewall_vrrp: true, lvs_firewall_ports: "80/tcp", lvs_firewall_interface: eth1${vars}}
`;

describe('compat: role lvs_firewall (differential against ansible-playbook; firewalld through a firewall-cmd stand-in)', function () {
  this.timeout(240_000);
  before(async function () {
    await skipWithoutAnsible(this);
  });

  it('firewalld (stand-in) running: --check reports and adds nothing, then the rules are added once, then ok', async () => {
    const d = await differential(playbook(''), { runs: 3, runArgs: (i) => (i === 0 ? ['--check'] : []), env: { PATH: `${STUB}:/usr/bin:/bin` }, beside });
    assertSame(d, { [TASK]: FIELDS });
  });

  it('no firewall on PATH: ok, nothing changed; lvs_firewall_manage=false: skipped', async () => {
    assertSame(await differential(playbook(''), { runs: 1, env: { PATH: '/usr/bin:/bin' }, beside }), { [TASK]: FIELDS });
    assertSame(await differential(playbook(', lvs_firewall_manage: false'), { runs: 1, env: { PATH: '/usr/bin:/bin' }, beside }), { [TASK]: ['changed', 'skipped'] });
  });
});
