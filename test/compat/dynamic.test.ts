// add_host and group_by: the inventory changed during a run, run by lvsplay and by
// ansible-playbook 2.14 on the same files (several inventory hosts, all connection: local). Compared:
// exit code, recap per host (new hosts included), and files dumping the registered results,
// `groups`, `group_names` and `hostvars` in the plays that follow.
import assert from 'node:assert/strict';
import { assertBothSame, skipWithoutOracle } from './oracle.js';

const INV = 'h1 ansible_connection=local\nh2 ansible_connection=local\n[web]\nh2\n';


const dump = (name: string, expr: string): string => `    - copy: { dest: "{{ out }}/${name}", content: "{{ ${expr} | to_nice_json }}" }\n      check_mode: false\n`;
/** Both tools on pb (the inventory above): the same rc, recap and out/ files. */
const same = (pb: string, args: string[] = []) => assertBothSame({ 'inventory.ini': INV, 'pb.yml': pb }, args);
const SEEN = "hostvars[inventory_hostname] | dict2items | selectattr('key', 'in', ['foo', 'port_x', 'group', 'host', 'ansible_ssh_port']) | items2dict";

const ADD_HOST = `- hosts: all
  gather_facts: false
  tasks:
    - name: k=v form with a port and two groups
      add_host: name=new1:2222 groups=dyn,other foo=1 ansible_connection=local
      register: r1
    - name: mapping form, the group alias (kept as a variable too)
      add_host:
        hostname: new2
        group: gg
        groups: [dyn]
        ansible_connection: local
        port_x: 5
      register: r2
    - name: in a loop, once per item
      add_host:
        name: "loop{{ item }}"
        host: "loop{{ item }}"
        groupname: lg
        ansible_connection: local
      loop: [1, 2]
      register: r3
    - name: a known host, nothing new
      add_host: name=new2 groups=dyn
      register: r4
    - name: a known host, a new variable
      add_host: name=new1 foo=2
      register: r5
${dump('{{ inventory_hostname }}.json', "{'r1': r1 | default(none), 'r2': r2 | default(none), 'r3': r3 | default(none), 'r4': r4 | default(none), 'r5': r5 | default(none), 'groups': groups}")}
- hosts: dyn:lg
  gather_facts: false
  tasks:
${dump('p2-{{ inventory_hostname }}.json', `{'gn': group_names, 'hv': ${SEEN}, 'play': ansible_play_hosts}`)}`;

describe('compat: add_host and group_by (differential, several hosts, connection: local)', function () {
  this.timeout(240_000);
  before(function () {
    skipWithoutOracle(this);
  });

  it('add_host: name/hostname/host (host:port), groups/group/groupname, host variables, loops; first host only; later plays, groups, hostvars', () => {
    same(ADD_HOST);
  });

  it('add_host in check mode changes the inventory too (as Ansible)', () => {
    same(ADD_HOST, ['--check']);
  });

  it('add_host without a name fails on the first host and ends the play (a run-once failure is fatal, as in linear)', () => {
    same(`- hosts: all
  gather_facts: false
  tasks:
    - add_host: groups=x
    - copy: { dest: "{{ out }}/{{ inventory_hostname }}", content: after }
`);
  });

  it('group_by on the implicit localhost: it joins the group and keeps its local connection', () => {
    const { lvsplay } = same(`- hosts: localhost
  gather_facts: false
  tasks:
    - group_by: key=ctl
- hosts: ctl
  gather_facts: false
  tasks:
${dump('ctl-{{ inventory_hostname }}', "{'gn': group_names, 'ctl': groups.ctl}")}`);
    assert.deepEqual(Object.keys(lvsplay.files), ['ctl-localhost']);
  });

  // (each group's members sorted: ansible-playbook adds the hosts of a group_by in the order its
  // workers' results arrive, which changes with load — seen in CI as [h2, h1] where a quiet run gives [h1, h2])
  it('group_by: key templated per host, spaces to dashes, parents (new and known); changed when the host joins; later plays and groups', () => {
    same(`- hosts: all
  gather_facts: false
  vars: { kind: "{{ 'front' if inventory_hostname == 'h2' else 'back' }}" }
  tasks:
    - name: by key
      group_by: key="kind_{{ kind }}"
      register: g1
    - name: with parents
      group_by:
        key: "common group"
        parents: [pp, web]
      register: g2
    - name: again, nothing new
      group_by: key="kind_{{ kind }}"
      register: g3
    - name: in a loop
      group_by: key=item_{{ item }} parents=pp
      loop: [a, b]
      register: g4
${dump('{{ inventory_hostname }}.json', "{'g1': g1, 'g2': g2, 'g3': g3, 'g4': g4, 'groups': dict(groups | dictsort | map('first') | zip(groups | dictsort | map('last') | map('sort'))), 'gn': group_names}")}
- hosts: kind_front
  gather_facts: false
  tasks:
${dump('front-{{ inventory_hostname }}', 'group_names')}
- hosts: pp:&kind_back
  gather_facts: false
  tasks:
${dump('back-{{ inventory_hostname }}', "{'gn': group_names, 'pp': groups.pp | sort, 'play': ansible_play_hosts}")}`);
  });
});
