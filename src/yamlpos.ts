// Where a YAML syntax error really is. The yaml library reports some errors where it gave up
// (an unclosed quote at the end of the file, a bad indent at column 1): point at their cause instead.
import { isMap, isPair, visit, type Document, type LineCounter, type YAMLError } from 'yaml';

export interface YamlErrorPos {
  line: number;
  col: number;
  message: string;
}

/** Offset of the cause of a syntax error in `src`, and a message (first line, no "at line" suffix). */
export function yamlErrorPos(err: YAMLError, src: string, lc: LineCounter): YamlErrorPos {
  let off = err.pos[0];
  let message = err.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
  const quote = /Missing closing (["'])quote/.exec(message);
  if (quote) {
    // The scalar swallowed everything up to where the parser stopped: its opening quote is the last one.
    let q = src.lastIndexOf(quote[1], Math.max(0, off - 1));
    while (quote[1] === '"' && q > 0 && src[q - 1] === '\\') q = src.lastIndexOf('"', q - 2);
    if (q >= 0) {
      off = q;
      message = `a ${quote[1] === '"' ? 'double' : 'single'}-quoted string is never closed (missing ${quote[1]})`;
    }
  } else if (/^Flow (sequence|mapping)/.test(message)) {
    const open = message.startsWith('Flow sequence') ? '[' : '{';
    const close = open === '[' ? ']' : '}';
    let depth = 0;
    for (let i = Math.min(off, src.length) - 1; i >= 0; i--) {
      if (src[i] === close) depth++;
      else if (src[i] === open) {
        if (depth === 0) {
          off = i;
          message = `this ${open === '[' ? 'flow sequence [' : 'flow mapping {'} is never closed with ${close}`;
          break;
        }
        depth--;
      }
    }
  }
  let { line, col } = lc.linePos(off);
  if (col === 1) {
    // An indentation error: the first character of the line, not column 1.
    const start = lc.lineStarts[line - 1] ?? 0;
    const indent = /^ */.exec(src.slice(start, start + 200))?.[0].length ?? 0;
    if (indent > 0 && src[start + indent] !== '\n') col = indent + 1;
  }
  return { line, col, message };
}

/**
 * `key: {{ var }}` unquoted is a flow mapping whose key is a flow mapping to YAML (Ansible's most
 * common YAML mistake). Returns the offset of the first such value, or undefined.
 */
export function unquotedTemplate(doc: Document): number | undefined {
  let found: number | undefined;
  visit(doc, {
    Pair(_k, pair) {
      if (found !== undefined) return visit.BREAK;
      if (isPair(pair) && isMap(pair.key) && pair.key.flow) {
        found = (pair.key.range?.[0] ?? 0) - 1;
        return visit.BREAK;
      }
      return undefined;
    },
  });
  return found;
}
