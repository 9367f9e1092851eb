// Where a loaded value was written. The model keeps plain values (a task's `vars`, a play's
// keywords, a vars file's mapping); checks that run after loading — the template precheck — ask
// here for the FILE:LINE:COL of any value inside them by its path (['vars', 'a', 0]).
import type { Node } from 'yaml';
import type { Pos } from '../errors.js';
import type { YamlFile } from './yamlfile.js';

type Source = { f: YamlFile; node: Node | null } | { merged: object[] };

const written = new WeakMap<object, Source>();

/** `obj` (a task, block, play, vars mapping) was written as `node` of `f`. */
export function rememberWritten(obj: object, f: YamlFile, node: Node | null): void {
  written.set(obj, { f, node });
}

const argsAt = new WeakMap<object, Record<string, Pos>>();

/** The positions of an include's arguments (its file or role name, its parameters). */
export function rememberArgsPos(obj: object, pos: Record<string, Pos>): void {
  argsAt.set(obj, pos);
}

export function argPos(obj: object, key: string): Pos | undefined {
  return argsAt.get(obj)?.[key];
}

/** `to` is a copy of `from` (an include made a handler): the same source. */
export function copyWritten(to: object, from: object): void {
  const src = written.get(from);
  if (src) written.set(to, src);
}

/** Was `obj` recorded? */
export function isWritten(obj: object): boolean {
  return written.has(obj);
}

/** `obj` is the merge of `parts` in order (vars_files, a role's vars/ directory): a later part wins per key. */
export function rememberMerged(obj: object, parts: object[]): void {
  written.set(obj, { merged: parts.filter((p) => written.has(p)) });
}

/** Position of the value at `segs` inside `obj` (the deepest node found on the way), or undefined when `obj` was not recorded. */
export function writtenPos(obj: object, segs: (string | number)[]): Pos | undefined {
  const src = written.get(obj);
  if (!src) return undefined;
  if ('merged' in src) {
    const key = String(segs[0]);
    const part = [...src.merged].reverse().find((p) => Object.prototype.hasOwnProperty.call(p, key)) ?? src.merged[0];
    return part ? writtenPos(part, segs) : undefined;
  }
  return src.f.pos(src.f.nodeAt(src.node, segs));
}
