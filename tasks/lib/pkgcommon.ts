// What the package modules share: the request, argument parsing, failure reporting.
import type { ExecResult, Vars } from '../../src/types.js';
import { TaskError } from '../../src/errors.js';
import { list, pick, str, toBool } from './args.js';

export interface PkgRequest {
  pkgs: { name: string; version?: string }[];
  state: 'present' | 'absent' | 'latest';
  updateCache: boolean;
  cacheValidTime?: number;
  installRecommends?: boolean;
  purge: boolean;
  /** apt only */
  apt: AptOpts;
}

export interface AptOpts {
  deb: string[];
  defaultRelease?: string;
  force: boolean;
  autoremove: boolean;
  autoclean: boolean;
  allowDowngrade: boolean;
  dpkgOptions: string[];
  onlyUpgrade: boolean;
}

export const DPKG_OPTIONS = 'force-confdef,force-confold';

function aptOpts(a: Vars): AptOpts {
  const deb = str(a, 'deb');
  return {
    deb: deb ? deb.split(',') : [],
    defaultRelease: str(a, 'default_release'),
    force: toBool(a, 'force', false),
    autoremove: toBool(a, 'autoremove', false),
    autoclean: toBool(a, 'autoclean', false),
    allowDowngrade: toBool(a, 'allow_downgrade', false) || toBool(a, 'allow_downgrades', false),
    dpkgOptions: (str(a, 'dpkg_options') ?? DPKG_OPTIONS).split(',').filter((o) => o !== ''),
    onlyUpgrade: toBool(a, 'only_upgrade', false),
  };
}

export function pkgRequest(a: Vars, sep: '=' | '-'): PkgRequest {
  const st = str(a, 'state') ?? 'present';
  const state = st === 'installed' ? 'present' : st === 'removed' ? 'absent' : (st as PkgRequest['state']);
  const pkgs = list(pick(a, 'name', 'pkg')).map((n) => {
    if (sep === '=' && n.includes('=')) {
      const [name, version] = n.split('=');
      return { name, version };
    }
    if (!/^[A-Za-z0-9@_.+:-]+$/.test(n)) throw new TaskError(`package name '${n}' is not supported (plain names only${sep === '=' ? ', or name=version' : ''})`);
    return { name: n };
  });
  const cvt = pick(a, 'cache_valid_time');
  const rec = pick(a, 'install_recommends');
  return {
    pkgs,
    state,
    updateCache: toBool(a, 'update_cache', false),
    cacheValidTime: cvt === undefined ? undefined : Number(cvt),
    installRecommends: rec === undefined ? undefined : toBool(a, 'install_recommends', true),
    purge: toBool(a, 'purge', false),
    apt: aptOpts(a),
  };
}

/** `after` hook: a failed package command fails the task with the end of its output; `alone`: the failed result is not changed (Ansible's apt fail_json). */
export function pkgAfter(tool: string, alone = false): (res: ExecResult) => Vars {
  return (res) => {
    if (res.rc !== 0) {
      const tail = `${res.stdout}\n${res.stderr}`.trim().split('\n').slice(-15).join('\n');
      throw new TaskError(`${tool} failed (exit ${res.rc}):\n${tail}`, { rc: res.rc, stdout: res.stdout, stderr: res.stderr }, { alone });
    }
    return {};
  };
}
