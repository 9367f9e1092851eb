// Ansible/Jinja2 filters that lay text out: comment (ansible_managed headers), format (printf-style),
// plus a few small ones (product, math, urlsplit, expanduser) that roles use.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pyRepr, pyStr } from './pystr.js';
import { type Kw, param } from './filters-util.js';
import type { FilterFn } from './filters-text.js';
import { pyGlob } from './lookups-files.js';
import { isPyFloat } from './pyfloat.js';

const COMMENT_STYLES: Record<string, { beginning?: string; decoration: string; end?: string }> = {
  plain: { decoration: '# ' },
  erlang: { decoration: '% ' },
  c: { decoration: '// ' },
  cblock: { beginning: '/*', decoration: ' * ', end: ' */' },
  xml: { beginning: '<!--', decoration: ' - ', end: '-->' },
};

/** comment(style='plain', decoration=..., prefix=..., prefix_count=1, postfix=..., postfix_count=1, beginning, end, newline='\n'). */
function comment(v: unknown, a: unknown[], kw: Kw): string {
  const styleName = String(param(a, kw, 0, 'style', 'plain'));
  const style = COMMENT_STYLES[styleName];
  if (!style) throw new Error(`unknown comment style '${styleName}'`);
  // as Ansible composes it: the defaults, the style's, then the keywords given
  const around = String(kw.decoration ?? style.decoration).trimEnd();
  const p: Record<string, unknown> = { newline: '\n', beginning: '', prefix: around, prefix_count: 1, postfix: around, postfix_count: 1, end: '', ...style, ...kw };
  const [nl, deco] = [pyStr(p.newline), pyStr(p.decoration)];
  const begin = p.beginning ? `${pyStr(p.beginning)}${nl}` : '';
  const prefix = !p.prefix ? '' : (pyStr(p.prefix) !== nl ? `${pyStr(p.prefix)}${nl}` : nl).repeat(Number(p.prefix_count));
  // every line decorated; a line that is only the decoration loses its trailing spaces
  const text = `${deco}${pyStr(v).split(nl).join(`${nl}${deco}`)}`.split(`${deco}${nl}`).join(`${deco.trimEnd()}${nl}`);
  const postfix = ['', ...Array.from({ length: Number(p.postfix_count) }, () => pyStr(p.postfix))].join(nl);
  const end = p.end ? `${nl}${pyStr(p.end)}` : '';
  return `${begin}${prefix}${text}${postfix}${end}`;
}

