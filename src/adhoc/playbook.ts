// The in-memory play of an ad-hoc command: `hosts: PATTERN`, no fact gathering, one task calling
// MODULE with the free-form ARGS — written as YAML to a private temporary file and loaded by the
// normal loader (the same validation and errors as a playbook), then run by the normal executor.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';

export function adhocPlaybook(pattern: string, module: string, args: string | undefined): { file: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'lvsplay-adhoc-'));
  const file = join(dir, 'ad-hoc.yml');
  const play = { name: `Ansible Ad-Hoc`, hosts: pattern, gather_facts: false, tasks: [{ name: module, [module]: args ?? null }] };
  writeFileSync(file, stringify([play]), { mode: 0o600 });
  return { file, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
