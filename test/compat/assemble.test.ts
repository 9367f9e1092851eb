// assemble: the file built from a directory of fragments, its result fields and the files left,
// compared with ansible-playbook 2.14 (connection: local, each tool in its own scratch directory,
// run twice: the second run changes nothing); fragments on the host (remote_src, the default) and on
// the controller (files/ beside the playbook); delimiters with escapes, regexp, ignore_hidden,
// validate, backup, errors; skipped in check mode.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { assertSame, differential, skipWithoutAnsible } from './harness.js';

/** Fragments: some without a final newline, a dotfile, a directory and a symlink to a fragment. */
function fragments(dir: string): void {
  mkdirSync(join(dir, 'sub'), { recursive: true });
  writeFileSync(join(dir, '10-global.conf'), 'global_defs {\n  router_id lvs1\n}\n');
  writeFileSync(join(dir, '20-vip.conf'), 'vrrp_instance VI_1 {\n  state MASTER\n}'); // no final newline
  writeFileSync(join(dir, '30-rs.conf'), 'virtual_server 10.0.0.100 80 {\n}\n');
  writeFileSync(join(dir, '.hidden.conf'), '# hidden\n');
  writeFileSync(join(dir, '05-empty.conf'), '');
  writeFileSync(join(dir, 'README'), 'not a fragment\n');
}

const FIELDS = ['changed', 'failed', 'skipped', 'msg', 'src', 'dest', 'checksum', 'md5sum', 'size', 'mode', 'state', 'owner', 'group', 'uid', 'gid'];

describe('compat: assemble (differential against ansible-playbook)', function () {
  this.timeout(240_000);
  before(function () {
    skipWithoutAnsible(this);
  });

  it('fragments on the host: name order, delimiters (escapes decoded), regexp, ignore_hidden, mode; unchanged on the second run', async () => {
    const d = await differential(
      `
- hosts: all
  gather_facts: false
  tasks:
    - {name: plain, assemble: {src: "{{ work }}/frags", dest: "{{ work }}/plain.conf"}, register: r}
    - {name: delim, ansible.builtin.assemble: {src: "{{ work }}/frags", dest: "{{ work }}/delim.conf", delimiter: "### fragment ###", mode: "0600"}, register: r}
    - {name: escaped, assemble: {src: "{{ work }}/frags", dest: "{{ work }}/esc.conf", delimiter: '\\n# ---\\t\\x41\\101\\n', regexp: '\\.conf$'}, register: r}
    - {name: doubled, assemble: {src: "{{ work }}/frags", dest: "{{ work }}/dbl.conf", delimiter: '\\\\n|', regexp: '^[0-9]'}, register: r}
    - {name: hidden, assemble: {src: "{{ work }}/frags", dest: "{{ work }}/hid.conf", ignore_hidden: true, remote_src: true}, register: r}
    - {name: nothing, assemble: {src: "{{ work }}/frags", dest: "{{ work }}/none.conf", regexp: 'nomatch'}, register: r}
    - {name: validated, assemble: {src: "{{ work }}/frags", dest: "{{ work }}/val.conf", validate: "grep -q global_defs %s"}, register: r}
`,
      { setup: (w) => fragments(join(w, 'frags')) },
    );
    assertSame(d, Object.fromEntries(['plain', 'delim', 'escaped', 'doubled', 'hidden', 'nothing', 'validated'].map((t) => [t, FIELDS])));
  });

  it('errors: src missing or not a directory, validate without %s, validation failing (dest untouched); skipped in check mode', async () => {
    const d = await differential(
      `
- hosts: all
  gather_facts: false
  tasks:
    - {name: missing, assemble: {src: "{{ work }}/nope", dest: "{{ work }}/x.conf"}, register: r, ignore_errors: true}
    - {name: notdir, assemble: {src: "{{ work }}/frags/README", dest: "{{ work }}/x.conf"}, register: r, ignore_errors: true}
    - {name: novalidate, assemble: {src: "{{ work }}/frags", dest: "{{ work }}/x.conf", validate: "true"}, register: r, ignore_errors: true}
    - {name: badvalidate, assemble: {src: "{{ work }}/frags", dest: "{{ work }}/keep.conf", validate: "grep -q nosuchtext %s"}, register: r, ignore_errors: true}
`,
      { setup: (w) => (fragments(join(w, 'frags')), writeFileSync(join(w, 'keep.conf'), 'old\n')), runArgs: (i) => (i === 0 ? ['--check'] : []) },
    );
    assertSame(d, { missing: ['changed', 'failed', 'skipped', 'msg'], notdir: ['changed', 'failed', 'skipped', 'msg'], novalidate: ['changed', 'failed', 'skipped', 'msg'], badvalidate: ['changed', 'failed', 'skipped'] });
  });

  it('fragments on the controller (remote_src: false, files/ beside the playbook): the file and its attributes; unchanged on the second run', async () => {
    const d = await differential(
      `
- hosts: all
  gather_facts: false
  tasks:
    - {name: local, assemble: {src: parts, dest: "{{ work }}/local.conf", remote_src: false, delimiter: "# --", mode: "0640"}, register: r}
    - {name: localre, assemble: {src: parts, dest: "{{ work }}/localre.conf", remote_src: false, regexp: "^[0-9]+-", ignore_hidden: true}, register: r}
`,
      { beside: (dir) => fragments(join(dir, 'files', 'parts')) },
    );
    assertSame(d, { local: ['changed', 'failed', 'dest', 'checksum', 'size', 'mode', 'state'], localre: ['changed', 'failed', 'dest', 'checksum', 'size', 'mode', 'state'] });
  });
});
