// Reads a playbook the way it would run, without touching a host: for every host of every play,
// the tasks that matter to an LVS cluster, their arguments rendered with the host's variables:
// keepalived.conf (template/copy), sysctls, the lo VIP, raw `echo > /proc/sys` / `ifconfig`
// commands, and fail/assert tasks that would stop the run.
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Pos } from '../errors.js';
import type { Inventory, Play, Playbook, Task, TaskNode, Vars } from '../types.js';
import { magicVars } from '../vars/magic.js';
import { buildTaskVars } from '../vars/precedence.js';
import { Templar } from '../vars/templar.js';
import type { SettingSource } from './cluster.js';
import type { Finding } from './finding.js';

export interface KeepalivedSource {
  host: string;
  file: string; // the template or file the config comes from
  text: string; // the config as it would be written (rendered, with line markers when templated)
  templated: boolean;
  task: Task;
}

export interface HostScan {
  sysctls: Map<string, SettingSource & { value: string }>;
  loVips: (SettingSource & { addr: string })[];
  keepalived?: KeepalivedSource;
  vars: Vars; // the host's variables as seen by its last play (lvs_interface, ...)
}

export interface ScanResult {
  hosts: Map<string, HostScan>;
  findings: Finding[];
}

const ECHO_PROC = /echo\s+["']?(-?\d+)["']?\s*>+\s*\/proc\/sys\/([\w/.-]+)/g;
const SYSCTL_W = /sysctl\s+(?:-\w+\s+)*-w\s+([\w.]+)\s*=\s*(\S+)/g;
const IFCONFIG_LO = /ifconfig\s+(lo(?::[\w]+)?)\s+(\d+\.\d+\.\d+\.\d+)/g;
const IP_ADDR_LO = /ip\s+(?:-\d\s+)?(?:a|addr|address)\s+add\s+(\d+\.\d+\.\d+\.\d+)(?:\/\d+)?[^\n;&|]*\bdev\s+lo\b/g;

/** Where a templated argument's value was set (the inventory line), when known. */
export type ArgOrigin = (host: string, raw: unknown) => Pos | undefined;

export function scanPlaybook(pb: Playbook, inv: Inventory, templar: Templar, instrument: (src: string) => string, argOrigin: ArgOrigin = () => undefined): ScanResult {
  const hosts = new Map<string, HostScan>();
  const findings: Finding[] = [];
  const hostScan = (h: string): HostScan => {
    let s = hosts.get(h);
    if (!s) hosts.set(h, (s = { sysctls: new Map(), loVips: [], vars: {} }));
    return s;
  };

  for (const play of pb.plays) {
    const targets = inv.select(play.hosts);
    for (const host of targets) {
      const scan = hostScan(host);
      const walk = (nodes: TaskNode[], blockVars: Vars[]): void => {
        for (const n of nodes) {
          if (n.kind === 'block') {
            walk([...n.block, ...n.always], [...blockVars, n.vars]);
            continue;
          }
          if (n.kind !== 'task') continue;
          const vars = taskVars(pb, play, n, host, targets, inv, blockVars);
          scan.vars = vars;
          if (!runs(templar, n, vars)) continue;
          for (const item of loopItems(templar, n, vars)) {
            const v = item === NO_LOOP ? vars : { ...vars, [n.loopVar]: item };
            let args: Vars;
            try {
              args = templar.render(n.args, v, n.pos) as Vars;
            } catch {
              continue; // depends on facts or registered results: not knowable statically
            }
            const at = (arg: string): Pos => argOrigin(host, n.args[arg]) ?? n.argsPos[arg] ?? n.pos;
            inspectTask(n, args, v, host, scan, findings, templar, instrument, pb, at);
          }
        }
      };
      walk([...play.preTasks, ...play.roleTasks, ...play.tasks, ...play.postTasks], []);
    }
  }
  return { hosts, findings };
}

const NO_LOOP = Symbol('no loop');

function loopItems(templar: Templar, t: Task, vars: Vars): unknown[] {
  if (t.loop === undefined) return [NO_LOOP];
  try {
    const l = templar.render(t.loop, vars, t.pos);
    return Array.isArray(l) ? l : [];
  } catch {
    return [];
  }
}

function runs(templar: Templar, t: Task, vars: Vars): boolean {
  try {
    return t.when.every((c) => templar.evalCondition(c, vars, t.pos));
  } catch {
    return true; // unknown until run time (facts): assume it runs
  }
}

function taskVars(pb: Playbook, play: Play, t: Task, host: string, targets: string[], inv: Inventory, blockVars: Vars[]): Vars {
  const role = t.role;
  return buildTaskVars({
    roleDefaults: role ? [role.defaults] : [],
    inventory: inv.hostVars(host),
    playVars: play.vars,
    playVarsFiles: play.varsFiles,
    roleVars: role ? [role.vars] : [],
    blockVars,
    taskVars: t.vars,
    roleParams: role ? [role.params] : [],
    magic: magicVars({
      host,
      inventory: inv,
      playHosts: targets,
      playbookDir: pb.dir,
      rolePath: role?.path,
      roleName: role?.name,
      hostvarsOf: (h) => inv.hostVars(h),
      check: true,
    }),
  });
}

function findSource(t: Task, kind: 'templates' | 'files', src: string, pb: Playbook): string | undefined {
  const cands = [
    ...(t.role ? [path.join(t.role.path, kind, src), path.join(t.role.path, src)] : []),
    path.resolve(path.dirname(t.file), kind, src),
    path.resolve(path.dirname(t.file), src),
    path.resolve(pb.dir, kind, src),
    path.resolve(pb.dir, src),
  ];
  return path.isAbsolute(src) ? src : cands.find((c) => existsSync(c));
}

/** Position of a match in a task's raw command: found in the task file's own lines when possible. */
function rawPos(t: Task, raw: string, index: number): Pos {
  const base = t.argsPos._raw_params ?? t.pos;
  const nl = raw.slice(0, index).split('\n').length - 1;
  const lineText = raw.split('\n')[nl];
  const snippet = raw.slice(index, index + Math.max(1, Math.min(lineText.length, raw.length - index))).split('\n')[0];
  let fileLines: string[] = [];
  try {
    fileLines = readFileSync(base.file, 'utf8').split('\n');
  } catch {
    // not readable: fall back to the argument's position
  }
  for (let l = base.line - 1; l < Math.min(fileLines.length, base.line + nl + 2); l++) {
    const c = fileLines[l].indexOf(snippet);
    if (c >= 0 && l >= base.line - 1 + nl) return { file: base.file, line: l + 1, col: c + 1 };
  }
  return { ...base };
}

function inspectTask(
  t: Task, args: Vars, vars: Vars, host: string, scan: HostScan, findings: Finding[],
  templar: Templar, instrument: (src: string) => string, pb: Playbook, at: (arg: string) => Pos,
): void {
  const dest = typeof args.dest === 'string' ? args.dest : typeof args.path === 'string' ? args.path : '';
  switch (t.action) {
    case 'template':
    case 'copy': {
      if (!/keepalived\.conf$/.test(dest)) return;
      if (typeof args.content === 'string') {
        scan.keepalived = { host, file: t.pos.file, text: args.content, templated: false, task: t };
        return;
      }
      const src = findSource(t, t.action === 'template' ? 'templates' : 'files', String(args.src ?? ''), pb);
      if (!src) return;
      const raw = readFileSync(src, 'utf8');
      if (t.action === 'copy') {
        scan.keepalived = { host, file: src, text: raw, templated: false, task: t };
        return;
      }
      try {
        const text = templar.renderString(instrument(raw), vars, src);
        scan.keepalived = { host, file: src, text, templated: true, task: t };
      } catch (e) {
        findings.push({ pos: t.pos, severity: 'error', rule: 'template', host, message: `cannot render ${src}: ${(e as Error).message}` });
      }
      return;
    }
    case 'sysctl': {
      if (args.state === 'absent' || typeof args.name !== 'string') return;
      scan.sysctls.set(args.name, { value: String(args.value), persistent: true, pos: at('value') });
      return;
    }
    case 'ip_address': {
      if (args.state === 'absent' || args.interface !== 'lo' || typeof args.address !== 'string') return;
      scan.loVips.push({ addr: args.address.replace(/\/\d+$/, ''), persistent: true, pos: at('address') });
      return;
    }
    case 'command':
    case 'shell': {
      const raw = String(args._raw_params ?? args.cmd ?? '');
      for (const m of raw.matchAll(ECHO_PROC)) {
        const name = m[2].replace(/\//g, '.');
        scan.sysctls.set(name, { value: m[1], persistent: false, pos: rawPos(t, raw, m.index ?? 0) });
      }
      for (const m of raw.matchAll(SYSCTL_W)) scan.sysctls.set(m[1], { value: m[2], persistent: false, pos: rawPos(t, raw, m.index ?? 0) });
      for (const m of raw.matchAll(IFCONFIG_LO)) scan.loVips.push({ addr: m[2], persistent: false, pos: rawPos(t, raw, m.index ?? 0) });
      for (const m of raw.matchAll(IP_ADDR_LO)) scan.loVips.push({ addr: m[1], persistent: false, pos: rawPos(t, raw, m.index ?? 0) });
      return;
    }
    case 'fail':
      findings.push({ pos: t.pos, severity: 'error', rule: 'would-fail', host, message: `the run would stop here: ${String(args.msg ?? 'fail')}`.replace(/\s+/g, ' ') });
      return;
    case 'assert': {
      const that = Array.isArray(args.that) ? args.that : [args.that];
      for (const c of that) {
        let ok = true;
        try {
          ok = templar.evalCondition(c as string, vars, t.pos);
        } catch {
          continue;
        }
        if (!ok)
          findings.push({ pos: t.pos, severity: 'error', rule: 'would-fail', host, message: `assertion '${String(c)}' fails: ${String(args.fail_msg ?? args.msg ?? '')}`.replace(/\s+/g, ' ').trim() });
      }
      return;
    }
  }
}
