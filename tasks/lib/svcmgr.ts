// Service managers as shell snippets: how to ask "does it exist / run / start at boot" and how to
// start, stop, reload, enable. Everything a plan needs is composed into one probe and one apply exec.
import { q, sh } from '../../src/shell.js';

export type Action = 'start' | 'stop' | 'restart' | 'reload';
export type MgrName = 'systemd' | 'sysvinit' | 'openrc';

export interface SvcSpec {
  name: string;
  pattern?: string;
  args: string[]; // `arguments`, appended to start/stop/... (sysvinit/openrc)
}

export interface Mgr {
  /** Shell defining `lvs_running` (rc 0 when running), `lvs_exists`, `lvs_enabled` and `lvs_do ACTION`. */
  defs(s: SvcSpec): string;
  enable(s: SvcSpec, on: boolean): string;
  /** Diagnostic output after a failed start (to stderr). */
  status(s: SvcSpec): string;
}

const pgrep = (p: string): string => `pgrep -f ${q(p)} >/dev/null 2>&1`;

export const MANAGERS: Record<MgrName, Mgr> = {
  systemd: {
    defs: (s) =>
      [
        `lvs_running() { ${s.pattern ? pgrep(s.pattern) : sh`systemctl is-active --quiet ${s.name}`}; }`,
        `lvs_exists() { ! systemctl show -p LoadState ${q(s.name)} 2>/dev/null | grep -q '=not-found'; }`,
        `lvs_enabled() { case "$(systemctl is-enabled ${q(s.name)} 2>/dev/null)" in enabled|enabled-runtime|static|alias|indirect|generated) return 0;; *) return 1;; esac; }`,
        `lvs_do() { systemctl "$1" ${q(s.name)} 2>&1; }`,
      ].join('\n'),
    enable: (s, on) => sh`systemctl ${on ? 'enable' : 'disable'} ${s.name} 2>&1`,
    status: (s) => sh`systemctl status --no-pager -n 15 ${s.name} 2>&1 | tail -n 20 >&2`,
  },
  sysvinit: {
    defs: (s) =>
      [
        // `service` when there is one (Debian's init-system-helpers), else the script itself.
        `lvs_svc() { if command -v service >/dev/null 2>&1; then service ${q(s.name)} "$@"; else /etc/init.d/${q(s.name)} "$@"; fi; }`,
        s.pattern
          ? `lvs_running() { ${pgrep(s.pattern)}; }`
          : // LSB status: 0 running, 1-3 not running, 4 unknown: look for the process.
            // Scripts without a status action (Debian's keepalived) print their usage: then look for the process.
            `lvs_running() { o=$(lvs_svc status 2>&1); r=$?; case "$o" in *[Uu]sage:*) pidof ${q(s.name)} >/dev/null 2>&1; return;; esac; case $r in 0) return 0;; 1|2|3) return 1;; *) pidof ${q(s.name)} >/dev/null 2>&1;; esac; }`,
        `lvs_exists() { [ -x /etc/init.d/${q(s.name)} ]; }`,
        `lvs_enabled() { for f in /etc/rc[2345].d/S[0-9][0-9]${q(s.name)} /etc/rc.d/rc[2345].d/S[0-9][0-9]${q(s.name)}; do [ -e "$f" ] && return 0; done; return 1; }`,
        `lvs_do() { lvs_svc "$1" ${s.args.map(q).join(' ')} 2>&1; }`,
      ].join('\n'),
    enable: (s, on) =>
      on
        ? `if command -v update-rc.d >/dev/null 2>&1; then update-rc.d ${q(s.name)} defaults >/dev/null 2>&1; update-rc.d ${q(s.name)} enable 2>&1; elif command -v chkconfig >/dev/null 2>&1; then chkconfig ${q(s.name)} on 2>&1; else echo 'neither update-rc.d nor chkconfig found' >&2; exit 1; fi`
        : `if command -v update-rc.d >/dev/null 2>&1; then update-rc.d ${q(s.name)} disable 2>&1; elif command -v chkconfig >/dev/null 2>&1; then chkconfig ${q(s.name)} off 2>&1; else echo 'neither update-rc.d nor chkconfig found' >&2; exit 1; fi`,
    status: () => 'lvs_svc status 2>&1 | tail -n 20 >&2',
  },
  openrc: {
    defs: (s) =>
      [
        `lvs_running() { ${s.pattern ? pgrep(s.pattern) : sh`rc-service ${s.name} status >/dev/null 2>&1`}; }`,
        `lvs_exists() { [ -x /etc/init.d/${q(s.name)} ]; }`,
        `lvs_enabled() { [ -e /etc/runlevels/default/${q(s.name)} ]; }`,
        `lvs_do() { rc-service ${q(s.name)} "$1" ${s.args.map(q).join(' ')} 2>&1; }`,
      ].join('\n'),
    enable: (s, on) => sh`rc-update ${on ? 'add' : 'del'} ${s.name} default 2>&1`,
    status: (s) => sh`rc-service ${s.name} status 2>&1 | tail -n 20 >&2`,
  },
};

/** Shell that waits (polling every 0.1 s) until the service is running (want=true) or stopped. */
export function waitUntil(want: boolean, tenths: number, failMsg: string, onFail = ''): string {
  const cond = want ? '! lvs_running' : 'lvs_running';
  return `i=0; while ${cond}; do i=$((i+1)); if [ "$i" -ge ${tenths} ]; then echo ${q(failMsg)} >&2; ${onFail}exit 1; fi; sleep 0.1; done`;
}
