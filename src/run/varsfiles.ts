// vars_files that name their file by a template (`vars_{{ ansible_os_family }}.yml`): as Ansible,
// each host's names are rendered with its variables (inventory, facts, play vars, extra vars) and
// the first existing alternative of each entry is read, entries merged in order (fixed entries: as read at load). Resolved once per
// host and play (the first time the host's variables are built).
import { ConfigError, ConfigErrors } from '../errors.js';
import type { Play, Vars } from '../types.js';
import { firstExisting, readVarsFile } from '../playbook/yamlfile.js';
import { pyStr } from '../vars/pystr.js';
import type { TemplarLike } from './deps.js';

export function hostVarsFiles(play: Play, templar: TemplarLike, vars: Vars): Vars {
  const out: Vars = {};
  for (const e of play.varsFilesPerHost ?? []) {
    if (e.vars) {
      Object.assign(out, e.vars); // a fixed entry: read once, at load
      continue;
    }
    const names = e.alternatives.map((a) => pyStr(templar.render(a, vars, e.pos)));
    const file = firstExisting(e.dir, names);
    if (!file) throw new ConfigError(names.length > 1 ? `none of the vars files exist: ${names.join(', ')}` : `vars file '${names[0]}' not found`, e.pos);
    const errors: ConfigError[] = [];
    const data = readVarsFile(file, errors, e.pos);
    if (errors.length) throw new ConfigErrors(errors);
    Object.assign(out, data ?? {});
  }
  return out;
}
