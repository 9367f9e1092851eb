// `lvsplay doc MODULE...` / `lvsplay doc --list`: like ansible-doc, from the modules' JSON Schemas
// (the same text as docs/modules.md, printed for one module; names and FQCN aliases accepted).
import { EXIT } from '../errors.js';
import { allModules } from '../playbook/modules.js';
import { lookupModule } from '../playbook/modules.js';
import { moduleSection } from './modules.js';

function summary(description: unknown): string {
  const first = String(description ?? '').split(/(?<=\.)\s|\n/)[0] ?? '';
  return first.replace(/\.$/, '');
}

export async function docMain(argv: string[]): Promise<number> {
  if (argv.includes('-h') || argv.includes('--help') || !argv.length) {
    process.stdout.write('usage: lvsplay doc MODULE... | lvsplay doc -l/--list\n');
    return argv.length ? EXIT.ok : EXIT.badOptions;
  }
  if (argv.includes('-l') || argv.includes('--list')) {
    const mods = [...allModules()].sort((a, b) => a.name.localeCompare(b.name));
    const width = Math.max(...mods.map((m) => (m.aliases.find((a) => a.includes('.')) ?? m.name).length));
    for (const m of mods) {
      const shown = m.aliases.find((a) => a.startsWith('ansible.builtin.')) ?? m.aliases.find((a) => a.includes('.')) ?? m.name;
      process.stdout.write(`${shown.padEnd(width)} ${summary(m.schema.description)}\n`);
    }
    return EXIT.ok;
  }
  for (const name of argv) {
    const m = lookupModule(name);
    // an unknown module is a warning and exit 0, as ansible-doc 2.14 does
    if (!m) process.stderr.write(`[WARNING]: module ${name} not found in lvsplay's modules (lvsplay doc --list shows them)\n`);
    else process.stdout.write(moduleSection(m) + '\n');
  }
  return EXIT.ok;
}
