// apt's arguments real roles pass (deb, force/allow_downgrade, dpkg_options, autoremove, only_upgrade,
// default_release), compared with ansible-playbook 2.14: results, changed and counts over two runs,
// and check mode. No network: tiny packages built here (lvsplay-test-pkg-*) in local file:
// repositories (test/helpers/aptrepo.ts); each tool runs in its own mount namespace with overlays on
// the apt/dpkg state and /etc, so this machine's packages never change. Needs root.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assertSame, differential, skipWithoutAnsible, type DiffOpts } from './harness.js';
import { buildRepo, isolateApt } from '../helpers/aptrepo.js';

const P = 'lvsplay-test-pkg';

describe('compat: apt arguments (differential against ansible-playbook; root, apt/dpkg state overlaid in a mount namespace)', function () {
  this.timeout(600_000);
  let dir = '';
  let o: DiffOpts = {};
  before(async function () {
    await skipWithoutAnsible(this);
    if (process.getuid?.() !== 0) {
      console.log('      (skipped: the apt test needs root for unshare --mount and overlays on the dpkg/apt state)');
      this.skip();
    }
    dir = mkdtempSync(join(tmpdir(), 'lvsplay-apt-repo-'));
    buildRepo(dir, [
      { name: `${P}-a`, version: '1.0', suite: 'stable' },
      { name: `${P}-a`, version: '2.0', suite: 'next' },
      { name: `${P}-b`, version: '1.0', depends: `${P}-c` },
      { name: `${P}-c`, version: '1.0', suite: 'stable' },
      { name: `${P}-d`, version: '1.0', suite: 'stable', depends: `${P}-e` },
      { name: `${P}-e`, version: '1.0', suite: 'stable' },
      { name: `${P}-f`, version: '1.0', suite: 'stable' },
      { name: `${P}-g`, version: '1.0', suite: 'stable' },
      { name: `${P}-g`, version: '2.0', suite: 'next' },
      { name: `${P}-i`, version: '1.0', suite: 'stable', conffile: 'v1\n' },
      { name: `${P}-i`, version: '2.0', suite: 'next', conffile: 'v2\n' },
    ]);
    o = { prefix: isolateApt(dir), args: ['-e', `repo=${dir}`] };
  });
  after(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const ver = (n: string, t: string): string => `    - {name: ${t}, command: "dpkg-query -W -f='\${Status} \${Version}' ${P}-${n}", register: r, failed_when: false, changed_when: false}`;
  const base = ['changed', 'failed'];

  it('deb: installs a local .deb (its missing dependency from the repository first), leaves an installed version alone, refuses a downgrade unless allow_downgrade or force', async () => {
    const pb = `
- hosts: all
  gather_facts: false
  tasks:
    - {name: deb-b, apt: {deb: "{{ repo }}/debs/${P}-b_1.0_all.deb"}, register: r}
${ver('b', 'ver-b')}
${ver('c', 'ver-c')}
    - {name: deb-a2, apt: {deb: "{{ repo }}/debs/${P}-a_2.0_all.deb"}, register: r}
    - {name: deb-a1-refused, apt: {deb: "{{ repo }}/debs/${P}-a_1.0_all.deb"}, register: r, ignore_errors: true}
    - {name: deb-a1-downgrade, apt: {deb: "{{ repo }}/debs/${P}-a_1.0_all.deb", allow_downgrade: true}, register: r}
    - {name: deb-a2-force, ansible.builtin.apt: {deb: "{{ repo }}/debs/${P}-a_2.0_all.deb", force: true}, register: r}
    - {name: deb-a1-force, apt: {deb: "{{ repo }}/debs/${P}-a_1.0_all.deb", force: true}, register: r}
${ver('a', 'ver-a')}
    - {name: deb-missing, apt: {deb: "{{ repo }}/debs/nosuch.deb"}, register: r, ignore_errors: true}
    - {name: deb-absent, apt: {deb: "{{ repo }}/debs/${P}-a_1.0_all.deb", state: absent}, register: r, ignore_errors: true}
`;
    const d = await differential(pb, o);
    assertSame(d, {
      'deb-b': base, 'ver-b': ['stdout'], 'ver-c': ['stdout'], 'deb-a2': base, 'deb-a1-refused': [...base, 'msg'],
      'deb-a1-downgrade': base, 'deb-a2-force': base, 'deb-a1-force': base, 'ver-a': ['stdout'], 'deb-absent': [...base, 'msg'], 'deb-missing': [...base, 'msg'],
    });
    assert.equal(d.lvsplay.runs[0].tasks.get('ver-c')?.stdout, 'install ok installed 1.0');
    assert.equal(d.lvsplay.runs[1].tasks.get('deb-b')?.changed, false);
  });

  it('name=version (and name=pattern, newest match): a downgrade fails without allow_downgrade, succeeds with it or with force; dpkg_options decide a changed conffile', async () => {
    const pb = `
- hosts: all
  gather_facts: false
  tasks:
    - {name: a2, apt: {name: "${P}-a=2.0"}, register: r}
    - {name: a1-refused, apt: {name: "${P}-a=1.0"}, register: r, ignore_errors: true}
    - {name: a1-allowed, apt: {name: "${P}-a=1.0", allow_downgrade: true}, register: r}
    - {name: a2-again, apt: {name: "${P}-a=2.0"}, register: r}
    - {name: a1-force, apt: {name: "${P}-a=1.0", force: true}, register: r}
${ver('a', 'ver-a')}
    - {name: a-glob, apt: {name: "${P}-a=2.*"}, register: r}
    - {name: a-glob-again, apt: {name: "${P}-a=2.*"}, register: r}
    - {name: a-glob-none, apt: {name: "${P}-a=7.*"}, register: r, ignore_errors: true}
${ver('a', 'ver-a-glob')}
    - {name: i1, apt: {name: "${P}-i=1.0", allow_downgrade: true}, register: r}
    - {name: edit, copy: {dest: /etc/${P}-i.conf, content: "local\\n"}}
    - {name: i2-keep, apt: {name: "${P}-i=2.0"}, register: r}
    - {name: conf-kept, command: cat /etc/${P}-i.conf, register: r, changed_when: false}
    - {name: i1-back, apt: {name: "${P}-i=1.0", allow_downgrade: true, dpkg_options: "force-confdef,force-confold"}, register: r}
    - {name: edit2, copy: {dest: /etc/${P}-i.conf, content: "local\\n"}}
    - {name: i2-new, apt: {name: "${P}-i=2.0", dpkg_options: force-confnew}, register: r}
    - {name: conf-new, command: cat /etc/${P}-i.conf, register: r, changed_when: false}
`;
    const d = await differential(pb, o);
    assertSame(d, {
      a2: base, 'a1-refused': base, 'a1-allowed': base, 'a2-again': base, 'a1-force': base, 'ver-a': ['stdout'],
      'a-glob': base, 'a-glob-again': base, 'a-glob-none': [...base, 'msg'], 'ver-a-glob': ['stdout'],
      i1: base, 'i2-keep': base, 'conf-kept': ['stdout'], 'i1-back': base, 'i2-new': base, 'conf-new': ['stdout'],
    });
    assert.equal(d.lvsplay.runs[0].tasks.get('conf-kept')?.stdout, 'local');
    assert.equal(d.lvsplay.runs[0].tasks.get('conf-new')?.stdout, 'v2');
  });

  it('autoremove (alone and with remove), only_upgrade and default_release as Ansible (results and counts of two runs)', async () => {
    const pb = `
- hosts: all
  gather_facts: false
  tasks:
    - {name: d, apt: {name: ${P}-d}, register: r}
    - {name: d-absent, apt: {name: ${P}-d, state: absent}, register: r}
    - {name: autoremove, apt: {autoremove: true}, register: r}
${ver('e', 'ver-e')}
    - {name: autoremove-again, apt: {autoremove: true}, register: r}
    - {name: d2, apt: {name: ${P}-d}, register: r}
    - {name: d-absent-autoremove, apt: {name: ${P}-d, state: absent, autoremove: true, purge: true}, register: r}
${ver('e', 'ver-e2')}
    - {name: a1, apt: {name: "${P}-a=1.0", allow_downgrade: true}, register: r}
    - {name: only-latest-stable, apt: {name: ["${P}-a", "${P}-f"], state: latest, only_upgrade: true}, register: r}
    - {name: only-latest-next, apt: {name: ["${P}-a", "${P}-f"], state: latest, only_upgrade: true, default_release: lvsplay-next}, register: r}
${ver('a', 'ver-a')}
${ver('f', 'ver-f')}
    - {name: g-next, apt: {name: ${P}-g, default_release: lvsplay-next}, register: r}
${ver('g', 'ver-g')}
    - {name: g-present, apt: {name: ${P}-g}, register: r}
    - {name: g-latest-stable, apt: {name: ${P}-g, state: latest}, register: r}
`;
    const d = await differential(pb, o);
    const f = ['d', 'd-absent', 'autoremove', 'autoremove-again', 'd2', 'd-absent-autoremove', 'only-latest-stable', 'only-latest-next', 'g-next', 'g-present', 'g-latest-stable'];
    assertSame(d, { ...Object.fromEntries(f.map((t) => [t, base])), 'ver-e': ['stdout', 'rc'], 'ver-e2': ['stdout', 'rc'], 'ver-a': ['stdout'], 'ver-f': ['stdout', 'rc'], 'ver-g': ['stdout'] });
    assert.equal(d.lvsplay.runs[0].tasks.get('autoremove')?.changed, true);
    assert.equal(d.lvsplay.runs[0].tasks.get('ver-g')?.stdout, 'install ok installed 2.0');
    assert.equal(d.lvsplay.runs[0].tasks.get('ver-a')?.stdout, 'install ok installed 2.0');
  });

  it('autoclean: with names ignored; without names it deletes what can no longer be downloaded and ends the task (autoremove then not done); alone, and no argument at all, are accepted', async () => {
    const pb = `
- hosts: all
  gather_facts: false
  tasks:
    - {name: install-with-autoclean, apt: {name: ${P}-f, autoclean: true}, register: r}
    - {name: plant, copy: {src: "{{ repo }}/debs/${P}-f_1.0_all.deb", dest: "/var/cache/apt/archives/${P}-f_0.5_all.deb", remote_src: true}}
    - {name: d, apt: {name: ${P}-d}, register: r}
    - {name: d-absent, apt: {name: ${P}-d, state: absent}, register: r}
    - {name: autoclean, apt: {autoclean: true, autoremove: true}, register: r}
    - {name: gone, stat: {path: "/var/cache/apt/archives/${P}-f_0.5_all.deb"}, register: r}
${ver('e', 'ver-e')}
    - {name: autoclean-again, apt: {autoclean: true, autoremove: true}, register: r}
    - {name: autoclean-alone, apt: {autoclean: true}, register: r, ignore_errors: true}
    - {name: nothing, apt: {}, register: r, ignore_errors: true}
`;
    const d = await differential(pb, o);
    assertSame(d, {
      ...Object.fromEntries(['install-with-autoclean', 'd', 'd-absent', 'autoclean', 'autoclean-again'].map((t) => [t, base])),
      'autoclean-alone': [...base, 'msg'],
      nothing: [...base, 'msg', 'cache_updated'],
      gone: ['stat'],
      'ver-e': ['stdout', 'rc'],
    });
    assert.equal(d.lvsplay.runs[0].tasks.get('autoclean')?.changed, true);
  });

  it('converges: a second run of the new arguments changes nothing (changed=0), as in Ansible', async () => {
    const pb = `
- hosts: all
  gather_facts: false
  tasks:
    - {name: deb, apt: {deb: "{{ repo }}/debs/${P}-b_1.0_all.deb", dpkg_options: "force-confdef,force-confold"}, register: r}
    - {name: down, apt: {name: "${P}-a=1.0", allow_downgrade: true, force: true}, register: r}
    - {name: next, apt: {name: ${P}-g, state: latest, default_release: lvsplay-next, only_upgrade: false}, register: r}
    - {name: only, apt: {name: ["${P}-a", "${P}-f"], state: latest, only_upgrade: true}, register: r}
    - {name: d, apt: {name: ${P}-d, autoremove: true}, register: r}
    - {name: autoremove, apt: {autoremove: true}, register: r}
`;
    const d = await differential(pb, o);
    assertSame(d, Object.fromEntries(['deb', 'down', 'next', 'only', 'd', 'autoremove'].map((t) => [t, base])));
    assert.equal(d.lvsplay.runs[1].counts.changed, 0);
    assert.ok(d.lvsplay.runs[0].counts.changed >= 4);
  });

  it('check mode: reports the same changes and changes nothing', async () => {
    const pb = `
- hosts: all
  gather_facts: false
  tasks:
    - {name: deb, apt: {deb: "{{ repo }}/debs/${P}-a_2.0_all.deb"}, register: r}
    - {name: g-next, apt: {name: ${P}-g, default_release: lvsplay-next}, register: r}
    - {name: d, apt: {name: ${P}-d}, register: r}
    - {name: autoremove, apt: {autoremove: true}, register: r}
`;
    // the second --check run reports the same changes: the first changed nothing
    const d = await differential(pb, { ...o, args: [...(o.args ?? []), '--check'] });
    assertSame(d, { deb: base, 'g-next': base, d: base, autoremove: base });
    assert.equal(d.lvsplay.runs[1].tasks.get('deb')?.changed, true);
  });
});
