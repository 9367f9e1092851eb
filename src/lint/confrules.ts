// Rules on one keepalived.conf: structure, keywords, values, and the VIP agreement inside it.
// Returns the findings and a summary of the config that the cluster rules compare across hosts.
import type { Pos } from '../errors.js';
import { didYouMean } from '../suggest.js';
import type { Finding } from './finding.js';
import { type KaConfig, type KaNode, type KaPos, childrenNamed, firstNamed, walk } from './kaconf.js';
import {
  AUTH_TYPES, BLOCK_KEYWORDS, DEPRECATED, METHODS, PROTOCOLS, SCHEDULERS, STATES, VALUE_BLOCKS,
} from './kakeywords.js';

/** Maps a position in the (rendered) keepalived.conf to where it should be reported. */
export type Locate = (p: KaPos, n?: KaNode) => Pos;

export interface InstanceSummary {
  name: string;
  node: KaNode;
  state?: string;
  routerId?: number;
  priority?: number;
  advertInt?: string;
  authPass?: string; // '' when there is no authentication block
  vips: { addr: string; node: KaNode }[];
}
export interface VirtualServerSummary {
  addr: string;
  port?: string;
  node: KaNode;
  method?: string;
  realServers: { ip: string; port?: string; node: KaNode }[];
}
export interface ConfSummary {
  instances: InstanceSummary[];
  virtualServers: VirtualServerSummary[];
}

const int = (s: string | undefined): number | undefined => (s !== undefined && /^-?\d+$/.test(s) ? Number(s) : undefined);
const stripPrefix = (a: string): string => a.replace(/\/\d+$/, '');

export function checkConf(conf: KaConfig, locate: Locate, host?: string): { findings: Finding[]; summary: ConfSummary } {
  const findings: Finding[] = [];
  const add = (n: KaNode | KaPos, severity: Finding['severity'], rule: string, message: string, at?: KaPos): void => {
    const node = 'key' in n ? n : undefined;
    const p = at ?? ('key' in n ? n.pos : n);
    findings.push({ pos: locate(p, node), severity, rule, message, host });
  };
  for (const p of conf.problems) add(p.pos, p.severity, 'syntax', p.message);

  walk(conf.nodes, (n, parents) => {
    const parent = parents[parents.length - 1];
    const dep = DEPRECATED[n.key];
    if (dep) {
      add(n, 'error', 'deprecated', `'${n.key}' ${dep.why}${dep.instead ? `: write '${dep.instead} ${n.args.join(' ')}'` : ''}`);
      return;
    }
    if (parent && !VALUE_BLOCKS.has(parent.key)) {
      const known = BLOCK_KEYWORDS[parent.key];
      if (known && !known.includes(n.key)) {
        const hint = didYouMean(n.key, known);
        add(n, 'warning', 'unknown-keyword', `unknown keyword '${n.key}' in ${parent.key}${hint ? `: ${hint}` : ''}`);
      }
    }
    valueRules(n, add);
  });

  const instances = childrenNamed(conf.nodes, 'vrrp_instance').map((n) => instanceSummary(n, add));
  const virtualServers = childrenNamed(conf.nodes, 'virtual_server').map(vsSummary);
  const vips = new Map<string, KaNode>();
  for (const i of instances) for (const v of i.vips) vips.set(v.addr, v.node);
  for (const vs of virtualServers) {
    if (!/^\d+\.\d+\.\d+\.\d+$/.test(vs.addr) && !vs.addr.includes(':')) continue; // fwmark, group
    if (instances.length && !vips.has(vs.addr)) {
      const list = [...vips].map(([a, n]) => `${a} at line ${n.pos.line}`).join(', ') || 'none';
      add(vs.node, 'error', 'vip-mismatch',
        `virtual_server address ${vs.addr} is not a VRRP VIP of this director (virtual_ipaddress: ${list}): clients reach the VIP, IPVS balances ${vs.addr}`,
        vs.node.argPos[0]);
    }
    if (!vs.realServers.length) add(vs.node, 'warning', 'no-real-server', `virtual_server ${vs.addr} has no real_server`);
  }
  return { findings, summary: { instances, virtualServers } };
}

