// The lab's apt proxy, against a fake mirror on loopback: allow-list, forwarding, .deb caching.
import assert from 'node:assert/strict';
import http from 'node:http';
import { mkdtempSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { startProxy } from '../../src/lab/proxy.js';

function get(proxyPort: number, url: string, method = 'GET'): Promise<{ status: number; body: string; headers: http.IncomingHttpHeaders }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: proxyPort, path: url, method }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('lab: apt proxy', () => {
  let mirror: http.Server;
  let proxy: http.Server;
  let mirrorHost = '';
  let proxyPort = 0;
  let hits = 0;
  const cacheDir = mkdtempSync(join(tmpdir(), 'lvsplay-aptcache-'));

  before(async () => {
    mirror = http.createServer((req, res) => {
      hits++;
      if (req.url?.endsWith('missing.deb')) return void res.writeHead(404).end('nope');
      res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(`payload of ${req.url}`);
    });
    await new Promise<void>((r) => mirror.listen(0, '127.0.0.1', r));
    mirrorHost = `127.0.0.1:${(mirror.address() as AddressInfo).port}`;
    proxy = await startProxy({ host: '127.0.0.1', port: 0, allow: [mirrorHost], cacheDir });
    proxyPort = (proxy.address() as AddressInfo).port;
  });
  after(() => {
    proxy?.close();
    mirror?.close();
  });

  it('refuses hosts that are not apt mirrors, non-GET methods and CONNECT tunnels', async () => {
    const r = await get(proxyPort, 'http://127.0.0.2:9/debian/dists/x');
    assert.equal(r.status, 403);
    assert.match(r.body, /only GET to 127\.0\.0\.1:\d+/);
    assert.equal((await get(proxyPort, `http://${mirrorHost}/debian/x`, 'POST')).status, 403);
    assert.equal((await get(proxyPort, '/relative')).status, 400);
    assert.equal(hits, 0);
  });

  it('forwards index files every time and caches .deb files on disk', async () => {
    const idx = `http://${mirrorHost}/debian/dists/bookworm/InRelease`;
    assert.equal((await get(proxyPort, idx)).body, 'payload of /debian/dists/bookworm/InRelease');
    await get(proxyPort, idx);
    assert.equal(hits, 2);
    const deb = `http://${mirrorHost}/debian/pool/main/h/hello/hello_2.10-3_amd64.deb`;
    const first = await get(proxyPort, deb);
    assert.equal(first.body, 'payload of /debian/pool/main/h/hello/hello_2.10-3_amd64.deb');
    for (let i = 0; i < 50 && !existsSync(join(cacheDir, mirrorHost, '/debian/pool/main/h/hello/hello_2.10-3_amd64.deb')); i++)
      await new Promise((r) => setTimeout(r, 10));
    const second = await get(proxyPort, deb);
    assert.equal(second.headers['x-lvsplay-cache'], 'hit');
    assert.equal(second.body, first.body);
    assert.equal(hits, 3);
  });

  it('does not cache failures', async () => {
    const deb = `http://${mirrorHost}/debian/pool/missing.deb`;
    assert.equal((await get(proxyPort, deb)).status, 404);
    assert.equal((await get(proxyPort, deb)).status, 404);
    assert.equal(existsSync(join(cacheDir, mirrorHost, '/debian/pool/missing.deb')), false);
  });
});
