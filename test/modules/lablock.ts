// An exclusive hold on a lab dir for the length of a test file: two test processes using the same lab
// (e.g. `npm test` run by someone while one runs this file alone) would otherwise take each other's lab down.
// The lock file holds the owner's pid; a lock whose owner is gone is taken over.
import { mkdirSync, openSync, closeSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Waits (up to `waitMs`) until this process holds `<labDir>.testlock`; returns the release function. */
export async function holdLab(labDir: string, waitMs = 900_000, log: (s: string) => void = () => undefined): Promise<() => void> {
  const file = `${labDir}.testlock`;
  mkdirSync(dirname(file), { recursive: true });
  const until = Date.now() + waitMs;
  let said = false;
  for (;;) {
    try {
      const fd = openSync(file, 'wx');
      writeSync(fd, `${process.pid}\n`);
      closeSync(fd);
      return () => {
        try {
          if (readFileSync(file, 'utf8').trim() === String(process.pid)) rmSync(file);
        } catch {
          /* already gone */
        }
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    let owner = NaN;
    try {
      owner = Number(readFileSync(file, 'utf8').trim());
    } catch {
      continue; // released meanwhile
    }
    if (!Number.isInteger(owner) || owner <= 0 || !alive(owner)) {
      rmSync(file, { force: true }); // stale: its owner is gone
      continue;
    }
    if (Date.now() > until) throw new Error(`the lab ${labDir} is in use by the tests of pid ${owner} (${file})`);
    if (!said) log(`waiting for the tests of pid ${owner} to finish with ${labDir}`);
    said = true;
    await new Promise((r) => setTimeout(r, 1000));
  }
}
