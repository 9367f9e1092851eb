// fetch: controller files, results and counts over two runs (second unchanged), flat and nested
// destinations, missing sources and check mode, compared with ansible-playbook 2.14.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { assertSame, differential, skipWithoutAnsible } from './harness.js';

describe('compat: fetch (differential against ansible-playbook)', function () {
  this.timeout(180_000);
  before(async function () {
    await skipWithoutAnsible(this);
  });

  it('fetches into dest/<host>/<path> or flat, idempotently, with Ansible result fields', async () => {
    const d = await differential(
      `
- hosts: all
  gather_facts: false
  tasks:
    - {name: nested, fetch: {src: "{{ work }}/src/a.txt", dest: "{{ work }}/fetched"}, register: r}
    - {name: flat, ansible.builtin.fetch: {src: "{{ work }}/src/b.bin", dest: "{{ work }}/flat/b.copy", flat: true}, register: r}
    - {name: flatdir, fetch: {src: "{{ work }}/src/a.txt", dest: "{{ work }}/flatdir/", flat: true}, register: r}
    - {name: missing, fetch: {src: "{{ work }}/src/nope", dest: "{{ work }}/x"}, register: r, ignore_errors: true}
    - {name: missing-ok, fetch: {src: "{{ work }}/src/nope", dest: "{{ work }}/x", fail_on_missing: false}, register: r}
    - {name: dir, fetch: {src: "{{ work }}/src", dest: "{{ work }}/x"}, register: r, ignore_errors: true}
`,
      {
        setup(w) {
          mkdirSync(join(w, 'src'));
          writeFileSync(join(w, 'src/a.txt'), 'fetch me\n');
          writeFileSync(join(w, 'src/b.bin'), Buffer.from([1, 2, 3, 0, 255]));
          mkdirSync(join(w, 'flatdir'));
        },
      },
    );
    const f = ['changed', 'failed', 'msg', 'dest', 'file', 'checksum', 'md5sum', 'remote_checksum', 'remote_md5sum'];
    assertSame(d, Object.fromEntries(['nested', 'flat', 'flatdir', 'missing', 'missing-ok', 'dir'].map((t) => [t, f])));
  });

  it('is skipped in check mode', async () => {
    const d = await differential(`
- hosts: all
  gather_facts: false
  tasks:
    - {name: nested, fetch: {src: "{{ work }}/a.txt", dest: "{{ work }}/fetched"}, register: r}
`, { runs: 1, args: ['--check'], setup: (w) => writeFileSync(join(w, 'a.txt'), 'x\n') });
    assertSame(d, { nested: ['changed', 'skipped', 'msg'] });
  });
});
