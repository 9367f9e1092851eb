// gather_facts: one exec per host running the facts probe, then pure parsers. Keys are Ansible's
// without the `ansible_` prefix (src/vars factVars() exposes them as ansible_facts.X and ansible_X).
import type { BecomeSpec, Connection, ExecResult, Vars } from '../types.js';
import { TaskError } from '../errors.js';
import { factsScript, SECTION_PREFIX, splitSections, type ProbeOptions, type Sections } from './script.js';
import { distributionFacts } from './os.js';
import { networkFacts } from './network.js';
import { ansibleServiceMgr, dateFacts, hostnameFacts, ipvsFacts, parsePaths, pkgMgr, serviceMgr, unameFacts, userFacts } from './system.js';
import { cpuFacts, deviceLinkFacts, dmiFacts, lvmFacts, memoryFacts, mountFacts, uptimeFacts } from './hardware.js';
import { envFacts, lsbFacts, passwdFacts, pythonFacts, virtualFacts } from './host.js';
import { localFacts } from './local.js';
import { capsFacts, chrootFacts, loadavgFacts, storageIdFacts, cmdlineFacts, distributionFileFacts, dnsFacts, securityFacts, sshKeyFacts, userspaceFacts } from './min.js';
import { selectFacts } from './subset.js';
import { discoveryProbes } from './discover.js';

export { FACTS_SCRIPT } from './script.js';

export interface GatherOptions extends ProbeOptions {
  /** gather_subset (default ['all']) */
  subset?: string[];
  /** gather_timeout in seconds: the probe's time limit */
  timeout?: number;
}

/** Parse the probe's whole output into facts (pure: fixtures in test/fixtures/facts/). */
export function parseFacts(raw: string, factPath?: string, sec: Sections = splitSections(raw)): Vars {
  const uname = unameFacts(sec.uname);
  const dist = distributionFacts(sec, String(uname.system));
  const paths = parsePaths(sec.paths);
  const host = hostnameFacts(sec.hostname || String(uname.nodename), sec.hosts);
  const machineId = sec.machine_id.trim();
  const dmi = sec.dmi ? dmiFacts(sec.dmi) : {};
  return {
    ...dist,
    ...distributionFileFacts(String(dist.os_family), !!sec.os_release, !!sec.redhat_release),
    pkg_mgr: pkgMgr(String(dist.os_family), String(dist.distribution_major_version), String(dist.distribution), paths),
    service_mgr: ansibleServiceMgr(sec.proc1, paths),
    lvsplay_service_mgr: serviceMgr(sec.proc1, paths),
    ...uname,
    ...host,
    ...(machineId ? { machine_id: machineId } : {}),
    ...userFacts(sec.id),
    ...passwdFacts(sec.passwd, sec.id),
    ...envFacts(sec.env),
    ...pythonFacts(sec.python),
    ...cmdlineFacts(sec.cmdline),
    ...(sec.resolv ? dnsFacts(sec.resolv) : {}),
    ...(sec.security ? securityFacts(sec.security, paths.exists.has('/sys/kernel/security/apparmor')) : {}),
    ...sshKeyFacts(sec.ssh_keys),
    ...capsFacts(sec.caps),
    ...userspaceFacts(sec.bits, String(uname.machine)),
    ...loadavgFacts(sec.loadavg),
    ...chrootFacts(sec.chroot),
    ...(raw.includes(`${SECTION_PREFIX}storage_ids\n`) ? storageIdFacts(sec.storage_ids) : {}),
    ...lsbFacts(sec.lsb),
    ...cpuFacts(sec.cpuinfo, sec.nproc, String(uname.machine)),
    ...memoryFacts(sec.meminfo),
    ...(sec.mounts ? mountFacts(sec.mounts) : {}),
    ...uptimeFacts(sec.uptime),
    ...(raw.includes(`${SECTION_PREFIX}devlinks\n`) ? deviceLinkFacts(sec.devlinks) : {}),
    ...(raw.includes(`${SECTION_PREFIX}lvm\n`) ? lvmFacts(sec.lvm) : {}),
    ...dmi,
    ...(sec.virt || sec.paths ? virtualFacts(sec.virt, dmi, paths.exists) : {}),
    ...(raw.includes(`${SECTION_PREFIX}local\n`) ? localFacts(sec.local, factPath) : {}),
    ...networkFacts({ ...sec, addr6: sec.addr6 || undefined, route6: raw.includes(`${SECTION_PREFIX}route6`) ? sec.route6 : undefined }),
    ...ipvsFacts(sec.ipvs, paths),
    ...dateFacts(sec.date),
  };
}

/** Run the probe with `exec` (one round trip) and parse and select its facts. Throws TaskError when it cannot run or the subset is unknown. */
export async function collectFacts(exec: (script: string, timeoutMs?: number) => Promise<ExecResult>, host: string, o: GatherOptions = {}): Promise<Vars> {
  try {
    selectFacts({}, o.subset); // an unknown subset fails before the round trip
  } catch (e) {
    throw new TaskError((e as Error).message);
  }
  const res = await exec(factsScript(o), o.timeout ? o.timeout * 1000 : undefined);
  if (!res.stdout.includes(`${SECTION_PREFIX}end`)) {
    const why = (res.stderr || res.stdout).trim() || `exit code ${res.rc}`;
    throw new TaskError(`gathering facts failed on ${host}: ${why}`, { rc: res.rc, stderr: res.stderr });
  }
  const sec = splitSections(res.stdout);
  const facts = selectFacts(parseFacts(res.stdout, o.factPath, sec), o.subset);
  discoveryProbes.set(facts, { platform: String(unameFacts(sec.uname).system ?? '').toLowerCase(), found: sec.interpreters.split('\n').filter((l) => l.startsWith('/')), osRelease: sec.os_release });
  return facts;
}

/** Gather facts in ONE round trip (gather_facts). */
export async function gatherFacts(conn: Connection, become?: BecomeSpec, o: GatherOptions = {}): Promise<Vars> {
  return collectFacts((script, timeoutMs) => conn.exec(script, { become, timeoutMs }), conn.host, o);
}
