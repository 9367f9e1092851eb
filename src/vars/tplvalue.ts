// Shapes of values before rendering: does a value hold templates anywhere.
import type { Vars } from '../types.js';
import { isMapping } from './pystr.js';
import { isMarkedObject, isTemplate } from './unsafe.js';

// Values are treated as immutable once rendered: the answer is cached per object.
const templatedCache = new WeakMap<object, boolean>();
export function hasTemplates(v: unknown, depth = 0): boolean {
  if (typeof v === 'string') return isTemplate(v);
  if (depth > 30 || v === null || typeof v !== 'object' || isMarkedObject(v)) return false;
  const cached = templatedCache.get(v);
  if (cached !== undefined) return cached;
  let r = false;
  if (Array.isArray(v)) r = v.some((x) => hasTemplates(x, depth + 1));
  else if (isMapping(v) && Object.getPrototypeOf(v) === Object.prototype) {
    r = Object.keys(v).some((k) => isTemplate(k) || hasTemplates((v as Vars)[k], depth + 1));
  }
  templatedCache.set(v, r);
  return r;
}
