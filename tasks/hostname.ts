// hostname: the host's permanent (and, where the strategy does it, running) name, as Ansible 2.14's
// hostname module sets it — one probe reads the strategy's file or hostnamectl, the name resolution
// for ansible_fqdn and what picks the strategy; the result carries Ansible's ansible_facts
// (ansible_hostname, ansible_nodename, ansible_fqdn, ansible_domain) and its diff.
import type { ModuleContext, Plan, Step, TaskModule } from '../src/types.js';
import { TaskError } from '../src/errors.js';
import { sh } from '../src/shell.js';
import { mark, sections } from '../src/probe.js';
import { need, str } from './lib/args.js';
import { autoStrategy, distributionOf, fileWith, FQDN_SH, permanentFrom, strategy, USE, writeInPlace, type StratName } from './lib/hoststrat.js';

const schema = {
  type: 'object',
  description:
    "Set the host's name as Ansible's hostname module does on Linux. Without `use`: hostnamectl when systemd runs as init, else by distribution — Debian/Ubuntu and friends write /etc/hostname only (the running name is left as it is, as Ansible does), Red Hat family the HOSTNAME= line of /etc/sysconfig/network, Alpine /etc/hostname + hostname -F, Gentoo /etc/conf.d/hostname. /etc/hosts is not changed.",
  properties: {
    name: { type: 'string', description: 'The host name.' },
    use: {
      enum: Object.keys(USE),
      description: "Strategy: systemd (and debian, as in Ansible: hostnamectl), alpine, openrc, redhat, sles, openbsd (/etc/myname), generic. freebsd, macos/macosx/darwin and solaris are not supported by lvsplay.",
    },
  },
  required: ['name'],
  additionalProperties: false,
};

const FILES = ['/etc/hostname', '/etc/conf.d/hostname', '/etc/sysconfig/network', '/etc/HOSTNAME', '/etc/myname'];

function probe(use: StratName | 'auto'): string {
  const read = FILES.flatMap((f, i) => [mark(`file${i}`), sh`if [ -f ${f} ]; then cat ${f}; else echo '@@none'; fi`]);
  const systemdRuns = `command -v systemctl >/dev/null 2>&1 && { [ -e /run/systemd/system/ ] || [ -e /dev/.run/systemd/ ] || [ -e /dev/.systemd/ ]; }`;
  const ctl = use === 'systemd' ? 'true' : use === 'auto' ? systemdRuns : 'false';
  return [
    mark('os'),
    '(. /etc/os-release 2>/dev/null; echo "${ID:-}"; echo "${VERSION_ID:-}")',
    mark('systemd'),
    `${systemdRuns} && echo yes`,
    mark('ctl'),
    `if ${ctl}; then if command -v hostnamectl >/dev/null 2>&1; then hostnamectl --transient status 2>&1 || echo "@@rc $?"; echo '@@sep'; hostnamectl --static status 2>&1 || echo "@@rc $?"; else echo '@@missing'; fi; fi`,
    mark('fqdn'),
    FQDN_SH,
    ...read,
  ].join('\n');
}

async function plan(ctx: ModuleContext): Promise<Plan> {
  const name = need(ctx.args, 'name');
  const useArg = str(ctx.args, 'use');
  if (useArg !== undefined && USE[useArg] === undefined) throw new TaskError(`hostname: use=${useArg} is not supported by lvsplay (supported: systemd, debian, alpine, openrc, redhat, sles, openbsd, generic)`);
  const s = sections((await ctx.probe(probe(useArg === undefined ? 'auto' : USE[useArg]!))).stdout);
  const [id = '', version = ''] = (s.get('os') ?? '').split('\n');
  const distribution = distributionOf(id.trim());
  const which = useArg !== undefined ? USE[useArg]! : autoStrategy(distribution, version.trim(), s.get('systemd')?.trim() === 'yes');
  if (which === undefined) return { steps: [], failed: `hostname module cannot be used on platform Linux (${distribution})` };
  if (which === 'generic') return { steps: [], failed: 'hostname: use=generic has no way to read the permanent name (Ansible fails here too)' };
  const st = strategy(which);
  let current: string;
  let permanent: string;
  const steps: Step[] = [];
  if (which === 'systemd') {
    const ctl = s.get('ctl') ?? '';
    if (ctl.trim() === '@@missing') return { steps: [], failed: 'Failed to find required executable "hostnamectl"' };
    const [t = '', p = ''] = ctl.split('\n@@sep\n');
    for (const out of [t, p]) {
      const rc = /\n?@@rc (\d+)$/.exec(out);
      const err = out.slice(0, rc?.index).trim();
      if (rc) return { steps: [], failed: `Command failed rc=${rc[1]}, out=, err=${err ? `${err}\n` : ''}` };
    }
    [current, permanent] = [t.trim(), p.trim()];
    if (name.length > 64 && (current !== name || permanent !== name)) return { steps: [], failed: 'name cannot be longer than 64 characters on systemd servers, try a shorter name' };
    // permanent first, then the running name (as Ansible, for NetworkManager's sake)
    if (permanent !== name) steps.push({ describe: `hostnamectl --pretty --static set-hostname ${name}`, cmd: sh`hostnamectl --pretty --static set-hostname ${name}` });
    if (current !== name) steps.push({ describe: `hostnamectl --transient set-hostname ${name}`, cmd: sh`hostnamectl --transient set-hostname ${name}` });
  } else {
    const raw = s.get(`file${FILES.indexOf(st.file!)}`);
    const text = raw === undefined || raw === '@@none' ? undefined : raw;
    const perm = permanentFrom(st, text);
    if (perm === undefined) return { steps: [], failed: `failed to read hostname: no ${which === 'redhat' ? 'HOSTNAME' : 'hostname='} line in ${st.file}` };
    permanent = current = perm;
    if (perm !== name) {
      // Ansible sets the running name first, from the file as it still is, then writes the file
      if (which === 'alpine') steps.push({ describe: `hostname -F ${st.file}`, cmd: sh`hostname -F ${st.file!}` });
      const content = fileWith(st, text ?? '', name);
      if (content !== undefined) steps.push({ describe: `write ${name} to ${st.file}`, cmd: writeInPlace(st.file!, content) });
    }
  }
  const before = name !== current ? current : permanent;
  const changed = current !== name || permanent !== name;
  const facts = (fqdn: string): Record<string, unknown> => ({
    ansible_hostname: name.split('.')[0],
    ansible_nodename: name,
    ansible_fqdn: fqdn,
    ansible_domain: fqdn.split('.').slice(1).join('.'),
  });
  const fqdn = (s.get('fqdn') ?? '').trim();
  if (st.setsCurrent && steps.length) steps.push({ describe: 'resolve the new name (ansible_fqdn)', cmd: `${mark('fqdn')}\n${FQDN_SH}` });
  return {
    steps,
    changed,
    diff: changed ? [{ before: `hostname = ${before}\n`, after: `hostname = ${name}\n` }] : [],
    result: { name, ansible_facts: facts(fqdn) },
    after(res) {
      if (res.rc !== 0) throw new TaskError(`Command failed rc=${res.rc}, out=${res.stdout.trim()}, err=${res.stderr.trim()}`);
      const now = sections(res.stdout).get('fqdn');
      return now === undefined ? {} : { ansible_facts: facts(now.trim()) };
    },
  };
}

export const hostname: TaskModule = {
  name: 'hostname',
  aliases: ['ansible.builtin.hostname', 'ansible.legacy.hostname'],
  schema,
  freeForm: 'kv',
  plan,
};
