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
    if (m) {
      process.stdout.write(moduleSection(m) + '\n');
      continue;
    }
    const core = await coreModule(name);
    // an unknown module is a warning and exit 0, as ansible-doc 2.14 does
    if (core) process.stdout.write(core);
    else process.stderr.write(`[WARNING]: module ${name} not found in lvsplay's modules (lvsplay doc --list shows them) nor by ansible-core on this machine\n`);
  }
  return EXIT.ok;
}

/** A module lvsplay has no port of, as ansible-core on the controller finds it: how lvsplay runs it (or why not) and the arguments it documents. */
async function coreModule(name: string): Promise<string | undefined> {
  const { ansibleCore } = await import('../pymod/runner.js');
  let r;
  try {
    r = (await (await ansibleCore()).resolveNames([name]))[name];
  } catch {
    return undefined; // no ansible-core here
  }
  if (!r) return undefined;
  const how = r.action
    ? `Not one of lvsplay's modules: Ansible runs it through an action plugin of its own (Python on the controller), and so does lvsplay (ansible-core on this machine runs the plugin; its commands, transfers and module runs go through lvsplay's connection), its arguments checked by the plugin and module themselves.`
    : `Not one of lvsplay's modules: lvsplay runs it as Ansible runs it (ansible-core on this machine builds it, the host's python runs it), its arguments checked by the module itself.`;
  const opts = r.options === null ? 'its documentation does not read' : r.options.length ? r.options.map((o) => `\`${o}\``).join(', ') : 'none';
  return `## ${r.fqcn}\n\n${how}\n\n- From: ${r.path}\n- Arguments it documents: ${opts}\n- Its full documentation: \`ansible-doc ${r.fqcn}\`\n\n`;
}
