// keepalived's own view of its VRRP instances, from the dumps it writes when signalled:
// the JSON dump (signal `keepalived --signum=JSON`, /tmp/keepalived.json, builds with --enable-json)
// and, where that is missing, the text data dump (signal DATA = SIGUSR1, /tmp/keepalived.data).
// Checked against keepalived 2.2.7 (Debian 12), whose outputs are in test/fixtures/cluster.

export type VrrpState = 'INIT' | 'BACKUP' | 'MASTER' | 'FAULT' | 'UNKNOWN';

export interface VrrpInstanceView {
  name: string;
  state: VrrpState;
  vrid?: number;
  priority?: number; // configured (base) priority
  effectivePriority?: number; // after track scripts/interfaces
  advertInt?: number;
  authType?: string; // none | PASS | AH
  vips: string[]; // "10.0.0.100/24" (the address part of each virtual_ipaddress line)
  masterRouter?: string; // as seen by a BACKUP
  advertsReceived?: number;
  advertsSent?: number;
  authErrors?: number; // invalid type + type mismatch + failure
  lastTransition?: number; // epoch seconds
}

// keepalived's vrrp.h: VRRP_STATE_INIT 0, _BACK 1, _MAST 2, _FAULT 3.
const STATES: Record<number, VrrpState> = { 0: 'INIT', 1: 'BACKUP', 2: 'MASTER', 3: 'FAULT' };
const AUTH: Record<number, string> = { 0: 'none', 1: 'PASS', 2: 'AH' };

const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/** The JSON dump: an array of {data: {...}, stats: {...}} per instance. Throws when it is not JSON. */
export function parseKeepalivedJson(text: string): VrrpInstanceView[] {
  const arr = JSON.parse(text) as unknown;
  if (!Array.isArray(arr)) throw new Error('keepalived.json is not an array');
  return arr.map((e: { data?: Record<string, unknown>; stats?: Record<string, unknown> }) => {
    const d = e.data ?? {};
    const s = e.stats ?? {};
    const vips = Array.isArray(d.vips) ? d.vips.map((v) => String(v).split(/\s+/)[0]) : [];
    const auth = num(s.invalid_authtype) ?? 0;
    return {
      name: String(d.iname ?? ''),
      state: STATES[num(d.state) ?? -1] ?? 'UNKNOWN',
      vrid: num(d.vrid),
      priority: num(d.base_priority),
      effectivePriority: num(d.effective_priority),
      advertInt: num(d.adver_int),
      authType: AUTH[num(d.auth_type) ?? -1],
      vips,
      advertsReceived: num(s.advert_rcvd),
      advertsSent: num(s.advert_sent),
      authErrors: auth + (num(s.authtype_mismatch) ?? 0) + (num(s.auth_failure) ?? 0),
      lastTransition: num(d.last_transition),
    };
  });
}

/** The text data dump's "VRRP Topology" section (and, when appended, the stats dump). */
export function parseKeepalivedData(text: string): VrrpInstanceView[] {
  const out: VrrpInstanceView[] = [];
  let cur: VrrpInstanceView | undefined;
  let inVips = false;
  let section = '';
  for (const line of text.split('\n')) {
    const sec = /^-+<\s*(.*?)\s*>-+$/.exec(line);
    if (sec) {
      section = sec[1];
      cur = undefined;
      inVips = false;
      continue;
    }
    if (section !== 'VRRP Topology') continue;
    const inst = /^ VRRP Instance = (\S+)/.exec(line);
    if (inst) {
      cur = { name: inst[1], state: 'UNKNOWN', vips: [] };
      out.push(cur);
      inVips = false;
      continue;
    }
    if (!cur) continue;
    const kv = /^ {3}([A-Za-z_ ]+?) = (.*)$/.exec(line);
    if (inVips && /^ {5}\S/.test(line)) {
      cur.vips.push(line.trim().split(/\s+/)[0]);
      continue;
    }
    inVips = false;
    if (/^ {3}Virtual IP \(\d+\):/.test(line)) {
      inVips = true;
      continue;
    }
    if (!kv) continue;
    const [, k, v] = kv;
    switch (k) {
      case 'State':
        cur.state = (['INIT', 'BACKUP', 'MASTER', 'FAULT'] as const).find((s) => s === v.trim()) ?? 'UNKNOWN';
        break;
      case 'Virtual Router ID':
        cur.vrid = Number(v);
        break;
      case 'Priority':
        cur.priority = Number(v);
        break;
      case 'Effective priority':
        cur.effectivePriority = Number(v);
        break;
      case 'Advert interval':
        cur.advertInt = parseFloat(v);
        break;
      case 'Authentication type':
        cur.authType = /pass/i.test(v) ? 'PASS' : /ah|ipsec/i.test(v) ? 'AH' : 'none';
        break;
      case 'Master router':
        cur.masterRouter = v.trim();
        break;
      case 'Last transition':
        cur.lastTransition = parseFloat(v);
        break;
    }
  }
  return out;
}
