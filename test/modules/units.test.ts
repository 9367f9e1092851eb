// Pure helpers of the modules: lineinfile's rules, modes, probe sections, ip output, curl config.
import assert from 'node:assert/strict';
import { editLines, type LineOpts } from '../../tasks/lineinfile.js';
import { symbolic, wantedMode } from '../../tasks/lib/mode.js';
import { sections } from '../../src/probe.js';
import { netmask, parseIpAddr } from '../../tasks/ip_address.js';
import { curlConfig, curlQuote } from '../../tasks/uri.js';
import { parseDpkg, parsePolicy } from '../../tasks/lib/apt.js';
import { parseCheckUpdate, parseRpm } from '../../tasks/lib/rpm.js';

const L = (o: Partial<LineOpts>): LineOpts => ({ state: 'present', firstmatch: false, backrefs: false, ...o });

describe('module helpers', () => {
  describe('lineinfile rules (as ansible.builtin.lineinfile)', () => {
    it('replaces the last regexp match', () => {
      assert.equal(editLines('a=1\nb=2\na=3\n', L({ regexp: '^a=', line: 'a=9' })), 'a=1\nb=2\na=9\n');
    });
    it('appends at EOF, adding the missing final newline first', () => {
      assert.equal(editLines('x', L({ line: 'y' })), 'x\ny\n');
    });
    it('an exact line already present is left alone', () => {
      assert.equal(editLines('x\ny\n', L({ line: 'x' })), 'x\ny\n');
    });
    it('insertafter a regexp (last match), insertbefore BOF', () => {
      assert.equal(editLines('[a]\nk=1\n[b]\n', L({ line: 'n=2', insertafter: '^\\[a\\]' })), '[a]\nn=2\nk=1\n[b]\n');
      assert.equal(editLines('k=1\n', L({ line: '#top', insertbefore: 'BOF' })), '#top\nk=1\n');
    });
    it('insertafter does not add the line twice', () => {
      const once = editLines('[a]\nk=1\n', L({ line: 'n=2', insertafter: '^\\[a\\]' }));
      assert.equal(editLines(once, L({ line: 'n=2', insertafter: '^\\[a\\]' })), once);
    });
    it('backrefs expand groups, and do nothing without a match', () => {
      assert.equal(editLines('port=80\n', L({ regexp: '^port=(\\d+)', line: 'port=\\1 # was \\1', backrefs: true })), 'port=80 # was 80\n');
      assert.equal(editLines('x\n', L({ regexp: '^port=(\\d+)', line: 'port=\\1', backrefs: true })), 'x\n');
    });
    it('absent removes every matching line', () => {
      assert.equal(editLines('a=1\nb\na=2\n', L({ state: 'absent', regexp: '^a=' })), 'b\n');
    });
  });

  describe('modes', () => {
    it('YAML 1.1 octal numbers, octal strings, symbolic', () => {
      assert.equal(wantedMode(0o644, undefined, false), '644');
      assert.equal(wantedMode('0750', undefined, true), '750');
      assert.equal(wantedMode('u=rw,g=r,o=', 0o777, false), '640');
      assert.equal(symbolic('a+X', 0o644, true), 0o755);
      assert.equal(symbolic('a+X', 0o644, false), 0o644);
      assert.throws(() => wantedMode('rwx', undefined, false), /neither octal/);
    });
  });

  describe('probe sections', () => {
    it('splits marker lines; content keeps everything, even without a final newline', () => {
      const s = sections('junk\n@@lvsplay:a\n1\n\n@@lvsplay:content\nx\n@@lvsplay:b\ny');
      assert.equal(s.get('a'), '1');
      assert.equal(s.get('content'), 'x\n@@lvsplay:b\ny');
    });
  });

  describe('ip_address parsing', () => {
    it('reads inet addresses with labels from ip -o addr', () => {
      const out = '1: lo    inet 127.0.0.1/8 scope host lo\\       valid_lft forever\n1: lo    inet 10.0.0.1/32 scope global lo:2\\       valid_lft forever\n1: lo    inet6 ::1/128 scope host \\       valid_lft forever';
      assert.deepEqual(parseIpAddr(out), [
        { addr: '127.0.0.1/8', ip: '127.0.0.1', label: 'lo' },
        { addr: '10.0.0.1/32', ip: '10.0.0.1', label: 'lo:2' },
        { addr: '::1/128', ip: '::1', label: undefined },
      ]);
      assert.equal(netmask(32), '255.255.255.255');
      assert.equal(netmask(24), '255.255.255.0');
      assert.equal(netmask(0), '0.0.0.0');
    });
  });

  describe('package probes', () => {
    it('dpkg-query, apt-cache policy, rpm -q and check-update output', () => {
      const d = parseDpkg('dpkg-query: no packages found matching x\nkeepalived install ok installed 1:2.2.7-1\nfoo deinstall ok config-files 1.0');
      assert.equal(d.get('keepalived')?.version, '1:2.2.7-1');
      assert.equal(d.get('foo')?.state, 'deinstall ok config-files');
      assert.equal(d.has('x'), false);
      assert.deepEqual(parsePolicy('k:\n  Installed: (none)\n  Candidate: 1.2\n').get('k'), { installed: undefined, candidate: '1.2' });
      assert.deepEqual([...parseRpm('package x is not installed\nkeepalived 2.2.8-3.el9')], [['keepalived', '2.2.8-3.el9']]);
      assert.deepEqual([...parseCheckUpdate('\nkeepalived.x86_64  2.2.8-4.el9  baseos\nrc=100')], ['keepalived']);
      assert.deepEqual([...parseCheckUpdate('rc=0')], []);
    });
  });

  describe('uri curl config (request through stdin, never the command line)', () => {
    it('quotes values for curl -K and carries the password only there', () => {
      assert.equal(curlQuote('a "b" \\ c\nd'), '"a \\"b\\" \\\\ c\\nd"');
      const c = curlConfig({ url: 'http://10.0.0.1/', method: 'POST', headers: { 'X-T': 'v' }, body: '{"a":1}', timeout: 5, user: 'u', password: 'p"w', insecure: false, follow: true });
      assert.match(c, /^url = "http:\/\/10\.0\.0\.1\/"$/m);
      assert.match(c, /^user = "u:p\\"w"$/m);
      assert.match(c, /^data-binary = "\{\\"a\\":1\}"$/m);
      assert.match(c, /^header = "X-T: v"$/m);
    });
  });
});
