// Maps lines of a rendered template back to the template's own lines: every plain text line of
// the template gets an invisible marker with its line number before rendering; the markers are
// read and removed afterwards. Lines holding `{% %}` or `{# #}` get none (they render to nothing
// or to several lines), nor do lines inside a multi-line tag.
const OPEN = '\u001e';
const CLOSE = '\u001f';

export function instrument(src: string): string {
  const lines = src.split('\n');
  let open: string | undefined; // the closing delimiter of a tag spanning lines
  return lines
    .map((line, i) => {
      const startedInTag = open !== undefined;
      let hasStmt = false;
      for (let j = 0; j < line.length - 1; j++) {
        const two = line.slice(j, j + 2);
        if (open) {
          if (two === open) {
            open = undefined;
            j++;
          }
        } else if (two === '{{' || two === '{%' || two === '{#') {
          open = two === '{{' ? '}}' : two === '{%' ? '%}' : '#}';
          if (two !== '{{') hasStmt = true;
          j++;
        }
      }
      const mark = !startedInTag && !open && !hasStmt && i < lines.length - 1;
      return mark ? `${line}${OPEN}${i + 1}${CLOSE}` : line;
    })
    .join('\n');
}

export interface Mapped {
  text: string;
  /** lineMap[n] = template line of rendered line n (1-based), or 0 when unknown. */
  lineMap: number[];
}

export function stripMarkers(rendered: string): Mapped {
  const lineMap: number[] = [0];
  const re = new RegExp(`${OPEN}(\\d+)${CLOSE}`, 'g');
  const text = rendered
    .split('\n')
    .map((line) => {
      let last = 0;
      const clean = line.replace(re, (_m, n: string) => {
        last = Number(n);
        return '';
      });
      lineMap.push(last);
      return clean;
    })
    .join('\n');
  return { text, lineMap };
}

/** Column in the template line for a rendered column: the same when the text before it is literal. */
export function templateCol(tplLine: string, renderedLine: string, col: number): number {
  const before = renderedLine.slice(0, col - 1);
  if (tplLine.startsWith(before) && !before.includes('{{')) return col;
  const expr = tplLine.indexOf('{{');
  if (expr >= 0) return expr + 1;
  return tplLine.length - tplLine.trimStart().length + 1;
}
