// --step: before each task of a batch (fact gathering, includes and handlers too; not meta), ask
// whether to run it, as ansible-playbook 2.14 does: `y`/`yes` runs it, `c`/`continue` runs it and
// stops asking, anything else (`N`, the default) skips it for every host without counting it. The
// question names the task as Ansible's does (`TASK: role : name`, `HANDLER: name`, the name not
// templated), the answer is read from standard input, one line (a pipe works, as with Ansible), and
// a banner repeats the question afterwards. A handler answered `N` stays notified and is asked
// about again at once (Ansible 2.14's strategy offers it again: it cannot be skipped). End of input stops the run: no further task or handler
// runs and the exit code is 2 (Ansible's, which says nothing; lvsplay says why).
import { createInterface, type Interface } from 'node:readline';
import type { RunState } from './state.js';

/** Asks a question and returns the answer line, or undefined at the end of input. */
export type StepAsker = (question: string) => Promise<string | undefined>;

export type StepAnswer = 'run' | 'skip';

/** The label Ansible's Task/Handler repr gives a task (its name or action, the role's name first). */
export function stepLabel(what: 'TASK' | 'HANDLER', name: string, role?: string): string {
  return `${what}: ${role ? `${role} : ` : ''}${name}`;
}

/** Ask about one task; 'run' when --step is off or was answered `continue`. */
export async function takeStep(st: RunState, label: string): Promise<StepAnswer> {
  let a = await askOnce(st, label);
  while (a === 'skip' && label.startsWith('HANDLER:') && !st.stepEnded) a = await askOnce(st, label);
  return a;
}

async function askOnce(st: RunState, label: string): Promise<StepAnswer> {
  if (!st.opts.step || st.stepDone) return 'run';
  if (st.stepEnded) return 'skip';
  const question = `Perform task: ${label} (N)o/(y)es/(c)ontinue: `;
  const answer = await st.opts.step(question);
  if (answer === undefined) {
    st.stepEnded = true;
    st.stopRun = true;
    st.emit({ type: 'error', msg: '--step: standard input ended before an answer: stopping the run' });
    return 'skip';
  }
  const a = answer.trim().toLowerCase();
  st.emit({ type: 'step', question: question.trim() });
  if (a === 'c' || a === 'continue') st.stepDone = true;
  return a === 'y' || a === 'yes' || a === 'c' || a === 'continue' ? 'run' : 'skip';
}

/** A StepAsker on a stream of lines (standard input): the question is written to `out` first. */
export function lineAsker(input: NodeJS.ReadableStream, out: (s: string) => void): StepAsker & { close(): void } {
  let rl: Interface | undefined;
  const lines: string[] = [];
  const waiting: ((l: string | undefined) => void)[] = [];
  let ended = false;
  const open = (): void => {
    rl = createInterface({ input, terminal: false });
    rl.on('line', (l) => (waiting.length ? waiting.shift()!(l) : lines.push(l)));
    rl.on('close', () => {
      ended = true;
      for (const w of waiting.splice(0)) w(undefined);
    });
  };
  const ask = (question: string): Promise<string | undefined> => {
    out(question);
    if (!rl) open();
    if (lines.length) return Promise.resolve(lines.shift());
    if (ended) return Promise.resolve(undefined);
    return new Promise((res) => waiting.push(res));
  };
  return Object.assign(ask, { close: () => rl?.close() });
}
