// pip: Python packages on the host, as Ansible 2.14's pip module — in a virtualenv it creates
// (virtualenv_command, default `virtualenv`), with a pip `executable`, or with the pip of the
// host's Python. One probe finds the Python, pip and the virtualenv; a second lists what is
// installed (`pip list --format=freeze`). The install or uninstall runs only when it can change
// something: every requirement already satisfied (present) or none installed (absent) is a plan
// without steps; otherwise pip runs and, as in Ansible, changed is what pip says
// ('Successfully installed' / 'Successfully uninstalled'; with requirements or a VCS URL, the
// package list before and after). Check mode reports as Ansible does.
import type { ExecResult, ModuleContext, Plan, TaskModule, Vars } from '../src/types.js';
import { TaskError } from '../src/errors.js';
import { mark, sections, TAG } from '../src/probe.js';
import { q } from '../src/shell.js';
import { pythonOf } from '../src/facts/script.js';
import { boolSchema, str, toBool } from './lib/args.js';
import { splitWords } from './lib/cmdline.js';
import { canonicalName, isPresent, parseRequirement, recoverNames, type Requirement } from './lib/pyreq.js';

const STATE_ARGS: Record<string, string[]> = {
  present: ['install'],
  absent: ['uninstall', '-y'],
  latest: ['install', '-U'],
  forcereinstall: ['install', '-U', '--force-reinstall'],
};

const schema = {
  type: 'object',
  description:
    "Install, upgrade or remove Python packages with pip, as Ansible's pip module: names with version specifiers, a requirements file, a virtualenv created when missing. Changed as pip reports it; present packages that already satisfy their specifiers (and absent ones not installed) run nothing.",
  properties: {
    name: { anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }], description: 'Package names or URLs (a string is split at commas; version specifiers such as `<2` after a comma stay with their name).' },
    version: { type: 'string', description: 'Version of the single package in name (`1.0` means ==1.0; `>=1.0` is a specifier).' },
    requirements: { type: 'string', description: 'A requirements file on the host (relative to chdir).' },
    virtualenv: { type: 'string', description: 'The virtualenv to install into, created with virtualenv_command when it has no bin/activate.' },
    virtualenv_site_packages: boolSchema('Create the virtualenv with --system-site-packages.', false),
    virtualenv_command: { type: 'string', default: 'virtualenv', description: "Command that creates the virtualenv (e.g. `python3 -m venv`, `virtualenv`, `~/bin/virtualenv`); -p<python> is added unless it is pyvenv or `-m venv`." },
    virtualenv_python: { type: 'string', description: 'Python of the virtualenv (virtualenv -p); not with venv/pyvenv.' },
    state: { enum: Object.keys(STATE_ARGS), default: 'present', description: 'present, absent, latest (pip install -U) or forcereinstall.' },
    extra_args: { type: 'string', description: 'More pip arguments (e.g. --no-index --find-links DIR); the install always runs with them.' },
    editable: boolSchema('Pass -e (editable install).', false),
    chdir: { type: 'string', description: 'Directory pip runs in (default: the host temporary directory); a relative virtualenv is under it.' },
    executable: { type: 'string', description: 'The pip to run (path or a name looked up in PATH); not with virtualenv.' },
    umask: { type: ['string', 'integer'], description: 'umask (octal string) for the commands, e.g. "0022".' },
  },
  additionalProperties: false,
};

/** Ansible's get_bin_path: PATH, then the sbin directories not in it (sh function `lv_bin NAME`). */
const LV_BIN =
  'lv_bin() { lv_s=$IFS; IFS=:; for d in $PATH:/sbin:/usr/sbin:/usr/local/sbin; do if [ -n "$d" ] && [ -f "$d/$1" ] && [ -x "$d/$1" ]; then IFS=$lv_s; printf "%s\\n" "$d/$1"; return 0; fi; done; IFS=$lv_s; return 1; }';

/**
 * Run a command with its stdout, stderr and exit code in sections NAME_out, NAME_err, NAME_rc
 * (`lv_run NAME DIR CMD...`: CMD runs in DIR; never fails the script).
 */