type Add = (n: KaNode | KaPos, severity: Finding['severity'], rule: string, message: string, at?: KaPos) => void;

function valueRules(n: KaNode, add: Add): void {
  const v = n.args[0];
  const at = n.argPos[0] ?? n.pos;
  const oneOf = (allowed: string[], what: string): void => {
    if (v === undefined) add(n, 'error', 'value', `'${n.key}' needs a value: ${allowed.join('|')}`);
    else if (!allowed.includes(v)) {
      const hint = didYouMean(v, allowed);
      add(n, 'error', 'value', `${what} '${v}' is not one of ${allowed.join(' ')}${hint ? `: ${hint}` : ''}`, at);
    }
  };
  const range = (lo: number, hi: number): void => {
    const x = int(v);
    if (x === undefined || x < lo || x > hi) add(n, 'error', 'value', `'${n.key}' must be an integer in ${lo}-${hi}, got '${v ?? ''}'`, at);
  };
  switch (n.key) {
    case 'lvs_sched':
    case 'lb_algo':
      return oneOf(SCHEDULERS, 'scheduler');
    case 'lvs_method':
    case 'lb_kind':
      return oneOf(METHODS, 'forwarding method');
    case 'protocol':
      return oneOf(PROTOCOLS, 'protocol');
    case 'state':
      return oneOf(STATES, 'state');
    case 'auth_type':
      return oneOf(AUTH_TYPES, 'auth_type');
    case 'auth_pass':
      if (v === undefined) add(n, 'error', 'auth-pass', "'auth_pass' needs a password");
      else if (v.length > 8)
        add(n, 'error', 'auth-pass', `auth_pass is ${v.length} characters: keepalived uses only the first 8 (at most 8 allowed)`, at);
      return;
    case 'virtual_router_id':
    case 'priority':
      return range(1, 255);
    case 'advert_int':
    case 'delay_loop':
      if (!(Number(v) > 0)) add(n, 'error', 'value', `'${n.key}' must be a positive number, got '${v ?? ''}'`, at);
      return;
    case 'weight':
      return range(0, 2147483647);
    case 'connect_timeout':
    case 'retry':
    case 'delay_before_retry':
    case 'persistence_timeout':
      if (!(Number(v) >= 0)) add(n, 'error', 'value', `'${n.key}' must be a number >= 0, got '${v ?? ''}'`, at);
      return;
    case 'HTTP_GET':
    case 'SSL_GET':
      if (!firstNamed(n, 'url')) add(n, 'error', 'health-check', `${n.key} has no url { path ...; status_code ... } block`);
      return;
  }
}

function instanceSummary(n: KaNode, add: Add): InstanceSummary {
  const val = (k: string): string | undefined => firstNamed(n, k)?.args[0];
  const vipBlock = firstNamed(n, 'virtual_ipaddress');
  const vips = (vipBlock?.children ?? []).map((c) => ({ addr: stripPrefix(c.key), node: c }));
  if (!vipBlock) add(n, 'error', 'vip-missing', `vrrp_instance ${n.args[0] ?? ''} has no virtual_ipaddress block`);
  const state = val('state');
  if (firstNamed(n, 'nopreempt') && state === 'MASTER')
    add(firstNamed(n, 'state')!, 'warning', 'nopreempt', "nopreempt is ignored with 'state MASTER': use 'state BACKUP' on every director");
  const auth = firstNamed(n, 'authentication');
  const authPass = auth ? (firstNamed(auth, 'auth_pass')?.args[0] ?? '') : '';
  return { name: n.args[0] ?? '', node: n, state, routerId: int(val('virtual_router_id')), priority: int(val('priority')), advertInt: val('advert_int'), authPass, vips };
}

function vsSummary(n: KaNode): VirtualServerSummary {
  return {
    addr: n.args[0] ?? '',
    port: n.args[1],
    node: n,
    method: (firstNamed(n, 'lvs_method', 'lb_kind')?.args[0]) ?? 'NAT',
    realServers: childrenNamed(n, 'real_server').map((r) => ({ ip: r.args[0] ?? '', port: r.args[1], node: r })),
  };
}
