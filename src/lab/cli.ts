// `lvsplay lab up|down|status|ssh|inventory`: argv parsing and output; the work is in index.ts.
import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { UsageError } from '../errors.js';
import { closest } from '../suggest.js';
import { labDirFrom, paths } from './config.js';
import { labUp } from './up.js';
import { labDown } from './down.js';
import { labStatus, formatStatus } from './status.js';
import { labSsh } from './ssh.js';
import { LabError, netnsList, requireRoot } from './system.js';
import { ensureRootfs, ROOTFS_DIR } from './rootfs.js';
import { drillMain } from './drill.js';

export const LAB_USAGE = `usage: lvsplay lab <command> [options]
  up [--hosts N] [--subnet CIDR] [--name NAME]   start the lab (default: 4 hosts on 10.150.0.0/24)
  down [--name NAME]                             remove everything of the lab (also after a crash)
  status [--json]                                hosts, pids, addresses, sshd answering (exit 3 if not up)
  ssh NODE [-- CMD...]                           run CMD (or a shell) on NODE over its sshd
  inventory                                      print the path of the lab's inventory.ini
  rootfs [--rebuild]                             build the cached Debian rootfs now (up does it when missing)
  drill [--master H] [--backup H] [--json]       failover drill: stop keepalived on the MASTER, time the VIP
                                                 moving to the BACKUP and back (after site.yml; -i: other inventory)
common option: --lab-dir DIR (default: $LVSPLAY_LAB_DIR or /var/lib/lvsplay/labs/default)
default topology: node01 (director, MASTER), node02 node03 (real servers), node04 (director, BACKUP);
with --hosts N other than 4, every host is in real_servers.`;

const COMMANDS = ['up', 'down', 'status', 'ssh', 'inventory', 'rootfs', 'drill', 'help'];

/** `lab [--lab-dir DIR] drill ...`: the drill has its own options (src/lab/drill.ts); --lab-dir is the lab's. */
export function splitDrillArgs(argv: string[]): { dir?: string; rest: string[] } | undefined {
  let dir: string | undefined;
  const rest: string[] = [];
  let seen = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--lab-dir') {
      dir = argv[++i];
      if (dir === undefined) throw new UsageError('lab: --lab-dir needs a value');
    } else if (a.startsWith('--lab-dir=')) dir = a.slice('--lab-dir='.length);
    else if (!seen && !a.startsWith('-')) {
      if (a !== 'drill') return undefined;
      seen = true;
    } else if (!seen) return undefined; // an option before the command: not the drill's
    else rest.push(a);
  }
  return seen ? { dir, rest } : undefined;
}

interface Parsed {
  cmd?: string;
  dir?: string;
  hosts?: number;
  subnet?: string;
  name?: string;
  json: boolean;
  rebuild: boolean;
  rest: string[];
}

export function parseLabArgs(argv: string[]): Parsed {
  const p: Parsed = { json: false, rebuild: false, rest: [] };
  const val = (i: number, opt: string): string => {
    const v = argv[i + 1];
    if (v === undefined || v.startsWith('--')) throw new UsageError(`lab: ${opt} needs a value`);
    return v;
  };
  for (let i = 0; i < argv.length; i++) {
    let a = argv[i];
    if (a === '--') {
      p.rest.push(...argv.slice(i + 1));
      break;
    }
    const eq = a.startsWith('--') ? a.indexOf('=') : -1;
    if (eq > 0) {
      argv = [...argv.slice(0, i), a.slice(0, eq), a.slice(eq + 1), ...argv.slice(i + 1)];
      a = argv[i];
    }
    switch (a) {
      case '--lab-dir': p.dir = val(i++, a); break;
      case '--subnet': p.subnet = val(i++, a); break;
      case '--name': p.name = val(i++, a); break;
      case '--hosts': {
        const v = val(i++, a);
        if (!/^\d+$/.test(v)) throw new UsageError(`lab: --hosts expects a number, got '${v}'`);
        p.hosts = Number(v);
        break;
      }
      case '--json': p.json = true; break;
      case '--rebuild': p.rebuild = true; break;
      case '-h': case '--help': p.cmd = 'help'; break;
      default:
        if (a.startsWith('-')) throw new UsageError(`lab: unknown option '${a}'`);
        if (!p.cmd) {
          if (!COMMANDS.includes(a)) {
            const s = closest(a, COMMANDS);
            throw new UsageError(`lab: unknown command '${a}'${s ? `; did you mean '${s}'?` : ''}\n${LAB_USAGE}`);
          }
          p.cmd = a;
        } else p.rest.push(a);
    }
  }
  return p;
}

