// Typed errors. Every error that reaches the user says where (file:line:col) or which host.

/** A place in a file (1-based line and column). */
export interface Pos {
  file: string;
  line: number; // 1-based
  col: number; // 1-based
}

export function formatPos(p: Pos | undefined): string {
  return p ? `${p.file}:${p.line}:${p.col}` : '';
}

/** Bad input: YAML, schema, inventory, template, variable. Exit code 4 when raised before the run. */
export class ConfigError extends Error {
  readonly kind = 'config' as const;
  constructor(message: string, readonly pos?: Pos, readonly hint?: string) {
    super(message);
    this.name = 'ConfigError';
  }
  toString(): string {
    const where = this.pos ? `${formatPos(this.pos)}: ` : '';
    return `${where}${this.message}${this.hint ? ` (${this.hint})` : ''}`;
  }
}

/** `e` with another message or position, its hint kept as it is (one computed when first read stays so). */
export function reworded(e: ConfigError, message: string, pos: Pos | undefined): ConfigError {
  const ce = new ConfigError(message, pos);
  Object.defineProperty(ce, 'hint', Object.getOwnPropertyDescriptor(e, 'hint') ?? { value: undefined });
  return ce;
}

/** An error raised while the plays run where Ansible's strategy raises one (exit 1, no recap). */
export class RunError extends ConfigError {}

/** At most this many errors with the same message (positions aside) are listed; then a count. */
export const MAX_SAME_ERROR = 10;
/** At most this many error lines in all; then a count. */
export const MAX_ERROR_LINES = 1000;

/** The errors one per line, repeats of one message capped at MAX_SAME_ERROR and the whole at MAX_ERROR_LINES, with counts. */
export function errorLines(errors: ConfigError[]): string[] {
  const seen = new Map<string, number>();
  const lines: string[] = [];
  let dropped = 0;
  for (const e of errors) {
    const what = `${e.message}${e.hint ? ` (${e.hint})` : ''}`;
    const n = (seen.get(what) ?? 0) + 1;
    seen.set(what, n);
    if (n > MAX_SAME_ERROR) continue;
    if (lines.length >= MAX_ERROR_LINES) dropped++;
    else lines.push(e.toString());
  }
  for (const [what, n] of seen) if (n > MAX_SAME_ERROR) lines.push(`... and ${n - MAX_SAME_ERROR} more of: ${what}`);
  if (dropped) lines.push(`... and ${dropped} more errors`);
  return lines;
}

/** Many config problems found in one pass (validation reports them all). */
export class ConfigErrors extends Error {
  readonly kind = 'configs' as const;
  constructor(readonly errors: ConfigError[]) {
    super(errorLines(errors).join('\n'));
    this.name = 'ConfigErrors';
  }
}

/** The host could not be reached or the connection broke: the host is "unreachable". */
export class ConnectionError extends Error {
  readonly kind = 'connection' as const;
  constructor(readonly host: string, readonly address: string, readonly reason: string) {
    super(`${host} (${address}): ${reason}`);
    this.name = 'ConnectionError';
  }
}

const TASK_ERROR = Symbol.for('lvsplay.TaskError');

/** A task failed on a host (the host drops out of the play unless ignore_errors/rescue). */
export class TaskError extends Error {
  readonly kind = 'task' as const;
  /** `alone`: thrown by a plan's `after`, the failed result is these fields only, not the plan's result too (Ansible's fail_json after a failed command). */
  constructor(
    message: string,
    readonly result: Record<string, unknown> = {},
    readonly opts: { alone?: boolean } = {},
  ) {
    super(message);
    this.name = 'TaskError';
    Object.defineProperty(this, TASK_ERROR, { value: true, enumerable: false });
  }

  // A custom module imports lvsplay's public entry point (dist/src), while the bundled CLI has its
  // own copy of this class: `instanceof TaskError` recognises either copy's errors by a global symbol.
  static [Symbol.hasInstance](x: unknown): x is TaskError {
    if (this !== TaskError) return Function.prototype[Symbol.hasInstance].call(this, x);
    return typeof x === 'object' && x !== null && (x as Record<symbol, unknown>)[TASK_ERROR] === true;
  }
}

/** Bad command-line options: exit code 5. */
export class UsageError extends Error {
  readonly kind = 'usage' as const;
  /** 5 (an options error) unless the value itself does not parse (argparse's 2, EXIT.usage). */
  constructor(
    message: string,
    readonly exitCode: number = 5,
  ) {
    super(message);
    this.name = 'UsageError';
  }
}

export const EXIT = {
  ok: 0,
  error: 1,
  hostFailed: 2,
  unreachable: 4, // as ansible-playbook 2.14 (a parser error is 4 too)
  parser: 4,
  usage: 2, // the command line itself does not parse (unknown flag, bad value): argparse's 2, as every Ansible CLI
  badOptions: 5, // options parse but are unusable (AnsibleOptionsError's 5, e.g. a non-mapping -e)
  interrupted: 99,
  unexpected: 250,
} as const;

/** The text of any error as a result's msg shows it (a ConfigError with its FILE:LINE:COL). */
export function errorText(e: unknown): string {
  if (e instanceof ConfigError) return e.toString();
  if (e instanceof ConfigErrors) return e.message;
  if (e instanceof Error) return e.message;
  return String(e);
}
