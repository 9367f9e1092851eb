// get_url from an HTTP server this test starts on 127.0.0.1: results, counts over two runs (the second
// unchanged), checksum skips, a 404, a directory dest, and the files, compared with ansible-playbook 2.14.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { assertSame, differential, skipWithoutAnsible } from './harness.js';

describe('compat: get_url (differential against ansible-playbook)', function () {
  this.timeout(180_000);
  let server: Server;
  let base = '';
  before(async function () {
    await skipWithoutAnsible(this);
    server = createServer((req, res) => {
      if (req.url === '/app.tar') res.end('archive bytes\n');
      else if (req.url === '/conf.txt') res.end('setting=1\n');
      else {
        res.statusCode = 404;
        res.end('no');
      }
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => server?.close());

  it('downloads like Ansible, idempotently', async () => {
    const d = await differential(
      `
- hosts: all
  gather_facts: false
  tasks:
    - {name: plain, get_url: {url: "${base}/app.tar", dest: "{{ work }}/app.tar", mode: "0600"}, register: r}
    - {name: todir, ansible.builtin.get_url: {url: "${base}/conf.txt", dest: "{{ work }}/dir/"}, register: r}
    - {name: checksum, get_url: {url: "${base}/conf.txt", dest: "{{ work }}/c.txt", checksum: "sha1:c6d4cd1bf3e1ad3bbbd3ad55a3ae0d1cdb1e2b7e"}, register: r, ignore_errors: true}
    - {name: missing, get_url: {url: "${base}/nope", dest: "{{ work }}/nope"}, register: r, ignore_errors: true}
`,
      { setup: (w) => mkdirSync(join(w, 'dir')) },
    );
    const f = ['changed', 'failed', 'msg', 'dest', 'url', 'checksum_src', 'checksum_dest', 'status_code', 'response', 'mode', 'owner', 'group', 'size', 'state', 'md5sum'];
    assertSame(d, Object.fromEntries(['plain', 'todir', 'checksum', 'missing'].map((t) => [t, f])));
  });
});
