// Ansible's split_args/join_args for free-form text that spans lines (`shell: |` blocks): a line
// ending in a lone backslash continues on the next (the two joined by a space), other line ends
// are kept — also the last one — and quoted text keeps its newlines. What `cmd` shows and runs.
// And parse_kv, the k=v reading built on them (free-form arguments, lookup terms).

function quoteState(token: string, quote: string | null): string | null {
  let q = quote;
  for (let i = 0; i < token.length; i++) {
    const c = token[i];
    if ((c === '"' || c === "'") && (i === 0 || token[i - 1] !== '\\')) {
      if (q) {
        if (c === q) q = null;
      } else q = c;
    }
  }
  return q;
}

function depth(token: string, cur: number, open: string, close: string): number {
  const o = token.split(open).length - 1;
  const c = token.split(close).length - 1;
  return o === c ? cur : Math.max(0, cur + o - c);
}

/** split_args: the words of the text, as Ansible reassembles them over quotes, Jinja blocks and lines. */
export function splitArgsLines(args: string): string[] {
  const params: string[] = [];
  const items = args.split('\n');
  let quote: string | null = null;
  let inside = false;
  const d = { print: 0, block: 0, comment: 0 };
  items.forEach((item, itemIdx) => {
    const tokens = item.split(' ');
    let continuation = false;
    tokens.forEach((token, idx) => {
      if (token.length === 0 && idx !== 0) {
        if (params.length) params[params.length - 1] += ' '; // (Ansible fails on a text starting with two spaces)
        return;
      }
      if (token === '\\' && !inside) {
        continuation = true;
        return;
      }
      const wasInside = inside;
      quote = quoteState(token, quote);
      inside = quote !== null;
      let appended = false;
      const jinja = d.print || d.block || d.comment;
      if (inside && !wasInside && !jinja) {
        params.push(token);
        appended = true;
      } else if (jinja || inside || wasInside) {
        const last = params.length - 1;
        if (idx === 0 && wasInside) params[last] = `${params[last]}${token}`;
        else if (tokens.length > 1) params[last] = `${params[last]}${idx > 0 ? ' ' : ''}${token}`;
        else params[last] = `${params[last]}\n${token}`;
        appended = true;
      }
      for (const [k, open, close] of [['print', '{{', '}}'], ['block', '{%', '%}'], ['comment', '{#', '#}']] as const) {
        const before = d[k];
        d[k] = depth(token, d[k], open, close);
        if (d[k] !== before && !appended) {
          params.push(token);
          appended = true;
        }
      }
      if (!(d.print || d.block || d.comment) && !inside && !appended && token !== '') params.push(token);
    });
    if (items.length > 1 && itemIdx !== items.length - 1 && !continuation && params.length) params[params.length - 1] += '\n';
  });
  if (d.print || d.block || d.comment || inside) throw new Error(`failed at splitting arguments, either an unbalanced jinja2 block or quotes: ${args}`);
  return params;
}

/** join_args: the words back into one text (a space between words, none after a line end). */
export function joinArgs(words: string[]): string {
  let out = '';
  for (const w of words) out += out === '' || out.endsWith('\n') ? w : ` ${w}`;
  return out;
}

export function unquote(v: string): string {
  if (v.length >= 2 && (v[0] === '"' || v[0] === "'") && v[v.length - 1] === v[0]) {
    const inner = v.slice(1, -1);
    return v[0] === '"' ? inner.replace(/\\(["\\])/g, '$1') : inner;
  }
  return v;
}

const ESCAPES: Record<string, string> = { a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\', "'": "'", '"': '"' };
/** Ansible's parse_kv decodes these escapes in each k=v token (so `regexp='\b'` is a backspace, `'\\b'` a word boundary); \N{name} is kept. */
export function decodeEscapes(s: string): string {
  return s.replace(/\\U[0-9a-fA-F]{8}|\\u[0-9a-fA-F]{4}|\\x[0-9a-fA-F]{2}|\\[\\'"abfnrtv]/g, (e) =>
    e[1] === 'U' || e[1] === 'u' || e[1] === 'x' ? String.fromCodePoint(parseInt(e.slice(2), 16)) : ESCAPES[e[1]],
  );
}

/**
 * Ansible's parse_kv (check_raw off), as lookups read their terms ('Li file=x.csv col=2'): each word
 * with an unescaped `=` (not its first character) is an option, its value unquoted; the other words,
 * joined as written, are `_raw_params`.
 */
export function parseKv(s: string): Record<string, string> {
  const out: Record<string, string> = {};
  const raw: string[] = [];
  for (const word of splitArgsLines(s)) {
    const x = decodeEscapes(word);
    let pos = 0;
    while ((pos = x.indexOf('=', pos + 1)) > 0 && x[pos - 1] === '\\');
    if (!x.includes('=')) raw.push(word);
    else if (pos < 0) raw.push(x.replace(/\\=/g, '='));
    else out[x.slice(0, pos).trim()] = unquote(x.slice(pos + 1).trim());
  }
  if (raw.length) out._raw_params = joinArgs(raw);
  return out;
}
