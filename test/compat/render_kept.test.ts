// Renders kept between runs (issue 17: speed; src/jinja/kept.ts): a pure render's result is kept on
// disk for the next run with the same string and values, and a lazy mapping (hostvars) goes to the
// engine with what the template may read of it. None of that may change what a run does: each run
// below is compared with ansible-playbook 2.14 on the same files (exit code, recap, files left),
// runs share one cache directory, and values change between runs.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assertBothSame, runBoth, skipWithoutOracle } from './oracle.js';

/** lvsplay's count of requests to the template engine in a run (its LVSPLAY_TIMING mark). */
const requests = (output: string): number => Number(/template engine: (\d+) requests/.exec(output)?.[1] ?? NaN);

/** `others`: the base of d2's and r1's values (d1's own stay at `base`). */
const INVENTORY = (base: number, others = base) =>
  ['d1', 'd2', 'r1'].map((h, i) => `${h} ansible_connection=local ansible_python_interpreter=/usr/bin/python3 prio=${(i ? others : base) + i * 10} dip=10.9.${i ? others : base}.${i + 1}`).join('\n') +
  '\n[directors]\nd1\nd2\n[real]\nr1\n';

const PLAYBOOK = `
- hosts: all
  gather_facts: false
  vars:
    label: "{{ inventory_hostname ~ '-' ~ (prio | int // 10) }}"
    key_name: dip
  tasks:
    - name: peers read through hostvars, in a template file
      template: {src: peers.j2, dest: "{{ out }}/peers-{{ inventory_hostname }}.txt"}
      when: inventory_hostname in groups['directors']
    - name: expressions, set filters and a key read by a name held in a variable
      copy:
        dest: "{{ out }}/x-{{ inventory_hostname }}.txt"
        content: |
          {{ label }} {{ groups['all'] | difference(groups['real']) | join(',') }}
          {{ (groups['directors'] | intersect([inventory_hostname])) | length }} {{ hostvars[groups['real'][0]][key_name] }}
          {{ hostvars['d1'].prio | int + hostvars['d2'].prio | int }}
      when: (prio | int) > 0
`;

const PEERS = `{% for h in groups['directors'] if h != inventory_hostname %}
peer {{ h }} {{ hostvars[h].dip }} {{ 'higher' if (hostvars[h].prio | int) > (prio | int) else 'lower' }}
{% endfor %}
`;

/** A play whose hosts each register the text `{{ a }}` (host data with markup) and set it as fact `z`; tasks follow. */
const HOST_TEXT = `
- hosts: all
  gather_facts: false
  vars: {a: from-a, A: EVALUATED}
  tasks:
    - command: echo '{{ "{{" }} a {{ "}}" }}'
      register: r
      changed_when: false
    - set_fact: {z: "{{ r.stdout }}"}
`;

