// `lvsplay doc MODULE...` / `lvsplay doc --list`: like ansible-doc, from the modules' JSON Schemas
// (the same text as docs/modules.md, printed for one module; names and FQCN aliases accepted).
// Custom modules are included as for a playbook in the working directory: its library/, -M DIR
// (or ANSIBLE_LIBRARY / ansible.cfg library), npm packages (src/playbook/library.ts).
import { resolve } from 'node:path';
import { ConfigError, ConfigErrors, EXIT } from '../errors.js';
import { allModules } from '../playbook/modules.js';
import { lookupModule } from '../playbook/modules.js';
import { moduleSection } from './modules.js';

function summary(description: unknown): string {
  const first = String(description ?? '').split(/(?<=\.)\s|\n/)[0] ?? '';
  return first.replace(/\.$/, '');
}

export async function docMain(argv: string[]): Promise<number> {
  if (argv.includes('-h') || argv.includes('--help') || !argv.length) {
    process.stdout.write('usage: lvsplay doc [-M DIR[:DIR]] MODULE... | lvsplay doc [-M DIR] -l/--list\n');
    return argv.length ? EXIT.ok : EXIT.badOptions;
  }
  const paths: string[] = [];
  for (let i = argv.indexOf('-M'); i >= 0; i = argv.indexOf('-M')) paths.push(...(argv.splice(i, 2)[1] ?? '').split(':').filter(Boolean));
  if (!paths.length) {
    const { loadAnsibleConfig } = await import('../config/load.js');
    const v = loadAnsibleConfig().values.get('DEFAULT_MODULE_PATH')?.value;
    if (v !== undefined) paths.push(...(Array.isArray(v) ? v.map(String) : [String(v)]));
  }
  try {
    const { loadCustomModules } = await import('../playbook/library.js');
    const { setCustomModules } = await import('../playbook/modules.js');
    setCustomModules(await loadCustomModules({ playbookDirs: [process.cwd()], modulePath: paths.map((d) => resolve(d)) }));
  } catch (e) {
    if (!(e instanceof ConfigErrors || e instanceof ConfigError)) throw e;
    process.stderr.write(`ERROR! ${e instanceof ConfigError ? e.toString() : e.message}\n`);
    return EXIT.parser;
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
