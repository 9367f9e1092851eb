// Python's textwrap.wrap with its default options, as Ansible's Display wraps a warning
// ("[WARNING]: " + the message, at max(79, terminal width - 1) columns): tabs expanded, other
// whitespace made spaces, words split after hyphens, words longer than a line cut, whitespace at
// the ends of lines dropped. No npm package wraps the way Python's textwrap does (its chunking
// regex with hyphen rules): this follows CPython 3.11's Lib/textwrap.py step by step.

// Python's \w (str patterns): letters, numbers, underscore; a letter is \w without \d
const W = String.raw`[\p{L}\p{N}_]`;
const LT = String.raw`[\p{L}\p{Nl}\p{No}_]`;
const WS = String.raw`[\t\n\x0b\x0c\r ]`;
const NWS = String.raw`[^\t\n\x0b\x0c\r ]`;
const WP = String.raw`(?:${W}|[!"'&.,?])`;

/** TextWrapper.wordsep_re: whitespace runs, em-dashes between words, words (split after a hyphen between letters). */
const WORDSEP = new RegExp(
  `(${WS}+|(?<=${WP})-{2,}(?=${W})|${NWS}+?(?:-(?:(?<=${LT}{2}-)|(?<=${LT}-${LT}-))(?=${LT}-?${LT})|(?=${WS}|$)|(?<=${WP})(?=-{2,}${W})))`,
  'u',
);

const len = (s: string): number => [...s].length;

/** str.expandtabs(8), then each of \t\n\v\f\r a space (TextWrapper._munge_whitespace). */
function munge(text: string): string {
  let out = '';
  let col = 0;
  for (const ch of text) {
    if (ch === '\t') {
      const n = 8 - (col % 8);
      out += ' '.repeat(n);
      col += n;
    } else {
      out += ch;
      col = ch === '\n' || ch === '\r' ? 0 : col + 1;
    }
  }
  return out.replace(/[\n\x0b\x0c\r]/g, ' ');
}

/** textwrap.wrap(text, width): the lines (without line ends). */
export function wrap(text: string, width: number): string[] {
  const chunks = munge(text)
    .split(WORDSEP)
    .filter((c) => c !== '');
  chunks.reverse(); // a stack: the next chunk is the last
  const lines: string[] = [];
  while (chunks.length) {
    const cur: string[] = [];
    let curLen = 0;
    if (chunks[chunks.length - 1].trim() === '' && lines.length) chunks.pop(); // a line starts with no whitespace
    while (chunks.length) {
      const l = len(chunks[chunks.length - 1]);
      if (curLen + l > width) break;
      cur.push(chunks.pop()!);
      curLen += l;
    }
    if (chunks.length && len(chunks[chunks.length - 1]) > width) {
      // a chunk longer than any line: as much of it as fits, cut after its last hyphen when there is one
      const spaceLeft = width < 1 ? 1 : width - curLen;
      const chunk = [...chunks[chunks.length - 1]];
      let end = spaceLeft;
      if (chunk.length > spaceLeft) {
        const hyphen = chunk.slice(0, spaceLeft).lastIndexOf('-');
        if (hyphen > 0 && chunk.slice(0, hyphen).some((c) => c !== '-')) end = hyphen + 1;
      }
      cur.push(chunk.slice(0, end).join(''));
      chunks[chunks.length - 1] = chunk.slice(end).join('');
      curLen = cur.reduce((n, c) => n + len(c), 0);
    }
    if (cur.length && cur[cur.length - 1].trim() === '') {
      curLen -= len(cur[cur.length - 1]);
      cur.pop();
    }
    if (cur.length) lines.push(cur.join(''));
  }
  return lines;
}

/** Ansible's Display width: max(79, the terminal's width - 1) when stdout is a terminal, else 79. */
export function ansibleColumns(): number {
  return process.stdout.isTTY ? Math.max(79, (process.stdout.columns ?? 80) - 1) : 79;
}

/** The text Ansible's Display.warning prints for `msg` (without colour): "[WARNING]: msg" wrapped at `columns`. */
export function warningText(msg: string, columns: number): string {
  return `${wrap(`[WARNING]: ${msg}`, columns).join('\n')}\n`;
}
