// The `version` test of Ansible 2.14 (version_compare): LooseVersion (default), StrictVersion
// (strict=true), SemanticVersion (semver/semantic) and PEP 440 (pep440, as Python's `packaging`
// orders versions: epochs, pre/post/dev releases, local labels), with Ansible's error texts.

type Key = number | string | Key[];

/** Python's ordering of the keys below: numbers (±Infinity as packaging's sentinels), strings, tuples. */
function cmpKey(a: Key, b: Key): number {
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.min(a.length, b.length); i++) {
      const c = cmpKey(a[i], b[i]);
      if (c) return c;
    }
    return a.length - b.length;
  }
  if (Array.isArray(a)) return b === -Infinity ? 1 : -1; // only sentinels meet tuples
  if (Array.isArray(b)) return -cmpKey(b, a);
  if (typeof a === 'number' && typeof b === 'number') return a === b ? 0 : a < b ? -1 : 1;
  if (typeof a === 'string' && typeof b === 'string') return a === b ? 0 : a < b ? -1 : 1;
  if (typeof a === 'number' && !Number.isFinite(a)) return a > 0 ? 1 : -1;
  if (typeof b === 'number' && !Number.isFinite(b)) return b > 0 ? -1 : 1;
  throw new Error(`'<' not supported between instances of '${typeof a === 'number' ? 'int' : 'str'}' and '${typeof b === 'number' ? 'int' : 'str'}'`);
}

/** LooseVersion: numbers and lower-case words (anything else kept as text); Python list comparison. */
function loose(v: string): Key[] {
  return v
    .split(/(\d+|[a-z]+|\.)/)
    .filter((x) => x && x !== '.')
    .map((x) => (/^\d+$/.test(x) ? Number(x) : x));
}

function looseCmp(a: string, b: string): number {
  const x = loose(a);
  const y = loose(b);
  if (JSON.stringify(x) === JSON.stringify(y)) return 0;
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return cmpKey(x[i], y[i]);
  return x.length - y.length;
}

function strict(v: string): Key[] {
  const m = /^(\d+)\.(\d+)(\.(\d+))?([ab](\d+))?$/.exec(v);
  if (!m) throw new Error(`invalid version number '${v}'`);
  const pre: Key = m[5] ? [1, m[5][0], Number(m[6])] : [2]; // no pre-release sorts after any
  return [[Number(m[1]), Number(m[2]), Number(m[4] ?? 0)], pre];
}

const SEMVER = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/;

function semver(v: string): Key[] {
  const m = SEMVER.exec(v);
  if (!m) throw new Error(`invalid semantic version '${v}'`);
  // numeric identifiers sort before alphanumeric ones; a release after its pre-releases; build metadata ignored
  const pre: Key = m[4] ? [0, m[4].split('.').map((x) => (/^\d+$/.test(x) ? [0, Number(x)] : [1, x]))] : [1];
  return [[Number(m[1]), Number(m[2]), Number(m[3])], pre];
}

const PEP440 =
  /^\s*v?(?:(?:(\d+)!)?(\d+(?:\.\d+)*)([-_.]?(a|b|c|rc|alpha|beta|pre|preview)[-_.]?(\d+)?)?((?:-(\d+))|(?:[-_.]?(post|rev|r)[-_.]?(\d+)?))?([-_.]?(dev)[-_.]?(\d+)?)?)(?:\+([a-z0-9]+(?:[-_.][a-z0-9]+)*))?\s*$/i;

/** packaging.version.Version's comparison key. */
function pep440(v: string): Key[] {
  const m = PEP440.exec(v);
  if (!m) throw new Error(`Invalid version: '${v}'`);
  const release = m[2].split('.').map(Number);
  while (release.length > 0 && release[release.length - 1] === 0) release.pop();
  const preL = m[4]?.toLowerCase();
  const pre: Key | undefined = preL ? [{ alpha: 'a', beta: 'b', c: 'rc', pre: 'rc', preview: 'rc' }[preL] ?? preL, Number(m[5] ?? 0)] : undefined;
  const post: Key | undefined = m[6] ? ['post', Number(m[7] ?? m[9] ?? 0)] : undefined;
  const dev: Key | undefined = m[10] ? ['dev', Number(m[12] ?? 0)] : undefined;
  const local: Key = m[13] ? m[13].split(/[-_.]/).map((p) => (/^\d+$/.test(p) ? [Number(p), ''] : [-Infinity, p.toLowerCase()])) : -Infinity;
  const preKey: Key = pre ?? (post === undefined && dev !== undefined ? -Infinity : Infinity);
  return [Number(m[1] ?? 0), release, preKey, post ?? -Infinity, dev ?? Infinity, local];
}

const KINDS: Record<string, (a: string, b: string) => number> = {
  loose: looseCmp,
  strict: (a, b) => cmpKey(strict(a), strict(b)),
  semver: (a, b) => cmpKey(semver(a), semver(b)),
  semantic: (a, b) => cmpKey(semver(a), semver(b)),
  pep440: (a, b) => cmpKey(pep440(a), pep440(b)),
};

const OPS: Record<string, (c: number) => boolean> = {
  eq: (c) => c === 0,
  lt: (c) => c < 0,
  le: (c) => c <= 0,
  gt: (c) => c > 0,
  ge: (c) => c >= 0,
  ne: (c) => c !== 0,
};
const OP_NAMES: Record<string, string> = { '==': 'eq', '=': 'eq', eq: 'eq', '<': 'lt', lt: 'lt', '<=': 'le', le: 'le', '>': 'gt', gt: 'gt', '>=': 'ge', ge: 'ge', '!=': 'ne', '<>': 'ne', ne: 'ne' };

const str = (v: unknown): string => (typeof v === 'string' ? v : v === true ? 'True' : v === false ? 'False' : String(v));
const empty = (v: unknown): boolean => v === undefined || v === null || v === '' || v === 0 || v === false || (Array.isArray(v) && v.length === 0);

/** `value is version(version, operator='eq', strict=None, version_type=None)`. */
export function versionCompare(value: unknown, version: unknown, operator: unknown = 'eq', strictArg: unknown = null, versionType: unknown = null): boolean {
  const given = (v: unknown): boolean => v !== null && v !== undefined;
  if (given(strictArg) && given(versionType)) throw new Error("Cannot specify both 'strict' and 'version_type'");
  if (empty(value)) throw new Error('Input version value cannot be empty');
  if (empty(version)) throw new Error('Version parameter to compare against cannot be empty');
  let kind = 'loose';
  if (strictArg !== null && strictArg !== undefined && strictArg !== false && strictArg !== '' && strictArg !== 0) kind = 'strict';
  else if (given(versionType) && !empty(versionType)) {
    kind = str(versionType);
    if (!(kind in KINDS)) throw new Error(`Invalid version type (${kind}). Must be one of 'loose', 'strict', 'semver', 'semantic', 'pep440'`);
  }
  const op = OP_NAMES[str(operator)];
  if (!op) throw new Error(`Invalid operator type (${str(operator)}). Must be one of ${Object.keys(OP_NAMES).map((k) => `'${k}'`).join(', ')}`);
  try {
    return OPS[op](KINDS[kind](str(value), str(version)));
  } catch (e) {
    throw new Error(`Version comparison failed: ${(e as Error).message}`);
  }
}
