// Shared by command and shell: shlex-like word splitting, free-form option extraction, result fields.
import type { ExecResult, ModuleContext, Plan, Vars } from '../../src/types.js';
import { TaskError } from '../../src/errors.js';
import { q } from '../../src/shell.js';
import { pyBytesRepr } from '../../src/vars/pystr.js';

/** Split a command line into words like Python's shlex.split (POSIX mode). */
export function splitWords(s: string): string[] {
  const words: string[] = [];
  let cur = '';
  let inWord = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === "'") {
      const end = s.indexOf("'", i + 1);
      if (end < 0) throw new Error('no closing quotation');
      cur += s.slice(i + 1, end);
      i = end;
      inWord = true;
    } else if (c === '"') {
      i++;
      for (; i < s.length && s[i] !== '"'; i++) {
        if (s[i] === '\\' && i + 1 < s.length && '\\"$`\n'.includes(s[i + 1])) i++;
        cur += s[i];
      }
      if (i >= s.length) throw new Error('no closing quotation');
      inWord = true;
    } else if (c === '\\' && i + 1 < s.length) {
      cur += s[++i];
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) words.push(cur);
      cur = '';
      inWord = false;
    } else {
      cur += c;
      inWord = true;
    }
  }
  if (inWord) words.push(cur);
  return words;
}

const INLINE = ['chdir', 'creates', 'removes', 'executable', 'stdin'];

/** `command: ls chdir=/tmp` -> raw 'ls' + {chdir: '/tmp'} (Ansible accepts these inside the free form). */
export function extractInline(raw: string): { raw: string; opts: Vars } {
  const opts: Vars = {};
  const re = new RegExp(`(^|\\s)(${INLINE.join('|')})=("[^"]*"|'[^']*'|\\S+)`, 'g');
  const rest = raw.replace(re, (_m, lead: string, k: string, v: string) => {
    opts[k] = /^["']/.test(v) ? v.slice(1, -1) : v;
    return lead;
  });
  return { raw: Object.keys(opts).length ? rest.trim() : raw, opts }; // text without inline options is kept as is (a block's last line end too, as Ansible)
}

function lines(s: string): string[] {
  return s === '' ? [] : s.split('\n');
}

/** Local time as Python's str(datetime.now()): `2024-05-01 12:00:00.123000`. */
function stamp(d: Date): string {
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}.${p(d.getMilliseconds(), 3)}000`;
}

function delta(ms: number): string {
  const s = ms / 1000;
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = (s % 60).toFixed(6).padStart(9, '0');
  return `${h}:${String(m).padStart(2, '0')}:${sec}`;
}

export interface CmdSpec {
  script: string; // what runs (already quoted)
  display: unknown; // `cmd` in the result: argv list (command) or string (shell)
  chdir?: string;
  creates?: string;
  removes?: string;
  stdin?: string;
  stripEmptyEnds: boolean;
  /** command: the script reports a program it cannot exec (PROGRAM_ERROR on stderr); the result is Ansible's, with this cmd. */
  programError?: { cmd: string };
  /** Module warnings returned with the result (command's ignored `executable`). */
  warnings?: string[];
}

/** Marks command's report, on stderr, that its program is missing (2) or not executable (13): `MARK<errno>:<program>`. */
export const PROGRAM_ERROR = '\x1fLVS-EXEC-ERRNO:';
const ERRNO_TEXT: Record<string, string> = { '2': 'No such file or directory', '13': 'Permission denied', '20': 'Not a directory' };
/** Marks a chdir that failed, on stderr: `MARK<errno>`. */
const CHDIR_ERROR = '\x1fLVS-CHDIR-ERRNO:';

/** Ansible's result when command/shell have no command to run (rc 256, the rest empty). */
export const NO_COMMAND = { changed: false, cmd: null, rc: 256, start: null, end: null, delta: null, stdout: '', stderr: '', stdout_lines: [], stderr_lines: [] };

/** A pattern as one shell word that globs like Python's glob: `*`, `?` and `[...]` unquoted, the rest quoted. */
export function globWord(p: string): string {
  return p
    .split(/(\*|\?|\[[^\]/'"\\$`]+\])/)
    .map((part, i) => (i % 2 ? part : part === '' ? '' : q(part)))
    .join('') || "''";
}

