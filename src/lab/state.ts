// The lab's state file: everything `up` creates is recorded here BEFORE it is created, so `down`
// can always remove it (also after a crash or a half-finished `up`).
import { readFileSync, writeFileSync, renameSync, existsSync } from 'node:fs';
import { paths } from './config.js';

export interface LabState {
  version: 1;
  name: string;
  dir: string;
  subnet: string;
  controller: string;
  vip: string;
  status: 'starting' | 'up';
  swNs: string;
  ctlLink: string;
  hosts: { name: string; ns: string; addr: string; pid?: number }[];
  proxy?: { pid?: number; addr: string; port: number };
  startedAt: string;
}

export function readState(dir: string): LabState | undefined {
  const f = paths(dir).state;
  if (!existsSync(f)) return undefined;
  try {
    return JSON.parse(readFileSync(f, 'utf8')) as LabState;
  } catch {
    return undefined; // a torn write: `down` falls back to name scanning
  }
}

export function writeState(dir: string, st: LabState): void {
  const f = paths(dir).state;
  writeFileSync(`${f}.tmp`, JSON.stringify(st, null, 2) + '\n');
  renameSync(`${f}.tmp`, f);
}
