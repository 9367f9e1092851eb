// The fuzzer's cases, deterministic from (seed, index): a shipped playbook, role file, template or
// inventory file mutated (lines dropped/duplicated/swapped/re-indented, hostile characters put in),
// or one of its values replaced by a hostile structure (alias bomb, deep nesting, huge scalar, odd
// unicode, a cycle, an undefined alias, a second document).

/** mulberry32: a small seeded PRNG (reproducible cases). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Rand = () => number;
const pick = <T>(r: Rand, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
const int = (r: Rand, lo: number, hi: number): number => lo + Math.floor(r() * (hi - lo + 1));

const ODD = ['\u202e', '\u200b', '\ufeff', '\u0000', '\u00a0', '\ud83d\ude00', '\u0301', '\t', '\r', '\u2028', '\ufffd', 'é', '\\', '%', '`'];
const SYNTAX = [':', '-', '{', '}', '[', ']', '"', "'", '&', '*', '!', '|', '>', '#', ' ', '\n', ',', '?', '@', '{{', '}}', '{%', '%}', '<<'];

/** A hostile YAML value (flow style, fits after `key: `). */
export function hostileValue(r: Rand): { what: string; text: string } {
  switch (int(r, 0, 8)) {
    case 0: {
      const names = 'abcdefghij';
      const levels = int(r, 5, 10);
      const parts = [`&a [${Array(9).fill('lol').join(',')}]`];
      for (let i = 1; i < levels; i++) parts.push(`&${names[i]} [${Array(9).fill(`*${names[i - 1]}`).join(',')}]`);
      return { what: `alias bomb (${levels} levels)`, text: `[${parts.join(', ')}]` };
    }
    case 1: {
      const n = int(r, 100, 5000);
      return { what: `nesting ${n} deep`, text: `${'['.repeat(n)}${']'.repeat(n)}` };
    }
    case 2: {
      const n = int(r, 50, 1500);
      return { what: `nested mappings ${n} deep`, text: `${'{a: '.repeat(n)}1${'}'.repeat(n)}` };
    }
    case 3: {
      const n = int(r, 100_000, 1_000_000);
      return { what: `a ${n}-character scalar`, text: `"${'x'.repeat(n)}"` };
    }
    case 4:
      return { what: 'odd unicode', text: JSON.stringify(Array.from({ length: int(r, 1, 20) }, () => pick(r, ODD)).join('')) };
    case 5:
      return { what: 'a cycle', text: '&cyc [1, *cyc]' };
    case 6:
      return { what: 'an undefined alias', text: '*nowhere' };
    case 7:
      return { what: 'a template of a huge list', text: `"{{ [${Array(50).fill('1').join(',')}] * ${int(r, 10, 1000)} }}"` };
    default:
      return { what: 'a long list', text: `[${Array.from({ length: int(r, 1000, 10000) }, (_, i) => i).join(',')}]` };
  }
}

/** Mutate text with 1-3 random edits; returns the new text and what was done. */
export function mutate(r: Rand, text: string): { what: string; text: string } {
  let lines = text.split('\n');
  const did: string[] = [];
  for (let k = int(r, 1, 3); k > 0; k--) {
    const i = int(r, 0, Math.max(0, lines.length - 1));
    switch (int(r, 0, 7)) {
      case 0:
        lines.splice(i, 1);
        did.push(`drop line ${i + 1}`);
        break;
      case 1:
        lines.splice(i, 0, lines[i] ?? '');
        did.push(`duplicate line ${i + 1}`);
        break;
      case 2: {
        const j = int(r, 0, lines.length - 1);
        [lines[i], lines[j]] = [lines[j], lines[i]];
        did.push(`swap lines ${i + 1} and ${j + 1}`);
        break;
      }
      case 3: {
        const d = int(r, -4, 4);
        lines[i] = d >= 0 ? ' '.repeat(d) + (lines[i] ?? '') : (lines[i] ?? '').slice(-d);
        did.push(`indent line ${i + 1} by ${d}`);
        break;
      }
      case 4:
      case 5: {
        const l = lines[i] ?? '';
        const at = int(r, 0, l.length);
        const s = pick(r, r() < 0.7 ? SYNTAX : ODD);
        lines[i] = l.slice(0, at) + s + l.slice(at);
        did.push(`insert ${JSON.stringify(s)} at ${i + 1}:${at + 1}`);
        break;
      }
      case 6: {
        const l = lines[i] ?? '';
        const at = int(r, 0, l.length);
        lines[i] = l.slice(0, at) + l.slice(at + int(r, 1, 8));
        did.push(`cut characters at ${i + 1}:${at + 1}`);
        break;
      }
      default: {
        // a value replaced by a hostile structure
        const keyed = lines.map((l, n) => [l, n] as const).filter(([l]) => /^\s*(- )?[\w.]+:\s*\S/.test(l) || /^\s*[\w.]+=\S/.test(l));
        if (!keyed.length) break;
        const [l, n] = pick(r, keyed);
        const h = hostileValue(r);
        lines[n] = l.includes('=') && !l.includes(':') ? l.replace(/=.*/, `=${h.text}`) : l.replace(/:\s*\S.*$/, `: ${h.text}`);
        did.push(`line ${n + 1}: value -> ${h.what}`);
      }
    }
  }
  if (r() < 0.05) {
    lines = [...lines, '---', 'second: document'];
    did.push('a second document');
  }
  return { what: did.join('; '), text: lines.join('\n') };
}
