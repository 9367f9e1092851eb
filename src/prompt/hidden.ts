// Passwords typed on the terminal (-K, -k, --ask-vault-pass, `vault` prompts): read from the
// controlling terminal (/dev/tty, as getpass does), never from a pipe, in raw mode so nothing
// typed is echoed. Backspace edits, Enter ends, Ctrl-C interrupts, Ctrl-D on an empty line ends.
import { openSync } from 'node:fs';
import { ReadStream, WriteStream } from 'node:tty';
import { UsageError } from '../errors.js';

export class PromptInterrupted extends Error {}

export async function readHidden(prompt: string, what: string): Promise<string> {
  let fd: number;
  try {
    fd = openSync('/dev/tty', 'r+');
  } catch {
    throw new UsageError(`${what} needs a terminal to read the password from (no /dev/tty)`);
  }
  const input = new ReadStream(fd);
  const output = new WriteStream(fd);
  input.setRawMode(true);
  output.write(prompt);
  try {
    return await new Promise<string>((resolve, reject) => {
      let typed = '';
      input.on('data', (chunk: Buffer) => {
        for (const ch of chunk.toString('utf8')) {
          if (ch === '\r' || ch === '\n' || (ch === '\x04' && !typed)) return resolve(typed);
          if (ch === '\x03') return reject(new PromptInterrupted('interrupted'));
          if (ch === '\x7f' || ch === '\b') typed = typed.slice(0, -1);
          else if (ch === '\x15') typed = ''; // Ctrl-U
          else if (ch >= ' ' || ch === '\t') typed += ch;
        }
      });
    });
  } finally {
    input.setRawMode(false);
    output.write('\n');
    input.destroy(); // closes the /dev/tty descriptor
    output.destroy();
  }
}
