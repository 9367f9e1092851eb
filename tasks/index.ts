// The shipped task modules, one line each (keep them sorted). The registry that finds a module by
// its name or an alias (FQCN) is src/playbook/modules.ts.
import type { TaskModule } from '../src/types.js';
import { assert } from './assert.js';
import { command } from './command.js';
import { copy } from './copy.js';
import { debug } from './debug.js';
import { fail } from './fail.js';
import { file } from './file.js';
import { includeVars } from './include_vars.js';
import { ipAddress } from './ip_address.js';
import { lineinfile } from './lineinfile.js';
import { apt, dnf, pkg } from './package.js';
import { service } from './service.js';
import { setFact } from './set_fact.js';
import { shell } from './shell.js';
import { sysctl } from './sysctl.js';
import { template } from './template.js';
import { uri } from './uri.js';
import { waitFor } from './wait_for.js';

export const SHIPPED_MODULES: readonly TaskModule[] = [
  // (modules are added here, one import each)
  apt,
  assert,
  command,
  copy,
  debug,
  dnf,
  fail,
  file,
  includeVars,
  ipAddress,
  lineinfile,
  pkg,
  service,
  setFact,
  shell,
  sysctl,
  template,
  uri,
  waitFor,
];
