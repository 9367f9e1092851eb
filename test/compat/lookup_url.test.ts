// The url lookup against ansible-playbook 2.14, both fetching from an HTTP server this test starts
// on 127.0.0.1 (its own process: the differential runner blocks this one): lines split or not,
// basic auth on challenge and up front, headers and the User-Agent, redirects followed or not, an
// HTTP error, a refused connection.
import { strict as assert } from 'node:assert';
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { runBoth, skipWithoutOracle } from './oracle.js';

const SERVER = `
import base64, http.server, sys
class H(http.server.BaseHTTPRequestHandler):
    def log_message(self, *a): pass
    def send(self, code, body, headers=()):
        self.send_response(code)
        for k, v in headers: self.send_header(k, v)
        self.send_header('Content-Length', str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def do_GET(self):
        p = self.path
        if p == '/lines': return self.send(200, b'one\\ntwo\\r\\nthree\\rfour\\x0bstill four\\n')
        if p == '/agent': return self.send(200, (self.headers.get('User-Agent') + '|' + str(self.headers.get('X-Lvs'))).encode())
        if p == '/auth':
            if self.headers.get('Authorization') != 'Basic ' + base64.b64encode(b'ann:s3cret').decode():
                return self.send(401, b'no', [('WWW-Authenticate', 'Basic realm="r"')])
            return self.send(200, b'welcome ann')
        if p == '/moved': return self.send(302, b'', [('Location', '/lines')])
        return self.send(404, b'nothing here')
srv = http.server.HTTPServer(('127.0.0.1', 0), H)
print(srv.server_address[1], flush=True)
srv.serve_forever()
`;

/** A port nothing listens on (taken and released). */
function freePort(): Promise<number> {
  return new Promise((done) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => done(p));
    });
  });
}

const results = (out: string): string[] =>
  out.split('\n').filter((l) => /^fatal:|"msg":/.test(l)).map((l) => l.replace(/\s+/g, ' ').trim());

describe('compat: the url lookup as ansible-playbook 2.14 fetches (a server on 127.0.0.1)', function () {
  this.timeout(120_000);
  let server: ChildProcess | undefined;
  let port = 0;
  before(async function () {
    skipWithoutOracle(this);
    server = spawn('python3', ['-c', SERVER], { stdio: ['ignore', 'pipe', 'inherit'] });
    port = await new Promise<number>((done, fail) => {
      server!.stdout!.once('data', (d: Buffer) => done(Number(String(d).trim())));
      server!.once('exit', (c) => fail(new Error(`the test server ended (${c})`)));
    });
  });
  after(() => server?.kill());

  it('lines, auth, headers, redirects and failures: the same values and messages', async () => {
    const closed = await freePort();
    const u = `http://127.0.0.1:${port}`;
    const { lvsplay, ansible } = runBoth({
      'inventory.ini': 'localhost ansible_connection=local\n',
      'pb.yml': `
- hosts: localhost
  gather_facts: false
  tasks:
    - debug: {msg: "{{ query('url', '${u}/lines') | to_json }}"}
    - debug: {msg: "{{ lookup('url', '${u}/lines', split_lines=false) | to_json }}"}
    - debug: {msg: "{{ lookup('url', '${u}/lines', wantlist=true) | length }}"}
    - debug: {msg: "{{ lookup('url', '${u}/agent', headers={'X-Lvs': 'yes'}) }}"}
    - debug: {msg: "{{ lookup('url', '${u}/agent', http_agent='lvs-test') }}"}
    - debug: {msg: "{{ lookup('url', '${u}/auth', username='ann', password='s3cret') }}"}
    - debug: {msg: "{{ lookup('url', '${u}/auth', username='ann', password='s3cret', force_basic_auth=true) }}"}
    - debug: {msg: "{{ lookup('url', '${u}/moved', split_lines=false) | to_json }}"}
    - debug: {msg: "{{ lookup('url', '${u}/auth', username='ann', password='wrong') }}"}
      ignore_errors: true
    - debug: {msg: "{{ lookup('url', '${u}/moved', follow_redirects='none') }}"}
      ignore_errors: true
    - debug: {msg: "{{ lookup('url', '${u}/missing') }}"}
      ignore_errors: true
    - debug: {msg: "{{ lookup('url', 'http://127.0.0.1:${closed}/x') }}"}
      ignore_errors: true
`,
    });
    assert.deepEqual(results(lvsplay.output), results(ansible.output), `${lvsplay.output}\n---\n${ansible.output}`);
    assert.deepEqual(lvsplay.recap, ansible.recap);
  });
});
