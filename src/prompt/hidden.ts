// Passwords typed on the terminal (-K, -k, --ask-vault-pass, `vault` prompts): only when standard
// input is a terminal (never from a pipe: a clear error instead of a hang), read in raw mode so
// nothing typed is echoed. Backspace edits, Ctrl-U clears, Enter ends, Ctrl-C interrupts.
import { UsageError } from '../errors.js';

export class PromptInterrupted extends Error {}

export async function readHidden(prompt: string, what: string): Promise<string> {
  if (!process.stdin.isTTY) throw new UsageError(`${what} needs a terminal to read the password from (standard input is not one)`);
  process.stderr.write(prompt);
  return readTyped(false);
}

/** One line typed on the terminal (stdin must be one), in raw mode: shown as typed only with `echo` (pause's prompt). */
export async function readTyped(echo: boolean): Promise<string> {
  const input = process.stdin;
  input.setRawMode(true);
  input.resume();
  let onData: ((chunk: Buffer) => void) | undefined;
  try {
    return await new Promise<string>((resolve, reject) => {
      let typed = '';
      const show = (t: string): void => void (echo && process.stderr.write(t));
      onData = (chunk: Buffer) => {
        for (const ch of chunk.toString('utf8')) {
          if (ch === '\r' || ch === '\n' || (ch === '\x04' && !typed)) return resolve(typed);
          if (ch === '\x03') return reject(new PromptInterrupted('interrupted'));
          if (ch === '\x7f' || ch === '\b') {
            if (typed) show('\b \b');
            typed = typed.slice(0, -1);
          } else if (ch === '\x15') {
            show('\b \b'.repeat(typed.length));
            typed = '';
          } else if (ch >= ' ' || ch === '\t') {
            typed += ch;
            show(ch);
          }
        }
      };
      input.on('data', onData);
    });
  } finally {
    if (onData) input.off('data', onData);
    input.setRawMode(false);
    input.pause();
    process.stderr.write('\n');
  }
}
