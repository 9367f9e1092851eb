// Parsers for ipvsadm's listing (`ipvsadm -Ln`, `-Ln --stats --exact`, `-Ln --rate --exact`), the
// IPVS table of a director: virtual services (TCP/UDP/SCTP address:port, or FWM mark) with their
// scheduler and flags, and their real servers with forward method, weight, connections, counters.
// The three listings share one layout: a header of three lines, then one line per service
// (`TCP  10.0.0.100:80 rr persistent 50`) followed by its `  -> ADDR:PORT ...` lines.

export interface IpvsRealServer {
  addr: string; // "10.0.0.12:80" (IPv6: "[2001:db8::12]:80")
  forward?: string; // Route | Masq | Tunnel | Local
  weight?: number;
  activeConn?: number;
  inactConn?: number;
  stats?: IpvsCounters; // from --stats
  rate?: IpvsCounters; // from --rate
}
export interface IpvsCounters {
  conns: number; // Conns (--stats) or CPS (--rate)
  inPkts: number;
  outPkts: number;
  inBytes: number;
  outBytes: number;
}
export interface IpvsService {
  protocol: string; // TCP | UDP | SCTP | FWM
  addr: string; // "10.0.0.100:80", or the firewall mark for FWM
  scheduler?: string;
  flags: string[]; // e.g. ["persistent", "50"]
  stats?: IpvsCounters;
  rate?: IpvsCounters;
  realServers: IpvsRealServer[];
}
export interface IpvsTable {
  version?: string; // "1.2.1"
  services: IpvsService[];
}

const SERVICE = /^(TCP|UDP|SCTP|FWM)\s+(\S+)(?:\s+(.*))?$/;
const REAL = /^\s+->\s+(\S+)(?:\s+(.*))?$/;

/** Numbers as ipvsadm prints them: plain, or (without --exact) with a K/M/G suffix. */
export function ipvsNumber(s: string): number {
  const m = /^(\d+(?:\.\d+)?)([KMGT]?)$/.exec(s);
  if (!m) return NaN;
  const mult = { '': 1, K: 1e3, M: 1e6, G: 1e9, T: 1e12 }[m[2]] ?? 1;
  return Math.round(Number(m[1]) * mult);
}

const counters = (words: string[]): IpvsCounters | undefined => {
  const n = words.slice(0, 5).map(ipvsNumber);
  if (n.length < 5 || n.some((x) => Number.isNaN(x))) return undefined;
  return { conns: n[0], inPkts: n[1], outPkts: n[2], inBytes: n[3], outBytes: n[4] };
};

type Kind = 'list' | 'stats' | 'rate';

/** Parse one listing; `kind` says which columns its lines carry. Lines it cannot read are skipped. */
export function parseIpvsadm(text: string, kind: Kind = 'list'): IpvsTable {
  const table: IpvsTable = { services: [] };
  let current: IpvsService | undefined;
  for (const line of text.split('\n')) {
    const ver = /^IP Virtual Server version (\S+)/.exec(line);
    if (ver) {
      table.version = ver[1];
      continue;
    }
    if (/^Prot\s|^\s+->\s+RemoteAddress/.test(line)) continue;
    const s = SERVICE.exec(line);
    if (s) {
      const words = (s[3] ?? '').trim().split(/\s+/).filter(Boolean);
      current = { protocol: s[1], addr: s[2], flags: [], realServers: [] };
      if (kind === 'list') {
        current.scheduler = words[0];
        current.flags = words.slice(1);
      } else if (kind === 'stats') current.stats = counters(words);
      else current.rate = counters(words);
      table.services.push(current);
      continue;
    }
    const r = REAL.exec(line);
    if (r && current) {
      const words = (r[2] ?? '').trim().split(/\s+/).filter(Boolean);
      const rs: IpvsRealServer = { addr: r[1] };
      if (kind === 'list') {
        rs.forward = words[0];
        rs.weight = ipvsNumber(words[1] ?? '');
        rs.activeConn = ipvsNumber(words[2] ?? '');
        rs.inactConn = ipvsNumber(words[3] ?? '');
      } else if (kind === 'stats') rs.stats = counters(words);
      else rs.rate = counters(words);
      current.realServers.push(rs);
    }
  }
  return table;
}

const key = (s: IpvsService): string => `${s.protocol} ${s.addr}`;

/** One table from the three listings: the plain one's structure, with --stats and --rate merged in by address. */
export function mergeIpvs(list: string, stats?: string, rate?: string): IpvsTable {
  const t = parseIpvsadm(list, 'list');
  for (const [text, kind] of [[stats, 'stats'], [rate, 'rate']] as const) {
    if (!text) continue;
    const other = parseIpvsadm(text, kind);
    for (const os of other.services) {
      const s = t.services.find((x) => key(x) === key(os));
      if (!s) continue;
      if (kind === 'stats') s.stats = os.stats;
      else s.rate = os.rate;
      for (const ors of os.realServers) {
        const rs = s.realServers.find((x) => x.addr === ors.addr);
        if (rs && kind === 'stats') rs.stats = ors.stats;
        else if (rs) rs.rate = ors.rate;
      }
    }
  }
  return t;
}

/** "10.0.0.12:80" -> {ip: "10.0.0.12", port: "80"}; "[2001:db8::1]:80" -> {ip: "2001:db8::1", port: "80"}. */
export function splitAddr(a: string): { ip: string; port: string } {
  const m = /^\[(.*)\]:(\d+)$/.exec(a) ?? /^(.*):(\d+)$/.exec(a);
  return m ? { ip: m[1], port: m[2] } : { ip: a, port: '' };
}
