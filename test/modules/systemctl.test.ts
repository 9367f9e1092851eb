// systemctl show parsing as Ansible's systemd module parses it (multi-line Exec* values kept whole).
import assert from 'node:assert/strict';
import { parseShow, requestIgnored } from '../../tasks/lib/systemctl.js';

describe('systemctl show parsing (as ansible.builtin.systemd)', () => {
  it('splits on the first =, trims values, joins a multi-line ExecStart={ ... } value', () => {
    const out = 'Id=x.service\nDescription= A = B \nExecStart={ path=/bin/x ; argv[]=/bin/x -a\n  -b ; ignore_errors=no }\nActiveState=active\nnot a property\n';
    assert.deepEqual(parseShow(out), {
      Id: 'x.service',
      Description: 'A = B',
      ExecStart: '{ path=/bin/x ; argv[]=/bin/x -a\n  -b ; ignore_errors=no }',
      ActiveState: 'active',
    });
  });
  it('a one-line ExecStart stays as it is; "ignoring request" answers are not states', () => {
    assert.deepEqual(parseShow('ExecStart={ path=/bin/x ; argv[]=/bin/x }'), { ExecStart: '{ path=/bin/x ; argv[]=/bin/x }' });
    assert.equal(requestIgnored('Running in chroot, ignoring request.'), true);
    assert.equal(requestIgnored('ActiveState=active'), false);
  });
});
