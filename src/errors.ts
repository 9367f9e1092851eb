// Typed errors. Every error that reaches the user says where (file:line:col) or which host.

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

/** Many config problems found in one pass (validation reports them all). */
export class ConfigErrors extends Error {
  readonly kind = 'configs' as const;
  constructor(readonly errors: ConfigError[]) {
    super(errors.map((e) => e.toString()).join('\n'));
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

/** A task failed on a host (the host drops out of the play unless ignore_errors/rescue). */
export class TaskError extends Error {
  readonly kind = 'task' as const;
  constructor(message: string, readonly result: Record<string, unknown> = {}) {
    super(message);
    this.name = 'TaskError';
  }
}

/** Bad command-line options: exit code 5. */
export class UsageError extends Error {
  readonly kind = 'usage' as const;
  constructor(message: string) {
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
  badOptions: 5,
  interrupted: 99,
  unexpected: 250,
} as const;
