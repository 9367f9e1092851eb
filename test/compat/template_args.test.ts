// template's environment arguments (newline_sequence, trim_blocks, lstrip_blocks, the delimiters,
// output_encoding) and shell's stdin, compared with ansible-playbook 2.14: results, counts over
// two runs (the second unchanged), and the bytes written.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { assertSame, differential, skipWithoutAnsible } from './harness.js';

const TPL = '# {{ title }}\n{% for x in items %}\n    {% if x %}\nitem={{ x }}\n    {% endif %}\n{% endfor %}\nend café\n\n';

function templates(w: string): void {
  mkdirSync(join(w, 'templates'));
  writeFileSync(join(w, 'templates', 'a.j2'), TPL);
  writeFileSync(join(w, 'templates', 'crlf.j2'), 'one\r\ntwo {{ title }}\r\n');
  writeFileSync(join(w, 'templates', 'tags.j2'), '[% for x in items %]<< x >>,[% endfor %] {{ literal }} [# c #]\n');
  writeFileSync(join(w, 'templates', 'hdr.j2'), '#jinja2: trim_blocks: False\n{% if true %}\nkept\n{% endif %}\n');
}

describe('compat: template environment arguments, shell stdin (differential against ansible-playbook)', function () {
  this.timeout(180_000);
  before(function () {
    skipWithoutAnsible(this);
  });

  it('renders with newline_sequence, trim/lstrip_blocks, delimiters and output_encoding like Ansible', async () => {
    const d = await differential(
      `
- hosts: all
  gather_facts: false
  vars: {title: T, items: [1, 0, 2]}
  tasks:
    - {name: default, template: {src: "{{ work }}/templates/a.j2", dest: "{{ work }}/default.txt"}, register: r}
    - {name: crlf, template: {src: "{{ work }}/templates/a.j2", dest: "{{ work }}/crlf.txt", newline_sequence: "\\r\\n"}, register: r}
    - {name: cr, ansible.builtin.template: {src: "{{ work }}/templates/crlf.j2", dest: "{{ work }}/cr.txt", newline_sequence: "\\r"}, register: r}
    - {name: lf, template: {src: "{{ work }}/templates/crlf.j2", dest: "{{ work }}/lf.txt"}, register: r}
    - {name: notrim, template: {src: "{{ work }}/templates/a.j2", dest: "{{ work }}/notrim.txt", trim_blocks: false}, register: r}
    - {name: lstrip, template: {src: "{{ work }}/templates/a.j2", dest: "{{ work }}/lstrip.txt", lstrip_blocks: true}, register: r}
    - {name: tags, template: {src: "{{ work }}/templates/tags.j2", dest: "{{ work }}/tags.txt", block_start_string: "[%", block_end_string: "%]", variable_start_string: "<<", variable_end_string: ">>", comment_start_string: "[#", comment_end_string: "#]"}, register: r}
    - {name: latin1, template: {src: "{{ work }}/templates/a.j2", dest: "{{ work }}/latin1.txt", output_encoding: latin-1}, register: r}
    - {name: header, template: {src: "{{ work }}/templates/hdr.j2", dest: "{{ work }}/hdr.txt", trim_blocks: true}, register: r}
    - {name: shellstdin, shell: "tr a-z A-Z; echo done", args: {stdin: "piped text"}, register: r}
    - {name: shellnonl, shell: "od -c", args: {stdin: "x", stdin_add_newline: false}, register: r}
`,
      { setup: templates },
    );
    const f = ['changed', 'failed', 'msg', 'checksum', 'size', 'md5sum', 'mode', 'state'];
    const tasks = ['default', 'crlf', 'cr', 'lf', 'notrim', 'lstrip', 'tags', 'latin1', 'header'];
    assertSame(d, { ...Object.fromEntries(tasks.map((t) => [t, f])), shellstdin: ['changed', 'rc', 'stdout', 'stderr'], shellnonl: ['changed', 'rc', 'stdout'] });
  });
});
