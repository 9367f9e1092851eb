// Ansible's split_args/join_args for free-form text that spans lines (`shell: |` blocks): a line
// ending in a lone backslash continues on the next (the two joined by a space), other line ends
// are kept — also the last one — and quoted text keeps its newlines. What `cmd` shows and runs.
// And parse_kv, the k=v reading built on them (free-form arguments, lookup terms).

import { execFileSync } from 'node:child_process';
import { controllerPython } from '../pythonpath.js';

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
  if (d.print || d.block || d.comment || inside) throw new ArgsSplitError(`failed at splitting arguments, either an unbalanced jinja2 block or quotes: ${args}`);
  return params;
}

/** join_args: the words back into one text (a space between words, none after a line end). */
export function joinArgs(words: string[]): string {
  let out = '';
  for (const w of words) out += out === '' || out.endsWith('\n') ? w : ` ${w}`;
  return out;
}

/** Ansible's unquote: the outer quotes of a word quoted at both ends (not when the last is escaped); nothing inside changes. */
export function unquote(v: string): string {
  return v.length > 1 && v[0] === v[v.length - 1] && (v[0] === '"' || v[0] === "'") && v[v.length - 2] !== '\\' ? v.slice(1, -1) : v;
}

/** A text Ansible's split_args or _decode_escapes refuses (unbalanced quotes or Jinja blocks, a bad escape). */
export class ArgsSplitError extends Error {}

const ESCAPES: Record<string, string> = { a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\', "'": "'", '"': '"' };
const ESCAPE_RE = /\\U[0-9a-fA-F]{8}|\\u[0-9a-fA-F]{4}|\\x[0-9a-fA-F]{2}|\\N\{[^}]+\}|\\[\\'"abfnrtv]/g;

/**
 * Ansible's _decode_escapes, applied to each word parse_kv reads (free-form arguments, `-e k=v`,
 * lookup terms): `\xHH`, `\uHHHH`, `\UHHHHHHHH`, `\N{NAME}` and the one-letter escapes — so
 * `regexp='\b'` is a backspace and `'\\b'` a word boundary. Octal escapes (`\101`) stay as written,
 * as in Ansible. Names are resolved by Python's own codec (the function Ansible calls).
 */
export function decodeEscapes(s: string): string {
  if (!s.includes('\\')) return s;
  const named = [...s.matchAll(ESCAPE_RE)].map((m) => m[0]).filter((e) => e[1] === 'N');
  const names = named.length ? pythonUnicodeNames(named) : new Map<string, string>();
  return s.replace(ESCAPE_RE, (e) => {
    if (e[1] === 'N') return names.get(e)!;
    if (e[1] !== 'U' && e[1] !== 'u' && e[1] !== 'x') return ESCAPES[e[1]];
    const cp = parseInt(e.slice(2), 16);
    if (cp > 0x10ffff) throw new ArgsSplitError(`'unicodeescape' codec can't decode ${e}: illegal Unicode character`);
    return String.fromCodePoint(cp);
  });
}

/** Each `\N{NAME}` escape decoded by Python's unicode-escape codec (Ansible's decoder); an unknown name is an error. */
function pythonUnicodeNames(escapes: string[]): Map<string, string> {
  const python = controllerPython();
  const code = [
    'import codecs, json, sys',
    'out = []',
    'for e in json.load(sys.stdin):',
    '    try: out.append([codecs.decode(e, "unicode-escape"), None])',
    '    except Exception as x: out.append([None, str(x)])',
    'sys.stdout.write(json.dumps(out))',
  ].join('\n');
  let res: [string | null, string | null][];
  try {
    res = JSON.parse(execFileSync(python, ['-c', code], { input: JSON.stringify(escapes), encoding: 'utf8', timeout: 30_000 }));
  } catch (e) {
    throw new ArgsSplitError(`the escapes ${escapes.join(', ')} need Python to be decoded (${python}): ${(e as Error).message.split('\n')[0]}`);
  }
  const out = new Map<string, string>();
  escapes.forEach((e, i) => {
    const [text, err] = res[i];
    if (text === null) throw new ArgsSplitError(`${e}: ${err}`);
    out.set(e, text);
  });
  return out;
}

/** One word of a parse_kv text: as split_args gives it, and where it starts in the text (-1 when it is not a plain part of it: a text over several lines). */
export interface KvWord {
  word: string;
  start: number;
}

/**
 * Ansible's parse_kv. Each word (split_args) is decoded (_decode_escapes); a word with an unescaped
 * `=` (not its first character) is an option, its value stripped and unquoted — unless `keepRaw`
 * says its key is not one (check_raw: command's words) —, the other words are `_raw_params`
 * (joined as written; a word whose every `=` is escaped, decoded and unescaped).
 */
export function parseKvWords(s: string, keepRaw?: (key: string) => boolean): { args: Record<string, string>; offsets: Record<string, number>; raw: KvWord[] } {
  const args: Record<string, string> = {};
  const offsets: Record<string, number> = {};
  const raw: KvWord[] = [];
  let cursor = 0;
  for (const word of splitArgsLines(s)) {
    const start = s.indexOf(word, cursor);
    if (start >= 0) cursor = start + word.length;
    const x = decodeEscapes(word);
    let pos = 0;
    while ((pos = x.indexOf('=', pos + 1)) > 0 && x[pos - 1] === '\\');
    if (!x.includes('=')) raw.push({ word, start });
    else if (pos < 0) raw.push({ word: x.replace(/\\=/g, '='), start });
    else if (keepRaw?.(x.slice(0, pos))) raw.push({ word, start });
    else {
      const k = x.slice(0, pos).trim();
      args[k] = unquote(x.slice(pos + 1).trim());
      offsets[k] = start;
    }
  }
  return { args, offsets, raw };
}

/** parse_kv with check_raw off, as lookups and `-e` read their text ('file=x.csv col=2'): the options, and the other words as `_raw_params`. */
export function parseKv(s: string): Record<string, string> {
  const { args, raw } = parseKvWords(s);
  if (raw.length) args._raw_params = joinArgs(raw.map((r) => r.word));
  return args;
}
