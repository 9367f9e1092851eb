// lvsplay wraps `[WARNING]:` messages as Ansible's Display does (Python's textwrap at 79 columns,
// src/report/textwrap.ts): tests that look for a warning's words read them unwrapped.

/** `text` with each wrapped warning back on one line (a line broken after a hyphen is joined without a space). */
export function unwrapped(text: string): string {
  const out: string[] = [];
  let inWarning = false;
  for (const line of text.split('\n')) {
    const continues = inWarning && line !== '' && !/^(\[|ok:|fatal:|changed:|skipping:|TASK |PLAY |RUNNING |ERROR!|\.\.\.)/.test(line);
    if (continues) out[out.length - 1] += `${out[out.length - 1].endsWith('-') ? '' : ' '}${line}`;
    else out.push(line);
    if (!continues) inWarning = line.startsWith('[WARNING]: ');
  }
  return out.join('\n');
}
