// The lab's apt proxy: a small caching HTTP forward proxy on the controller's lab address. It forwards
// ONLY to the mirror hosts of the machine's apt sources (anything else: 403) and caches immutable
// files (.deb, by-hash indexes) on disk, written to a temp file and renamed (safe for parallel hosts).
import http from 'node:http';
import { createReadStream, createWriteStream, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';

export const PROXY_CACHE_DIR = process.env.LVSPLAY_APT_CACHE ?? '/var/cache/lvsplay/apt-proxy';

export interface ProxyOptions {
  host: string;
  port: number;
  allow: string[]; // host[:port] of the apt mirrors
  cacheDir?: string;
  log?: (s: string) => void;
}

function cacheable(path: string): boolean {
  return /\.(deb|udeb)$/.test(path) || path.includes('/by-hash/');
}

export function startProxy(o: ProxyOptions): Promise<http.Server> {
  const cacheDir = o.cacheDir ?? PROXY_CACHE_DIR;
  const allow = new Set(o.allow.map((h) => h.toLowerCase()));
  const log = o.log ?? (() => undefined);
  let seq = 0;
  const server = http.createServer((req, res) => {
    let url: URL;
    try {
      url = new URL(req.url ?? '');
    } catch {
      res.writeHead(400).end('lvsplay apt proxy: absolute http:// URL expected\n');
      return;
    }
    if (url.protocol !== 'http:' || !allow.has(url.host.toLowerCase()) || (req.method !== 'GET' && req.method !== 'HEAD')) {
      log(`refused ${req.method} ${url.href}`);
      res.writeHead(403).end(`lvsplay apt proxy: only GET to ${[...allow].join(', ')} (the machine's apt mirrors)\n`);
      return;
    }
    const path = decodeURIComponent(url.pathname);
    const cacheFile = cacheable(path) && !path.includes('..') ? join(cacheDir, url.host, path) : undefined;
    if (cacheFile && req.method === 'GET') {
      try {
        const st = statSync(cacheFile);
        res.writeHead(200, { 'content-length': st.size, 'content-type': 'application/octet-stream', 'x-lvsplay-cache': 'hit' });
        createReadStream(cacheFile).pipe(res);
        log(`hit ${url.href}`);
        return;
      } catch {
        /* miss */
      }
    }
    const headers: http.OutgoingHttpHeaders = {};
    for (const h of ['if-modified-since', 'if-none-match', 'range', 'user-agent', 'accept', 'cache-control', 'if-range']) {
      if (req.headers[h]) headers[h] = req.headers[h];
    }
    headers.host = url.host;
    const up = http.request(
      { host: url.hostname, port: url.port || 80, path: url.pathname + url.search, method: req.method, headers },
      (ur) => {
        const out: http.OutgoingHttpHeaders = {};
        for (const [k, v] of Object.entries(ur.headers)) if (!['connection', 'keep-alive', 'transfer-encoding'].includes(k) && v !== undefined) out[k] = v;
        res.writeHead(ur.statusCode ?? 502, out);
        log(`${ur.statusCode} ${url.href}`);
        if (cacheFile && req.method === 'GET' && ur.statusCode === 200) {
          const tmp = `${cacheFile}.tmp-${process.pid}-${++seq}`;
          mkdirSync(dirname(cacheFile), { recursive: true });
          const file = createWriteStream(tmp);
          let failed = false;
          ur.on('data', (d: Buffer) => {
            file.write(d);
            res.write(d);
          });
          ur.on('aborted', () => (failed = true));
          ur.on('error', () => (failed = true));
          ur.on('end', () => {
            res.end();
            file.end(() => {
              const want = Number(ur.headers['content-length'] ?? NaN);
              let ok = !failed;
              try {
                if (ok && Number.isFinite(want) && statSync(tmp).size !== want) ok = false;
                if (ok) renameSync(tmp, cacheFile);
                else rmSync(tmp, { force: true });
              } catch {
                rmSync(tmp, { force: true });
              }
            });
          });
        } else ur.pipe(res);
      },
    );
    up.setTimeout(60_000, () => up.destroy(new Error('upstream timeout')));
    up.on('error', (e) => {
      log(`error ${url.href}: ${e.message}`);
      if (!res.headersSent) res.writeHead(502).end(`lvsplay apt proxy: ${e.message}\n`);
      else res.destroy();
    });
    req.pipe(up);
  });
  server.on('connect', (req, sock) => {
    sock.end('HTTP/1.1 403 Forbidden\r\n\r\n'); // no tunnels
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.host, () => resolve(server));
  });
}
