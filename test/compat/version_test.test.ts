// The `version` test (version_compare) as Ansible 2.14 has it: LooseVersion by default, strict=true
// (StrictVersion), version_type semver/semantic/strict/loose/pep440 (PEP 440 ordering: epochs,
// a/b/rc, post, dev, local labels), its operators and its error texts — run by lvsplay and by
// ansible-playbook 2.14, the same exit code, recap and values written.
import { assertBothSame, skipWithoutOracle } from './oracle.js';

const CASES: [string, string, string, string][] = [
  // value, other, operator, extra arguments
  ['1.0', '1.0', '==', ''],
  ['1.10', '1.9', '>', ''],
  ['1.0', '1.0.0', '<', ''],
  ['1.0-beta', '1.0-alpha', '>', ''],
  ['1.0RC1', '1.0RC2', 'lt', ''],
  ['2.14.0rc1', '2.14.0', 'lt', ", version_type='pep440'"],
  ['1.0.dev0', '1.0a1', 'lt', ", version_type='pep440'"],
  ['1.0a1', '1.0b1', 'lt', ", version_type='pep440'"],
  ['1.0rc1', '1.0', '<', ", version_type='pep440'"],
  ['1.0', '1.0.post1', '<', ", version_type='pep440'"],
  ['1.0.post1.dev0', '1.0.post1', '<', ", version_type='pep440'"],
  ['1.0+local.7', '1.0', '>', ", version_type='pep440'"],
  ['1.0+abc', '1.0+5', '<', ", version_type='pep440'"],
  ['1!0.1', '2.0', '>', ", version_type='pep440'"],
  ['1.0.0', '1', '==', ", version_type='pep440'"],
  ['v1.0-ALPHA_2', '1.0a2', 'eq', ", version_type='pep440'"],
  ['1.0c1', '1.0rc1', '==', ", version_type='pep440'"],
  ['1.0-1', '1.0.post1', '==', ", version_type='pep440'"],
  ['1.2.3', '2.0.0', 'lt', ", version_type='semver'"],
  ['1.0.0-alpha', '1.0.0-alpha.1', 'lt', ", version_type='semver'"],
  ['1.0.0-alpha.beta', '1.0.0-beta', 'lt', ", version_type='semantic'"],
  ['1.0.0-rc.1', '1.0.0', 'lt', ", version_type='semver'"],
  ['1.0.0-2', '1.0.0-10', 'lt', ", version_type='semver'"],
  ['1.0.0+build.1', '1.0.0+build.2', '==', ", version_type='semver'"],
  ['1.0', '1.0.0', '==', ', true'],
  ['1.0a1', '1.0', '<', ', strict=true'],
  ['1.0b2', '1.0a3', '>', ", version_type='strict'"],
  ['1.0.2', '1.0.10', 'le', ", version_type='loose'"],
];

const ERRORS: [string, string][] = [
  // the text the message contains, the expression
  ["Cannot specify both 'strict' and 'version_type'", "'1.0' is version('1.0', strict=False, version_type='loose')"],
  ["Invalid version type (boom). Must be one of 'loose', 'strict', 'semver', 'semantic', 'pep440'", "'1.0' is version('1.0', version_type='boom')"],
  ["Version comparison failed: invalid semantic version 'nope'", "'nope' is version('nopenope', version_type='semver')"],
  ['Input version value cannot be empty', "'' is version('1.0', '>')"],
  ['Version parameter to compare against cannot be empty', "'1.0' is version('', '>')"],
  ["Invalid operator type (bad). Must be one of '==', '='", "'1.0' is version('1.0', 'bad')"],
  ["Version comparison failed: invalid version number 'nope'", "'1.0' is version('nope', '==', true)"],
  ["Version comparison failed: '<' not supported between instances of 'int' and 'str'", "'1.0' is version('1.a', '<')"],
  ["Version comparison failed: Invalid version: 'x-y'", "'x-y' is version('1.0', '<', version_type='pep440')"],
];

describe('compat: the version test (differential, connection: local)', function () {
  this.timeout(240_000);
  before(function () {
    skipWithoutOracle(this);
  });

  it('loose, strict, semver and pep440 orderings; operator names; error texts', () => {
    const values = CASES.map(([a, b, op, extra]) => `          - "{{ '${a}' is version('${b}', '${op}'${extra}) }}"`).join('\n');
    const errs = ERRORS.map(
      ([, expr], i) => `    - debug: { msg: "{{ ${expr} }}" }
      register: e${i}
      ignore_errors: true
`,
    ).join('');
    const checks = ERRORS.map((_, i) => `          - "{{ [e${i} is failed, texts[${i}] in e${i}.msg] }}"`).join('\n');
    assertBothSame({
      'inventory.ini': 'h1 ansible_connection=local\n',
      'pb.yml': `- hosts: all
  gather_facts: false
  tasks:
    - copy:
        dest: "{{ out }}/values.json"
        content: "{{ r | to_json }}"
      vars:
        r:
${values}
${errs}    - copy:
        dest: "{{ out }}/errors.json"
        content: "{{ checks | to_json }}"
      vars:
        texts: ${JSON.stringify(ERRORS.map(([t]) => t))}
        checks:
${checks}
`,
    });
  });
});
