// Variables whose names say they are secret (ansible_password, ansible_become_pass, *_pass,
// *_password, *_secret, *_token, e.g. keepalived_auth_pass) are masked everywhere from the start:
// console, --diff, --json, -vvv command echoes. Values are registered as written in the inventory,
// extra vars, play vars, vars_files and role defaults/vars/params (templated values are skipped:
// the values they point at are registered under their own secret names). Every value decrypted
// from a vault (a vaulted file's strings, `!vault` values) is a secret whatever its name.
import { isTemplate } from '../vars/unsafe.js';
import type { Inventory, Playbook, Vars } from '../types.js';
import type { Masker } from '../report/mask.js';
import { onReveal, revealedSecrets } from '../vault/keyring.js';
import { isPyFloat } from '../vars/pyfloat.js';
import { pyStr } from '../vars/pystr.js';

export const SECRET_NAME = /(^|_)(pass|passwd|password|secret|token|private_key_passphrase)$/i;

function scan(masker: Masker, vars: Vars | undefined): void {
  for (const [k, v] of Object.entries(vars ?? {})) {
    if (!SECRET_NAME.test(k) || v === null || v === undefined || (typeof v === 'object' && !isPyFloat(v))) continue;
    const s = isPyFloat(v) ? pyStr(v) : String(v); // as Masker.add: only a whole float changes (2.0)
    if (!isTemplate(s)) masker.add(s);
  }
}

export function registerSecretVars(masker: Masker, pb: Playbook, inv: Inventory, extraVars: Vars): void {
  for (const s of revealedSecrets()) masker.add(s); // every decrypted vault value, now and later
  onReveal((s) => masker.add(s));
  scan(masker, extraVars);
  for (const h of inv.hosts.keys()) scan(masker, inv.hostVars(h));
  for (const play of pb.plays) {
    scan(masker, play.vars);
    scan(masker, play.varsFiles);
    for (const r of play.roles) {
      scan(masker, r.defaults);
      scan(masker, r.vars);
      scan(masker, r.params);
    }
  }
}
