// The playbook of cli-lab.test.ts: every module on the lab hosts (run twice: converges, then no change).

/** Tasks in PLAYBOOK (each runs on the target: one exec when unchanged, two when changed). */
export const REMOTE_TASKS = 13;

export const PLAYBOOK = `
- name: every module
  hosts: all
  gather_facts: true
  tasks:
    - name: "sysctl: arp_ignore"
      sysctl:
        name: net.ipv4.conf.all.arp_ignore
        value: 1
        sysctl_set: true
        sysctl_file: /etc/sysctl.d/60-lvs.conf

    - name: "ip_address: the VIP on lo"
      ip_address:
        address: 10.154.0.100/32
        interface: lo
        label: "lo:2"

    - name: "apt: keepalived"
      apt:
        name: keepalived
        update_cache: true
        cache_valid_time: 3600

    - name: "package: procps (already there)"
      package:
        name: procps
        state: present

    - name: "template: keepalived.conf, validated"
      template:
        src: keepalived.conf.j2
        dest: /etc/keepalived/keepalived.conf
        mode: "0640"
        validate: keepalived -t -f %s

    - name: "lineinfile: keepalived options"
      lineinfile:
        path: /etc/default/keepalived
        regexp: "^DAEMON_ARGS="
        line: 'DAEMON_ARGS="-D"'

    - name: "service: keepalived"
      service:
        name: keepalived
        state: started
        enabled: true

    - name: "file: web root"
      file:
        path: /srv/lvs/www
        state: directory
        mode: "0750"

    - name: "copy: the page"
      copy:
        content: "ok from {{ inventory_hostname }}\\n"
        dest: /srv/lvs/www/index.html
        owner: www-data
        mode: "0644"

    - name: "shell: busybox httpd on :8080"
      shell: "ss -Hltn 'sport = :8080' | grep -q . && echo running || { busybox httpd -p 8080 -h /srv/lvs/www </dev/null >/dev/null 2>&1; echo started; }"
      register: httpd
      changed_when: "'started' in httpd.stdout"

    - name: "wait_for: :8080"
      wait_for:
        port: 8080
        timeout: 10

    - name: "uri: the page through busybox httpd"
      uri:
        url: http://127.0.0.1:8080/index.html
        return_content: true
      register: page
      failed_when: "('ok from ' ~ inventory_hostname) not in page.content"

    - name: "command: arp_ignore is live"
      command: cat /proc/sys/net/ipv4/conf/all/arp_ignore
      register: ai
      changed_when: false
      failed_when: ai.stdout != '1'
`;

export const TEMPLATE = `global_defs {
  router_id {{ inventory_hostname }}
}
vrrp_instance VI_1 {
  state BACKUP
  interface eth0
  virtual_router_id 54
  priority 100
  advert_int 1
  virtual_ipaddress {
    10.154.0.200/24 dev eth0
  }
}
`;
