// The one command `lvsplay cluster status` runs on each host (one exec, one round trip): a POSIX sh
// script whose output is split into sections by `@@lvsplay:NAME@@` marker lines. Directors:
// keepalived's pid and its signalled dump (JSON, else the text data dump), keepalived.conf, the
// addresses, the IPVS table (only where the ip_vs module is loaded: a status never loads it), and an
// HTTP check of each real server from there (curl, else wget, else nc). Real servers:
// addresses and the LVS-DR ARP sysctls. Only read-only commands (and keepalived's own dump files); auth_pass is masked on the host.
import { q } from '../shell.js';

export interface HttpCheckSpec {
  name: string; // inventory name of the real server
  ip: string;
  port: string;
  path: string;
}

export interface ProbeSpec {
  director?: { conf: string; checks: HttpCheckSpec[] };
  realServer?: { iface: string };
}

export const MARK = (name: string): string => `@@lvsplay:${name}@@`;

// curl, else GNU wget, else a plain HTTP/1.0 request through nc (busybox's wget crashes with -T/-S).
const HTTP_CHECK = `hc() {
  if command -v curl >/dev/null 2>&1; then c=$(curl -s -o /dev/null -m 3 -w '%{http_code}' "$1"); echo "code=$c via=curl"
  elif command -v wget >/dev/null 2>&1 && wget --version >/dev/null 2>&1; then c=$(wget -S -q -O /dev/null -T 3 -t 1 "$1" 2>&1 | sed -n 's/^ *HTTP\\/[0-9.]* \\([0-9][0-9]*\\).*/\\1/p' | tail -n 1); echo "code=$c via=wget"
  else
    if command -v nc >/dev/null 2>&1; then nc=nc; elif command -v busybox >/dev/null 2>&1; then nc='busybox nc'; else echo "code= via=none"; return; fi
    c=$(printf 'GET %s HTTP/1.0\\r\\nHost: %s\\r\\nUser-Agent: lvsplay-cluster-status\\r\\n\\r\\n' "$4" "$2" | $nc -w 3 "$2" "$3" 2>/dev/null | head -n 1 | sed -n 's/^HTTP\\/[0-9.]* \\([0-9][0-9]*\\).*/\\1/p'); echo "code=$c via=nc"
  fi
}`;

// keepalived writes its dump asynchronously: wait (up to 2 s) for the file, complete.
const DUMP = `pid=$(cat /run/keepalived.pid 2>/dev/null || cat /var/run/keepalived.pid 2>/dev/null)
if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then echo "pid=$pid"; else pid=; echo "pid="; fi
if [ -n "$pid" ]; then
  n=$(keepalived --signum=JSON 2>/dev/null); case "$n" in ''|*[!0-9]*) n=;; esac
  if [ -n "$n" ]; then f=/tmp/keepalived.json; else f=/tmp/keepalived.data; n=$(keepalived --signum=DATA 2>/dev/null); case "$n" in ''|*[!0-9]*) n=USR1;; esac; fi
  rm -f "$f"; kill -"$n" "$pid" 2>/dev/null
  i=0
  while [ $i -lt 40 ]; do
    if [ -s "$f" ]; then if [ "$f" = /tmp/keepalived.data ] || tail -c 4 "$f" | grep -q ']'; then break; fi; fi
    sleep 0.05; i=$((i+1))
  done
  [ "$f" = /tmp/keepalived.data ] && sleep 0.1
  echo "file=$f"
  echo ${q(MARK('dumpbody'))}; sed -e 's/"auth_data":"[^"]*"/"auth_data":"***"/g' -e 's/^\\( *[Pp]assword = \\).*/\\1***/' "$f" 2>/dev/null
fi`;

const IPVS = `if [ -e /proc/net/ip_vs ] && command -v ipvsadm >/dev/null 2>&1; then
  ipvsadm -Ln; echo ${q(MARK('ipvsstats'))}; ipvsadm -Ln --stats --exact; echo ${q(MARK('ipvsrate'))}; ipvsadm -Ln --rate --exact
else echo 'unavailable'; fi`;

/** The script for one host. */
export function probeScript(spec: ProbeSpec): string {
  const parts = ['PATH="$PATH:/usr/sbin:/sbin"; export LC_ALL=C', `echo ${q(MARK('addr'))}; ip -o addr show 2>&1`];
  if (spec.director) {
    const d = spec.director;
    parts.push(`echo ${q(MARK('keepalived'))}`, DUMP);
    // auth_pass never leaves the host
    parts.push(`echo ${q(MARK('conf'))}; if [ -r ${q(d.conf)} ]; then sed 's/^\\([[:space:]]*auth_pass\\)[[:space:]].*/\\1 ***/' ${q(d.conf)}; else echo '@@lvsplay:noconf@@'; fi`);
    parts.push(`echo ${q(MARK('ipvs'))}`, IPVS);
    if (d.checks.length) {
      parts.push(HTTP_CHECK, 't=$(mktemp -d 2>/dev/null || echo /tmp/lvsplay-status.$$); mkdir -p "$t"');
      d.checks.forEach((c, i) => {
        const host = c.ip.includes(':') ? `[${c.ip}]` : c.ip;
        const url = `http://${host}:${c.port}${c.path.startsWith('/') ? '' : '/'}${c.path}`;
        parts.push(`(hc ${q(url)} ${q(c.ip)} ${q(c.port)} ${q(c.path.startsWith('/') ? c.path : `/${c.path}`)} > "$t/${i}" 2>&1) &`);
      });
      parts.push('wait');
      d.checks.forEach((c, i) => parts.push(`echo ${q(MARK(`http ${c.name} ${c.ip}:${c.port}`))}; cat "$t/${i}"`));
      parts.push('rm -rf "$t"');
    }
  }
  if (spec.realServer) {
    const ifc = spec.realServer.iface;
    parts.push(`echo ${q(MARK('sysctl'))}`);
    parts.push(`for k in all/arp_ignore all/arp_announce ${q(`${ifc}/arp_ignore`)} ${q(`${ifc}/arp_announce`)}; do echo "$k=$(cat /proc/sys/net/ipv4/conf/$k 2>/dev/null)"; done`);
  }
  parts.push(`echo ${q(MARK('end'))}`);
  return parts.join('\n');
}

/** Split a probe's output into its sections (name -> text). The `end` section proves the script ran to its end. */
export function splitSections(out: string): Map<string, string> {
  const m = new Map<string, string>();
  let name = '';
  let buf: string[] = [];
  const flush = () => {
    if (name) m.set(name, buf.join('\n'));
  };
  for (const line of out.split('\n')) {
    const mk = /^@@lvsplay:(.+)@@$/.exec(line);
    if (mk && mk[1] !== 'noconf') {
      flush();
      name = mk[1];
      buf = [];
    } else buf.push(line);
  }
  flush();
  return m;
}
