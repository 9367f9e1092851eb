// vars_prompt: before a play starts, each entry's value is asked for on the terminal (hidden when
// private, twice when confirm) unless -e gives it; without a terminal Ansible does not prompt, warns
// once and uses the default — or the text 'None' when there is none. Values are play variables.
import { createInterface } from 'node:readline';
import type { Play, Vars, VarsPrompt } from '../types.js';
import { parseBool } from '../bool.js';
import { pyStr } from '../vars/pystr.js';
import { markUnsafe } from '../vars/unsafe.js';
import { readHidden } from '../prompt/hidden.js';
import type { RunState } from './state.js';

/** How values are read (the terminal; tests may replace it). */
export interface PromptIO {
  interactive(): boolean;
  read(msg: string, hidden: boolean): Promise<string>;
  say(text: string): void;
}

async function readVisible(msg: string): Promise<string> {
  const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
  try {
    return await new Promise<string>((resolve) => rl.question(msg, resolve));
  } finally {
    rl.close();
  }
}

export const terminalIO: PromptIO = {
  interactive: () => !!process.stdin.isTTY,
  read: (msg, hidden) => (hidden ? readHidden(msg, 'vars_prompt') : readVisible(msg)),
  say: (text) => process.stderr.write(`${text}\n`),
};

function flag(v: unknown, dflt: boolean): boolean {
  if (v === undefined || v === null) return dflt;
  return parseBool(v) ?? dflt;
}

async function ask(io: PromptIO, p: Vars & { name: string }): Promise<string | undefined> {
  const prompt = p.prompt === undefined || p.prompt === null || p.prompt === '' ? undefined : pyStr(p.prompt);
  const msg = prompt && p.default !== undefined && p.default !== null ? `${prompt} [${pyStr(p.default)}]: ` : prompt ? `${prompt}: ` : `input for ${p.name}: `;
  const hidden = flag(p.private, true);
  for (;;) {
    const first = await io.read(msg, hidden);
    if (!flag(p.confirm, false)) return first;
    if ((await io.read(`confirm ${msg}`, hidden)) === first) return first;
    io.say('***** VALUES ENTERED DO NOT MATCH ****');
  }
}

/** Ask for the play's vars_prompt values (those -e does not give) and set them as play variables. */
export async function promptPlayVars(st: RunState, play: Play, io: PromptIO = terminalIO): Promise<void> {
  if (!play.varsPrompt?.length) return;
  const templar = st.deps.templar;
  const base = { ...play.varsFiles, ...play.vars, ...st.opts.extraVars };
  for (const entry of play.varsPrompt) {
    const p = templar.render({ ...entry, pos: undefined }, base, entry.pos) as Vars & { name: string };
    p.name = pyStr(p.name);
    if (p.name in st.opts.extraVars) continue;
    let value: string | undefined;
    if (io.interactive()) value = await ask(io, p);
    else st.warnOnce('Not prompting as we are not in interactive mode');
    const out = !value && p.default !== undefined && p.default !== null ? pyStr(p.default) : value === undefined ? 'None' : value;
    play.vars[p.name] = flag(p.unsafe, false) ? markUnsafe(out) : out;
  }
}
