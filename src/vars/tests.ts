// Jinja2 and Ansible tests (`x is defined`, `r is failed`, `v is version('2.0', '>=')`, ...).
import fs from 'node:fs';
import { isMapping, pyStr, truthy } from './pystr.js';
import { pyEq, pyRegex, reFlags, splitKw, toList } from './filters-util.js';
import { versionCompare } from './versions.js';
import { parseBool } from '../bool.js';
import { isInlineVaultText } from '../vault/yaml.js';
import { isPyFloat } from './pyfloat.js';

type TestFn = (v: unknown, ...args: unknown[]) => boolean;

function resultDict(v: unknown, test: string): Record<string, unknown> {
  if (!isMapping(v)) throw new Error(`The '${test}' test expects a dictionary (a registered result)`);
  return v;
}

function anyResult(r: Record<string, unknown>, key: string): boolean {
  if (key in r) return truthy(r[key]);
  const res = r.results;
  return Array.isArray(res) && res.some((x) => isMapping(x) && truthy(x[key]));
}

function versionTest(v: unknown, ...rest: unknown[]): boolean {
  const [args, kw] = splitKw(rest);
  return versionCompare(v, args[0] ?? kw.version, args[1] ?? kw.operator ?? 'eq', args[2] ?? kw.strict ?? null, args[3] ?? kw.version_type ?? null);
}

function regexTest(kind: 'match' | 'search'): TestFn {
  return (v, ...rest) => {
    const [args, kw] = splitKw(rest);
    const re = pyRegex(args[0], reFlags({ ignorecase: args[1] ?? kw.ignorecase, multiline: args[2] ?? kw.multiline }));
    const m = re.exec(pyStr(v)); // to_text: a mapping or list is searched in its Python text
    return kind === 'search' ? m !== null : m !== null && m.index === 0;
  };
}

function contains(container: unknown, v: unknown): boolean {
  if (typeof container === 'string') return container.includes(String(v));
  if (Array.isArray(container)) return container.some((x) => pyEq(x, v));
  if (isMapping(container)) return Object.prototype.hasOwnProperty.call(container, String(v));
  throw new Error(`argument of type '${container === null ? 'NoneType' : typeof container}' is not iterable`);
}

/** truthy/falsy(convert_bool=False): with convert_bool an Ansible boolean word counts as that boolean. */
function convertedTruthy(v: unknown, rest: unknown[]): boolean {
  const [args, kw] = splitKw(rest);
  return (truthy(args[0] ?? kw.convert_bool) ? parseBool(v) : undefined) ?? truthy(v);
}

export const tests: Record<string, TestFn> = {
  defined: (v) => v !== undefined,
  undefined: (v) => v === undefined,
  none: (v) => v === null,
  truthy: (v, ...rest) => convertedTruthy(v, rest),
  falsy: (v, ...rest) => !convertedTruthy(v, rest),
  any: (v) => toList(v).some(truthy),
  all: (v) => toList(v).every(truthy),
  boolean: (v) => typeof v === 'boolean',
  vault_encrypted: (v) => isInlineVaultText(v),
  string: (v) => typeof v === 'string',
  number: (v) => typeof v === 'number' || isPyFloat(v),
  integer: (v) => typeof v === 'number' && Number.isInteger(v),
  float: (v) => (typeof v === 'number' && !Number.isInteger(v)) || isPyFloat(v),
  mapping: (v) => isMapping(v),
  sequence: (v) => Array.isArray(v) || typeof v === 'string',
  iterable: (v) => Array.isArray(v) || typeof v === 'string' || isMapping(v),
  callable: (v) => typeof v === 'function',
  match: regexTest('match'),
  search: regexTest('search'),
  regex: (v, ...rest) => {
    const [args, kw] = splitKw(rest);
    return regexTest(String(args[3] ?? kw.match_type ?? 'search') === 'match' ? 'match' : 'search')(v, args[0], { ...kw, __keywords: true });
  },
  in: (v, c) => contains(c, v),
  contains: (c, v) => contains(c, v),
  version: versionTest,
  version_compare: versionTest,
  succeeded: (v) => !anyResult(resultDict(v, 'succeeded'), 'failed'),
  failed: (v) => anyResult(resultDict(v, 'failed'), 'failed'),
  changed: (v) => anyResult(resultDict(v, 'changed'), 'changed'),
  skipped: (v) => truthy(resultDict(v, 'skipped').skipped),
  unreachable: (v) => truthy(resultDict(v, 'unreachable').unreachable),
  started: (v) => !('started' in resultDict(v, 'started')) || truthy((v as Record<string, unknown>).started),
  reachable: (v) => !truthy(resultDict(v, 'reachable').unreachable),
  finished: (v) => !('finished' in resultDict(v, 'finished')) || truthy((v as Record<string, unknown>).finished),
  equalto: (v, o) => pyEq(v, o),
  sameas: (v, o) => v === o,
  ne: (v, o) => !pyEq(v, o),
  lt: (v, o) => (v as number) < (o as number),
  le: (v, o) => (v as number) <= (o as number),
  gt: (v, o) => (v as number) > (o as number),
  ge: (v, o) => (v as number) >= (o as number),
  even: (v) => Number(v) % 2 === 0,
  odd: (v) => Math.abs(Number(v) % 2) === 1,
  divisibleby: (v, n) => Number(v) % Number(n) === 0,
  lower: (v) => typeof v === 'string' && v === v.toLowerCase(),
  upper: (v) => typeof v === 'string' && v === v.toUpperCase(),
  exists: (v) => fs.existsSync(String(v)),
  file: (v) => fs.existsSync(String(v)) && fs.statSync(String(v)).isFile(),
  directory: (v) => fs.existsSync(String(v)) && fs.statSync(String(v)).isDirectory(),
  link: (v) => {
    try {
      return fs.lstatSync(String(v)).isSymbolicLink();
    } catch {
      return false;
    }
  },
  abs: (v) => String(v).startsWith('/'),
};
tests.success = tests.succeeded;
tests.successful = tests.succeeded;
tests.true = (v) => v === true;
tests.false = (v) => v === false;
tests.is_dir = tests.directory;
tests.is_file = tests.file;
tests.is_link = tests.link;
tests.is_abs = tests.abs;
tests.mount = (v) => {
  const p = String(v);
  try {
    return p === '/' || fs.statSync(p).dev !== fs.statSync(`${p.replace(/\/+$/, '')}/..`).dev;
  } catch {
    return false;
  }
};
tests.is_mount = tests.mount;
tests.succeed = tests.succeeded;
tests.failure = tests.failed;
tests.fail = tests.failed;
tests.change = tests.changed;
tests.skip = tests.skipped;
tests.eq = tests.equalto;
tests['=='] = tests.equalto;
tests['!='] = tests.ne;
tests['<'] = tests.lt;
tests['<='] = tests.le;
tests['>'] = tests.gt;
tests['>='] = tests.ge;
tests.mapping = tests.mapping;
