// INI inventory values as Ansible reads them: shlex-split tokens, then Python's ast.literal_eval (else a string).
import { pyFloat } from '../vars/pyfloat.js';

/** POSIX shlex.split with comments: quotes removed, backslash escapes, `#` starts a comment. */
export function shlexSplit(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let inTok = false;
  let i = 0;
  while (i < line.length) {
    const c = line[i];
    if (c === "'") {
      const j = line.indexOf("'", i + 1);
      if (j < 0) throw new Error('No closing quotation');
      cur += line.slice(i + 1, j);
      inTok = true;
      i = j + 1;
      continue;
    }
    if (c === '"') {
      let j = i + 1;
      let s = '';
      while (j < line.length && line[j] !== '"') {
        if (line[j] === '\\' && j + 1 < line.length && '"\\$`\n'.includes(line[j + 1])) j++;
        s += line[j++];
      }
      if (j >= line.length) throw new Error('No closing quotation');
      cur += s;
      inTok = true;
      i = j + 1;
      continue;
    }
    if (c === '\\' && i + 1 < line.length) {
      cur += line[i + 1];
      inTok = true;
      i += 2;
      continue;
    }
    if (/\s/.test(c)) {
      if (inTok) out.push(cur);
      cur = '';
      inTok = false;
      i++;
      continue;
    }
    if (c === '#' && !inTok) break;
    cur += c;
    inTok = true;
    i++;
  }
  if (inTok) out.push(cur);
  return out;
}

class Lit {
  i = 0;
  constructor(readonly s: string) {}
  ws() {
    while (this.i < this.s.length && /\s/.test(this.s[this.i])) this.i++;
  }
  fail(): never {
    throw new SyntaxError('not a literal');
  }
  value(): unknown {
    this.ws();
    const c = this.s[this.i];
    if (c === undefined) this.fail();
    if (c === "'" || c === '"') return this.str();
    if (c === '[' || c === '(') return this.seq(c === '[' ? ']' : ')');
    if (c === '{') return this.dict();
    const m = /^(?:[+-]?(?:0[xX][0-9a-fA-F_]+|0[oO][0-7_]+|0[bB][01_]+|(?:\d[\d_]*\.?[\d_]*|\.\d[\d_]*)(?:[eE][+-]?\d+)?)|True|False|None)/.exec(this.s.slice(this.i));
    if (!m) this.fail();
    this.i += m[0].length;
    const t = m[0];
    if (t === 'True') return true;
    if (t === 'False') return false;
    if (t === 'None') return null;
    const clean = t.replace(/_/g, '');
    if (/^[+-]?0[xob]/i.test(clean)) {
      const sign = clean.startsWith('-') ? -1 : 1;
      const body = clean.replace(/^[+-]/, '');
      return sign * parseInt(body.slice(2), body[1].toLowerCase() === 'x' ? 16 : body[1].toLowerCase() === 'o' ? 8 : 2);
    }
    if (/^[+-]?0\d+$/.test(clean)) this.fail(); // Python 3 rejects leading zeros ("010")
    return /[.eE]/.test(clean) ? pyFloat(Number(clean)) : Number(clean); // `2.0` and `1e3` are floats
  }
  str(): string {
    const q = this.s[this.i];
    const triple = this.s.startsWith(q.repeat(3), this.i);
    const end = triple ? q.repeat(3) : q;
    this.i += end.length;
    let out = '';
    while (this.i < this.s.length) {
      if (this.s.startsWith(end, this.i)) {
        this.i += end.length;
        return out;
      }
      const c = this.s[this.i];
      if (c === '\\') {
        const n = this.s[this.i + 1];
        const map: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"', '0': '\0' };
        out += n in map ? map[n] : `\\${n}`;
        this.i += 2;
        continue;
      }
      out += c;
      this.i++;
    }
    return this.fail();
  }
  seq(close: string): unknown[] {
    this.i++;
    const out: unknown[] = [];
    for (;;) {
      this.ws();
      if (this.s[this.i] === close) {
        this.i++;
        return out;
      }
      out.push(this.value());
      this.ws();
      if (this.s[this.i] === ',') this.i++;
      else if (this.s[this.i] !== close) this.fail();
    }
  }
  dict(): Record<string, unknown> {
    this.i++;
    const out: Record<string, unknown> = {};
    for (;;) {
      this.ws();
      if (this.s[this.i] === '}') {
        this.i++;
        return out;
      }
      const k = this.value();
      this.ws();
      if (this.s[this.i] !== ':') this.fail();
      this.i++;
      out[String(k)] = this.value();
      this.ws();
      if (this.s[this.i] === ',') this.i++;
      else if (this.s[this.i] !== '}') this.fail();
    }
  }
}

/** Python ast.literal_eval of an INI value; anything that is not a literal stays a string ('true' stays 'true'). */
export function literalEval(v: string): unknown {
  const p = new Lit(v);
  try {
    const out = p.value();
    p.ws();
    if (p.i !== v.length) return v;
    return out;
  } catch {
    return v;
  }
}
