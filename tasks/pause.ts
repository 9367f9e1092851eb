// pause: wait some seconds or minutes, or for the user to press Enter, on the controller, as
// Ansible 2.14's pause action: without a terminal on standard input a prompt is not waited for (a
// warning says so) and a timed pause just sleeps; CI never hangs. echo: false hides what is typed.
// Result: start, stop, delta, stdout ('Paused for N seconds|minutes'), user_input, echo, rc, stderr.
import type { ModuleContext, Plan, TaskModule } from '../src/types.js';
import { TaskError } from '../src/errors.js';
import { boolSchema, toBool } from './lib/args.js';
import { PromptInterrupted, readTyped } from '../src/prompt/hidden.js';

const schema = {
  type: 'object',
  description:
    "Pause the play on the controller: for `seconds` or `minutes`, or until Enter is pressed (with `prompt`; what was typed is `user_input`). Standard input that is not a terminal: a prompt is not waited for (Ansible's warning), a timed pause still waits. Never changes anything; runs in check mode too.",
  properties: {
    seconds: { type: ['integer', 'number', 'string'], description: 'Seconds to pause (below 1: 1). Not with minutes.' },
    minutes: { type: ['integer', 'number', 'string'], description: 'Minutes to pause. Not with seconds.' },
    prompt: { type: 'string', description: 'Text shown before waiting (for Enter when no time is given).' },
    echo: boolSchema('Show what is typed at the prompt (false: hidden, e.g. for secrets).', true),
  },
  additionalProperties: false,
};

/** Python's int() of an argument (floats truncate; other text is an error, as Ansible's validation). */
function pyInt(v: unknown, name: string): number | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'number') return Math.trunc(v);
  const s = String(v).trim();
  if (!/^[-+]?\d+$/.test(s)) throw new TaskError(`argument '${name}' is of type ${typeof v === 'string' ? 'str' : typeof v} and we were unable to convert to int: invalid literal for int() with base 10: '${s}'`);
  return Number(s);
}

/** Python's str(datetime.now()). */
function now(): string {
  const d = new Date();
  const p = (n: number, w = 2): string => String(n).padStart(w, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}.${p(d.getMilliseconds(), 3)}000`;
}

/** Python's str(round(x, 2)) of a float. */
function pyRound2(x: number): string {
  const r = Math.round(x * 100) / 100;
  return Number.isInteger(r) ? r.toFixed(1) : String(r);
}

/** The line typed at the prompt; Ctrl-C aborts (Ansible's Ctrl-C then 'A'). */
async function readLine(echo: boolean): Promise<string> {
  try {
    return await readTyped(echo);
  } catch (e) {
    if (e instanceof PromptInterrupted) throw new TaskError('user requested abort!');
    throw e;
  }
}

async function plan(ctx: ModuleContext): Promise<Plan> {
  const a = ctx.args;
  if (a.minutes !== undefined && a.seconds !== undefined) return { steps: [], failed: 'parameters are mutually exclusive: minutes|seconds' };
  const echo = toBool(a, 'echo', true);
  const minutes = pyInt(a.minutes, 'minutes');
  let seconds = minutes !== undefined ? minutes * 60 : pyInt(a.seconds, 'seconds');
  const unit = minutes === undefined && seconds !== undefined ? 'seconds' : 'minutes';
  const hidden = echo ? '' : ' (output is hidden)';
  const prompt = `[${(ctx.taskName ?? 'pause').trim()}]\n${a.prompt ? String(a.prompt) : 'Press enter to continue, Ctrl+C to interrupt'}${hidden}:`;
  const started = performance.now(); // monotonic: a wall-clock step must not shorten or lengthen the pause
  const start = now();
  let input = '';
  const tty = !!process.stdin.isTTY;
  if (seconds !== undefined) {
    if (seconds < 1) seconds = 1;
    process.stderr.write(`Pausing for ${seconds} seconds${hidden}\n(ctrl+C then 'C' = continue early, ctrl+C then 'A' = abort)\n`);
    if (a.prompt) process.stderr.write(`${prompt}\n`);
    // at least the whole pause (a timer may fire a little early): as Ansible, delta is never below it
    for (let left = seconds * 1000; left > 0; left = seconds * 1000 - (performance.now() - started)) await new Promise((r) => setTimeout(r, Math.ceil(left)));
  } else {
    process.stderr.write(`${prompt}\n`);
    if (tty) input = await readLine(echo);
    else ctx.warn?.('Not waiting for response to prompt as stdin is not interactive');
  }
  const duration = (performance.now() - started) / 1000;
  const shown = unit === 'minutes' ? pyRound2(duration / 60) : pyRound2(duration);
  return {
    steps: [],
    changed: false,
    result: { rc: 0, stderr: '', stdout: `Paused for ${shown} ${unit}`, start, stop: now(), delta: Math.trunc(duration), echo, user_input: input },
  };
}

export const pause: TaskModule = {
  name: 'pause',
  aliases: ['ansible.builtin.pause', 'ansible.legacy.pause'],
  controllerOnly: true,
  bypassHostLoop: true, // Ansible pauses once for the play, as the first host
  schema,
  freeForm: 'kv',
  plan,
};
