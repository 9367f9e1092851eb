// meta/.galaxy_install_info as ansible-galaxy writes it (YAML, keys sorted): the install date in
// Python's `%c` format (C locale, UTC) and the version as the requirement gave it (null or '' when none).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { parse, stringify } from 'yaml';

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const p2 = (n: number) => String(n).padStart(2, '0');

/** strftime('%c') in the C locale: `Thu Dec  3 10:51:41 2026`. */
export function cDate(d: Date): string {
  const time = `${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())}`;
  return `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, ' ')} ${time} ${d.getUTCFullYear()}`;
}

export const INSTALL_INFO = path.join('meta', '.galaxy_install_info');

export function writeInstallInfo(roleDir: string, version: string | null, now = new Date()): void {
  mkdirSync(path.join(roleDir, 'meta'), { recursive: true });
  const v = version === null ? 'null' : stringify(version, { singleQuote: true }).trimEnd();
  writeFileSync(path.join(roleDir, INSTALL_INFO), `install_date: ${cDate(now)}\nversion: ${v}\n`);
}

/** The install info of an installed role (undefined: not installed by galaxy). */
export function readInstallInfo(roleDir: string): { version: unknown } | undefined {
  const f = path.join(roleDir, INSTALL_INFO);
  if (!existsSync(f)) return undefined;
  try {
    const data = parse(readFileSync(f, 'utf8')) as { version?: unknown } | null;
    return { version: data?.version ?? null };
  } catch {
    return { version: undefined };
  }
}
