// ip_address (lvsplay's own): an address on an interface, live (`ip addr`) and persisted the
// OS's own way. Persistence is chosen from what the host has (probed in the same exec):
//  - ifupdown (/etc/network/interfaces: Debian family; under systemd only with networking.service
//    enabled, else the address would not come back): /etc/network/interfaces.d/lvsplay-<label>
//  - network-scripts (ifup-eth present: RHEL family with the legacy scripts): ifcfg-<label>
//  - otherwise, with systemd (NetworkManager-only RHEL 9+/Fedora, netplan/networkd systems): a
//    oneshot unit lvsplay-ip-<label>.service running `ip addr replace` at boot, enabled.
//  - none of these, but /etc/debian_version (or /etc/redhat-release): the ifupdown (ifcfg) file
//    anyway, with a warning that the tool is not installed (containers, the namespace lab);
//  - nothing known: the task fails unless persist: false.
import type { FileDiff, ModuleContext, Plan, Step, TaskModule } from '../src/types.js';
import { TaskError } from '../src/errors.js';
import { sh } from '../src/shell.js';
import { boolSchema, need, str, toBool } from './lib/args.js';
import { writeSteps } from './lib/files.js';
import { mark, sections } from '../src/probe.js';

const schema = {
  type: 'object',
  description:
    'An IP address on an interface, with an optional label (10.150.0.100/32 on lo as lo:2 for LVS-DR real servers): added/removed live with `ip addr` and persisted across reboots (ifupdown file on Debian, ifcfg-LABEL on RHEL with network-scripts, else a systemd oneshot unit). One probe exec when nothing changes.',
  properties: {
    address: { type: 'string', description: 'Address with prefix (CIDR), e.g. 10.150.0.100/32. Without a prefix: /32 (IPv4) or /128 (IPv6).' },
    interface: { type: 'string', description: 'Interface, e.g. lo or eth0 (alias dev).' },
    dev: { type: 'string', description: 'Alias of interface.' },
    label: { type: 'string', description: 'IPv4 label, the interface name optionally followed by :NAME (e.g. lo:2), at most 15 characters. Required for persistence on RHEL network-scripts.' },
    state: { enum: ['present', 'absent'], default: 'present', description: 'present: the address is on the interface (with this prefix and label); absent: it is not.' },
    persist: boolSchema('Persist (or un-persist) the address across reboots.', true),
  },
  required: ['address'],
  anyOf: [{ required: ['interface'] }, { required: ['dev'] }],
  additionalProperties: false,
};

export interface LiveAddr {
  addr: string; // with prefix
  ip: string;
  label?: string;
}

/** Addresses from `ip -o addr show dev X`. */
export function parseIpAddr(out: string): LiveAddr[] {
  const res: LiveAddr[] = [];
  for (const line of out.split('\n')) {
    const m = /\binet(6?)\s+(\S+)\s+(.*?)\\/.exec(line) ?? /\binet(6?)\s+(\S+)\s*(.*)$/.exec(line);
    if (!m) continue;
    const words = m[3].trim().split(/\s+/);
    res.push({ addr: m[2], ip: m[2].split('/')[0], label: m[1] ? undefined : words[words.length - 1] });
  }
  return res;
}

export function netmask(prefix: number): string {
  const n = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
  return [24, 16, 8, 0].map((s) => (n >>> s) & 255).join('.');
}

const safe = (s: string): string => s.replace(/[^A-Za-z0-9_-]/g, '-');

interface Persist {
  kind: 'ifupdown' | 'ifcfg' | 'systemd';
  path: string;
  content: string;
  unit?: string;
}

