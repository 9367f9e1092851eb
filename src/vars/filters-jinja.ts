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
export const jinjaFilters: Record<string, FilterFn> = {
  human_readable: humanReadable,
  human_to_bytes: humanToBytes,
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
