// Temporary inventory trees for the inventory tests.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** Write files (relative path -> content) under a fresh temp directory; returns its path. */
export function tree(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lvsplay-inv-'));
  for (const [rel, content] of Object.entries(files)) {
    const p = path.join(dir, rel);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, content);
  }
  return dir;
}

/** Run fn and return the thrown error's toString() (fails if nothing is thrown). */
export async function errorOf(fn: () => unknown): Promise<string> {
  try {
    await fn();
  } catch (e) {
    return String(e);
  }
  throw new Error('expected an error');
}
