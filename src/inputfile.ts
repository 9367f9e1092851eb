// Reading a user's input file (playbook, vars file, inventory, -e @file, template) without surprises:
// a FIFO would block the read forever, a device could be endless, a dangling symlink or a directory
// would throw deep inside a loader. Each is a ConfigError naming the path instead.
import { lstatSync, readFileSync, statSync, type Stats } from 'node:fs';
import { ConfigError, type Pos } from './errors.js';

/** The largest input file read (a playbook or vars file beyond this is a mistake or an attack). */
export const MAX_INPUT_BYTES = 64 * 1024 * 1024;

function kindOfStats(st: Stats): string {
  if (st.isDirectory()) return 'a directory';
  if (st.isFIFO()) return 'a FIFO (named pipe)';
  if (st.isSocket()) return 'a socket';
  if (st.isCharacterDevice() || st.isBlockDevice()) return 'a device';
  return 'not a regular file';
}

/** Why `file` cannot be read as a text input, or undefined when it is a readable regular file. */
export function inputFileProblem(file: string): string | undefined {
  let st: Stats;
  try {
    st = statSync(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      try {
        if (lstatSync(file).isSymbolicLink()) return 'is a dangling symbolic link (its target does not exist)';
      } catch {
        /* not there at all */
      }
      return 'not found';
    }
    if (code === 'ELOOP') return 'is a symbolic link loop';
    if (code === 'EACCES') return 'is not readable (permission denied)';
    return (e as Error).message;
  }
  if (!st.isFile()) return `is ${kindOfStats(st)}, not a file`;
  if (st.size > MAX_INPUT_BYTES) return `is too large (${st.size} bytes; at most ${MAX_INPUT_BYTES} are read)`;
  return undefined;
}

/** Read a text input file; any problem is a ConfigError "<what> '<shown>' <why>" (at `from` when given). */
export function readInputFile(file: string, what: string, shown = file, from?: Pos): string {
  const problem = inputFileProblem(file);
  if (problem) throw new ConfigError(`${what} '${shown}' ${problem}`, from);
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    throw new ConfigError(`${what} '${shown}' cannot be read: ${(e as Error).message}`, from);
  }
}
