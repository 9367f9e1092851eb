// What the director role asks its host firewall to open (roles/lvs_director/tasks/main.yml, the
// lvs_firewall import; roles/lvs_firewall/tasks/main.yml): each virtual server's port, and the IPVS
// connection sync's UDP 8848 (to 224.0.0.81) where the sync is on — an active firewall would
// otherwise drop the sync silently. The sync port is decided per host (in the task's environment),
// not in the task's name: the name is shown before any host's variables are known, when the sync
// would look on even on a host without IPVS. The roles' own expressions, rendered by lvsplay's
// templar (no host needed).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { Templar } from '../../src/vars/templar.js';
import { ROOT } from './clustervars.js';

type Task = { name?: string; import_role?: { name: string }; vars?: Record<string, unknown>; environment?: Record<string, string> };
const load = (f: string): Task[] => parse(readFileSync(join(ROOT, f), 'utf8')) as Task[];

describe('cluster: the ports the director role opens in an active host firewall', () => {
  const imp = load('roles/lvs_director/tasks/main.yml').find((t) => t.import_role?.name === 'lvs_firewall');
  const fwTask = load('roles/lvs_firewall/tasks/main.yml')[0];
  const t = new Templar();
  /** LVS_FW_PORTS of the firewall task as the director role sets it up, for these variables. */
  const ports = (vars: Record<string, unknown>): string[] => {
    const v: Record<string, unknown> = { lvs_port: 80, lvs_protocol: 'TCP', ...vars };
    v.lvs_firewall_ports = t.render(imp!.vars!.lvs_firewall_ports, v);
    v.lvs_firewall_conn_sync = t.render(imp!.vars!.lvs_firewall_conn_sync, v);
    v.lvs_firewall_port_list = t.render(fwTask.vars!.lvs_firewall_port_list, v);
    return String(t.render(fwTask.environment!.LVS_FW_PORTS, v)).split(/\s+/).filter(Boolean);
  };

  it('the director role imports lvs_firewall with its ports and the sync switch', () => {
    assert.ok(imp?.vars?.lvs_firewall_ports && imp.vars.lvs_firewall_conn_sync !== undefined);
  });

  it('with the connection sync on: every virtual server port and 8848/udp', () => {
    assert.deepEqual(ports({ lvs_conn_sync_active: true, lvs_virtual_servers: [{ port: 80 }, { port: 443, protocol: 'tcp' }] }), ['80/tcp', '443/tcp', '8848/udp']);
  });

  it('without it (no IPVS, or lvs_conn_sync: false): only the virtual server ports', () => {
    assert.deepEqual(ports({ lvs_conn_sync_active: false }), ['80/tcp']);
    assert.deepEqual(ports({ lvs_conn_sync_active: 'False', lvs_virtual_servers: [{ port: 8080, protocol: 'UDP' }] }), ['8080/udp']);
  });

  it('the task name lists the service ports only (it is shown before host variables are known)', () => {
    assert.ok(fwTask.name && !fwTask.name.includes('conn_sync') && fwTask.name.includes('lvs_firewall_port_list'));
  });
});
