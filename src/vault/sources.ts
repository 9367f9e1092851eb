// Where vault passwords come from, as ansible-playbook and ansible-vault take them:
//   --vault-id LABEL@SOURCE (or SOURCE alone: label 'default'), repeatable;
//   --vault-password-file SOURCE (label 'default'), repeatable; --ask-vault-pass (= --vault-id @prompt);
//   SOURCE is `prompt`, a file (its content, surrounding whitespace stripped) or an executable
//   script (its standard output, stripped).
import { accessSync, constants, readFileSync, statSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { UsageError } from '../errors.js';
import { readHidden } from '../prompt/hidden.js';
import type { VaultSecret } from './keyring.js';

export interface VaultSourceFlags {
  vaultId?: string[];
  vaultPasswordFile?: string[];
  askVaultPass?: boolean;
}

export function parseVaultId(spec: string): { label: string; source: string } {
  const at = spec.indexOf('@');
  if (at < 0) return { label: 'default', source: spec };
  return { label: spec.slice(0, at) || 'default', source: spec.slice(at + 1) };
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

export function passwordFromSource(label: string, source: string): string {
  if (isExecutable(source)) {
    // A "client" script (name ending in -client) is told which vault id is wanted, as Ansible does.
    const args = /-client(\.[a-z]+)?$/.test(source) ? ['--vault-id', label] : [];
    const r = spawnSync(resolve(source), args, { encoding: 'utf8', stdio: ['inherit', 'pipe', 'inherit'] });
    if (r.error || r.status !== 0) throw new UsageError(`vault password script ${source} failed (${r.error?.message ?? `exit ${r.status}`})`);
    return r.stdout.trim();
  }
  try {
    return readFileSync(source, 'utf8').trim();
  } catch (e) {
    throw new UsageError(`The vault password file ${source} was not found (${(e as Error).message})`);
  }
}

async function secretFrom(label: string, source: string, confirm: boolean): Promise<VaultSecret> {
  if (source === 'prompt' || source === '') {
    const what = label === 'default' ? 'Vault password' : `Vault password (${label})`;
    const pw = await readHidden(`${what}: `, '--ask-vault-pass');
    if (confirm && (await readHidden(`Confirm ${what.charAt(0).toLowerCase()}${what.slice(1)}: `, '--ask-vault-pass')) !== pw) {
      throw new UsageError('Passwords do not match');
    }
    return { label, password: Buffer.from(pw), source: 'prompt' };
  }
  const pw = passwordFromSource(label, source);
  if (!pw) throw new UsageError(`Invalid vault password was provided from ${source} (it is empty)`);
  return { label, password: Buffer.from(pw), source };
}

/** The secrets given on the command line (or by ansible.cfg), in the order given. */
export async function loadVaultSecrets(f: VaultSourceFlags, opts: { confirm?: boolean } = {}): Promise<VaultSecret[]> {
  const specs: { label: string; source: string }[] = [];
  for (const id of f.vaultId ?? []) specs.push(parseVaultId(id));
  for (const file of f.vaultPasswordFile ?? []) specs.push({ label: 'default', source: file });
  if (f.askVaultPass) specs.push({ label: 'default', source: 'prompt' });
  const out: VaultSecret[] = [];
  for (const s of specs) out.push(await secretFrom(s.label, s.source, !!opts.confirm));
  return out;
}
