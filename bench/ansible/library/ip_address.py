#!/usr/bin/python3
# Bench only: the Ansible side of lvsplay's own `ip_address` module (tasks/ip_address.ts), so
# ansible-playbook runs the very same roles/. Same work, same files: one `ip -o addr show`, the
# persistence kind chosen the same way (ifupdown / network-scripts / systemd), byte-identical
# persistence files, so a host converged by one tool is "unchanged" for the other.
# Differences: no diff output, no check of "managed files under another label" (the bench never
# changes labels).
import os
import re

from ansible.module_utils.basic import AnsibleModule

DOC = 'ip_address: address (CIDR) on interface, optional label, persisted like lvsplay'


def netmask(prefix):
    n = 0 if prefix == 0 else (0xFFFFFFFF << (32 - prefix)) & 0xFFFFFFFF
    return '.'.join(str((n >> s) & 255) for s in (24, 16, 8, 0))


def persist_for(kind, ip, prefix, v6, dev, label, addr):
    ident = re.sub(r'[^A-Za-z0-9_-]', '-', label or '%s-%s' % (dev, ip))
    head = '# Managed by lvsplay (ip_address): %s on %s%s\n' % (addr, dev, ' label %s' % label if label else '')
    if kind == 'ifupdown':
        name = label or dev
        if v6:
            body = 'iface %s inet6 static\n    address %s\n    netmask %d\n' % (name, ip, prefix)
        else:
            body = 'iface %s inet static\n    address %s\n    netmask %s\n' % (name, ip, netmask(prefix))
        return dict(path='/etc/network/interfaces.d/lvsplay-%s' % ident, content=head + ('auto %s\n' % label if label else '') + body)
    if kind == 'ifcfg':
        if not label or label == dev:
            return 'persisting with RHEL network-scripts needs a label (an alias file ifcfg-LABEL, e.g. label: lo:2)'
        if v6:
            return 'persisting an IPv6 address with RHEL network-scripts alias files is not supported'
        return dict(path='/etc/sysconfig/network-scripts/ifcfg-%s' % label,
                    content='%sDEVICE=%s\nNAME=%s\nIPADDR=%s\nNETMASK=%s\nONBOOT=yes\n' % (head, label, label, ip, netmask(prefix)))
    if kind == 'systemd':
        unit = 'lvsplay-ip-%s.service' % ident
        lab = ' label %s' % label if label and not v6 else ''
        return dict(path='/etc/systemd/system/%s' % unit, unit=unit,
                    content='%s[Unit]\nDescription=lvsplay address %s on %s\nAfter=network.target\n\n[Service]\nType=oneshot\n'
                            'RemainAfterExit=yes\nExecStart=/sbin/ip addr replace %s dev %s%s\nExecStop=-/sbin/ip addr del %s dev %s\n\n'
                            '[Install]\nWantedBy=multi-user.target\n' % (head, addr, dev, addr, dev, lab, addr, dev))
    return 'cannot persist the address on this host (no ifupdown, no network-scripts, no systemd): use persist: false'


def parse_ip_addr(out):
    res = []
    for line in out.split('\n'):
        m = re.search(r'\binet(6?)\s+(\S+)\s+(.*?)\\', line) or re.search(r'\binet(6?)\s+(\S+)\s*(.*)$', line)
        if not m:
            continue
        words = m.group(3).strip().split()
        res.append(dict(addr=m.group(2), ip=m.group(2).split('/')[0], label=None if m.group(1) else (words[-1] if words else None)))
    return res


def main():
    mod = AnsibleModule(argument_spec=dict(
        address=dict(type='str', required=True),
        interface=dict(type='str', aliases=['dev']),
        label=dict(type='str'),
        state=dict(type='str', default='present', choices=['present', 'absent']),
        persist=dict(type='bool', default=True),
    ), required_one_of=[['interface']])
    p = mod.params
    dev, given, label, state = p['interface'], p['address'], p['label'], p['state']
    v6 = ':' in given
    ip, _, pfx = given.partition('/')
    prefix = int(pfx) if pfx else (128 if v6 else 32)
    addr = '%s/%d' % (ip, prefix)
    rc, out, err = mod.run_command(['ip', '-o', 'addr', 'show', 'dev', dev])
    if rc != 0:
        mod.fail_json(msg='interface %s: %s' % (dev, (out + err).strip() or 'ip addr failed'))
    mine = next((x for x in parse_ip_addr(out) if x['ip'] == ip), None)
    cmds = []
    if state == 'present':
        if not (mine and mine['addr'] == addr and (label is None or mine['label'] == label)):
            if mine:
                cmds.append(['ip', 'addr', 'del', mine['addr'], 'dev', dev])
            cmds.append(['ip', 'addr', 'add', addr, 'dev', dev] + (['label', label] if label else []))
    elif mine:
        cmds.append(['ip', 'addr', 'del', mine['addr'], 'dev', dev])
    write = None
    if p['persist']:
        if os.path.isfile('/etc/network/interfaces'):
            kind = 'ifupdown'
        elif os.path.exists('/etc/sysconfig/network-scripts/ifup-eth'):
            kind = 'ifcfg'
        elif os.path.isdir('/run/systemd/system'):
            kind = 'systemd'
        elif os.path.isfile('/etc/debian_version'):
            kind = 'ifupdown'  # lvsplay: the file anyway, with a warning (containers, the namespace lab)
            mod.warn('ifupdown is not installed: the persisted address is used only once it is')
        elif os.path.isfile('/etc/redhat-release'):
            kind = 'ifcfg'
            mod.warn('network-scripts is not installed: the persisted address is used only once it is')
        else:
            kind = 'none'
        pf = persist_for(kind, ip, prefix, v6, dev, label, addr)
        if isinstance(pf, str):
            if state == 'present':
                mod.fail_json(msg='ip_address: ' + pf)
        elif state == 'present':
            try:
                with open(pf['path']) as f:
                    cur = f.read()
            except IOError:
                cur = None
            if cur is None or cur.rstrip('\n') != pf['content'].rstrip('\n'):
                write = pf
        elif os.path.exists(pf['path']):
            write = dict(pf, remove=True)
    changed = bool(cmds or write)
    if changed and not mod.check_mode:
        for c in cmds:
            mod.run_command(c, check_rc=True)
        if write and write.get('remove'):
            os.unlink(write['path'])
        elif write:
            os.makedirs(os.path.dirname(write['path']), exist_ok=True)
            tmp = write['path'] + '.tmp'
            with open(tmp, 'w') as f:
                f.write(write['content'])
            os.chmod(tmp, 0o644)
            os.rename(tmp, write['path'])
            if write.get('unit'):
                mod.run_command('systemctl daemon-reload && systemctl enable %s' % write['unit'], use_unsafe_shell=True, check_rc=True)
    mod.exit_json(changed=changed, address=addr, interface=dev, label=label, state=state)


if __name__ == '__main__':
    main()
