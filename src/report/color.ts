// Ansible's colours (lib/ansible/utils/color.py stringc + constants COLOR_*): the same escape codes,
// so coloured output (and the recap's %-37s padding around them) is byte-identical.
const CODES = {
  ok: '0;32', // green
  changed: '0;33', // yellow
  error: '0;31', // red
  skip: '0;36', // cyan
  unreachable: '1;31', // bright red
  warn: '1;35', // bright purple
  debug: '1;30', // dark gray
  verbose: '0;34', // blue
  diffAdd: '0;32',
  diffRemove: '0;31',
  diffLines: '0;36',
} as const;

export type ColorName = keyof typeof CODES;

export function stringc(text: string, color: ColorName): string {
  return text
    .split('\n')
    .map((t) => `\x1b[${CODES[color]}m${t}\x1b[0m`)
    .join('\n');
}

export type Paint = (s: string) => string;
export const paint = (color: ColorName): Paint => (s) => stringc(s, color);
