// Ansible filters of Jinja2's kind (to_uuid, human_readable, subelements, ...), called back by the
// Jinja2 engine. groupby, dictsort, truncate, wordwrap, filesizeformat and pprint here are Jinja2
// built-ins, which the engine uses instead (src/jinja/j2plugins.py): left from the removed nunjucks
// engine, to be removed.
import { createHash, randomInt } from 'node:crypto';
import { type Kw, param } from './filters-util.js';
import type { FilterFn } from './filters-text.js';
import { isMapping, pyRepr, pyStr } from './pystr.js';

/** Python's ordering for sort keys (numbers, then strings; strings lower-cased unless case-sensitive). */
function cmp(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const x = pyStr(a);
  const y = pyStr(b);
  return x < y ? -1 : x > y ? 1 : 0;
}
const fold = (v: unknown, caseSensitive: boolean) => (!caseSensitive && typeof v === 'string' ? v.toLowerCase() : v);

function attrOf(item: unknown, attribute: unknown): unknown {
  let cur = item;
  for (const part of String(attribute).split('.')) {
    if (cur === null || cur === undefined) return undefined;
    cur = Array.isArray(cur) && /^\d+$/.test(part) ? cur[Number(part)] : (cur as Record<string, unknown>)[part];
  }
  return cur;
}

/** groupby(attribute, default=None, case_sensitive=False): a list of [grouper, items] sorted by grouper. */
function groupby(v: unknown, a: unknown[], kw: Kw): [unknown, unknown[]][] {
  const attribute = param(a, kw, 0, 'attribute', '');
  const dflt = param<unknown>(a, kw, 1, 'default', undefined);
  const caseSensitive = Boolean(param(a, kw, 2, 'case_sensitive', false));
  const items = (Array.isArray(v) ? v : []).map((x) => {
    const k = attrOf(x, attribute);
    return { x, k: k === undefined ? dflt : k };
  });
  items.sort((p, q) => cmp(fold(p.k, caseSensitive), fold(q.k, caseSensitive)));
  const out: [unknown, unknown[]][] = [];
  for (const { x, k } of items) {
    const last = out[out.length - 1];
    if (last && cmp(fold(last[0], caseSensitive), fold(k, caseSensitive)) === 0) last[1].push(x);
    else out.push([k, [x]]);
  }
  return out;
}

/** dictsort(case_sensitive=False, by='key', reverse=False): [key, value] pairs. */
function dictsort(v: unknown, a: unknown[], kw: Kw): [string, unknown][] {
  if (!isMapping(v)) throw new Error('dictsort expects a mapping');
  const caseSensitive = Boolean(param(a, kw, 0, 'case_sensitive', false));
  const by = String(param(a, kw, 1, 'by', 'key'));
  const reverse = Boolean(param(a, kw, 2, 'reverse', false));
  const i = by === 'value' ? 1 : 0;
  const pairs = Object.entries(v).sort((p, q) => cmp(fold(p[i], caseSensitive), fold(q[i], caseSensitive)));
  return reverse ? pairs.reverse() : pairs;
}

/** truncate(length=255, killwords=False, end='...', leeway=5). */
function truncate(v: unknown, a: unknown[], kw: Kw): string {
  const s = pyStr(v);
  const length = Number(param(a, kw, 0, 'length', 255));
  const killwords = Boolean(param(a, kw, 1, 'killwords', false));
  const end = String(param(a, kw, 2, 'end', '...'));
  const leeway = Number(param(a, kw, 3, 'leeway', 5));
  if (s.length <= length + leeway) return s;
  if (killwords) return s.slice(0, length - end.length) + end;
  const cut = s.slice(0, length - end.length);
  const sp = cut.lastIndexOf(' ');
  return (sp >= 0 ? cut.slice(0, sp) : cut) + end;
}

/** wordwrap(width=79, break_long_words=True, wrapstring='\n'): greedy, as textwrap. */
function wordwrap(v: unknown, a: unknown[], kw: Kw): string {
  const width = Number(param(a, kw, 0, 'width', 79));
  const wrapstring = String(param(a, kw, 2, 'wrapstring', '\n'));
  const lines: string[] = [];
  for (const para of pyStr(v).split('\n')) {
    // words keep the whitespace written between them; a line never starts or ends with whitespace
    let cur = '';
    for (const [, ws, word] of para.matchAll(/(\s*)(\S+)/g)) {
      const joined = cur ? cur + ws + word : word;
      if (cur && joined.length > width) {
        lines.push(cur);
        cur = word;
      } else cur = joined;
    }
    lines.push(cur);
  }
  return lines.join(wrapstring);
}

