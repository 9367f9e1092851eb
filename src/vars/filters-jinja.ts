// Ansible filters of Jinja2's kind (to_uuid, human_readable, subelements, ...), called back by the
// Jinja2 engine (Jinja2's own built-ins — groupby, dictsort, truncate, ... — are Jinja2's).
import { createHash, randomInt } from 'node:crypto';
import { type Kw, param } from './filters-util.js';
import type { FilterFn } from './filters-text.js';
import { pyRepr, pyStr } from './pystr.js';

function attrOf(item: unknown, attribute: unknown): unknown {
  let cur = item;
  for (const part of String(attribute).split('.')) {
    if (cur === null || cur === undefined) return undefined;
    cur = Array.isArray(cur) && /^\d+$/.test(part) ? cur[Number(part)] : (cur as Record<string, unknown>)[part];
  }
  return cur;
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
