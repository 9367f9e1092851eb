// `lvsplay vault create|encrypt|decrypt|view|edit|rekey|encrypt_string`: ansible-vault's commands,
// files and strings interchangeable with it (envelope.ts). Errors exit 1, as ansible-vault's do.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { Command, CommanderError } from 'commander';
import { ConfigError, EXIT, UsageError } from '../errors.js';
import { encrypt, isVaulted } from './envelope.js';
import { decryptEnvelope, type VaultSecret } from './keyring.js';
import { loadVaultSecrets, parseVaultId, type VaultSourceFlags } from './sources.js';
import { readHidden } from '../prompt/hidden.js';
import { normalizeFlagAliases } from '../config/flags.js';

interface Flags extends VaultSourceFlags {
  encryptVaultId?: string;
  newVaultId?: string;
  newVaultPasswordFile?: string;
  output?: string;
  name?: string[];
  stdinName?: string;
  prompt?: boolean;
}

const collect = (v: string, prev: string[] = []) => [...prev, v];
const out = (s: string) => process.stdout.write(s);
const note = (s: string) => process.stderr.write(s);

function readInput(file: string): string {
  if (file === '-') return readFileSync(0, 'utf8');
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    throw new UsageError(`could not read ${file}: ${(e as Error).message}`);
  }
}

function writeOutput(file: string, text: string): void {
  if (file === '-') out(text);
  else writeFileSync(file, text, { mode: 0o600 });
}

/** The secret that encrypts: --encrypt-vault-id's, the only one given, or a new prompted one. */
async function encryptSecret(f: Flags, secrets: VaultSecret[]): Promise<VaultSecret> {
  if (f.encryptVaultId) {
    const s = secrets.find((x) => x.label === f.encryptVaultId);
    if (!s) throw new UsageError(`Did not find a match for --encrypt-vault-id=${f.encryptVaultId} in the known vault-ids ${secrets.map((x) => x.label).join(', ')}`);
    return s;
  }
  if (secrets.length === 1) return secrets[0];
  if (secrets.length > 1) throw new UsageError(`The vault-ids ${secrets.map((x) => x.label).join(',')} are available to encrypt. Specify the vault-id to encrypt with --encrypt-vault-id`);
  const [s] = await loadVaultSecrets({ askVaultPass: true }, { confirm: true });
  return s;
}

async function decryptSecrets(f: Flags, secrets: VaultSecret[]): Promise<VaultSecret[]> {
  return secrets.length ? secrets : loadVaultSecrets({ askVaultPass: true });
}

function openFile(file: string, secrets: VaultSecret[]): string {
  const text = readInput(file);
  if (!isVaulted(text)) throw new UsageError(`input is not vault encrypted data for ${file}`);
  return decryptEnvelope(text, file, undefined, secrets).plaintext.toString('utf8');
}