const LV_RUN =
  'lv_run() { lv_n=$1; lv_d=$2; shift 2; lv_o=$(mktemp) && lv_e=$(mktemp) || exit 1; if (cd "$lv_d" && exec "$@") >"$lv_o" 2>"$lv_e"; then lv_r=0; else lv_r=$?; fi; ' +
  `printf '\\n${TAG}%s_out\\n' "$lv_n"; cat "$lv_o"; printf '\\n${TAG}%s_err\\n' "$lv_n"; cat "$lv_e"; printf '\\n${TAG}%s_rc\\n%s\\n' "$lv_n" "$lv_r"; rm -f "$lv_o" "$lv_e"; }`;

/** The locale Ansible lists packages under (get_best_parsable_locale). */
const C_LOCALE = ['env', 'LANG=C', 'LC_ALL=C', 'LC_MESSAGES=C'];

/** A path argument as a shell word, ~ expanded on the host (Ansible's type 'path'). */
function shPath(p: string): string {
  if (p === '~') return '"$HOME"';
  if (p.startsWith('~/')) return `"$HOME"${q(p.slice(1))}`;
  return q(p);
}
const expandHome = (p: string, home: string): string => (p === '~' ? home : p.startsWith('~/') ? home + p.slice(1) : p);

/** Ansible's interpreter discovery (auto): /usr/bin/python3, then its fallback list. */
const PY_FALLBACK = ['/usr/bin/python3', 'python3.11', 'python3.10', 'python3.9', 'python3.8', 'python3.7', 'python3.6', 'python3.5', '/usr/libexec/platform-python', 'python2.7', '/usr/bin/python', 'python'];

interface Found {
  home: string;
  tmp: string;
  env?: string;
  envExists: boolean;
  py?: string;
  pyHasPip: boolean;
  chdirOk: boolean;
  pip3?: string;
  exe?: string;
  envPip?: string;
  venv0?: string;
  venvHelpRc?: number;
  venvHelp?: string;
  paths: string;
}

function probeScript(o: { env?: string; chdir?: string; python?: string; exe?: string; venv0?: string; venvHelp: boolean }): string {
  const py = o.python ? [o.python] : PY_FALLBACK;
  const lines = [
    LV_BIN,
    mark('home'),
    'printf "%s\\n" "$HOME"',
    mark('tmp'),
    'printf "%s\\n" "${TMPDIR:-/tmp}"',
    mark('paths'),
    'lv_p=$PATH; for d in /sbin /usr/sbin /usr/local/sbin; do case ":$PATH:" in *":$d:"*) ;; *) lv_p=$lv_p:$d ;; esac; done; printf "%s\\n" "$lv_p"',
    // the python: the first of the candidates that exists (discovered once, printed, then asked for pip)
    `lv_py=$(for c in ${py.map(q).join(' ')}; do case $c in /*) [ -x "$c" ] && { printf "%s" "$c"; break; } ;; *) lv_bin "$c" && break ;; esac; done)`,
    mark('py'),
    'printf "%s\\n" "$lv_py"',
    mark('pyhaspip'),
    `[ -n "$lv_py" ] && "$lv_py" -c 'import sys
try:
    from importlib.util import find_spec
    sys.exit(0 if find_spec("pip") else 1)
except Exception:
    sys.exit(1)' 2>/dev/null && echo yes`,
    mark('pip3'),
    'lv_bin pip3',
  ];
  if (o.chdir !== undefined) lines.push(mark('chdir'), `[ -d ${shPath(o.chdir)} ] && echo yes`);
  if (o.exe !== undefined) lines.push(mark('exe'), `lv_bin ${q(o.exe)}`);
  if (o.env !== undefined) {
    lines.push(
      `lv_env=${o.env}`,
      mark('env'),
      'printf "%s\\n" "$lv_env"',
      mark('envexists'),
      '[ -e "$lv_env/bin/activate" ] && echo yes',
      mark('envpip'),
      'for c in pip3 pip; do if [ -e "$lv_env/bin/$c" ] && [ -x "$lv_env/bin/$c" ]; then printf "%s\\n" "$lv_env/bin/$c"; break; fi; done',
    );
  }
  if (o.venv0 !== undefined) {
    const c = o.venv0.includes('/') ? shPath(o.venv0) : `"$(lv_bin ${q(o.venv0)})"`;
    lines.push(mark('venv0'), o.venv0.includes('/') ? `printf "%s\\n" ${c}` : `lv_bin ${q(o.venv0)}`);
    if (o.venvHelp) lines.push(`lv_c=${c}; if [ -n "$lv_c" ]; then lv_h=$("$lv_c" --help 2>/dev/null); lv_r=$?; else lv_h=; lv_r=127; fi`, mark('venvhelp_rc'), 'echo "$lv_r"', mark('venvhelp'), 'printf "%s\\n" "$lv_h"');
  }
  return lines.join('\n');
}

