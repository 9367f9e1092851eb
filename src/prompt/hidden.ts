// Passwords typed on the terminal (-K, -k, --ask-vault-pass, `vault` prompts): only when standard
// input is a terminal (never from a pipe: a clear error instead of a hang), read in raw mode so
// nothing typed is echoed. Backspace edits, Ctrl-U clears, Enter ends, Ctrl-C interrupts.
import { UsageError } from '../errors.js';

export class PromptInterrupted extends Error {}

export async function readHidden(prompt: string, what: string): Promise<string> {
  const input = process.stdin;
  if (!input.isTTY) throw new UsageError(`${what} needs a terminal to read the password from (standard input is not one)`);
  process.stderr.write(prompt);
  input.setRawMode(true);
  input.resume();
  let onData: ((chunk: Buffer) => void) | undefined;
  try {
    return await new Promise<string>((resolve, reject) => {
      let typed = '';
      onData = (chunk: Buffer) => {
        for (const ch of chunk.toString('utf8')) {
          if (ch === '\r' || ch === '\n' || (ch === '\x04' && !typed)) return resolve(typed);
          if (ch === '\x03') return reject(new PromptInterrupted('interrupted'));
          if (ch === '\x7f' || ch === '\b') typed = typed.slice(0, -1);
          else if (ch === '\x15') typed = '';
          else if (ch >= ' ' || ch === '\t') typed += ch;
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
