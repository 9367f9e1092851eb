// modification_time / access_time of the file module: 'preserve', 'now' or a time in a strptime
// format (read on the controller, turned into seconds by the host's own clock and time zone with
// `date -d`, as Python's time.mktime does on the host). Changed when a time differs from the
// wished one (to the nanosecond, as Ansible compares st_mtime), always for 'now'.
import { TaskError } from '../../src/errors.js';
import { mark, sections } from '../../src/probe.js';
import { q } from '../../src/shell.js';
import type { Step } from '../../src/types.js';
import { str } from './args.js';

export const timeSchema = {
  modification_time: { type: 'string', description: "The file's modification time: preserve, now, or a time in modification_time_format. Default: preserve (now for state=touch)." },
  modification_time_format: { type: 'string', default: '%Y%m%d%H%M.%S', description: 'The strptime format of modification_time (%Y %y %m %d %H %M %S %j %% and literal text).' },
  access_time: { type: 'string', description: "The file's access time: preserve, now, or a time in access_time_format. Default: preserve (now for state=touch)." },
  access_time_format: { type: 'string', default: '%Y%m%d%H%M.%S', description: 'The strptime format of access_time.' },
};

// Python's _strptime regexes for the directives it has (in its order of alternatives)
const DIRECTIVES: Record<string, string> = {
  Y: '(\\d\\d\\d\\d)',
  y: '(\\d\\d)',
  m: '(1[0-2]|0[1-9]|[1-9])',
  d: '(3[01]|[12]\\d|0[1-9]|[1-9]| [1-9])',
  H: '(2[0-3]|[0-1]\\d|\\d)',
  M: '([0-5]\\d|\\d)',
  S: '(6[0-1]|[0-5]\\d|\\d)',
  j: '(36[0-6]|3[0-5]\\d|[12]\\d\\d|0[1-9]\\d|00[1-9]|[1-9]\\d|0[1-9]|[1-9])',
};

/** time.strptime for the numeric directives: 'YYYY-MM-DD HH:MM:SS' for `date -d`. */
export function strptime(text: string, format: string): string {
  let src = '';
  const order: string[] = [];
  for (let i = 0; i < format.length; i++) {
    const c = format[i];
    if (c === '%') {
      const d = format[++i];
      if (d === '%') src += '%';
      else if (DIRECTIVES[d]) {
        src += DIRECTIVES[d];
        order.push(d);
      } else throw new TaskError(`time format directive '%${d}' is not supported by lvsplay (supported: %Y %y %m %d %H %M %S %j %%)`);
    } else if (/\s/.test(c)) src += '\\s+';
    else src += c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  const m = new RegExp(`^${src}$`, 'i').exec(text);
  if (!m) throw new TaskError(`Error while obtaining timestamp for time ${text} using format ${format}: time data '${text}' does not match format '${format}'`);
  const f: Record<string, number> = { Y: 1900, m: 1, d: 1, H: 0, M: 0, S: 0 };
  order.forEach((d, i) => (f[d] = Number(m[i + 1])));
  if (order.includes('y')) f.Y = f.y <= 68 ? 2000 + f.y : 1900 + f.y;
  if (order.includes('j') && !order.includes('m') && !order.includes('d')) {
    const day = new Date(Date.UTC(f.Y, 0, f.j));
    f.m = day.getUTCMonth() + 1;
    f.d = day.getUTCDate();
  }
  const p = (n: number, w = 2): string => String(n).padStart(w, '0');
  return `${p(f.Y, 4)}-${p(f.m)}-${p(f.d)} ${p(f.H)}:${p(f.M)}:${p(Math.min(f.S, 59))}`;
}

export interface TimeWish {
  mtime: string; // 'preserve' | 'now' | the date for `date -d`
  atime: string;
}

/** The wished times of the task's arguments (the default when an argument is not given). */
export function timeWish(a: Record<string, unknown>, dflt: 'preserve' | 'now'): TimeWish {
  const one = (name: string): string => {
    const v = str(a, name) ?? dflt;
    if (v === 'preserve' || v === 'now') return v;
    return strptime(v, str(a, `${name}_format`) ?? '%Y%m%d%H%M.%S');
  };
  return { mtime: one('modification_time'), atime: one('access_time') };
}

const fixed = (t: string): boolean => t !== 'preserve' && t !== 'now';

/**
 * Shell printing the path's atime/mtime and the wished times in seconds on the host (nothing when
 * both are kept). It runs before anything reads the file: a read may bump the access time.
 */
export function timeProbe(path: string, w: TimeWish): string {
  if (w.mtime === 'preserve' && w.atime === 'preserve') return '';
  const dates = [w.atime, w.mtime].map((t) => (fixed(t) ? `date -d ${q(t)} +%s` : 'echo -'));
  return [mark('times'), `stat -L -c "%.9X %.9Y" -- ${q(path)} 2>/dev/null || echo "- -"`, ...dates].join('\n');
}

/** The step setting the times when they differ from the wish (after the file exists). */
export function timeSteps(path: string, w: TimeWish, stdout: string): Step[] {
  if (w.mtime === 'preserve' && w.atime === 'preserve') return [];
  const lines = (sections(stdout).get('times') ?? '').trim().split('\n');
  const [curA, curM] = (lines[0] ?? '- -').trim().split(/\s+/);
  const want = { a: (lines[1] ?? '-').trim(), m: (lines[2] ?? '-').trim() };
  const cmds: string[] = [];
  const one = (flag: 'a' | 'm', wish: string, cur: string, wanted: string): void => {
    if (wish === 'now') cmds.push(`touch -c -${flag} -- ${q(path)}`);
    else if (fixed(wish) && (cur === '-' || Number(cur) !== Number(wanted))) cmds.push(`touch -c -${flag} -d @${Number(wanted)} -- ${q(path)}`);
  };
  if (w.atime === 'now' && w.mtime === 'now') cmds.push(`touch -c -- ${q(path)}`);
  else {
    one('a', w.atime, curA, want.a);
    one('m', w.mtime, curM, want.m);
  }
  if (fixed(w.atime) && !/^-?\d+$/.test(want.a)) throw new TaskError(`could not read the time '${w.atime}' on the host: ${want.a}`);
  if (fixed(w.mtime) && !/^-?\d+$/.test(want.m)) throw new TaskError(`could not read the time '${w.mtime}' on the host: ${want.m}`);
  return cmds.length ? [{ describe: `set the times of ${path}`, cmd: cmds.join(' && ') }] : [];
}