function persistFor(kind: string, ip: string, prefix: number, v6: boolean, dev: string, label: string | undefined, addr: string): Persist | string {
  const id = safe(label ?? `${dev}-${ip}`);
  const head = `# Managed by lvsplay (ip_address): ${addr} on ${dev}${label ? ` label ${label}` : ''}\n`;
  if (kind === 'ifupdown') {
    const name = label ?? dev;
    const body = v6 ? `iface ${name} inet6 static\n    address ${ip}\n    netmask ${prefix}\n` : `iface ${name} inet static\n    address ${ip}\n    netmask ${netmask(prefix)}\n`;
    return { kind, path: `/etc/network/interfaces.d/lvsplay-${id}`, content: `${head}${label ? `auto ${label}\n` : ''}${body}` };
  }
  if (kind === 'ifcfg') {
    if (!label || label === dev) return 'persisting with RHEL network-scripts needs a label (an alias file ifcfg-LABEL, e.g. label: lo:2)';
    if (v6) return 'persisting an IPv6 address with RHEL network-scripts alias files is not supported';
    return {
      kind,
      path: `/etc/sysconfig/network-scripts/ifcfg-${label}`,
      content: `${head}DEVICE=${label}\nNAME=${label}\nIPADDR=${ip}\nNETMASK=${netmask(prefix)}\nONBOOT=yes\n`,
    };
  }
  if (kind === 'systemd') {
    const unit = `lvsplay-ip-${id}.service`;
    const lab = label && !v6 ? ` label ${label}` : '';
    return {
      kind,
      unit,
      path: `/etc/systemd/system/${unit}`,
      content: `${head}[Unit]\nDescription=lvsplay address ${addr} on ${dev}\nAfter=network.target\n\n[Service]\nType=oneshot\nRemainAfterExit=yes\nExecStart=/sbin/ip addr replace ${addr} dev ${dev}${lab}\nExecStop=-/sbin/ip addr del ${addr} dev ${dev}\n\n[Install]\nWantedBy=multi-user.target\n`,
    };
  }
  return 'cannot persist the address on this host (no ifupdown, no network-scripts, no systemd): use persist: false';
}