function readProbe(s: Map<string, string>): Found {
  const get = (k: string): string | undefined => {
    const v = s.get(k)?.trim();
    return v ? v : undefined;
  };
  return {
    home: get('home') ?? '',
    tmp: get('tmp') ?? '/tmp',
    env: s.get('env'),
    envExists: get('envexists') === 'yes',
    py: get('py'),
    pyHasPip: get('pyhaspip') === 'yes',
    chdirOk: get('chdir') === 'yes',
    pip3: get('pip3'),
    exe: get('exe'),
    envPip: get('envpip'),
    venv0: get('venv0'),
    venvHelpRc: s.has('venvhelp_rc') ? Number(get('venvhelp_rc')) : undefined,
    venvHelp: s.get('venvhelp'),
    paths: get('paths') ?? '',
  };
}

/** Ansible's _fail message: stdout, then stderr. */
function failMsg(out: string, err: string): string {
  let m = out ? `stdout: ${out}` : '';
  if (err) m += `\n:stderr: ${err}`;
  return m;
}

const lines = (s: string): string[] => (s === '' ? [] : s.replace(/\n$/, '').split('\n'));

async function plan(ctx: ModuleContext): Promise<Plan> {
  const a = ctx.args;
  const state = str(a, 'state') ?? 'present';
  const nameArg = a.name;
  const names: string[] | undefined =
    nameArg === undefined || nameArg === null ? undefined : Array.isArray(nameArg) ? nameArg.map(String) : String(nameArg).split(',');
  const version = str(a, 'version');
  const requirements = str(a, 'requirements');
  const envArg = str(a, 'virtualenv');
  const chdirArg = str(a, 'chdir');
  // Ansible joins chdir and a relative virtualenv (os.path.join: an absolute or ~ one stays)
  const env =
    envArg === undefined ? undefined : envArg.startsWith('/') || envArg.startsWith('~') || chdirArg === undefined ? shPath(envArg) : `${shPath(chdirArg)}${q(`${chdirArg.endsWith('/') ? '' : '/'}${envArg}`)}`;
  const executable = str(a, 'executable');
  const extra0 = str(a, 'extra_args');
  if (names === undefined && requirements === undefined) throw new TaskError('one of the following is required: name, requirements');
  if (names !== undefined && requirements !== undefined) throw new TaskError('parameters are mutually exclusive: name|requirements');
  if (executable !== undefined && env !== undefined) throw new TaskError('parameters are mutually exclusive: executable|virtualenv');
  let umask: number | undefined;
  const umaskArg = str(a, 'umask');
  if (umaskArg !== undefined) {
    umask = /^[0-7]+$/.test(umaskArg) ? parseInt(umaskArg, 8) : NaN;
    if (Number.isNaN(umask)) return { steps: [], failed: 'umask must be an octal integer' };
  }
  if (state === 'latest' && version !== undefined) return { steps: [], failed: 'version is incompatible with state=latest' };

  const venvCmd = splitWords(str(a, 'virtualenv_command') ?? 'virtualenv');
  const siteP = toBool(a, 'virtualenv_site_packages', false);
  const venvPython = str(a, 'virtualenv_python');
  const python = pythonOf(ctx.vars);
  const found = readProbe(
    sections(
      (
        await ctx.probe(
          probeScript({
            env,
            chdir: chdirArg,
            python,
            exe: executable !== undefined && !executable.startsWith('/') ? executable : undefined,
            venv0: env !== undefined ? venvCmd[0] : undefined,
            venvHelp: env !== undefined && !siteP,
          }),
        )
      ).stdout,
    ),
  );
  const envPath = found.env;
  const chdir = chdirArg !== undefined ? expandHome(chdirArg, found.home) : found.tmp;
  if (chdirArg !== undefined && !found.chdirOk) return { steps: [], failed: `Unable to change directory before execution: [Errno 2] No such file or directory: '${chdir}'` };

  // Ansible's order of checks: the virtualenv (created first, check mode stops there), then pip.
  const createVenv = envPath !== undefined && !found.envExists;
  if (createVenv && ctx.check) return { steps: [{ describe: `create the virtualenv ${envPath}`, cmd: ':' }], changed: true, result: {} };
  const venvWords: string[] = [];
  if (createVenv) {
    const vc = str(a, 'virtualenv_command') ?? 'virtualenv';
    if (venvCmd[0] === undefined) return { steps: [], failed: 'virtualenv_command is empty' };
    const c0 = venvCmd[0].includes('/') ? expandHome(venvCmd[0], found.home) : found.venv0;
    if (c0 === undefined) return { steps: [], failed: `Failed to find required executable "${venvCmd[0]}" in paths: ${found.paths}` };
    venvWords.push(c0, ...venvCmd.slice(1));
    if (siteP) venvWords.push('--system-site-packages');
    else {
      if (found.venvHelpRc !== 0) return { steps: [], failed: `Could not get output from ${c0} --help: ${found.venvHelp ?? ''}` };
      if ((found.venvHelp ?? '').split(/\s+/).includes('--no-site-packages')) venvWords.push('--no-site-packages');
    }
    if (!['pyvenv', '-m venv'].some((x) => vc.includes(x))) {
      if (venvPython) venvWords.push(`-p${venvPython}`);
      else if (found.py) venvWords.push(`-p${found.py}`);
    } else if (venvPython) return { steps: [], failed: 'virtualenv_python should not be used when using the venv module or pyvenv as virtualenv_command' };
    venvWords.push(envPath!);
  }

  // the pip to run (Ansible's _get_pip); after a new virtualenv, its pip is found when it exists
  let pip: string[] | undefined;
  if (executable !== undefined) {
    if (executable.startsWith('/')) pip = [executable];
    else if (found.exe) pip = [found.exe];
    else return { steps: [], failed: `Unable to find any of ${executable} to use.  pip needs to be installed.` };
  } else if (envPath === undefined) {
    if (found.py && found.pyHasPip) pip = [found.py, '-m', 'pip.__main__'];
    else if (found.pip3) pip = [found.pip3];
    else return { steps: [], failed: 'Unable to find any of pip3 to use.  pip needs to be installed.' };
  } else if (!createVenv) {
    if (found.envPip) pip = [found.envPip];
    else return { steps: [], failed: `Unable to find pip in the virtualenv, ${envPath}, under any of these names: pip3, pip. Make sure pip is present in the virtualenv.` };
  }

  let extraArgs = extra0;
  if (toBool(a, 'editable', false)) {
    const words = extraArgs ? extraArgs.split(' ') : [];
    if (!words.includes('-e')) extraArgs = [...words, '-e'].join(' ');
  }
  let packages: Requirement[] | undefined;
  let hasVcs = false;
  if (names !== undefined && names.length > 0) {
    hasVcs = names.some((n) => /^(svn|git|hg|bzr)\+/.test(n));
    packages = recoverNames(names).map((n) => parseRequirement(n));
    if (version !== undefined) {
      if (packages.length > 1)
        return { steps: [], failed: "'version' argument is ambiguous when installing multiple package distributions. Please specify version restrictions next to each package in 'name' argument." };
      if (packages[0].specs.length > 0)
        return { steps: [], failed: "The 'version' argument conflicts with any version specifier provided along with a package name. Please keep the version specifier, but remove the 'version' argument." };
      packages[0] = parseRequirement(packages[0].text, version);
    }
  }
  const tail: string[] = [...(extraArgs ? splitWords(extraArgs) : [])];
  if (packages) tail.push(...packages.map((p) => p.text));
  else if (requirements !== undefined) tail.push('-r', requirements);
  else return { steps: [], changed: false, result: { warnings: ['No valid name or requirements file found.'] } };

  // what is installed (only from a pip that exists now)
  let freeze: { cmd: string; out: string; err: string; rc: number } | undefined;
  const needList = pip !== undefined && (ctx.check ? !(extraArgs || requirements !== undefined || state === 'latest' || !names) : true);
  if (needList && pip) {
    const listSh = [
      LV_RUN,
      `lv_run list ${q(chdir)} ${[...C_LOCALE, ...pip, 'list', '--format=freeze'].map(q).join(' ')}`,
      `lv_run freeze ${q(chdir)} ${[...pip, 'freeze'].map(q).join(' ')}`,
    ].join('\n');
    const s = sections((await ctx.probe(listSh)).stdout);
    const run = (n: string) => ({ out: s.get(`${n}_out`) ?? '', err: s.get(`${n}_err`) ?? '', rc: Number(s.get(`${n}_rc`) ?? 1) });
    const l = run('list');
    freeze = l.rc === 0 ? { cmd: [...pip, 'list', '--format=freeze'].join(' '), ...l } : { cmd: [...pip, 'freeze'].join(' '), ...run('freeze') };
  }

  if (ctx.check) {
    if (extraArgs || requirements !== undefined || state === 'latest' || !names) return { steps: [{ describe: `pip ${STATE_ARGS[state].join(' ')} ${tail.join(' ')}`, cmd: ':' }], changed: true, result: {} };
    if (!freeze || freeze.rc !== 0) return { steps: [], failed: failMsg(freeze?.out ?? '', freeze?.err ?? ''), result: { cmd: freeze?.cmd } };
    const pkgList = lines(freeze.out).filter((p) => p && !p.startsWith('You are using') && !p.startsWith('You should consider'));
    let changed = false;
    for (const p of packages ?? []) {
      const present = isPresent(p, pkgList);
      if ((state === 'present' && !present) || (state === 'absent' && present)) {
        changed = true;
        break;
      }
    }
    const stdout = freeze.out ? `${freeze.out}\n` : '';
    return {
      steps: changed ? [{ describe: `pip ${STATE_ARGS[state].join(' ')} ${tail.join(' ')}`, cmd: ':' }] : [],
      changed,
      result: { cmd: freeze.cmd, stdout, stdout_lines: lines(stdout), stderr: freeze.err, stderr_lines: lines(freeze.err) },
    };
  }

  const cmd = [...(pip ?? [`${envPath}/bin/pip3`]), ...STATE_ARGS[state], ...tail];
  const result: Vars = { cmd, name: names ?? null, version: version ?? null, state, requirements: requirements ?? null, virtualenv: envPath ?? null };
  // nothing to do: every plain requirement satisfied (present) or none of them installed (absent)
  if (freeze && freeze.rc === 0 && packages && !extraArgs && !hasVcs && packages.every((p) => p.plain && !p.extras.length && !p.url && !p.marker)) {
    const pkgList = lines(freeze.out);
    const installed = new Set(pkgList.filter((l) => l.includes('==')).map((l) => canonicalName(l.split('==')[0])));
    const nothing =
      (state === 'present' && packages.every((p) => isPresent(p, pkgList))) || (state === 'absent' && packages.every((p) => !installed.has(p.packageName)));
    if (nothing) return { steps: [], changed: false, result: { ...result, stdout: '', stdout_lines: [], stderr: '', stderr_lines: [] } };
  }

  const withFreeze = requirements !== undefined || hasVcs;
  const pipSh = pip ? pip.map(q).join(' ') : '"$lv_pip"';
  const listCmd = `${C_LOCALE.map(q).join(' ')} ${pipSh} list --format=freeze`;
  const script = [
    LV_RUN,
    umask !== undefined ? `umask ${umask.toString(8).padStart(4, '0')}` : '',
    createVenv ? `lv_run venv ${q(chdir)} ${venvWords.map(q).join(' ')}; [ "$lv_r" = 0 ] || exit 0` : '',
    createVenv && !pip
      ? `lv_pip=; for c in pip3 pip; do if [ -e ${q(envPath!)}/bin/$c ] && [ -x ${q(envPath!)}/bin/$c ]; then lv_pip=${q(envPath!)}/bin/$c; break; fi; done; ${mark('pip')}; printf '%s\\n' "$lv_pip"; [ -n "$lv_pip" ] || exit 0`
      : '',
    withFreeze ? `lv_run before ${q(chdir)} ${listCmd}; [ "$lv_r" = 0 ] || lv_run before ${q(chdir)} ${pipSh} freeze` : '',
    `lv_run install ${q(chdir)} ${envPath !== undefined ? `env "PATH="${q(`${envPath}/bin`)}":$PATH" ` : ''}${pipSh} ${[...STATE_ARGS[state], ...tail].map(q).join(' ')}`,
    withFreeze ? `lv_run after ${q(chdir)} ${listCmd}; [ "$lv_r" = 0 ] || lv_run after ${q(chdir)} ${pipSh} freeze` : '',
  ].filter(Boolean);
  return {
    steps: [{ describe: `${createVenv ? `create the virtualenv ${envPath}; ` : ''}pip ${[...STATE_ARGS[state], ...tail].join(' ')}`, cmd: script.join('\n') }],
    result,
    after(res: ExecResult): Vars {
      const s = sections(res.stdout);
      const part = (n: string) => ({ out: s.get(`${n}_out`) ?? '', err: s.get(`${n}_err`) ?? '', rc: s.has(`${n}_rc`) ? Number(s.get(`${n}_rc`)) : undefined });
      let out = '';
      let err = '';
      if (res.rc !== 0) throw new TaskError(`pip: the commands failed (rc ${res.rc}): ${(res.stderr || res.stdout).trim()}`, { changed: false });
      let cmdNow = cmd;
      if (createVenv) {
        const v = part('venv');
        out += v.out ? `${v.out}\n` : '';
        err += v.err ? `${v.err}\n` : '';
        if (v.rc !== 0) throw new TaskError(failMsg(out, err), { cmd: venvWords, changed: false });
        if (!pip) {
          const used = s.get('pip')?.trim();
          if (!used) throw new TaskError(`Unable to find pip in the virtualenv, ${envPath}, under any of these names: pip3, pip. Make sure pip is present in the virtualenv.`, { changed: false });
          cmdNow = [used, ...STATE_ARGS[state], ...tail];
        }
      }
      const inst = part('install');
      out += inst.out ? `${inst.out}\n` : '';
      err += inst.err ? `${inst.err}\n` : '';
      const notInstalled = `${inst.out}${inst.err}`.includes('not installed');
      if (inst.rc !== 0 && !(inst.rc === 1 && state === 'absent' && notInstalled)) throw new TaskError(failMsg(out, err), { cmd: cmdNow, changed: false });
      let changed: boolean;
      if (state === 'absent') changed = inst.out.includes('Successfully uninstalled');
      else if (withFreeze) changed = part('before').out !== part('after').out;
      else changed = inst.out.includes('Successfully installed');
      return { changed: changed || createVenv, cmd: cmdNow, stdout: out, stdout_lines: lines(out), stderr: err, stderr_lines: lines(err) };
    },
  };
}

export const pip: TaskModule = {
  name: 'pip',
  aliases: ['ansible.builtin.pip', 'ansible.legacy.pip'],
  schema,
  freeForm: 'kv',
  plan,
};
