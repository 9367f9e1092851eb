// uri against an HTTP server this test starts on 127.0.0.1, compared with ansible-playbook 2.14:
// Basic authentication on a challenge and with force_basic_auth (a server that never challenges),
// the user/password aliases, every method (also lower case and custom ones), status_code lists
// and strings, JSON bodies (whole floats as 2.0) and form-urlencoded ones (lists, None, Python's str() and
// quote_plus); the password never appears in lvsplay's output.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import assert from 'node:assert/strict';
import { assertSame, differential, skipWithoutAnsible } from './harness.js';

const AUTH = `Basic ${Buffer.from('alice:s3cr3t-pw').toString('base64')}`;

describe('compat: uri (differential against ansible-playbook)', function () {
  this.timeout(180_000);
  let server: Server;
  let base = '';
  before(async function () {
    skipWithoutAnsible(this);
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        const send = (code: number, data: unknown, headers: Record<string, string> = {}): void => {
          const text = JSON.stringify(data);
          res.writeHead(code, { 'Content-Type': 'application/json', 'X-Test': 'yes', ...headers });
          res.end(req.method === 'HEAD' ? undefined : text);
        };
        const authed = req.headers.authorization === AUTH;
        if (req.url === '/challenge') {
          if (authed) send(200, { user: 'alice' });
          else send(401, { error: 'auth' }, { 'WWW-Authenticate': 'Basic realm="t"' });
        } else if (req.url === '/silent') {
          // never challenges: only a client that sends credentials first gets in
          send(authed ? 200 : 401, { authed });
        } else if (req.url === '/echo') send(req.method === 'POST' ? 201 : 200, { method: req.method, body });
        else send(404, { error: 'nope' });
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => server?.close());

  it('authenticates, sends every method and checks status codes like Ansible', async () => {
    const d = await differential(
      `
- hosts: all
  gather_facts: false
  tasks:
    - {name: challenge, uri: {url: "${base}/challenge", url_username: alice, url_password: s3cr3t-pw}, register: r}
    - {name: silent, uri: {url: "${base}/silent", url_username: alice, url_password: s3cr3t-pw}, register: r, ignore_errors: true}
    - {name: silent401, uri: {url: "${base}/silent", user: alice, password: s3cr3t-pw, status_code: [401]}, register: r}
    - {name: forced, ansible.builtin.uri: {url: "${base}/silent", user: alice, password: s3cr3t-pw, force_basic_auth: true}, register: r}
    - {name: wrongpw, uri: {url: "${base}/challenge", user: alice, password: wrong}, register: r, ignore_errors: true}
    - {name: post, uri: {url: "${base}/echo", method: POST, body: {a: 1}, body_format: json, status_code: [200, 201]}, register: r}
    - {name: form, uri: {url: "${base}/echo", method: POST, body: {a: [1, 2], b: null, c: true, d: "x y*~/é!'()", e: 2.0, f: 0.5}, body_format: form-urlencoded, status_code: [201]}, register: r}
    - {name: formpairs, uri: {url: "${base}/echo", method: POST, body: [[k, v], [k, w]], body_format: form-urlencoded, status_code: [201]}, register: r}
    - {name: jsonfloats, uri: {url: "${base}/echo", method: POST, body: {f: 2.0, l: [1.0, 0.5], s: "é"}, body_format: json, status_code: [201]}, register: r}
    - {name: poststr, uri: {url: "${base}/echo", method: post, body: "x=1", status_code: "200, 201"}, register: r}
    - {name: put, uri: {url: "${base}/echo", method: PUT, body: "data"}, register: r}
    - {name: patch, uri: {url: "${base}/echo", method: PATCH, body: "p"}, register: r}
    - {name: delete, uri: {url: "${base}/echo", method: DELETE}, register: r}
    - {name: options, uri: {url: "${base}/echo", method: OPTIONS}, register: r}
    - {name: purge, uri: {url: "${base}/echo", method: PURGE}, register: r}
    - {name: head, uri: {url: "${base}/echo", method: HEAD}, register: r}
    - {name: badmethod, uri: {url: "${base}/echo", method: "GET X"}, register: r, ignore_errors: true}
    - {name: notfound, uri: {url: "${base}/none", status_code: 200}, register: r, ignore_errors: true}
    - {name: content, uri: {url: "${base}/echo", return_content: true}, register: r}
`,
    );
    const f = ['changed', 'failed', 'status', 'msg', 'json', 'x_test', 'content_type', 'content'];
    const tasks = ['challenge', 'silent', 'silent401', 'forced', 'wrongpw', 'post', 'form', 'formpairs', 'jsonfloats', 'poststr', 'put', 'patch', 'delete', 'options', 'purge', 'head', 'badmethod', 'notfound', 'content'];
    assertSame(d, Object.fromEntries(tasks.map((t) => [t, f])));
    for (const r of d.lvsplay.runs) assert.ok(!r.output.includes('s3cr3t-pw'), 'the password is masked in lvsplay output');
  });
});
