// gather_facts: one exec per host running FACTS_SCRIPT, then pure parsers. Keys are Ansible's
// without the `ansible_` prefix (src/vars factVars() exposes them as ansible_facts.X and ansible_X).
import type { BecomeSpec, Connection, Vars } from '../types.js';
import { TaskError } from '../errors.js';
import { FACTS_SCRIPT, SECTION_PREFIX, splitSections } from './script.js';
import { distributionFacts } from './os.js';
import { networkFacts } from './network.js';
import { dateFacts, hostnameFacts, ipvsFacts, parsePaths, pkgMgr, serviceMgr, unameFacts, userFacts } from './system.js';

export { FACTS_SCRIPT } from './script.js';

/** Parse the probe's whole output into facts (pure: fixtures in test/fixtures/facts/). */
export function parseFacts(raw: string): Vars {
  const sec = splitSections(raw);
  const uname = unameFacts(sec.uname);
  const dist = distributionFacts(sec, String(uname.system));
  const paths = parsePaths(sec.paths);
  const host = hostnameFacts(sec.hostname || String(uname.nodename), sec.hosts);
  return {
    ...dist,
    pkg_mgr: pkgMgr(String(dist.os_family), String(dist.distribution_major_version), String(dist.distribution), paths),
    service_mgr: serviceMgr(sec.proc1, paths),
    ...uname,
    ...host,
    ...userFacts(sec.id),
    ...networkFacts(sec),
    ...ipvsFacts(sec.ipvs, paths),
    ...dateFacts(sec.date),
  };
}

/** Gather facts in ONE round trip. Throws TaskError when the probe cannot run. */
export async function gatherFacts(conn: Connection, become?: BecomeSpec): Promise<Vars> {
  const res = await conn.exec(FACTS_SCRIPT, { become });
  if (!res.stdout.includes(`${SECTION_PREFIX}end`)) {
    const why = (res.stderr || res.stdout).trim() || `exit code ${res.rc}`;
    throw new TaskError(`gathering facts failed on ${conn.host}: ${why}`, { rc: res.rc, stderr: res.stderr });
  }
  return parseFacts(res.stdout);
}
