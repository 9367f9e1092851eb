// Decide whether a target's runme.sh is "simple": it only calls ansible-playbook with plain
// arguments (optionally after `set -eux`, `export VAR=value` or `VAR=value` prefixes), so that the
// same script can run with lvsplay standing in for ansible-playbook. Anything else (pipes,
// redirections, loops, other programs, sourced files, functions) makes it not simple; the reason
// says which line.

export type ScriptVerdict = { simple: true } | { simple: false; reason: string };

const ASSIGN = /^[A-Za-z_][A-Za-z0-9_]*=(?:'[^']*'|"[^"$`]*"|[^\s'"$`;|&<>]*)$/;
const PLAIN_ARG = /^(?:'[^']*'|"(?:\$@|\$\{@\})"|"[^"$`]*"|[^\s'"$`;|&<>(){}\\]+)$/;

/** Split a shell line into words, keeping quotes (enough for the plain lines this accepts). */
function words(line: string): string[] | undefined {
  const out: string[] = [];
  const re = /\s*((?:'[^']*'|"[^"]*"|[^\s'"])+)/gy;
  let m: RegExpExecArray | null;
  let end = 0;
  while ((m = re.exec(line))) {
    out.push(m[1]);
    end = re.lastIndex;
  }
  return line.slice(end).trim() ? undefined : out;
}

export function judgeRunme(text: string): ScriptVerdict {
  let calls = 0;
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i];
    const line = raw.replace(/\s+#.*$/, '').trim();
    if (!line || line.startsWith('#')) continue;
    const no = `line ${i + 1}: ${line.slice(0, 60)}`;
    if (line.endsWith('\\')) return { simple: false, reason: `continued line (${no})` };
    const w = words(line);
    if (!w) return { simple: false, reason: `unparsed quoting (${no})` };
    if (w[0] === 'set' && w.slice(1).every((a) => /^[-+][euxo]+$|^pipefail$/.test(a))) continue;
    if (w[0] === 'export' && w.length > 1 && w.slice(1).every((a) => ASSIGN.test(a) || /^[A-Za-z_]\w*$/.test(a))) continue;
    let k = 0;
    while (k < w.length && ASSIGN.test(w[k])) k++;
    if (k === w.length) continue; // plain assignments
    if (w[k] !== 'ansible-playbook') return { simple: false, reason: `runs ${w[k]} (${no})` };
    const bad = w.slice(k + 1).find((a) => !PLAIN_ARG.test(a));
    if (bad !== undefined) return { simple: false, reason: `argument ${bad} (${no})` };
    calls++;
  }
  return calls ? { simple: true } : { simple: false, reason: 'no ansible-playbook call' };
}
