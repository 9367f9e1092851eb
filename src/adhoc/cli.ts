// Ad-hoc mode: `lvsplay [-i INV] PATTERN -m MODULE -a 'ARGS' [-o] [-t DIR]` (-a alone: command),
// with the playbook command's other flags (-b, -K, -u, -f, -l, -C, -D, -e, -c, ...). One task in
// an in-memory play, run by the normal executor, reported as `ansible` reports it.
import { EXIT } from '../errors.js';
import type { CliHooks } from '../run/cli-main.js';
import { program, playbookMain } from '../run/cli-main.js';
import { splitAdhoc, valueFlags } from './argv.js';
import { adhocPlaybook } from './playbook.js';
import { AdhocReporter } from './report.js';

export async function adhocMain(argv: string[], ver: string, hooks: CliHooks): Promise<number> {
  const a = splitAdhoc(argv, valueFlags(program(ver)));
  if (!a.pattern) {
    process.stderr.write('ERROR! ad-hoc mode needs a host pattern: lvsplay [-i INVENTORY] PATTERN -m MODULE -a ARGS\n');
    return EXIT.badOptions;
  }
  const pb = adhocPlaybook(a.pattern, a.module, a.args);
  try {
    return await playbookMain([...a.rest, pb.file], ver, {
      ...hooks,
      playbookDir: process.cwd(),
      reporter: () => new AdhocReporter({ oneLine: a.oneLine, tree: a.tree, file: pb.file }),
    });
  } finally {
    pb.cleanup();
  }
}
