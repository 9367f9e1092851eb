// The module registry: every task module, by its name and its aliases (FQCNs).
// One line per module below; keep them sorted.
import type { TaskModule } from '../src/types.js';
import { assert } from './assert.js';
import { blockinfile } from './blockinfile.js';
import { command } from './command.js';
import { copy } from './copy.js';
import { cron } from './cron.js';
import { debug } from './debug.js';
import { fail } from './fail.js';
import { fetch } from './fetch.js';
import { file } from './file.js';
import { find } from './find.js';
import { getUrl } from './get_url.js';
import { group } from './group.js';
import { iniFile } from './ini_file.js';
import { ipAddress } from './ip_address.js';
import { lineinfile } from './lineinfile.js';
import { meta } from './meta.js';
import { apt, dnf, pkg } from './package.js';
import { ping } from './ping.js';
import { raw } from './raw.js';
import { replace } from './replace.js';
import { script } from './script.js';
import { service } from './service.js';
import { setFact } from './set_fact.js';
import { shell } from './shell.js';
import { slurp } from './slurp.js';
import { stat } from './stat.js';
import { sysctl } from './sysctl.js';
import { tempfile } from './tempfile.js';
import { template } from './template.js';
import { uri } from './uri.js';
import { waitFor } from './wait_for.js';

const modules: TaskModule[] = [
  // (modules are added here, one import each)
  apt,
  assert,
  blockinfile,
  command,
  copy,
  cron,
  debug,
  dnf,
  fail,
  fetch,
  file,
  find,
  getUrl,
  group,
  iniFile,
  ipAddress,
  lineinfile,
  meta,
  ping,
  pkg,
  raw,
  replace,
  script,
  service,
  setFact,
  shell,
  slurp,
  stat,
  sysctl,
  tempfile,
  template,
  uri,
  waitFor,
];

const byName = new Map<string, TaskModule>();
for (const m of modules) for (const n of [m.name, ...m.aliases]) byName.set(n, m);

export function findModule(name: string): TaskModule | undefined {
  return byName.get(name);
}
export function moduleNames(): string[] {
  return [...byName.keys()];
}
export function allModules(): TaskModule[] {
  return modules;
}
