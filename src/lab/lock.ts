// One lab command at a time per lab dir (two concurrent `up`s in one dir would fight).
import { openSync, writeSync, closeSync, readFileSync, rmSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { alive, LabError } from './system.js';

export async function withLock<T>(dir: string, what: string, fn: () => Promise<T>): Promise<T> {
  mkdirSync(dir, { recursive: true });
  const f = join(dir, '.lock');
  for (let attempt = 0; ; attempt++) {
    try {
      const fd = openSync(f, 'wx');
      writeSync(fd, `${process.pid} ${what}\n`);
      closeSync(fd);
      break;
    } catch {
      let holder = 0;
      try {
        holder = Number(readFileSync(f, 'utf8').split(' ')[0]);
      } catch {
        continue; // just released
      }
      if (holder === process.pid) throw new LabError(`internal: nested lab lock in ${dir}`);
      if (!alive(holder) && attempt < 5) {
        rmSync(f, { force: true }); // stale (a crashed command)
        continue;
      }
      throw new LabError(`another lab command (pid ${holder}) is running on ${dir}; wait for it`);
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(f, { force: true });
  }
}
