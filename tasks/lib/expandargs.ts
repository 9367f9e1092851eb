// How Ansible's command module treats each argument word: environment variables ($NAME, ${NAME}; an
// unset one stays as written) and a leading ~ or ~user are expanded on the host, nothing else (no
// splitting, no globbing). Returns shell text for the word and the helper assignments it needs.
import { q } from '../../src/shell.js';

export function expandWords(words: string[]): { prelude: string[]; words: string[] } {
  const prelude: string[] = [];
  const out = words.map((w) => {
    let rest = w;
    let text = '';
    const tilde = /^~[A-Za-z0-9._-]*(?=\/|$)/.exec(rest);
    if (tilde && !rest.includes('$')) {
      text = tilde[0]; // unquoted: the shell's tilde expansion (an unknown user stays as written)
      rest = rest.slice(tilde[0].length);
    }
    const re = /\$(?:([A-Za-z_]\w*)|\{([A-Za-z_]\w*)\})/g;
    let last = 0;
    for (let m = re.exec(rest); m; m = re.exec(rest)) {
      if (m.index > last) text += q(rest.slice(last, m.index));
      const name = m[1] ?? m[2];
      const lit = `__lvs_lit${prelude.length}`;
      prelude.push(`${lit}=${q(m[0])}`);
      text += `"\${${name}-$${lit}}"`;
      last = m.index + m[0].length;
    }
    if (last < rest.length || text === '') text += q(rest.slice(last));
    return text;
  });
  return { prelude, words: out };
}
