// find: matched files (paths in order, modes, sizes, owners, checksums), matched/examined counts and
// skipped paths compared with ansible-playbook 2.14 on one scratch tree.
import { mkdirSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { assertSame, differential, skipWithoutAnsible } from './harness.js';

function tree(w: string): void {
  const t = join(w, 't');
  for (const d of ['', 'conf.d', 'conf.d/deep', '.hid', 'logs']) mkdirSync(join(t, d), { recursive: true });
  writeFileSync(join(t, 'a.conf'), 'listen 80\nserver x\n');
  writeFileSync(join(t, 'b.txt'), 'nothing\n');
  writeFileSync(join(t, '.hidden.conf'), 'listen 1\n');
  writeFileSync(join(t, 'conf.d/c.conf'), '  listen 81\n');
  writeFileSync(join(t, 'conf.d/deep/d.conf'), 'listen 82\n'.repeat(300));
  writeFileSync(join(t, '.hid/e.conf'), 'x\n');
  writeFileSync(join(t, 'logs/old.log'), 'old\n');
  utimesSync(join(t, 'logs/old.log'), new Date('2020-01-01'), new Date('2020-01-01'));
  writeFileSync(join(t, 'logs/new.log'), 'new\n');
  symlinkSync('a.conf', join(t, 'link.conf'));
  symlinkSync('conf.d', join(t, 'linkdir'));
}

const SHOW = "{{ r.files | map(attribute='path') | list }} {{ r.files | map(attribute='mode') | list }} {{ r.files | map(attribute='size') | list }} {{ r.files | map(attribute='pw_name') | list }} {{ r.files | map(attribute='islnk') | list }} {{ r.files | map(attribute='checksum', default='-') | list }}";

describe('compat: find (differential against ansible-playbook)', function () {
  this.timeout(180_000);
  before(async function () {
    await skipWithoutAnsible(this);
  });

  it('finds by pattern, regex, age, size, content, type and depth like Ansible', async () => {
    const cases: Record<string, string> = {
      plain: 'paths: "{{ work }}/t"',
      globs: 'paths: "{{ work }}/t", patterns: ["*.conf", "*.log"], recurse: true',
      excludes: 'paths: "{{ work }}/t", patterns: "*.conf", excludes: "c*", recurse: true, hidden: true',
      regex: 'paths: "{{ work }}/t", patterns: ["^[ab]\\\\..*"], use_regex: true, recurse: true',
      age: 'paths: "{{ work }}/t/logs", age: 1w',
      young: 'paths: "{{ work }}/t/logs", age: -1d',
      size: 'paths: "{{ work }}/t", size: 1k, recurse: true',
      small: 'paths: "{{ work }}/t", size: -10, recurse: true',
      contains: 'paths: "{{ work }}/t", contains: "listen 8", recurse: true',
      wholefile: 'paths: "{{ work }}/t", contains: "server", read_whole_file: true, recurse: true',
      dirs: 'paths: "{{ work }}/t", file_type: directory, recurse: true, hidden: true',
      any: 'paths: ["{{ work }}/t"], file_type: any',
      links: 'paths: "{{ work }}/t", file_type: link',
      depth: 'paths: "{{ work }}/t", recurse: true, depth: 2',
      checksum: 'paths: "{{ work }}/t", patterns: "*.conf", get_checksum: true',
      notdir: 'paths: ["{{ work }}/t/a.conf", "{{ work }}/nope", "{{ work }}/t/logs"]',
    };
    const tasks = Object.entries(cases)
      .map(([n, args]) => `    - {name: ${n}, find: {${args}}, register: r}\n    - {name: ${n}-show, debug: {msg: "${SHOW}"}}`)
      .join('\n');
    const d = await differential(`- hosts: all\n  gather_facts: false\n  tasks:\n${tasks}\n`, { runs: 1, setup: tree });
    const cmp: Record<string, string[]> = {};
    for (const n of Object.keys(cases)) {
      cmp[n] = ['changed', 'matched', 'examined', 'msg', 'skipped_paths', 'failed'];
      cmp[`${n}-show`] = ['msg'];
    }
    assertSame(d, cmp);
  });
});
