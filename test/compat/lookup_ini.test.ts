// The `ini` lookup (with_ini, INI and Java properties files, inline options, regexps, DEFAULT and
// %(name)s interpolation, encodings, errors) and lookup('vars') of the connection variables Ansible
// adds to every task (ansible_host): lvsplay and ansible-playbook 2.14 on the same tree, the same
// exit code, recap and files written.
import { assertBothSame, skipWithoutOracle } from './oracle.js';

const APP_INI = `; top comment
[DEFAULT]
base = /srv

[global]
Name = demo
path = %(base)s/app
pct = 100%%
multi = first
  second

  third
empty =
colon: yes

[web]
port1 = 80
port2 = 443
other = x
`;

const PB = `- hosts: all
  gather_facts: false
  tasks:
    - copy:
        dest: "{{ out }}/vals.json"
        content: "{{ r | to_json }}"
      vars:
        r:
          - "{{ lookup('ini', 'name', file='app.ini') }}"
          - "{{ lookup('ini', 'NAME', file='app.ini', section='global') }}"
          - "{{ lookup('ini', 'path section=global file=app.ini') }}"
          - "{{ lookup('ini', 'pct', file='app.ini') }}"
          - "{{ lookup('ini', 'multi', file='app.ini') }}"
          - "{{ lookup('ini', 'empty', file='app.ini') }}"
          - "{{ lookup('ini', 'colon', file='app.ini') }}"
          - "{{ lookup('ini', 'base', file='app.ini', section='web') }}"
          - "{{ lookup('ini', 'nope', file='app.ini', default='dflt') }}"
          - "{{ lookup('ini', 'port[0-9]', file='app.ini', section='web', re=True) }}"
          - "{{ query('ini', 'port.*', file='app.ini', section='web', re=True) }}"
          - "{{ lookup('ini', 'port1 section=web file=app.ini', 'other') }}"
          - "{{ lookup('ini', 'b', type='properties', file='app.properties') }}"
          - "{{ lookup('ini', 'sp.key type=properties file=app.properties') }}"
          - "{{ lookup('ini', 'k', file='dup.ini', section='s', case_sensitive=True) | default('x') if false else 'skip' }}"
          - "{{ lookup('ini', 'k', file='nv.ini', section='m', allow_no_value=True) }}"
          - "{{ query('ini', 'flag', file='nv.ini', section='m', allow_none=True) }}"
          - "{{ lookup('ini', 'w', file='latin.ini', section='g', encoding='latin-1') }}"
          - "{{ lookup('ini', 'DEFAULT', file='app.ini', section='global', default='') }}"
    - copy:
        dest: "{{ out }}/loop.json"
        content: "{{ item }}"
      with_ini: port[12] section=web file=app.ini re=true
    - debug: {msg: "{{ lookup('ini', 'k', file='dup.ini', section='s') }}"}
      register: dup
      ignore_errors: true
    - debug: {msg: "{{ lookup('ini', 'k', file='app.ini', section='missing') }}"}
      register: miss
      ignore_errors: true
    - debug: {msg: "{{ lookup('ini', 'file=app.ini', 'k') }}"}
      register: nokey
      ignore_errors: true
    - debug: {msg: "{{ lookup('ini', 'bogus=1') }}"}
      register: bad
      ignore_errors: true
    - debug: {msg: "{{ lookup('ini', 'k', file='nv.ini', section='m') }}"}
      register: parse
      ignore_errors: true
    - copy:
        dest: "{{ out }}/errs.json"
        content: "{{ [dup is failed, 'Duplicate option in' in dup.msg, miss is failed, 'No section' in miss.msg, nokey is failed, 'No key to lookup was provided' in nokey.msg, 'bogus is not a valid option' in bad.msg, parse is failed] | to_json }}"
`;

describe('compat: ini and vars lookups (differential, connection: local)', function () {
  this.timeout(240_000);
  before(function () {
    skipWithoutOracle(this);
  });

  it('ini: keywords and inline options, properties, re, default, DEFAULT section, interpolation, continuation lines, encodings, with_ini, error messages', () => {
    assertBothSame({
      'inventory.ini': 'h1 ansible_connection=local\n',
      'files/app.ini': APP_INI,
      'files/app.properties': 'a=1\nB : two\nsp.key = three words\n',
      'dup.ini': '[s]\nk = v\nk = w\n',
      'nv.ini': '[m]\nflag\nk = v\n',
      'latin.ini': '[g]\nw=\u00e9t\u00e9\n', // written as UTF-8 and read as latin-1: both tools decode the same bytes
      'pb.yml': PB,
    });
  });

  it("vars: ansible_host and ansible_ssh_host default to the host's name in a task (not in `vars` or hostvars); a non-string name is refused", () => {
    assertBothSame({
      'inventory.ini': 'h1 ansible_connection=local\nh2 ansible_connection=local ansible_host=127.0.0.2\n',
      'pb.yml': `- hosts: all
  gather_facts: false
  tasks:
    - copy:
        dest: "{{ out }}/{{ inventory_hostname }}.json"
        content: "{{ r | to_json }}"
      vars:
        r:
          - "{{ ansible_host }}"
          - "{{ ansible_ssh_host }}"
          - "{{ lookup('vars', 'ansible_host') }}"
          - "{{ query('vars', 'ansible_host', 'ansible_connection') }}"
          - "{{ lookup('vars', 'ansible_port', default='none') }}"
          - "{{ hostvars[inventory_hostname].ansible_host | default('undefined') }}"
    - debug: { msg: "{{ lookup('vars', 42) }}" }
      register: r42
      ignore_errors: true
    - copy:
        dest: "{{ out }}/{{ inventory_hostname }}.err"
        content: "{{ 'Invalid setting identifier, \\"42\\" is not a string' in r42.msg }}"
`,
    });
  });
});
