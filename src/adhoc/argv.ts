// `lvsplay [options] PATTERN -m MODULE -a ARGS` (ansible's ad-hoc command line): recognised by -m or
// -a; its own flags (-m, -a, -o, -t DIR) are taken out, the rest are the playbook command's flags.
import type { Command } from 'commander';

export interface AdhocArgs {
  module: string;
  args?: string;
  oneLine: boolean;
  tree?: string;
  pattern?: string;
  /** The remaining arguments, for the playbook command's parser (the pattern removed). */
  rest: string[];
}

const OWN: Record<string, 'module' | 'args' | 'tree'> = { '-m': 'module', '--module-name': 'module', '-a': 'args', '--args': 'args', '-t': 'tree', '--tree': 'tree' };

export function isAdhoc(argv: string[]): boolean {
  return argv.some((a) => a === '-m' || a === '-a' || /^--(module-name|args)(=|$)/.test(a) || /^-[ma]./.test(a));
}

/** Flags of `p` that take a value (`-i`, `--limit`, ...): to tell the pattern from their values. */
export function valueFlags(p: Command): Set<string> {
  const out = new Set<string>();
  for (const o of p.options) if (o.required || o.optional) [o.short, o.long].forEach((f) => f && out.add(f));
  return out;
}

export function splitAdhoc(argv: string[], takesValue: Set<string>): AdhocArgs {
  const got: { module?: string; args?: string; tree?: string } = {};
  const rest: string[] = [];
  let oneLine = false;
  let pattern: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const eq = a.startsWith('--') ? a.indexOf('=') : -1;
    const name = eq > 0 ? a.slice(0, eq) : a;
    const short = /^-[mat]./.test(a) ? a.slice(0, 2) : undefined; // -mshell, -a'echo'
    if (OWN[name]) got[OWN[name]] = eq > 0 ? a.slice(eq + 1) : argv[++i];
    else if (short && OWN[short]) got[OWN[short]] = a.slice(2);
    else if (a === '-o' || a === '--one-line') oneLine = true;
    else if (a.startsWith('-')) {
      rest.push(a);
      if (eq < 0 && takesValue.has(a)) rest.push(argv[++i]);
    } else if (pattern === undefined) pattern = a;
    else rest.push(a); // a second positional: left for the parser to refuse
  }
  return { module: got.module ?? 'command', args: got.args, oneLine, tree: got.tree, pattern, rest };
}
