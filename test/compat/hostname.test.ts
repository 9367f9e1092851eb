// hostname: each tool runs in its own UTS + mount namespace with an overlay on /etc whose upper
// directory lives in the test's scratch space (seeded with /etc/hostname, /etc/hosts — names resolve
// from files only, no DNS — /etc/conf.d/hostname and /etc/sysconfig/network), so this machine's
// name and files never change. The files as each tool left them are copied into the scratch
// directory and compared, with the results (ansible_facts.ansible_hostname/nodename/fqdn/domain),
// counts over two runs (the second changes nothing) and check mode, against ansible-playbook 2.14.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { hostname as osHostname, tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { assertSame, differential, skipUnlessRoot, skipWithoutAnsible } from './harness.js';
import { q } from '../../src/shell.js';

const SEED: Record<string, string> = {
  hostname: 'lvsplay-old\n',
  hosts: `127.0.0.1 localhost ${osHostname()}\n127.0.1.1 lvsplay-h1.example.test lvsplay-h1\n127.0.1.2 lvsplay-h2.example.test lvsplay-h2\n`,
  'conf.d/hostname': '# set by hand\nhostname="lvsplay-old"\n',
  'sysconfig/network': 'NETWORKING=yes\nHOSTNAME=lvsplay-old\n',
};
const STUBS = fileURLToPath(new URL('../../../test/fixtures/stubs/', import.meta.url));
const AFTER = ['hostname', 'hosts', 'conf.d/hostname', 'sysconfig/network'];

/** Runs the tool in new UTS and mount namespaces with /etc overlaid; copies the files back into WORK/after. */
function isolate(work: string): string[] {
  const ov = join(work, '..', 'etc-overlay');
  const script = [
    'set -e',
    `ov=${q(ov)}; w=${q(work)}`,
    'mkdir -p "$ov/up" "$ov/wk"',
    '[ -e "$ov/seeded" ] || { cp -a "$w/seed/." "$ov/up/"; touch "$ov/seeded"; }',
    'mount -t overlay overlay -o "lowerdir=/etc,upperdir=$ov/up,workdir=$ov/wk" /etc',
    'set +e; "$@"; rc=$?',
    `mkdir -p "$w/after"; for f in ${AFTER.join(' ')}; do if [ -e "/etc/$f" ]; then cp "/etc/$f" "$w/after/$(echo "$f" | tr / _)"; fi; done`,
    'hostname > "$w/after/running-name"',
    'exit $rc',
  ].join('\n');
  return ['unshare', '--uts', '--mount', 'sh', '-c', script, 'sh'];
}
const setup = (work: string): void => {
  for (const [f, c] of Object.entries(SEED)) {
    mkdirSync(join(work, 'seed', f, '..'), { recursive: true });
    writeFileSync(join(work, 'seed', f), c);
  }
};

describe('compat: hostname (differential against ansible-playbook; root, in namespaces with /etc overlaid)', function () {
  this.timeout(240_000);
  before(async function () {
    await skipWithoutAnsible(this);
    skipUnlessRoot(this, 'the hostname test needs root for unshare --uts --mount and an overlay on /etc');
  });

  const pb = `
- hosts: all
  gather_facts: false
  tasks:
    - {name: auto, hostname: {name: lvsplay-h1.example.test}, register: r}
    - {name: auto-again, ansible.builtin.hostname: {name: lvsplay-h1.example.test}, register: r}
    - {name: openrc, hostname: {name: lvsplay-h2, use: openrc}, register: r}
    - {name: redhat, hostname: {name: lvsplay-h2, use: redhat}, register: r}
    - {name: systemd, hostname: {name: lvsplay-h2, use: systemd}, register: r, ignore_errors: true}
    - {name: alpine, hostname: {name: lvsplay-h2.example.test, use: alpine}, register: r}
    - {name: facts, debug: {msg: "{{ ansible_hostname }} {{ ansible_nodename }} {{ ansible_fqdn }} {{ ansible_domain }}"}, register: r}
`;
  const f = ['changed', 'failed', 'name', 'msg', 'ansible_facts.ansible_hostname', 'ansible_facts.ansible_nodename', 'ansible_facts.ansible_fqdn', 'ansible_facts.ansible_domain'];
  const all = Object.fromEntries(['auto', 'auto-again', 'openrc', 'redhat', 'systemd', 'alpine', 'facts'].map((t) => [t, f]));

  it('sets the name with each strategy as Ansible does (results, files, running name, counts of two runs)', async () => {
    const d = await differential(pb, { setup, prefix: isolate });
    assertSame(d, all);
    assert.equal(d.lvsplay.files['after/hostname']?.content, 'lvsplay-h2.example.test\n');
  });

  it('converges: the second run changes nothing (changed=0)', async () => {
    const one = `
- hosts: all
  gather_facts: false
  tasks:
    - {name: set, hostname: {name: lvsplay-h1.example.test}, register: r}
`;
    const d = await differential(one, { setup, prefix: isolate });
    assertSame(d, { set: f });
    assert.equal(d.lvsplay.runs[1].counts.changed, 0);
    assert.equal(d.lvsplay.runs[0].counts.changed, 1);
  });

  it('use=systemd with a stand-in hostnamectl (no systemd here): static then transient name, the same results and counts', async () => {
    const state = mkdtempSync(join(tmpdir(), 'lvsplay-hostnamectl-stub-'));
    const env = { PATH: `${STUBS}:${process.env.PATH}`, HOSTNAMECTL_STUB_STATE: state };
    const reset = (work: string): void => {
      setup(work);
      writeFileSync(join(state, 'static'), 'lvsplay-old\n');
      writeFileSync(join(state, 'transient'), 'lvsplay-old\n');
    };
    const one = `
- hosts: all
  gather_facts: false
  tasks:
    - {name: set, hostname: {name: lvsplay-h1.example.test, use: systemd}, register: r}
    - {name: transient-differs, shell: "echo other > ${state}/transient"}
    - {name: again, hostname: {name: lvsplay-h1.example.test, use: debian}, register: r}
    - {name: long, hostname: {name: "${'x'.repeat(65)}", use: systemd}, register: r, ignore_errors: true}
`;
    try {
      const d = await differential(one, { setup: reset, prefix: isolate, env, sequential: true });
      assertSame(d, { set: f, again: f, long: f });
      assert.equal(d.lvsplay.runs[0].counts.changed, 3);
      assert.match(String(d.lvsplay.runs[0].tasks.get('long')?.msg), /cannot be longer than 64 characters/);
    } finally {
      rmSync(state, { recursive: true, force: true });
    }
  });

  it('check mode changes no file and reports the same', async () => {
    assertSame(await differential(pb, { setup, prefix: isolate, runs: 1, args: ['--check', '--diff'] }), all);
  });
});