/** filesizeformat(binary=False): 1.0 kB, 1.0 KiB, 12 Bytes. */
function filesizeformat(v: unknown, a: unknown[], kw: Kw): string {
  const bytes = Number(v);
  const binary = Boolean(param(a, kw, 0, 'binary', false));
  const base = binary ? 1024 : 1000;
  const prefixes = binary ? ['KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB', 'ZiB', 'YiB'] : ['kB', 'MB', 'GB', 'TB', 'PB', 'EB', 'ZB', 'YB'];
  if (bytes === 1) return '1 Byte';
  if (bytes < base) return `${Math.trunc(bytes)} Bytes`;
  for (let i = 0; i < prefixes.length; i++) {
    const unit = base ** (i + 2);
    if (bytes < unit || i === prefixes.length - 1) return `${((base * bytes) / unit).toFixed(1)} ${prefixes[i]}`;
  }
  return String(bytes);
}

const UNITS = ['', 'K', 'M', 'G', 'T', 'P', 'E', 'Z', 'Y'];

function humanReadable(v: unknown): string {
  const n = Number(v);
  for (let i = UNITS.length - 1; i > 0; i--) if (n >= 1024 ** i) return `${(n / 1024 ** i).toFixed(2)} ${UNITS[i]}B`;
  return `${n.toFixed(2)} Bytes`;
}

function humanToBytes(v: unknown): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([KMGTPEZY]?)(i?B|b|)\s*$/i.exec(pyStr(v));
  if (!m) throw new Error(`human_to_bytes() can't interpret following string: ${pyStr(v)}`);
  return Math.round(Number(m[1]) * 1024 ** UNITS.indexOf(m[2].toUpperCase()));
}

/** to_uuid(namespace): a version 5 UUID of the text (Ansible's default namespace). */
function toUuid(v: unknown, a: unknown[], kw: Kw): string {
  const ns = String(param(a, kw, 0, 'namespace', '361E6D51-FAEC-444A-9079-341386DA8E2E')).replace(/-/g, '');
  const h = createHash('sha1').update(Buffer.from(ns, 'hex')).update(pyStr(v), 'utf8').digest();
  h[6] = (h[6] & 0x0f) | 0x50;
  h[8] = (h[8] & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}

function subelements(v: unknown, a: unknown[], kw: Kw): unknown[][] {
  const key = String(param(a, kw, 0, 'subelements', ''));
  const skipMissing = Boolean(param(a, kw, 1, 'skip_missing', false));
  return (Array.isArray(v) ? v : []).flatMap((item) => {
    const sub = attrOf(item, key);
    if (sub === undefined && skipMissing) return [];
    if (!Array.isArray(sub)) throw new Error(`the key '${key}' should point to a list, got ${pyRepr(sub)}`);
    return sub.map((s) => [item, s]);
  });
}

function shuffle(v: unknown): unknown[] {
  const out = [...(Array.isArray(v) ? v : [])];
  for (let i = out.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

export const jinjaFilters: Record<string, FilterFn> = {
  groupby,
  dictsort,
  truncate,
  wordwrap,
  filesizeformat,
  pprint: (v) => pyRepr(v),
  human_readable: humanReadable,
  human_to_bytes: humanToBytes,
  to_uuid: toUuid,
  subelements,
  shuffle,
};

const LOREM = 'lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor incididunt ut labore et dolore magna aliqua'.split(' ');

/** Jinja2's lipsum(n=5, html=True, min=20, max=100) global: n paragraphs of placeholder words. */
export function lipsum(...rest: unknown[]): string {
  const n = Number(rest[0] ?? 5);
  const html = rest[1] === undefined ? true : Boolean(rest[1]);
  const min = Number(rest[2] ?? 20);
  const max = Number(rest[3] ?? 100);
  const paras = Array.from({ length: n }, () => {
    const words = Array.from({ length: min + randomInt(Math.max(1, max - min + 1)) }, () => LOREM[randomInt(LOREM.length)]);
    const text = `${words.join(' ')}.`;
    return text[0].toUpperCase() + text.slice(1);
  });
  return html ? paras.map((p) => `<p>${p}</p>`).join('\n') : paras.join('\n\n');
}
