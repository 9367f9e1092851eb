// What the systemd module asks systemctl, in one probe: `show UNIT` (parsed as Ansible parses it),
// `is-enabled UNIT` (plain and -l), `list-unit-files UNIT`, bare `systemctl` when nothing else
// answered (its error is the one Ansible reports on a host without systemd), whether an init script
// exists and is linked in a runlevel, and whether the host is a chroot or SYSTEMD_OFFLINE is set.
import { q } from '../../src/shell.js';
import { mark, sections } from '../../src/probe.js';

export interface Cmd {
  rc: number;
  out: string;
  err: string;
}
export interface UnitProbe {
  reload?: Cmd;
  reexec?: Cmd;
  show?: Cmd;
  isEnabled?: Cmd;
  isEnabledL?: Cmd;
  listUnit?: Cmd;
  bare?: Cmd;
  initd: boolean;
  sysvEnabled: boolean;
  chrootOrOffline: boolean;
  /** where systemctl is, or "none $PATH" when it is not installed */
  path: string;
}

/** Shell running one command and printing its rc, stdout and stderr as sections `<n>_rc`, `<n>_out`, `<n>_err`. */
function captured(n: string, cmd: string): string {
  return [
    `lvs_t=$(mktemp); lvs_o=$(${cmd} 2>"$lvs_t"); lvs_r=$?`,
    mark(`${n}_rc`),
    'echo "$lvs_r"',
    mark(`${n}_out`),
    `printf '%s\\n' "$lvs_o"`,
    mark(`${n}_err`),
    'cat "$lvs_t"; rm -f "$lvs_t"',
  ].join('\n');
}

/** The probe; `systemctl` is the command with its scope/no-block/force options; reload/reexec run first (not in check mode). */
export function unitProbe(systemctl: string, unit: string | undefined, o: { reload: boolean; reexec: boolean }): string {
  const parts: string[] = ['export XDG_RUNTIME_DIR="${XDG_RUNTIME_DIR:-/run/user/$(id -u)}"', mark('path'), 'command -v systemctl || echo "none $PATH"'];
  if (o.reload) parts.push(captured('reload', `${systemctl} daemon-reload`));
  if (o.reexec) parts.push(captured('reexec', `${systemctl} daemon-reexec`));
  if (unit !== undefined) {
    const u = q(unit);
    const script = unit.startsWith('/') ? u : q(`/etc/init.d/${unit}`);
    parts.push(
      captured('show', `${systemctl} show ${u}`),
      'lvs_sr=$lvs_r',
      captured('isen', `${systemctl} is-enabled ${u}`),
      captured('isenl', `${systemctl} is-enabled ${u} -l`),
      captured('lu', `${systemctl} list-unit-files ${u}`),
      // only asked when neither show nor list-unit-files answered: the error Ansible fails with
      'if [ "$lvs_sr" != 0 ] && [ "$lvs_r" != 0 ]; then',
      captured('bare', systemctl),
      'fi',
      mark('initd'),
      `[ -e ${script} ] && echo yes`,
      mark('sysv'),
      `if [ -d /etc/rc0.d ]; then set -- /etc/rc?.d/S??${u}; else set -- /etc/init.d/rc?.d/S??${u}; fi; [ -e "$1" ] && echo yes`,
      mark('chroot'),
      `{ [ -n "\${debian_chroot:-}" ] || [ "\${SYSTEMD_OFFLINE:-}" = 1 ] || { r=$(stat -Lc %d:%i /proc/1/root/. 2>/dev/null) && [ "$r" != "$(stat -Lc %d:%i /)" ]; }; } && echo yes`,
    );
  }
  return parts.join('\n');
}

export function parseUnitProbe(stdout: string): UnitProbe {
  const s = sections(stdout);
  const cmd = (n: string): Cmd | undefined =>
    s.has(`${n}_rc`) ? { rc: Number(s.get(`${n}_rc`)), out: s.get(`${n}_out`) ?? '', err: s.get(`${n}_err`) ?? '' } : undefined;
  const yes = (n: string): boolean => (s.get(n) ?? '').trim() === 'yes';
  return {
    reload: cmd('reload'),
    reexec: cmd('reexec'),
    show: cmd('show'),
    isEnabled: cmd('isen'),
    isEnabledL: cmd('isenl'),
    listUnit: cmd('lu'),
    bare: cmd('bare'),
    initd: yes('initd'),
    sysvEnabled: yes('sysv'),
    chrootOrOffline: yes('chroot'),
    path: (s.get('path') ?? '').trim(),
  };
}

/** `systemctl show` output as a mapping, multi-line `Exec*={ ... }` values joined as Ansible does. */
export function parseShow(text: string): Record<string, string> {
  const parsed: Record<string, string> = {};
  let key: string | undefined;
  let multi: string[] = [];
  for (const line of text.split('\n')) {
    if (key === undefined) {
      const i = line.indexOf('=');
      if (i < 0) continue;
      const k = line.slice(0, i);
      const v = line.slice(i + 1);
      if (k.startsWith('Exec') && v.trimStart().startsWith('{') && !v.trimEnd().endsWith('}')) {
        key = k;
        multi = [v];
        continue;
      }
      parsed[k] = v.trim();
    } else {
      multi.push(line);
      if (line.trimEnd().endsWith('}')) {
        parsed[key] = multi.join('\n').trim();
        key = undefined;
        multi = [];
      }
    }
  }
  return parsed;
}

/** systemctl's "ignoring request" answer (a chroot, or systemd not running) is not a unit's state. */
export const requestIgnored = (out: string): boolean => !out.includes('=') && (out.includes('ignoring request') || out.includes('ignoring command'));