function editInEditor(initial: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'lvsplay-vault-'));
  const tmp = join(dir, 'plaintext');
  try {
    writeFileSync(tmp, initial, { mode: 0o600 });
    const editor = process.env.EDITOR || 'vi';
    const r = spawnSync('/bin/sh', ['-c', `${editor} "$1"`, 'editor', tmp], { stdio: 'inherit' });
    if (r.status !== 0) throw new UsageError(`the editor (${editor}) exited with ${r.status}`);
    return readFileSync(tmp, 'utf8');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function stringBlock(envelope: string, name?: string): string {
  const body = envelope.trimEnd().split('\n').map((l) => `          ${l}`).join('\n');
  return `${name ? `${name}: ` : ''}!vault |\n${body}\n`;
}

async function run(cmd: string, args: string[], f: Flags): Promise<void> {
  const given = await loadVaultSecrets(f);
  switch (cmd) {
    case 'encrypt': {
      const s = await encryptSecret(f, given);
      for (const file of args.length ? args : ['-']) {
        const text = readInput(file);
        if (isVaulted(text)) throw new UsageError(`input is already encrypted: ${file}`);
        writeOutput(f.output ?? file, encrypt(text, s.password, s.label));
      }
      note('Encryption successful\n');
      return;
    }
    case 'decrypt': {
      const secrets = await decryptSecrets(f, given);
      for (const file of args.length ? args : ['-']) writeOutput(f.output ?? file, openFile(file, secrets));
      note('Decryption successful\n');
      return;
    }
    case 'view': {
      const secrets = await decryptSecrets(f, given);
      for (const file of args) out(openFile(file, secrets));
      return;
    }
    case 'create': {
      const file = args[0];
      if (!file) throw new UsageError('ansible-vault create requires a file name');
      if (existsSync(file)) throw new UsageError(`${file} exists, please use 'edit' instead`);
      const s = await encryptSecret(f, given);
      writeOutput(file, encrypt(editInEditor(''), s.password, s.label));
      return;
    }
    case 'edit': {
      const file = args[0];
      const secrets = await decryptSecrets(f, given);
      const text = readInput(file);
      const { plaintext, secret } = decryptEnvelope(text, file, undefined, secrets);
      const before = plaintext.toString('utf8');
      const after = editInEditor(before);
      if (after !== before) writeOutput(file, encrypt(after, secret.password, secret.label));
      return;
    }
    case 'rekey': {
      const secrets = await decryptSecrets(f, given);
      const next = f.newVaultId
        ? await loadVaultSecrets({ vaultId: [f.newVaultId] }, { confirm: true })
        : f.newVaultPasswordFile
          ? await loadVaultSecrets({ vaultPasswordFile: [f.newVaultPasswordFile] })
          : await loadVaultSecrets({ vaultId: ['prompt'] }, { confirm: true });
      const label = f.newVaultId ? parseVaultId(f.newVaultId).label : next[0].label;
      for (const file of args) writeOutput(file, encrypt(openFile(file, secrets), next[0].password, label));
      note('Rekey successful\n');
      return;
    }
    case 'encrypt_string': {
      const s = await encryptSecret(f, given);
      const names = f.name ?? [];
      if (f.prompt) {
        const v = await readHidden('String to encrypt (hidden): ', 'encrypt_string --prompt');
        out(stringBlock(encrypt(v, s.password, s.label), names[0]));
      } else if (!args.length || args[0] === '-') {
        out(stringBlock(encrypt(readFileSync(0, 'utf8'), s.password, s.label), f.stdinName ?? names[0]));
      } else args.forEach((v, i) => out(stringBlock(encrypt(v, s.password, s.label), names[i])));
      note('Encryption successful\n');
      return;
    }
  }
}

export async function vaultMain(argv: string[]): Promise<number> {
  const p = new Command('lvsplay vault')
    .usage('create|encrypt|decrypt|view|edit|rekey|encrypt_string [options] [FILE|STRING...]')
    .description('encryption and decryption of Ansible vault files and strings (ansible-vault compatible)')
    .argument('<action>', 'create, encrypt, decrypt, view, edit, rekey or encrypt_string')
    .argument('[args...]', 'files (or strings for encrypt_string)')
    .option('--vault-id <id>', 'LABEL@SOURCE: SOURCE is prompt, a password file or a script (repeatable)', collect)
    .option('--vault-password-file <file>', 'vault password file or script (repeatable)', collect)
    .option('-J, --ask-vault-pass', 'ask for the vault password')
    .option('--encrypt-vault-id <label>', 'the vault id (label) used to encrypt')
    .option('--new-vault-id <id>', 'rekey: the new vault id (LABEL@SOURCE)')
    .option('--new-vault-password-file <file>', 'rekey: the new vault password file')
    .option('--output <file>', 'encrypt/decrypt: write here (- is stdout) instead of in place')
    .option('-n, --name <name>', 'encrypt_string: the variable name (repeatable)', collect)
    .option('--stdin-name <name>', 'encrypt_string: the variable name of the value read from stdin')
    .option('-p, --prompt', 'encrypt_string: ask for the string to encrypt')
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });
  try {
    p.parse(normalizeFlagAliases(argv), { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? EXIT.ok : EXIT.usage;
    throw e;
  }
  const [action, args] = p.processedArgs as [string, string[]];
  if (!['create', 'encrypt', 'decrypt', 'view', 'edit', 'rekey', 'encrypt_string'].includes(action)) {
    process.stderr.write(`ERROR! unknown vault action '${action}' (create, encrypt, decrypt, view, edit, rekey, encrypt_string)\n`);
    return EXIT.badOptions;
  }
  try {
    await run(action, args, p.opts<Flags>());
    return EXIT.ok;
  } catch (e) {
    if (e instanceof UsageError || e instanceof ConfigError) {
      process.stderr.write(`ERROR! ${e.message}\n`);
      return EXIT.error;
    }
    throw e;
  }
}
