// `lvsplay check`: a static check of an LVS/keepalived cluster, without touching any host.
//   lvsplay check -i INVENTORY PLAYBOOK      render each director's keepalived.conf, check the cluster
//   lvsplay check path/to/keepalived.conf    check one keepalived.conf
// Output: FILE:LINE:COL: error|warning: [host: ]message [rule]
// Exit: 0 no errors (warnings allowed; --strict makes warnings count), 1 errors found,
//       4 the playbook or inventory could not be loaded, 5 bad options.
import { existsSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { ConfigError, ConfigErrors, EXIT } from '../errors.js';
import { formatFinding } from './finding.js';
import { type CheckReport, checkKeepalivedFile, checkPlaybookFile } from './run.js';

const isYaml = (f: string): boolean => /\.ya?ml$/i.test(f);

export async function checkMain(argv: string[]): Promise<number> {
  const out = (s: string): void => void process.stdout.write(s + '\n');
  const err = (s: string): void => void process.stderr.write(s + '\n');
  const cmd = new Command('lvsplay check')
    .description('Check an LVS/keepalived cluster statically: a playbook with its inventory, or keepalived.conf files')
    .argument('<files...>', 'a playbook (with -i), or keepalived.conf files')
    .option('-i, --inventory <source>', 'inventory file, directory or "lab" (repeatable)', (v: string, acc: string[]) => [...acc, v], [] as string[])
    .option('--strict', 'exit 1 on warnings too')
    .option('-q, --quiet', 'print findings only, no summary')
    .exitOverride()
    .configureOutput({ writeOut: out, writeErr: err });
  try {
    cmd.parse(argv, { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? EXIT.ok : EXIT.usage;
    throw e;
  }
  const opts = cmd.opts<{ inventory: string[]; strict?: boolean; quiet?: boolean }>();
  const files = cmd.args;
  for (const f of files) {
    if (!existsSync(f)) {
      err(`lvsplay check: ${f}: no such file`);
      return EXIT.badOptions;
    }
  }
  const reports: CheckReport[] = [];
  try {
    for (const f of files) {
      if (isYaml(f)) {
        if (!opts.inventory.length) {
          err(`lvsplay check: ${f} is a playbook: give its inventory with -i (a file, a directory or 'lab')`);
          return EXIT.badOptions;
        }
        reports.push(await checkPlaybookFile(opts.inventory, f));
      } else reports.push(checkKeepalivedFile(f));
    }
  } catch (e) {
    if (e instanceof ConfigError || e instanceof ConfigErrors) {
      err(e instanceof ConfigError ? e.toString() : e.message);
      return EXIT.parser;
    }
    throw e;
  }
  const findings = reports.flatMap((r) => r.findings);
  for (const f of findings) out(formatFinding(f));
  const errors = findings.filter((f) => f.severity === 'error').length;
  const warnings = findings.length - errors;
  if (!opts.quiet) {
    const dirs = reports.flatMap((r) => r.directors);
    const rss = reports.flatMap((r) => r.realServers);
    const scope = dirs.length || rss.length ? ` (directors: ${dirs.join(', ') || 'none'}; real servers: ${rss.join(', ') || 'none'})` : '';
    err(`lvsplay check: ${errors} error(s), ${warnings} warning(s)${scope}`);
  }
  return errors || (opts.strict && warnings) ? EXIT.error : EXIT.ok;
}
