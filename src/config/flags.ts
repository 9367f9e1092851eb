// ansible-playbook flags beyond the core run options: vault sources, -k, --become-method,
// -M/--module-path, --flush-cache, --list-tags. Added to the commander program by src/run/cli-main.ts.
import { Option, type Command } from 'commander';
import { UsageError } from '../errors.js';
import type { VaultSourceFlags } from '../vault/sources.js';
import { BECOME_METHODS } from '../connection/become.js';

export { BECOME_METHODS };

export interface CompatFlags extends VaultSourceFlags {
  askPass?: boolean;
  becomeMethod?: string;
  modulePath: string[];
  flushCache?: boolean;
  listTags?: boolean;
}

const collect = (v: string, prev: string[]) => [...prev, v];

export function addCompatFlags(p: Command): Command {
  return p
    .option('--vault-id <id>', 'vault identity LABEL@SOURCE; SOURCE is prompt, a password file or a script (repeatable)', collect, [])
    .option('--vault-password-file <file>', 'vault password file, or a script printing it (repeatable)', collect, [])
    .option('-J, --ask-vault-pass', 'ask for the vault password (not echoed)')
    .option('-k, --ask-pass', 'ask for the SSH connection password (not echoed)')
    .option('--become-method <method>', `privilege escalation method (${BECOME_METHODS.join(', ')})`)
    .option('-M, --module-path <dirs>', 'custom module directories (colon separated, repeatable): NAME.ts/NAME.js modules, see docs/api.md', collect, [])
    .addOption(new Option('--flush-cache', 'clear the fact cache (lvsplay keeps facts for one run only: nothing to clear)'))
    .option('--list-tags', 'list the tags of each play, and exit');
}

const ALIASES: Record<string, string> = { '--vault-pass-file': '--vault-password-file', '--ask-vault-password': '--ask-vault-pass' };

/** Ansible's second spellings of some flags (commander takes one long name per option). */
export function normalizeFlagAliases(argv: string[]): string[] {
  return argv.map((a) => {
    const [name, ...rest] = a.split('=');
    return ALIASES[name] ? [ALIASES[name], ...rest].join('=') : a;
  });
}

export function checkBecomeMethod(m: string | undefined): void {
  if (m !== undefined && !(BECOME_METHODS as readonly string[]).includes(m)) {
    throw new UsageError(`--become-method: '${m}' is not supported by lvsplay (supported: ${BECOME_METHODS.join(', ')})`);
  }
}

export function modulePaths(f: CompatFlags, fromConfig: string[] = []): string[] {
  const given = f.modulePath.flatMap((x) => x.split(':')).filter(Boolean);
  return given.length ? given : fromConfig;
}
