// Live progress: a status line on a terminal (spinner, task, elapsed, each busy host's last output
// line) while packages install on the lab, seen through tmux; plain lines when not a terminal;
// coloured diffs on a terminal; --profile lists task times at the end.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { LiveProgress, lastLine } from '../../src/report/progress.js';
import type { TestLab } from '../helpers/lab.js';
import { CLI, lvsplay, tmpDir, writeFiles, trustLabOrSkip } from './helpers.js';

const SPINNER = /[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏]/;

describe('trust: live progress (unit)', () => {
  it('lastLine keeps the last non-empty line without control characters', () => {
    assert.equal(lastLine('Get:1 a\r\nUnpacking x ...\n\n'), 'Unpacking x ...');
    assert.equal(lastLine('50%\r60%\r\x1b[1m70%\x1b[0m'), '70%');
  });

  it('draws a status line after a moment, clears it around output, shows hosts and their last line', () => {
    let t = 0;
    const written: string[] = [];
    const live = new LiveProgress({ write: (s) => (written.push(s), true), columns: 120 }, () => t);
    const seen: string[] = [];
    const rep = live.wrap({ emit: (ev) => seen.push(ev.type) });
    rep.emit({ type: 'task_start', name: 'Install', pos: { file: 'f', line: 1, col: 1 }, handler: false });
    assert.equal(written.join(''), '', 'nothing before the task has run a moment');
    t = 2500;
    rep.emit({ type: 'progress', host: 'node01', task: 'Install', text: 'Get:1 x\nUnpacking keepalived ...\n' });
    assert.match(live.status(), /^. TASK \[Install\] 2\.5s \| node01: Unpacking keepalived \.\.\.$/);
    assert.match(written.join(''), /TASK \[Install\] 2\.5s \| node01: Unpacking/);
    live.write('changed: [node01]\n');
    assert.match(written.join(''), /\r\x1b\[2Kchanged: \[node01\]\n/, 'the status line is erased before output');
    rep.emit({ type: 'host_result', host: 'node01', task: 'Install', status: 'changed', durationMs: 2500 });
    assert.doesNotMatch(live.status(), /node01/, 'a finished host leaves the line');
    rep.emit({ type: 'recap', hosts: {} });
    assert.equal(live.status(), '', 'stopped at the recap');
    assert.deepEqual(seen, ['task_start', 'progress', 'host_result', 'recap'], 'every event reaches the console reporter');
  });
});

describe('trust: live progress on a terminal (tmux, lab)', function () {
  this.timeout(300000);
  let lab: TestLab;
  let dir: string;
  const session = `lvsplay-trust-${process.pid}`;

  before(async function () {
    lab = await trustLabOrSkip(this, spawnSync('tmux', ['-V']).status === 0 ? undefined : 'SKIP: tmux is not installed');
    dir = tmpDir();
    writeFiles(dir, {
      'pkg.yml': `- hosts: directors
  gather_facts: false
  tasks:
    - name: Remove the packages
      apt: { name: [lsof, tree], state: absent }
    - name: Install the packages
      apt: { name: [lsof, tree], state: present }
    - name: A changed file
      copy: { content: "run {{ stamp }}\\n", dest: /root/trust-p-diff }
`,
    });
  });

  after(() => {
    spawnSync('tmux', ['kill-session', '-t', session]);
  });

  it('shows a spinner, the task, elapsed time and a host with its last apt line while packages install; coloured diff; --profile', async () => {
    const cmd = `${process.execPath} ${CLI} -i ${lab.inventory} -e stamp=${Date.now()} --diff --profile ${join(dir, 'pkg.yml')}; echo LVSPLAY-RC=$?; sleep 300`;
    const env = { ...process.env, LVSPLAY_LAB_DIR: '/nonexistent' } as Record<string, string>;
    delete env.NO_COLOR;
    const r = spawnSync('tmux', ['new-session', '-d', '-s', session, '-x', '200', '-y', '50', cmd], { env });
    assert.equal(r.status, 0, String(r.stderr));
    const live: string[] = [];
    const deadline = Date.now() + 180000;
    let screen = '';
    while (Date.now() < deadline) {
      screen = spawnSync('tmux', ['capture-pane', '-p', '-e', '-S', '-300', '-t', session], { encoding: 'utf8' }).stdout;
      for (const l of screen.split('\n')) if (SPINNER.test(l)) live.push(l);
      if (/LVSPLAY-RC=\d+/.test(screen)) break;
      await new Promise((res) => setTimeout(res, 100));
    }
    assert.match(screen, /LVSPLAY-RC=0/, screen);
    const during = live.filter((l) => /TASK \[Install the packages\] \d+\.\ds \| node0[14]: \S/.test(l));
    assert.ok(during.length > 0, `a live line for the install with a host and its output, seen:\n${[...new Set(live)].join('\n')}`);
    // The diff is coloured (green + lines), the status line is gone from the final screen.
    assert.match(screen, /\x1b\[[0-9;]*32m\+run \d+/, 'a green + line in the diff');
    assert.doesNotMatch(screen.split('LVSPLAY-RC')[0].split('\n').slice(-3).join('\n'), SPINNER, 'no status line left at the end');
    assert.match(screen, /Install the packages -+ \d+\.\d\ds/, '--profile: time per task');
  });

  it('not a terminal: plain lines, no status line, no colours, no carriage returns', () => {
    const r = lvsplay(['-i', lab.inventory, '-e', `stamp=${Date.now()}`, '--diff', join(dir, 'pkg.yml')]);
    assert.equal(r.rc, 0, r.out + r.err);
    assert.match(r.out, /TASK \[Install the packages\]/);
    assert.doesNotMatch(r.out + r.err, SPINNER);
    assert.doesNotMatch(r.out + r.err, /\r|\x1b\[/);
  });
});
