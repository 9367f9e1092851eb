// Test helper: the variables a director sees for the two fixture inventories (notes.ini with its
// group_vars, and the lab-shaped lab.ini), built by hand as Ansible builds them (INI host vars
// typed, [all:vars] strings), on top of the role defaults.
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import type { Vars } from '../../src/types.js';

export const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../..');

export function roleDefaults(role: string): Vars {
  return parse(readFileSync(path.join(ROOT, 'roles', role, 'defaults/main.yml'), 'utf8')) as Vars;
}

interface Topo {
  all: Vars;
  groups: Record<string, { vars: Vars; hosts: Record<string, Vars> }>;
}

export const NOTES: Topo = {
  all: { ansible_user: 'root', lvs_vip: '192.168.150.100', lvs_interface: 'eth0' },
  groups: {
    directors: {
      vars: { keepalived_router_id: 51, keepalived_auth_pass: 'lvs1111', lvs_sched: 'rr', lvs_method: 'DR', lvs_persistence_timeout: 50, lvs_health_check: 'HTTP_GET', lvs_clear_ipvs: true },
      hosts: { node01: { ansible_host: '192.168.150.11', keepalived_priority: 100 }, node04: { ansible_host: '192.168.150.14', keepalived_priority: 50 } },
    },
    real_servers: { vars: {}, hosts: { node02: { ansible_host: '192.168.150.2' }, node03: { ansible_host: '192.168.150.3' } } },
  },
};

export const LAB: Topo = {
  all: { ansible_user: 'root', lvs_vip: '10.155.0.100', lvs_interface: 'eth0', lvs_ipvs_available: 'false', lvs_vrrp_only: 'true' },
  groups: {
    directors: {
      vars: {},
      hosts: { node01: { ansible_host: '10.155.0.11', keepalived_priority: 150 }, node04: { ansible_host: '10.155.0.14', keepalived_priority: 100 } },
    },
    real_servers: { vars: {}, hosts: { node02: { ansible_host: '10.155.0.12' }, node03: { ansible_host: '10.155.0.13' } } },
  },
};

/** Variables of `host` in a play running `role`: role defaults < all < group < host, plus magic vars. */
export function hostVars(t: Topo, role: string, host: string): Vars {
  const hostvars: Record<string, Vars> = {};
  const groups: Record<string, string[]> = { all: [] };
  for (const [g, gd] of Object.entries(t.groups)) {
    groups[g] = Object.keys(gd.hosts);
    for (const [h, hv] of Object.entries(gd.hosts)) {
      groups.all.push(h);
      hostvars[h] = { ...t.all, ...gd.vars, ...hv, inventory_hostname: h };
    }
  }
  return { ...roleDefaults(role), ...hostvars[host], groups, hostvars, ansible_os_family: 'Debian' };
}
