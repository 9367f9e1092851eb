// `lvsplay config dump [--only-changed]`: the ansible.cfg / ANSIBLE_* settings lvsplay honours, each
// with its value and where it came from (FILE:LINE or the variable), like `ansible-config dump`.
import { Command, CommanderError } from 'commander';
import { ConfigError, EXIT } from '../errors.js';
import { loadAnsibleConfig } from './load.js';
import { SETTINGS } from './settings.js';

function show(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map((x) => `'${x}'`).join(', ')}]`;
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  return String(v);
}

export async function configMain(argv: string[]): Promise<number> {
  const p = new Command('lvsplay config')
    .argument('<action>', 'dump')
    .option('--only-changed', 'only the settings that are set (by ansible.cfg or ANSIBLE_* variables)')
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });
  try {
    p.parse(argv.map((a) => (a === '--changed-only' ? '--only-changed' : a)), { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? EXIT.ok : EXIT.usage;
    throw e;
  }
  if (p.args[0] !== 'dump') {
    process.stderr.write(`ERROR! unknown config action '${p.args[0]}' (dump)\n`);
    return EXIT.badOptions;
  }
  const onlyChanged = !!p.opts<{ onlyChanged?: boolean }>().onlyChanged;
  try {
    const cfg = loadAnsibleConfig();
    for (const w of cfg.warnings) process.stderr.write(`[WARNING]: ${w}\n`);
    const lines = [`CONFIG_FILE() = ${cfg.file ?? 'None'}`];
    for (const s of SETTINGS) {
      const a = cfg.values.get(s.name);
      if (a) lines.push(`${s.name}(${a.origin}) = ${show(a.value)}${s.note ? `    # ${s.note}` : ''}`);
      else if (!onlyChanged) lines.push(`${s.name}(default) = -`);
    }
    process.stdout.write(lines.sort().join('\n') + '\n');
    return EXIT.ok;
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`ERROR! ${e.message}\n`);
      return EXIT.error;
    }
    throw e;
  }
}