async function plan(ctx: ModuleContext): Promise<Plan> {
  const a = ctx.args;
  const dev = need(a, 'interface', 'dev');
  const given = need(a, 'address');
  const v6 = given.includes(':');
  const [ip, pfx] = given.split('/');
  const prefix = pfx === undefined ? (v6 ? 128 : 32) : Number(pfx);
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > (v6 ? 128 : 32) || (!v6 && !/^\d{1,3}(\.\d{1,3}){3}$/.test(ip))) {
    throw new TaskError(`ip_address: '${given}' is not an address in CIDR form (e.g. 10.150.0.100/32)`);
  }
  const addr = `${ip}/${prefix}`;
  const label = str(a, 'label');
  if (label !== undefined && (v6 || !(label === dev || label.startsWith(`${dev}:`)) || label.length > 15)) {
    throw new TaskError(`ip_address: label '${label}' must be the interface name optionally followed by :NAME (e.g. ${dev}:2), at most 15 characters, IPv4 only`);
  }
  const state = need(a, 'state');
  const persist = toBool(a, 'persist', true);

  const cands = ['ifupdown', 'ifcfg', 'systemd'].map((k) => persistFor(k, ip, prefix, v6, dev, label, addr));
  const probe = [
    mark('live'),
    sh`ip -o addr show dev ${dev} 2>&1; echo "rc=$?"`,
    mark('kind'),
    // ifupdown only where it runs at boot: under systemd, networking.service enabled (a box that
    // brings its interfaces up with networkd and masks it keeps an /etc/network/interfaces)
    'if [ -f /etc/network/interfaces ] && { [ ! -d /run/systemd/system ] || systemctl is-enabled networking.service >/dev/null 2>&1; }; then echo ifupdown; elif [ -e /etc/sysconfig/network-scripts/ifup-eth ]; then echo ifcfg; elif [ -d /run/systemd/system ]; then echo systemd; elif [ -f /etc/debian_version ]; then echo ifupdown-missing; elif [ -f /etc/redhat-release ]; then echo ifcfg-missing; else echo none; fi',
    mark('sourced'),
    "if grep -qsE '^[[:space:]]*source(-directory)?[[:space:]]+/etc/network/interfaces.d' /etc/network/interfaces; then echo yes; else echo no; fi",
    mark('managed'),
    sh`grep -lsF ${`(ip_address): ${ip}/`} /etc/network/interfaces.d/* /etc/sysconfig/network-scripts/ifcfg-* /etc/systemd/system/lvsplay-ip-*.service; true`,
    ...cands.flatMap((c, i) => (typeof c === 'string' ? [] : [mark(`pf${i}`), sh`cat ${c.path} 2>/dev/null || echo @@absent`])),
  ].join('\n');
  const res = await ctx.probe(probe);
  const s = sections(res.stdout);
  const liveOut = s.get('live') ?? '';
  if (!/rc=0\s*$/.test(liveOut)) return { steps: [], failed: `interface ${dev} on ${ctx.host}: ${liveOut.replace(/rc=\d+\s*$/, '').trim() || 'ip addr failed'}` };
  const live = parseIpAddr(liveOut);
  const mine = live.find((x) => x.ip === ip);

  const steps: Step[] = [];
  const diff: FileDiff[] = [];
  const liveText = (l: LiveAddr[]): string => l.map((x) => `${x.addr}${x.label && x.label !== dev ? ` label ${x.label}` : ''}\n`).join('');
  let after = live.filter((x) => x.ip !== ip);
  if (state === 'present') {
    const ok = mine && mine.addr === addr && (label === undefined || mine.label === label);
    if (!ok) {
      if (mine) steps.push({ describe: `remove ${mine.addr} from ${dev}`, cmd: sh`ip addr del ${mine.addr} dev ${dev}` });
      steps.push({ describe: `add ${addr} to ${dev}${label ? ` as ${label}` : ''}`, cmd: sh`ip addr add ${addr} dev ${dev} ${label ? ['label', label] : []}` });
    }
    after = [...after, { addr, ip, label: label ?? mine?.label ?? dev }];
  } else if (mine) {
    steps.push({ describe: `remove ${mine.addr} from ${dev}`, cmd: sh`ip addr del ${mine.addr} dev ${dev}` });
  }
  if (steps.length) diff.push({ path: `ip addr show dev ${dev}`, before: liveText(live), after: liveText(after) });

  const warnings: string[] = [];
  if (persist) {
    let kind = (s.get('kind') ?? 'none').trim();
    if (kind.endsWith('-missing')) {
      // Debian without ifupdown / RHEL without network-scripts and without systemd (containers, the namespace lab):
      // write the OS's file anyway, so it takes effect once the tool is installed, and say so.
      kind = kind.replace('-missing', '');
      warnings.push(`${kind === 'ifupdown' ? 'ifupdown' : 'network-scripts'} is not installed on ${ctx.host}: the persisted address is used only once it is installed`);
    }
    const i = ['ifupdown', 'ifcfg', 'systemd'].indexOf(kind);
    const p = i === -1 ? persistFor(kind, ip, prefix, v6, dev, label, addr) : cands[i];
    if (typeof p === 'string') {
      if (state === 'present') return { steps: [], failed: `ip_address: ${p}` };
    } else {
      const curText = s.get(`pf${i}`) ?? '@@absent';
      const exists = curText !== '@@absent';
      if (state === 'present' && curText !== p.content.replace(/\n+$/, '')) {
        steps.push(...writeSteps({ path: p.path, kind: 'absent', parentExists: false }, p.content, { want: {}, backup: false, mkdirs: true }));
        if (p.unit) steps.push({ describe: `enable ${p.unit}`, cmd: sh`systemctl daemon-reload && systemctl enable ${p.unit} 2>&1` });
        diff.push({ path: p.path, before: exists ? `${curText}\n` : '', after: p.content });
      }
      // Files this module wrote for the same address under another name (label changed), or all of them for absent.
      const managed = (s.get('managed') ?? '').split('\n').filter((f) => f !== '' && (state === 'absent' || f !== p.path));
      for (const f of managed) {
        const unit = /^\/etc\/systemd\/system\/(lvsplay-ip-[^/]+\.service)$/.exec(f)?.[1];
        if (unit) steps.push({ describe: `disable ${unit}`, cmd: sh`systemctl disable ${unit} 2>&1 || true` });
        steps.push({ describe: `remove ${f}`, cmd: sh`rm -f -- ${f}` });
        diff.push({ path: f, before: f === p.path && exists ? `${curText}\n` : '(managed by lvsplay)\n', after: '' });
      }
      if (p.kind === 'ifupdown' && (s.get('kind') ?? '').trim() === 'ifupdown' && (s.get('sourced') ?? '').trim() !== 'yes') {
        warnings.push('/etc/network/interfaces does not source /etc/network/interfaces.d: the address will not come back after a reboot');
      }
    }
  }
  return { steps, diff, result: { address: addr, interface: dev, label: label ?? null, state, ...(warnings.length ? { warnings } : {}) } };
}

export const ipAddress: TaskModule = {
  name: 'ip_address',
  aliases: ['lvsplay.ip_address', 'vip'],
  plansAhead: true,
  schema,
  freeForm: 'kv',
  plan,
};
