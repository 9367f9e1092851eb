// Engine errors as ConfigErrors with a position: the template's own FILE:LINE:COL for template files,
// the task's position for task arguments, and "did you mean" hints for undefined variables.
import { ConfigError, type Pos } from '../errors.js';
import { didYouMean } from '../suggest.js';
import { type RenderState, UndefinedVarError } from './njpatch.js';

const undefinedErrors = new WeakSet<Error>();
/** Whether a templating error is an undefined variable (Ansible's AnsibleUndefinedVariable). */
export function isUndefinedError(e: unknown): boolean {
  return e instanceof Error && undefinedErrors.has(e);
}

/** Marks an error as an undefined-variable error (the Jinja2 engine's). */
export function markUndefined<E extends Error>(e: E): E {
  undefinedErrors.add(e);
  return e;
}

export function toConfigError(e: Error, st: RenderState, loc: { where?: Pos; file?: string; expr?: string }, isExpr: boolean, src?: string): ConfigError {
  const err = st.error ?? e;
  const posAt = (line: number, col: number): Pos | undefined =>
    loc.file ? { file: loc.file, line: line + 1, col: col + 1 } : loc.where;
  if (err instanceof ConfigError) {
    return new ConfigError(err.message, loc.file ? err.pos ?? posAt(st.line, st.col) : loc.where ?? err.pos, err.hint);
  }
  if (err instanceof UndefinedVarError) {
    const word = err.varName.split('.').pop() ?? err.varName;
    const hint = word.length >= 3 ? didYouMean(word, err.candidates) : '';
    const ce = new ConfigError(err.message, posAt(err.line, err.col), hint || undefined);
    undefinedErrors.add(ce);
    return ce;
  }
  // nunjucks errors: parse errors carry "[Line N, Column M]" (1-based); runtime errors use our last position.
  const msg = String(err.message ?? err);
  const m = /\[Line (\d+), Column (\d+)\]\s*\n?\s*([\s\S]*)$/.exec(msg);
  let text = (m ? m[3] : msg.replace(/^Template render error:\s*/, '').replace(/^\(unknown path\)\s*|^\([^)]*\)\s*/, '')).trim().replace(/^(Error|TypeError|SyntaxError|RangeError): /, '');
  let pos = posAt(st.line, st.col);
  // {% include %}/{% import %} of a missing file: nunjucks gives no line; find the tag in the source.
  const missing = /template not found: (\S+)/.exec(text);
  if (missing && src && loc.file && st.line === 0) {
    const i = src.split('\n').findIndex((l) => /\{%-?\s*(include|import|from|extends)\b/.test(l) && l.includes(missing[1]));
    if (i >= 0) pos = { file: loc.file, line: i + 1, col: src.split('\n')[i].indexOf('{%') + 1 };
  }
  if (m && !st.error) pos = loc.file ? { file: loc.file, line: Number(m[1]), col: Number(m[2]) } : loc.where;
  if (isExpr && loc.expr !== undefined) text = m ? `template syntax error in expression '${loc.expr}': ${text}` : `${text} in expression '${loc.expr}'`;
  else if (!loc.file && /expected|unexpected|parse|unknown block|end of file/i.test(text)) text = `template syntax error: ${text}`;
  return new ConfigError(text, pos);
}
