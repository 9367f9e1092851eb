// The shipped task modules, one line each (keep them sorted). The registry that finds a module by
// its name or an alias (FQCN) is src/playbook/modules.ts.
import type { TaskModule } from '../src/types.js';
import { addHost } from './add_host.js';
import { assemble } from './assemble.js';
import { assert } from './assert.js';
import { asyncStatus } from './async_status.js';
import { blockinfile } from './blockinfile.js';
import { command } from './command.js';
import { copy } from './copy.js';
import { cron } from './cron.js';
import { debug } from './debug.js';
import { fail } from './fail.js';
import { fetch } from './fetch.js';
import { file } from './file.js';
import { find } from './find.js';
import { gatherFacts } from './gather_facts.js';
import { getUrl } from './get_url.js';
import { git } from './git.js';
import { group } from './group.js';
import { groupBy } from './group_by.js';
import { hostname } from './hostname.js';
import { includeVars } from './include_vars.js';
import { iniFile } from './ini_file.js';
import { ipAddress } from './ip_address.js';
import { lineinfile } from './lineinfile.js';
import { apt, dnf, pkg } from './package.js';
import { packageFacts } from './package_facts.js';
import { pause } from './pause.js';
import { ping } from './ping.js';
import { pip } from './pip.js';
import { raw } from './raw.js';
import { reboot } from './reboot.js';
import { replace } from './replace.js';
import { script } from './script.js';
import { service } from './service.js';
import { serviceFacts } from './service_facts.js';
import { setFact } from './set_fact.js';
import { setStats } from './set_stats.js';
import { setup } from './setup.js';
import { shell } from './shell.js';
import { slurp } from './slurp.js';
import { stat } from './stat.js';
import { sysctl } from './sysctl.js';
import { systemd } from './systemd.js';
import { tempfile } from './tempfile.js';
import { template } from './template.js';
import { unarchive } from './unarchive.js';
import { uri } from './uri.js';
import { user } from './user.js';
import { validateArgumentSpec } from './validate_argument_spec.js';
import { waitFor } from './wait_for.js';
import { waitForConnection } from './wait_for_connection.js';

export const SHIPPED_MODULES: readonly TaskModule[] = [
  // (modules are added here, one import each)
  addHost,
  apt,
  assemble,
  assert,
  asyncStatus,
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
  gatherFacts,
  getUrl,
  git,
  group,
  groupBy,
  hostname,
  includeVars,
  iniFile,
  ipAddress,
  lineinfile,
  packageFacts,
  pause,
  ping,
  pip,
  pkg,
  raw,
  reboot,
  replace,
  script,
  service,
  serviceFacts,
  setFact,
  setStats,
  setup,
  shell,
  slurp,
  stat,
  sysctl,
  systemd,
  tempfile,
  template,
  unarchive,
  uri,
  user,
  validateArgumentSpec,
  waitFor,
  waitForConnection,
];
