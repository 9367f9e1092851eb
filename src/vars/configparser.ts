// Python's configparser.ConfigParser as Ansible's `ini` lookup uses it (strict, '=' and ':' as
// delimiters, '#'/';' full-line comments, indented continuation lines, a DEFAULT section inherited by
// every section, option names lower-cased unless case-sensitive, %(name)s interpolation on reading).
import { pyRepr } from './pystr.js';

const DEFAULT = 'DEFAULT';
type Section = Map<string, string[] | null>;

export interface ConfigOptions {
  allowNoValue: boolean;
  caseSensitive: boolean;
}

/** The sections read so far; read() may be called again (a later read adds to and overrides them, as Python's). */
export class ConfigParser {
  private readonly defaults: Section = new Map();
  private readonly sections = new Map<string, Section>();

  constructor(private readonly opts: ConfigOptions) {}

  private xform(name: string): string {
    return this.opts.caseSensitive ? name : name.toLowerCase();
  }

  /** Read a source's text (named '<???>' in errors, as a StringIO is). Throws Python's messages. */
  read(text: string, source = '<???>'): void {
    const added = new Set<string>();
    const bad: string[] = [];
    let cur: Section | undefined;
    let sect = '';
    let opt: string | undefined;
    let indent = 0;
    const lines = text.split(/(?<=\n)/);
    lines.forEach((line, i) => {
      const lineno = i + 1;
      const stripped = line.trim();
      const comment = stripped.startsWith('#') || stripped.startsWith(';');
      const value = comment ? '' : stripped;
      if (!value) {
        const v = opt !== undefined ? cur?.get(opt) : undefined;
        if (!comment && v) v.push('');
        return;
      }
      const level = line.search(/\S/);
      if (cur && opt && level > indent) {
        cur.get(opt)?.push(value);
        return;
      }
      indent = level;
      const head = /^\[(.+)\]/.exec(value);
      if (head) {
        sect = head[1];
        const known = this.sections.get(sect);
        if (known) {
          if (added.has(sect)) throw new Error(`While reading from ${pyRepr(source)} [line ${String(lineno).padStart(2)}]: section ${pyRepr(sect)} already exists`);
          cur = known;
        } else if (sect === DEFAULT) cur = this.defaults;
        else {
          cur = new Map();
          this.sections.set(sect, cur);
        }
        added.add(sect);
        opt = undefined;
        return;
      }
      if (!cur) throw new Error(`File contains no section headers.\nfile: ${pyRepr(source)}, line: ${lineno}\n${pyRepr(line)}`);
      const m = this.opts.allowNoValue ? /^(.*?)\s*(?:([=:])\s*(.*))?$/.exec(value) : /^(.*?)\s*([=:])\s*(.*)$/.exec(value);
      if (!m || !m[1]) bad.push(`\n\t[line ${String(lineno).padStart(2)}]: ${pyRepr(line)}`);
      if (!m) return;
      opt = this.xform(m[1].trimEnd());
      const key = `${sect}\u0000${opt}`;
      if (added.has(key)) throw new Error(`While reading from ${pyRepr(source)} [line ${String(lineno).padStart(2)}]: option ${pyRepr(opt)} in section ${pyRepr(sect)} already exists`);
      added.add(key);
      cur.set(opt, m[2] === undefined ? null : [m[3].trim()]);
    });
    if (bad.length) throw new Error(`Source contains parsing errors: ${pyRepr(source)}${bad.join('')}`);
  }

  /** The raw (joined) options of a section with the defaults under them, in Python's order. */
  private merged(section: string): Map<string, string | null> {
    const own = this.sections.get(section);
    if (!own && section !== DEFAULT) throw new NoSectionError(section);
    const out = new Map<string, string | null>();
    for (const src of [this.defaults, own ?? new Map()]) for (const [k, v] of src) out.set(k, v === null ? null : v.join('\n').trimEnd());
    return out;
  }

  /** An option's value (undefined when the section lacks it); NoSectionError when there is no such section. */
  get(section: string, option: string): string | null | undefined {
    const map = this.merged(section);
    const key = this.xform(option);
    if (!map.has(key)) return undefined;
    return interpolate(key, section, map.get(key) ?? null, map, (n) => this.xform(n));
  }

  /** Every option of a section (defaults first) with its value. */
  items(section: string): [string, string | null][] {
    const map = this.merged(section);
    return [...map.keys()].map((k) => [k, interpolate(k, section, map.get(k) ?? null, map, (n) => this.xform(n))]);
  }
}

export class NoSectionError extends Error {
  constructor(readonly section: string) {
    super(`No section: ${pyRepr(section)}`);
  }
}

/** BasicInterpolation: %% is a percent sign, %(name)s the (interpolated) value of another option. */
function interpolate(option: string, section: string, raw: string | null, map: Map<string, string | null>, xform: (n: string) => string): string | null {
  if (raw === null) return null;
  const out: string[] = [];
  const walk = (rest: string, depth: number): void => {
    if (depth > 10) throw new Error(`Recursion limit exceeded in value substitution: option ${pyRepr(option)} in section ${pyRepr(section)} contains an interpolation key which cannot be substituted in 10 steps. Raw value: ${pyRepr(raw)}`);
    while (rest) {
      const p = rest.indexOf('%');
      if (p < 0) {
        out.push(rest);
        return;
      }
      if (p > 0) out.push(rest.slice(0, p));
      rest = rest.slice(p);
      const c = rest.slice(1, 2);
      if (c === '%') {
        out.push('%');
        rest = rest.slice(2);
      } else if (c === '(') {
        const m = /^%\(([^)]+)\)s/.exec(rest);
        if (!m) throw new Error(`bad interpolation variable reference ${pyRepr(rest)}`);
        rest = rest.slice(m[0].length);
        const name = xform(m[1]);
        const v = map.get(name);
        if (v === undefined || v === null) throw new Error(`Bad value substitution: option ${pyRepr(option)} in section ${pyRepr(section)} contains an interpolation key ${pyRepr(name)} which is not a valid option name. Raw value: ${pyRepr(raw)}`);
        if (v.includes('%')) walk(v, depth + 1);
        else out.push(v);
      } else throw new Error(`'%' must be followed by '%' or '(', found: ${pyRepr(rest)}`);
    }
  };
  walk(raw, 1);
  return out.join('');
}
