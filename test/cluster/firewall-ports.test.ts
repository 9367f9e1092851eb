// What the director role asks its host firewall to open (roles/lvs_director/tasks/main.yml, the
// lvs_firewall import): each virtual server's port, and the IPVS connection sync's UDP 8848 (to
// 224.0.0.81) when the sync is on — an active firewall would otherwise drop the sync silently.
// The role's own expression, rendered by lvsplay's templar (no host needed).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { Templar } from '../../src/vars/templar.js';
import { ROOT } from './clustervars.js';

interface Task {
  import_role?: { name: string };
  vars?: Record<string, unknown>;
}

describe('cluster: the ports the director role opens in an active host firewall', () => {
  const tasks = parse(readFileSync(join(ROOT, 'roles/lvs_director/tasks/main.yml'), 'utf8')) as Task[];
  const fw = tasks.find((t) => t.import_role?.name === 'lvs_firewall');
  const ports = (vars: Record<string, unknown>): string[] => {
    const text = new Templar().render(fw!.vars!.lvs_firewall_ports, { lvs_port: 80, lvs_protocol: 'TCP', ...vars });
    return String(text).split(/\s+/).filter(Boolean);
  };

  it('the director role imports lvs_firewall with a port list', () => {
    assert.ok(fw?.vars?.lvs_firewall_ports, 'lvs_firewall import with lvs_firewall_ports');
  });

  it('with the connection sync on: every virtual server port and 8848/udp', () => {
    assert.deepEqual(ports({ lvs_conn_sync_active: true, lvs_virtual_servers: [{ port: 80 }, { port: 443, protocol: 'tcp' }] }), ['80/tcp', '443/tcp', '8848/udp']);
  });

  it('without it (no IPVS, or lvs_conn_sync: false): only the virtual server ports', () => {
    assert.deepEqual(ports({ lvs_conn_sync_active: false }), ['80/tcp']);
    assert.deepEqual(ports({ lvs_conn_sync_active: 'False', lvs_virtual_servers: [{ port: 8080, protocol: 'UDP' }] }), ['8080/udp']);
  });
});