export async function labMain(argv: string[]): Promise<number> {
  try {
    const d = splitDrillArgs(argv);
    if (d) {
      const inv = paths(labDirFrom(d.dir)).inventory;
      const own = d.rest.some((x) => /^(-i|--inventory|-h$|--help$)/.test(x));
      if (!own && !existsSync(inv)) {
        console.error(`lvsplay lab drill: no inventory: no lab is up in ${labDirFrom(d.dir)} (run \`lvsplay lab up\`, then the playbook)`);
        return 1;
      }
      return await drillMain(d.rest, inv);
    }
    const a = parseLabArgs(argv);
    const dir = labDirFrom(a.dir);
    switch (a.cmd) {
      case undefined:
      case 'help':
        console.log(LAB_USAGE);
        return a.cmd ? 0 : 5;
      case 'up': {
        const r = await labUp({ dir, hosts: a.hosts, subnet: a.subnet, name: a.name });
        const c = r.cfg;
        if (r.already) console.log(`lab '${c.name}' is already up in ${dir} (${c.hosts.length} hosts on ${c.subnet}); nothing changed`);
        else {
          console.log(`lab '${c.name}' up in ${r.seconds.toFixed(2)} s: ${c.hosts.map((h) => `${h.name}=${h.addr}`).join(' ')}`);
          console.log(`VIP ${c.vip}; apt proxy ${c.controller}:3142; inventory ${paths(dir).inventory}`);
        }
        return 0;
      }
      case 'down': {
        const r = await labDown({ dir, name: a.name });
        if (!r.wasUp && !r.namespaces.length && !r.killed) console.log(`lab '${r.name}' in ${dir}: nothing to remove`);
        else console.log(`lab '${r.name}' down: ${r.killed} processes stopped, ${r.namespaces.length} namespaces removed`);
        return 0;
      }
      case 'status': {
        const s = await labStatus(dir);
        process.stdout.write(a.json ? JSON.stringify(s, null, 2) + '\n' : formatStatus(s));
        return s.state === 'up' ? 0 : 3;
      }
      case 'ssh': {
        const [node, ...cmd] = a.rest;
        if (!node) throw new UsageError('lab ssh: which host? usage: lvsplay lab ssh NODE [-- CMD...]');
        return await labSsh(dir, node, cmd);
      }
      case 'rootfs': {
        requireRoot();
        if (a.rebuild && (await netnsList()).some((n) => /^lvsplay-.*-sw$/.test(n)))
          throw new LabError('labs are running on the current rootfs: `lvsplay lab down` them before --rebuild');
        const r = await ensureRootfs(console.error, ROOTFS_DIR, a.rebuild);
        console.log(r.built ? `rootfs built in ${r.seconds.toFixed(1)} s: ${ROOTFS_DIR}` : `rootfs ready: ${ROOTFS_DIR}`);
        return 0;
      }
      case 'drill':
        throw new UsageError(`lab drill: only --lab-dir goes before 'drill'; the drill's options after it (lvsplay lab drill --help)`);
      case 'inventory': {
        const inv = paths(dir).inventory;
        if (!existsSync(inv)) {
          console.error(`lvsplay lab: no inventory: no lab is up in ${dir} (run \`lvsplay lab up\`)`);
          return 1;
        }
        console.log(inv);
        return 0;
      }
    }
    return 5;
  } catch (e) {
    if (e instanceof UsageError) {
      console.error(`lvsplay ${e.message}`);
      return 5;
    }
    if (e instanceof LabError) {
      console.error(`lvsplay lab: error: ${e.message}`);
      return 1;
    }
    console.error(`lvsplay lab: error: ${(e as Error).message ?? e}`);
    return 1;
  }
}

// Direct entry while src/cli.ts does not dispatch yet: `node dist/src/lab/cli.js up`.
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  labMain(process.argv.slice(2)).then((code) => process.exit(code));
}