describe('compat: renders kept between runs, as ansible-playbook 2.14 on every run', function () {
  this.timeout(300_000);
  let cache: string;
  before(function () {
    skipWithoutOracle(this);
    cache = mkdtempSync(join(tmpdir(), 'lvsplay-kept-'));
  });
  after(() => cache && rmSync(cache, { recursive: true, force: true }));

  it('a second run renders from what the first kept, with the same results; changed values render anew', () => {
    const env = { LVSPLAY_CACHE_DIR: cache, LVSPLAY_TIMING: '1' };
    const files = (base: number, others = base) => ({ 'inventory.ini': INVENTORY(base, others), 'pb.yml': PLAYBOOK, 'templates/peers.j2': PEERS });
    const first = assertBothSame(files(100), [], env).lvsplay;
    assert.equal(first.rc, 0, first.output);
    assert.match(first.files['peers-d1.txt'], /peer d2 10\.9\.100\.2 higher/);
    const second = assertBothSame(files(100), [], env).lvsplay;
    assert.deepEqual(second.files, first.files);
    // the renders of the first run were kept: the second asks the engine far less
    assert.ok(requests(second.output) < requests(first.output) / 2, `requests: first run ${requests(first.output)}, second ${requests(second.output)}`);
    // only the other hosts' values changed: what d1 reads of them through hostvars is rendered anew
    const third = assertBothSame(files(100, 50), [], env).lvsplay;
    assert.match(third.files['peers-d1.txt'], /peer d2 10\.9\.50\.2 lower/);
    assert.match(third.files['x-d1.txt'], /^d1-10 d1,d2\n1 10\.9\.50\.3\n160\n$/);
    // every value changed
    const fourth = assertBothSame(files(200), [], env).lvsplay;
    assert.match(fourth.files['peers-d1.txt'], /peer d2 10\.9\.200\.2 higher/);
    assert.match(fourth.files['x-d1.txt'], /^d1-20 d1,d2\n1 10\.9\.200\.3\n410\n$/);
    // the cache: a private directory, files only this user may read
    const dir = join(cache, 'renders');
    assert.equal(statSync(dir).mode & 0o777, 0o700);
    for (const f of readdirSync(dir)) assert.equal(statSync(join(dir, f)).mode & 0o777, 0o600, f);
  });

  it('what is not a function of a string and its values renders at every run: the time, randomness, lookups, included files', () => {
    const env = { LVSPLAY_CACHE_DIR: cache };
    const pb = `
- hosts: all
  gather_facts: false
  tasks:
    - copy:
        dest: "{{ out }}/moment-{{ inventory_hostname }}.txt"
        content: "{{ now().microsecond }} {{ 1000000000000 | random }} {{ lookup('pipe', 'date +%N') }}\\n"
      changed_when: false
    - template: {src: outer.j2, dest: "{{ out }}/outer-{{ inventory_hostname }}.txt"}
`;
    const files = (inner: string) => ({ 'inventory.ini': 'h1 ansible_connection=local ansible_python_interpreter=/usr/bin/python3\n', 'pb.yml': pb, 'templates/outer.j2': 'outer {% include "inner.j2" %}\n{{ inventory_hostname }}\n', 'templates/inner.j2': inner });
    const runs = [files('one'), files('one'), files('two')].map((f) => runBoth(f, [], env));
    for (const { lvsplay, ansible } of runs) {
      assert.equal(lvsplay.rc, 0, lvsplay.output);
      assert.equal(lvsplay.files['outer-h1.txt'], ansible.files['outer-h1.txt']);
    }
    assert.equal(runs[2].lvsplay.files['outer-h1.txt'], 'outer twoh1\n'); // the included file changed: not the kept text
    const moments = runs.map((r) => r.lvsplay.files['moment-h1.txt']);
    assert.equal(new Set(moments).size, 3, moments.join(''));
  });

  it('host data stays host data when its render comes from an earlier run', () => {
    const env = { LVSPLAY_CACHE_DIR: cache };
    // the host's text '{{ a }}' upper-cased is new text, host data only by the render's taint
    const pb = `${HOST_TEXT}    - set_fact: {w: "{{ z | upper }}"}
    - copy: {dest: "{{ out }}/w-{{ inventory_hostname }}.txt", content: "{{ w }} {{ w | length }}\\n"}
`;
    const files = { 'inventory.ini': 'h1 ansible_connection=local ansible_python_interpreter=/usr/bin/python3\n', 'pb.yml': pb };
    for (let i = 0; i < 2; i++) {
      const { lvsplay } = assertBothSame(files, [], env);
      assert.equal(lvsplay.files['w-h1.txt'], '{{ A }} 7\n');
    }
  });

  it("another host's data read through hostvars stays host data, rendered anew or from an earlier run", () => {
    const env = { LVSPLAY_CACHE_DIR: cache };
    // each host registers text with markup; every host reads the others' through hostvars
    const pb = `${HOST_TEXT}    - set_fact:
        w: "{% for h in groups['all'] | sort if h != inventory_hostname %}{{ hostvars[h].z | upper }};{% endfor %}"
    - copy: {dest: "{{ out }}/hv-{{ inventory_hostname }}.txt", content: "{{ w }}\\n"}
`;
    const files = { 'inventory.ini': ['h1', 'h2', 'h3'].map((h) => `${h} ansible_connection=local ansible_python_interpreter=/usr/bin/python3`).join('\n') + '\n', 'pb.yml': pb };
    for (let i = 0; i < 2; i++) {
      const { lvsplay } = assertBothSame(files, [], env);
      assert.equal(lvsplay.files['hv-h1.txt'], '{{ A }};{{ A }};\n');
    }
  });

  it('hostvars of more hosts than are sent whole: the keys the template names come with it, the others are asked for', () => {
    const env = { LVSPLAY_CACHE_DIR: cache };
    const inv = Array.from({ length: 66 }, (_, i) => `h${String(i).padStart(2, '0')} ansible_connection=local ansible_python_interpreter=/usr/bin/python3 ip=10.7.0.${i}`).join('\n') + '\n';
    const pb = `
- hosts: all
  gather_facts: false
  tasks:
    - copy:
        dest: "{{ out }}/m-{{ inventory_hostname }}.txt"
        content: "{{ hostvars['h01'].ip }} {% for h in groups['all'][-3:] %}{{ hostvars[h].ip }},{% endfor %} {{ hostvars[inventory_hostname]['ip'] }}\\n"
      when: inventory_hostname is match('h0[0-4]$')
`;
    for (let i = 0; i < 2; i++) {
      const { lvsplay } = assertBothSame({ 'inventory.ini': inv, 'pb.yml': pb }, ['-f', '20'], env);
      assert.equal(lvsplay.files['m-h03.txt'], '10.7.0.1 10.7.0.63,10.7.0.64,10.7.0.65, 10.7.0.3\n');
    }
  });

  it('no render that reads a secret is kept: a vault value, a variable named like a password', () => {
    const vaultPass = join(cache, 'vault-pass');
    writeFileSync(vaultPass, 'kept-test-pass\n');
    const enc = runVault(['encrypt_string', '--vault-password-file', vaultPass, '--name', 'api_key_value', 's3cr3t-value']);
    const pb = `
- hosts: all
  gather_facts: false
  vars_files: [secrets.yml]
  vars:
    db_password: hunter2-long
    db_name: inventory-db
  tasks:
    - copy:
        dest: "{{ out }}/s-{{ inventory_hostname }}.txt"
        content: "{{ api_key_value | upper }} {{ db_password | upper }} {{ db_name | upper }}\\n"
      no_log: true
`;
    const files = { 'inventory.ini': 'h1 ansible_connection=local ansible_python_interpreter=/usr/bin/python3\n', 'pb.yml': pb, 'secrets.yml': enc };
    const env = { LVSPLAY_CACHE_DIR: cache, LVSPLAY_TIMING: 'trace' };
    const args = ['--vault-password-file', vaultPass];
    assertBothSame(files, args, env);
    const again = assertBothSame(files, args, env).lvsplay;
    assert.equal(again.files['s-h1.txt'], 'S3CR3T-VALUE HUNTER2-LONG INVENTORY-DB\n');
    // the second run asks the engine again for each render that read a secret, not for the other
    const asked = (src: string) => again.output.includes(`+vars ${JSON.stringify(src)}`);
    assert.ok(asked('{{ api_key_value | upper }} {{ db_password | upper }} {{ db_name | upper }}\n'), again.output);
    // the same strings each on its own: only the one without a secret came from the earlier run
    const single = `
- hosts: all
  gather_facts: false
  vars_files: [secrets.yml]
  vars: {db_password: hunter2-long, db_name: inventory-db}
  tasks:
    - {copy: {dest: "{{ out }}/a.txt", content: "{{ api_key_value | lower }}"}, no_log: true}
    - {copy: {dest: "{{ out }}/b.txt", content: "{{ db_password | lower }}"}, no_log: true}
    - {copy: {dest: "{{ out }}/c.txt", content: "{{ db_name | lower }}"}}
`;
    const f2 = { ...files, 'pb.yml': single };
    assertBothSame(f2, args, env);
    const two = assertBothSame(f2, args, env).lvsplay;
    assert.ok(two.output.includes('+vars "{{ api_key_value | lower }}"'), two.output);
    assert.ok(two.output.includes('+vars "{{ db_password | lower }}"'), two.output);
    assert.ok(!two.output.includes('+vars "{{ db_name | lower }}"'), two.output);
    // the secrets' text is nowhere in the cache files
    for (const f of readdirSync(join(cache, 'renders'))) {
      const text = readFileSync(join(cache, 'renders', f), 'utf8');
      for (const s of ['s3cr3t', 'S3CR3T', 'hunter2', 'HUNTER2', 'inventory-db']) assert.ok(!text.includes(s), `${s} in ${f}`);
    }
  });

  it('a damaged or foreign cache file is not used and breaks nothing', () => {
    const dir = join(cache, 'renders');
    const pb = `
- hosts: all
  gather_facts: false
  vars: {v: abc}
  tasks:
    - copy: {dest: "{{ out }}/d-{{ inventory_hostname }}.txt", content: "{{ v | upper }} {{ v | length }}\\n"}
`;
    const files = { 'inventory.ini': 'h1 ansible_connection=local ansible_python_interpreter=/usr/bin/python3\n', 'pb.yml': pb };
    const env = { LVSPLAY_CACHE_DIR: cache, LVSPLAY_TIMING: '1' };
    const cold = requests(assertBothSame(files, [], env).lvsplay.output);
    const warm = requests(assertBothSame(files, [], env).lvsplay.output);
    assert.ok(warm < cold, `requests: ${cold} then ${warm}`);
    // a file others may write is not read (its entries could be anyone's)
    for (const f of readdirSync(dir)) chmodSync(join(dir, f), 0o666);
    assert.equal(requests(assertBothSame(files, [], env).lvsplay.output), cold);
    // every entry's sealed text flipped: each fails its check and is rendered again
    for (const f of readdirSync(dir)) {
      const data = JSON.parse(readFileSync(join(dir, f), 'utf8')) as { entries: Record<string, string> };
      for (const k of Object.keys(data.entries)) data.entries[k] = Buffer.from(Buffer.from(data.entries[k], 'base64').map((b) => b ^ 0x5a)).toString('base64');
      writeFileSync(join(dir, f), JSON.stringify(data));
    }
    assert.equal(assertBothSame(files, [], env).lvsplay.files['d-h1.txt'], 'ABC 3\n');
    // not JSON at all
    for (const f of readdirSync(dir)) writeFileSync(join(dir, f), '{not json');
    assert.equal(assertBothSame(files, [], env).lvsplay.files['d-h1.txt'], 'ABC 3\n');
    // LVSPLAY_NO_CACHE=1: nothing read, nothing written
    const none = mkdtempSync(join(tmpdir(), 'lvsplay-kept-off-'));
    try {
      const off = { LVSPLAY_CACHE_DIR: none, LVSPLAY_NO_CACHE: '1', LVSPLAY_TIMING: '1' };
      const a = requests(assertBothSame(files, [], off).lvsplay.output);
      const b = requests(assertBothSame(files, [], off).lvsplay.output);
      assert.equal(b, a);
      assert.deepEqual(readdirSync(none), []);
    } finally {
      rmSync(none, { recursive: true, force: true });
    }
  });
});

function runVault(args: string[]): string {
  const r = spawnSync('ansible-vault', args, { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
}
