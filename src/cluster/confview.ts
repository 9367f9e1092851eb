// What a director's keepalived.conf on disk says, in the terms `cluster status` compares with the
// running daemon and the IPVS table: VRRP instances (vrid, priority, advert_int, auth, VIPs) and
// virtual servers with their real servers and weights. Parsed with the `lvsplay check` parser.
import { childrenNamed, firstNamed, parseKeepalived } from '../lint/kaconf.js';

export interface ConfInstance {
  name: string;
  vrid?: number;
  priority?: number;
  advertInt?: number;
  authType: string; // none | PASS | AH
  vips: string[]; // first word of each virtual_ipaddress line
}
export interface ConfRealServer {
  ip: string;
  port: string;
  weight: number; // keepalived's default is 1
}
export interface ConfVirtualServer {
  addr: string; // "10.0.0.100:80" (or the fwmark)
  protocol: string;
  realServers: ConfRealServer[];
}
export interface ConfView {
  instances: ConfInstance[];
  virtualServers: ConfVirtualServer[];
}

const numArg = (n: ReturnType<typeof firstNamed>): number | undefined => (n?.args[0] !== undefined && n.args[0] !== '' ? Number(n.args[0]) : undefined);

export function confView(text: string): ConfView {
  const conf = parseKeepalived(text);
  const instances = childrenNamed(conf.nodes, 'vrrp_instance').map((n) => {
    const auth = firstNamed(n, 'authentication');
    const type = auth ? (firstNamed(auth, 'auth_type')?.args[0] ?? 'PASS') : 'none';
    return {
      name: n.args[0] ?? '',
      vrid: numArg(firstNamed(n, 'virtual_router_id')),
      priority: numArg(firstNamed(n, 'priority')),
      advertInt: numArg(firstNamed(n, 'advert_int')),
      authType: type.toUpperCase() === 'PASS' ? 'PASS' : type.toUpperCase() === 'AH' ? 'AH' : type,
      vips: (firstNamed(n, 'virtual_ipaddress')?.children ?? []).map((c) => c.key),
    };
  });
  const virtualServers = childrenNamed(conf.nodes, 'virtual_server').map((n) => {
    const fwm = n.args[0] === 'fwmark';
    const defaultPort = fwm ? '' : (n.args[1] ?? '');
    return {
      addr: fwm ? (n.args[1] ?? '') : `${n.args[0] ?? ''}:${n.args[1] ?? ''}`,
      protocol: fwm ? 'FWM' : (firstNamed(n, 'protocol')?.args[0] ?? 'TCP').toUpperCase(),
      realServers: childrenNamed(n, 'real_server').map((r) => ({
        ip: r.args[0] ?? '',
        port: r.args[1] ?? defaultPort,
        weight: numArg(firstNamed(r, 'weight')) ?? 1,
      })),
    };
  });
  return { instances, virtualServers };
}