/** The plan shared by command and shell: creates/removes probe, one step (in check mode the executor skips it: checkModeSkip). */
export async function commandPlan(ctx: ModuleContext, spec: CmdSpec): Promise<Plan> {
  const base: Vars = { cmd: spec.display, ...(spec.warnings?.length ? { warnings: spec.warnings } : {}) };
  // chdir as Ansible's os.chdir before running (-P: $PWD is the physical directory, symlinks resolved, as a
  // shell started in it by Python sees it); a failure is its OSError (errno), reported marked on stderr
  const d = spec.chdir ? q(spec.chdir) : '';
  const cdPrefix = spec.chdir
    ? `{ if [ ! -e ${d} ]; then __lvs_e=2; elif [ ! -d ${d} ]; then __lvs_e=20; else __lvs_e=13; fi; cd -P ${d} 2>/dev/null || { printf '${CHDIR_ERROR}%s' "$__lvs_e" >&2; exit 1; }; } && `
    : '';
  if (spec.creates !== undefined || spec.removes !== undefined) {
    const tests: string[] = [];
    // creates/removes are glob patterns (Python's glob.glob: a match must exist)
    const exists = (p: string) => `__lvs_m=; for __lvs_f in ${globWord(p)}; do if [ -e "$__lvs_f" ] || [ -L "$__lvs_f" ]; then __lvs_m=1; break; fi; done`;
    if (spec.creates !== undefined) tests.push(`${exists(spec.creates)}; if [ -n "$__lvs_m" ]; then echo c; fi`);
    if (spec.removes !== undefined) tests.push(`${exists(spec.removes)}; if [ -z "$__lvs_m" ]; then echo r; fi`);
    const res = await ctx.probe(`${spec.chdir ? `cd ${q(spec.chdir)} 2>/dev/null; ` : ''}${tests.join('; ')}`);
    const out = res.stdout;
    const did = ctx.check ? 'Would' : 'Did';
    const skipWhy = out.includes('c')
      ? { stdout: `skipped, since ${spec.creates} exists`, msg: `${did} not run command since '${spec.creates}' exists` }
      : out.includes('r')
        ? { stdout: `skipped, since ${spec.removes} does not exist`, msg: `${did} not run command since '${spec.removes}' does not exist` }
        : undefined;
    if (skipWhy) {
      return {
        steps: [],
        changed: false,
        msg: skipWhy.msg,
        result: { ...base, rc: 0, stdout: skipWhy.stdout, stdout_lines: [skipWhy.stdout], stderr: '', stderr_lines: [] },
      };
    }
  }
  const started = new Date();
  return {
    steps: [{ describe: typeof spec.display === 'string' ? spec.display : (spec.display as string[]).join(' '), cmd: cdPrefix + spec.script, stdin: spec.stdin }],
    changed: true,
    result: base,
    // with creates/removes Ansible's command knows in check mode that it would run: changed, not skipped
    ...(spec.creates !== undefined || spec.removes !== undefined ? { checkModeResult: { rc: 0, msg: 'Command would have run if not in check mode' } } : {}),
    after(res: ExecResult): Vars {
      const end = new Date();
      const strip = (s: string) => (spec.stripEmptyEnds ? s.replace(/[\r\n]+$/, '') : s);
      const noCd = spec.chdir !== undefined && new RegExp(`${CHDIR_ERROR}(\\d+)$`).exec(res.stderr);
      if (noCd) {
        const msg = `Unable to change directory before execution: [Errno ${noCd[1]}] ${ERRNO_TEXT[noCd[1]]}: ${pyBytesRepr(spec.chdir ?? '')}`;
        throw new TaskError(msg, { ...NO_COMMAND, cmd: spec.display, rc: null });
      }
      const noExec = spec.programError && new RegExp(`${PROGRAM_ERROR}(2|13):([\\s\\S]*)$`).exec(res.stderr);
      if (noExec) {
        const e = noExec[1];
        const msg = `[Errno ${e}] ${ERRNO_TEXT[e]}: ${pyBytesRepr(noExec[2])}`;
        throw new TaskError(msg, { cmd: spec.programError!.cmd, rc: Number(e), stdout: '', stderr: '', stdout_lines: [], stderr_lines: [], changed: false });
      }
      const stdout = strip(res.stdout);
      const stderr = strip(res.stderr);
      const fields: Vars = {
        ...base,
        msg: '', // Ansible's command/shell always return msg
        rc: res.rc,
        stdout,
        stderr,
        stdout_lines: lines(stdout),
        stderr_lines: lines(stderr),
        start: stamp(started),
        end: stamp(end),
        delta: delta(end.getTime() - started.getTime()),
      };
      if (res.rc !== 0) throw new TaskError('non-zero return code', fields);
      return fields;
    },
  };
}

export const commonProps = {
  _raw_params: { type: 'string', description: 'the command line (free form)' },
  cmd: { type: 'string', description: 'the command line' },
  chdir: { type: 'string', description: 'change into this directory first' },
  creates: { type: 'string', description: 'do not run when this path exists' },
  removes: { type: 'string', description: 'do not run unless this path exists' },
  stdin: { type: 'string', description: 'data sent to the command on stdin' },
  stdin_add_newline: { type: 'boolean', default: true },
  strip_empty_ends: { type: 'boolean', default: true },
};

function stdinOf(args: Vars): string | undefined {
  if (args.stdin === undefined || args.stdin === null) return undefined;
  const s = String(args.stdin);
  return args.stdin_add_newline === false ? s : `${s}\n`;
}

/** The CmdSpec fields command and shell take from the same arguments (commonProps). */
export function commonSpec(args: Vars): Omit<CmdSpec, 'script' | 'display'> {
  return {
    chdir: args.chdir as string | undefined,
    creates: args.creates as string | undefined,
    removes: args.removes as string | undefined,
    stdin: stdinOf(args),
    stripEmptyEnds: args.strip_empty_ends !== false,
  };
}
