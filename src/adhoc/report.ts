// ansible's ad-hoc output: `HOST | CHANGED | rc=0 >>` and the output for command-like results,
// `HOST | SUCCESS => {json}` for the others (-o: one line each), `-t DIR`: each host's result as
// JSON in DIR/HOST. Results arrive masked (secrets) from the executor.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Reporter, RunEvent, Vars } from '../types.js';
import { ansibleColumns, warningText } from '../report/textwrap.js';
import { isPyFloat } from '../vars/pyfloat.js';

const WORD: Record<string, string> = { ok: 'SUCCESS', changed: 'CHANGED', failed: 'FAILED', unreachable: 'UNREACHABLE', skipped: 'SKIPPED' };

export class AdhocReporter implements Reporter {
  constructor(
    private readonly o: { oneLine: boolean; tree?: string; file?: string; out?: (s: string) => void; err?: (s: string) => void },
  ) {}

  private out(s: string): void {
    (this.o.out ?? ((x: string) => process.stdout.write(x)))(s);
  }

  /** Messages about the generated play name no file: `ad-hoc.yml:1:3: ` is dropped. */
  private unplaced(msg: string): string {
    return this.o.file ? msg.split(`${this.o.file}:`).map((p, i) => (i ? p.replace(/^\d+:\d+: /, '') : p)).join('') : msg;
  }

  emit(ev: RunEvent): void {
    const err = this.o.err ?? ((x: string) => process.stderr.write(x));
    if (ev.type === 'warning') err(warningText(this.unplaced(ev.msg), ansibleColumns()));
    else if (ev.type === 'error') err(`ERROR! ${this.unplaced(ev.msg)}\n`);
    if (ev.type !== 'host_result') return;
    const result = sortedResult(ev.result ?? {});
    if (ev.msg !== undefined && result.msg === undefined) result.msg = ev.msg;
    if (this.o.tree) {
      mkdirSync(this.o.tree, { recursive: true });
      writeFileSync(join(this.o.tree, ev.host), JSON.stringify(result));
    }
    const word = WORD[ev.status] ?? ev.status.toUpperCase();
    if (typeof result.rc === 'number' && ev.status !== 'unreachable' && 'stdout' in result) {
      const stdout = String(result.stdout ?? '');
      const stderr = String(result.stderr ?? '');
      if (this.o.oneLine) {
        this.out(`${ev.host} | ${word} | rc=${result.rc} | (stdout) ${stdout.replace(/\n/g, '\\n')}${stderr ? ` (stderr) ${stderr.replace(/\n/g, '\\n')}` : ''}\n`);
      } else {
        const tail = ev.status === 'failed' && result.msg ? String(result.msg) : '';
        this.out(`${ev.host} | ${word} | rc=${result.rc} >>\n${stdout}${stdout && stderr ? '\n' : ''}${stderr}${tail}\n`);
      }
      return;
    }
    const bang = ev.status === 'failed' || ev.status === 'unreachable' ? '!' : '';
    const json = this.o.oneLine ? JSON.stringify(result) : JSON.stringify(result, null, 4);
    this.out(`${ev.host} | ${word}${bang} => ${json}\n`);
  }
}

/** As ansible prints a result: keys sorted, no internal `_ansible_*` keys, no `failed: false`. */
function sortedResult(r: Vars): Vars {
  const sort = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sort);
    if (!v || typeof v !== 'object' || isPyFloat(v)) return v;
    const out: Vars = {};
    for (const k of Object.keys(v).sort()) if (!k.startsWith('_ansible_')) out[k] = sort((v as Vars)[k]);
    return out;
  };
  const out = sort(r) as Vars;
  if (out.failed === false) delete out.failed;
  return out;
}