/** Python's `fmt % args` for the conversions roles use: s r d i f e g x X o c and %%, with flags, width and precision. */
export function percentFormat(fmt: string, args: unknown[]): string {
  let i = 0;
  const out = fmt.replace(/%([-+ 0#]*)(\d+|\*)?(?:\.(\d+))?([srdifeEgGxXoc%])/g, (_m, flags: string, width: string | undefined, prec: string | undefined, conv: string) => {
    if (conv === '%') return '%';
    if (i >= args.length) throw new Error('not enough arguments for format string');
    const w = width === '*' ? Number(args[i++]) : width ? Number(width) : 0;
    const arg = args[i++];
    let s: string;
    const num = Number(arg);
    switch (conv) {
      case 's':
        s = pyStr(arg);
        if (prec !== undefined) s = s.slice(0, Number(prec));
        break;
      case 'r':
        s = pyRepr(arg);
        break;
      case 'd':
      case 'i':
        if (typeof arg !== 'number' && typeof arg !== 'boolean' && !isPyFloat(arg)) throw new Error(`%${conv} format: a number is required, not ${typeof arg}`);
        s = String(Math.trunc(num));
        break;
      case 'f':
        s = num.toFixed(prec === undefined ? 6 : Number(prec));
        break;
      case 'e':
      case 'E':
        s = num.toExponential(prec === undefined ? 6 : Number(prec)).replace(/e([+-])(\d)$/, 'e$10$2');
        if (conv === 'E') s = s.toUpperCase();
        break;
      case 'g':
      case 'G':
        s = String(Number(num.toPrecision(prec === undefined ? 6 : Number(prec) || 1)));
        break;
      case 'x':
      case 'X':
      case 'o':
        s = Math.trunc(num).toString(conv === 'o' ? 8 : 16);
        if (flags.includes('#')) s = (conv === 'o' ? '0o' : '0x') + s;
        if (conv === 'X') s = s.toUpperCase();
        break;
      default: // c
        s = typeof arg === 'number' ? String.fromCodePoint(arg) : pyStr(arg);
    }
    if (flags.includes('+') && /^[0-9]/.test(s) && conv !== 's' && conv !== 'r') s = `+${s}`;
    if (s.length >= w) return s;
    if (flags.includes('-')) return s.padEnd(w);
    if (flags.includes('0') && conv !== 's' && conv !== 'r') {
      const sign = /^[+-]/.test(s) ? s[0] : '';
      return sign + s.slice(sign.length).padStart(w - sign.length, '0');
    }
    return s.padStart(w);
  });
  if (i < args.length) throw new Error('not all arguments converted during string formatting');
  return out;
}

function product(v: unknown, a: unknown[]): unknown[][] {
  const lists = [v, ...a].map((x) => (Array.isArray(x) ? x : typeof x === 'string' ? [...x] : []));
  return lists.reduce<unknown[][]>((acc, l) => acc.flatMap((p) => l.map((x) => [...p, x])), [[]]);
}

function urlsplit(v: unknown, a: unknown[], kw: Kw): unknown {
  const u = new URL(pyStr(v));
  const parts: Record<string, unknown> = {
    scheme: u.protocol.replace(/:$/, ''),
    netloc: u.host,
    path: u.pathname,
    query: u.search.replace(/^\?/, ''),
    fragment: u.hash.replace(/^#/, ''),
    username: u.username || null,
    password: u.password || null,
    hostname: u.hostname,
    port: u.port ? Number(u.port) : null,
  };
  const query = param(a, kw, 0, 'query', '');
  if (!query) return parts;
  if (!(String(query) in parts)) throw new Error(`urlsplit: unknown URL component '${String(query)}'`);
  return parts[String(query)];
}

export const formatFilters: Record<string, FilterFn> = {
  comment,
  format: (v, a) => percentFormat(pyStr(v), a),
  product,
  log: (v, a) => (a.length ? Math.log(Number(v)) / Math.log(Number(a[0])) : Math.log(Number(v))),
  pow: (v, a) => Math.pow(Number(v), Number(a[0])),
  root: (v, a) => (a.length && Number(a[0]) !== 2 ? Math.pow(Number(v), 1 / Number(a[0])) : Math.sqrt(Number(v))),
  urlsplit,
  expanduser: (v) => pyStr(v).replace(/^~(?=$|\/)/, os.homedir()),
  realpath: (v) => realpath(pyStr(v)),
  // os.path.relpath (start: the controller's cwd by default; the same path is '.')
  relpath: (v, a) => path.relative(a.length ? pyStr(a[0]) : process.cwd(), pyStr(v)) || '.',
  // Ansible's fileglob filter: the files (not directories) glob.glob finds, on the controller
  fileglob: (v) => pyGlob(pyStr(v)).filter((p) => fs.statSync(p, { throwIfNoEntry: false })?.isFile()),
};

/** Python's os.path.realpath (on the controller): symlinks resolved as far as the path exists, the rest kept. */
function realpath(p: string): string {
  let head = path.resolve(p);
  const tail: string[] = [];
  for (;;) {
    try {
      return path.join(fs.realpathSync(head), ...tail);
    } catch {
      if (head === '/') return path.join(head, ...tail);
      tail.unshift(path.basename(head));
      head = path.dirname(head);
    }
  }
}
