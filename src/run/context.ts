// What controller-side modules (debug, assert) get beyond the ModuleContext contract:
// expression evaluation with the task's variables, and the run's verbosity.
import type { ModuleContext } from '../types.js';

export interface ControllerContext extends ModuleContext {
  /** Value of a Jinja2 expression (no braces). Throws ConfigError when a variable is undefined. */
  evalExpr(expr: string): Promise<unknown>;
  /** A `when`-style condition. */
  evalCondition(expr: string): Promise<boolean>;
  verbosity: number;
}

export function isControllerContext(ctx: ModuleContext): ctx is ControllerContext {
  return typeof (ctx as Partial<ControllerContext>).evalExpr === 'function';
}
