// The VM lab's HTTP clients, run inside the lab's namespace (`ip netns exec NS node httpclient.js ...`):
//   loop URL SRC [PORTBASE]
//                  one GET after another (a new TCP connection each, source address SRC; with
//                  PORTBASE from the ports PORTBASE..PORTBASE+9999 in turn, not the kernel's) until
//                  SIGTERM, then one JSON line: requests, failed, longest gap between two answers,
//                  answers per host, when the answering host changed, the first errors. A request fails on an error, a status other
//                  than 200 or no complete answer within 10 s (SYN retransmits fit in it).
//   hold URL SRC   one keep-alive GET from SRC, prints `held BODY` and keeps the connection open
//                  (ESTABLISHED: ActiveConn 1 in IPVS; another GET on it every 20 s, within nginx's
//                  keepalive_timeout of 65 s) until SIGTERM or stdin closes, then closes it and
//                  prints `closed`.
import http from 'node:http';

export interface LoopSummary {
  requests: number;
  failed: number;
  longestGapMs: number;
  byHost: Record<string, number>;
  errors: string[];
  durationMs: number;
  /** when the answering host changed (ISO time and the new host), the first 20 */
  switches: string[];
}

const PAUSE_MS = 50;
const TIMEOUT_MS = 10_000;
/** loop with PORTBASE: the client ports PORTBASE.. in turn, none again within PORTS requests */
const PORTS = 10_000;

function get(url: string, src: string, agent: http.Agent | false, localPort?: number): Promise<{ status?: number; body: string; error?: string }> {
  return new Promise((resolve) => {
    let done = false;
    const finish = (r: { status?: number; body: string; error?: string }) => {
      if (!done) resolve(r);
      done = true;
    };
    const req = http.get(url, { localAddress: src, localPort, agent, headers: { 'user-agent': 'lvsplay-vm-client' } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => finish({ status: res.statusCode, body: body.trim() }));
      res.on('error', (e) => finish({ status: res.statusCode, body, error: e.message }));
    });
    req.setTimeout(TIMEOUT_MS, () => req.destroy(new Error(`no answer within ${TIMEOUT_MS} ms`)));
    req.on('error', (e) => finish({ body: '', error: e.message }));
  });
}

async function loop(url: string, src: string, portBase?: number): Promise<void> {
  const s: LoopSummary = { requests: 0, failed: 0, longestGapMs: 0, byHost: {}, errors: [], durationMs: 0, switches: [] };
  let lastHost: string | undefined;
  const t0 = Date.now();
  let last = t0;
  let stop = false;
  process.on('SIGTERM', () => (stop = true));
  while (!stop) {
    const r = await get(url, src, false, portBase ? portBase + (s.requests % PORTS) : undefined);
    s.requests++;
    const now = Date.now();
    if (r.error || r.status !== 200) {
      s.failed++;
      if (s.errors.length < 10) s.errors.push(`${new Date(now).toISOString()} ${r.error ?? `HTTP ${r.status}`}`);
    } else {
      s.longestGapMs = Math.max(s.longestGapMs, now - last);
      last = now;
      s.byHost[r.body] = (s.byHost[r.body] ?? 0) + 1;
      if (r.body !== lastHost && s.switches.length < 20) s.switches.push(`${new Date(now).toISOString()} ${r.body}`);
      lastHost = r.body;
    }
    await new Promise((res) => setTimeout(res, PAUSE_MS));
  }
  s.durationMs = Date.now() - t0;
  process.stdout.write(JSON.stringify(s) + '\n');
}

async function hold(url: string, src: string): Promise<void> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const r = await get(url, src, agent);
  if (r.error || r.status !== 200) {
    process.stdout.write(`error ${r.error ?? `HTTP ${r.status}`}\n`);
    process.exit(1);
  }
  process.stdout.write(`held ${r.body}\n`);
  const again = setInterval(() => void get(url, src, agent).then((x) => x.error && process.stdout.write(`refresh failed: ${x.error}\n`)), 20_000);
  const close = () => {
    clearInterval(again);
    agent.destroy();
    process.stdout.write('closed\n');
    process.exit(0);
  };
  process.on('SIGTERM', close);
  process.stdin.on('end', close);
  process.stdin.resume();
}

const [mode, url, src] = process.argv.slice(2);
if (mode === 'loop' && url && src) void loop(url, src, process.argv[5] ? Number(process.argv[5]) : undefined);
else if (mode === 'hold' && url && src) void hold(url, src);
else {
  process.stderr.write('usage: httpclient.js loop URL SRC [PORTBASE] | hold URL SRC\n');
  process.exit(2);
}
