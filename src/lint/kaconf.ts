// A small keepalived.conf tokenizer and parser: statements (keyword + arguments on one line),
// blocks in braces, comments (`!` or `#` starting a word), positions of everything. It keeps
// going after errors (an unclosed block, a stray `}`) so every problem is reported in one pass.

export interface KaPos {
  line: number; // 1-based
  col: number; // 1-based
}

export interface KaNode {
  key: string;
  args: string[];
  pos: KaPos; // of the keyword
  argPos: KaPos[];
  children?: KaNode[]; // present when the statement opens a block
  close?: KaPos; // position of the closing brace (absent when never closed)
}

export interface KaProblem {
  pos: KaPos;
  severity: 'error' | 'warning';
  message: string;
}

export interface KaConfig {
  nodes: KaNode[];
  problems: KaProblem[];
  lines: number;
}

interface Tok {
  text: string;
  pos: KaPos;
  quoted: boolean;
}

/** Blanks between words as keepalived's parser sees them (C isspace, the line's \n aside): any other
 *  character — a no-break space too — is part of a word (a word loop that stopped on a character the
 *  blank test did not skip never advanced: the fuzzer's `}\u00a0` line ran out of memory). */
function isBlank(c: string): boolean {
  return c === ' ' || c === '\t' || c === '\r' || c === '\v' || c === '\f';
}

/** Split one line into words, `{` and `}`; a word starting with `!` or `#` ends the line. */
export function tokenizeLine(text: string, line: number): Tok[] {
  const toks: Tok[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (isBlank(c)) {
      i++;
      continue;
    }
    if (c === '!' || c === '#') break;
    if (c === '{' || c === '}') {
      toks.push({ text: c, pos: { line, col: i + 1 }, quoted: false });
      i++;
      continue;
    }
    const start = i;
    if (c === '"') {
      i++;
      while (i < text.length && text[i] !== '"') i++;
      toks.push({ text: text.slice(start + 1, i), pos: { line, col: start + 1 }, quoted: true });
      i++;
      continue;
    }
    while (i < text.length && !isBlank(text[i]) && text[i] !== '{' && text[i] !== '}') i++;
    toks.push({ text: text.slice(start, i), pos: { line, col: start + 1 }, quoted: false });
  }
  return toks;
}

export function parseKeepalived(text: string): KaConfig {
  const lines = text.split('\n');
  const root: KaNode = { key: '', args: [], pos: { line: 0, col: 0 }, argPos: [], children: [] };
  const stack: KaNode[] = [root];
  const problems: KaProblem[] = [];
  let last: KaNode | undefined; // the last statement, so a `{` alone on the next line opens it

  lines.forEach((raw, idx) => {
    const toks = tokenizeLine(raw, idx + 1);
    let cur: KaNode | undefined;
    for (const t of toks) {
      const top = stack[stack.length - 1];
      if (!t.quoted && t.text === '{') {
        const owner = cur ?? (last && !last.children ? last : undefined);
        if (!owner) {
          problems.push({ pos: t.pos, severity: 'error', message: "'{' without a keyword before it" });
          const anon: KaNode = { key: '', args: [], pos: t.pos, argPos: [], children: [] };
          top.children!.push(anon);
          stack.push(anon);
        } else {
          owner.children = [];
          stack.push(owner);
        }
        cur = undefined;
        last = undefined;
      } else if (!t.quoted && t.text === '}') {
        if (stack.length === 1) {
          problems.push({ pos: t.pos, severity: 'error', message: "unmatched '}': no block is open here" });
        } else {
          stack.pop()!.close = t.pos;
        }
        cur = undefined;
        last = undefined;
      } else if (cur) {
        cur.args.push(t.text);
        cur.argPos.push(t.pos);
      } else {
        if (stack.length > 1) recoverMissingBrace(stack, t, problems);
        cur = { key: t.text, args: [], pos: t.pos, argPos: [] };
        stack[stack.length - 1].children!.push(cur);
        last = cur;
      }
    }
  });
  // Blocks still open at the end: report each where it was opened (the innermost last).
  for (let i = stack.length - 1; i >= 1; i--) {
    const b = stack[i];
    problems.push({
      pos: b.pos,
      severity: 'error',
      message: `'${[b.key, ...b.args].join(' ')}' block is never closed: missing '}' (end of file at line ${lines.length - (text.endsWith("\n") ? 1 : 0)})`,
    });
  }
  return { nodes: root.children!, problems, lines: lines.length };
}

// Keywords that only exist at the top level, and blocks that cannot nest in themselves: seeing
// one inside an open block means a '}' is missing before it. Report it there and recover.
const TOP_LEVEL = new Set([
  'global_defs', 'vrrp_instance', 'vrrp_sync_group', 'vrrp_script', 'virtual_server',
  'virtual_server_group', 'static_ipaddress', 'static_routes', 'static_rules', 'linkbeat_interfaces',
  'track_file', 'track_process', 'garp_group', 'bfd_instance', 'include',
]);

function recoverMissingBrace(stack: KaNode[], t: Tok, problems: KaProblem[]): void {
  let keep = -1; // index in stack to pop back to
  if (TOP_LEVEL.has(t.text)) keep = 0;
  else if (t.text === 'real_server') keep = stack.findIndex((n) => n.key === 'real_server') - 1;
  if (keep < 0) return;
  for (let i = stack.length - 1; i > keep; i--) {
    const b = stack[i];
    problems.push({
      pos: b.pos,
      severity: 'error',
      message: `'${[b.key, ...b.args].join(' ')}' block is not closed before '${t.text}' at line ${t.pos.line}: missing '}'`,
    });
  }
  stack.length = keep + 1;
}

/** Children of a node with a given keyword (case-sensitive, as keepalived). */
export function childrenNamed(n: KaNode | KaNode[], key: string): KaNode[] {
  const list = Array.isArray(n) ? n : (n.children ?? []);
  return list.filter((c) => c.key === key);
}

export function firstNamed(n: KaNode | KaNode[], ...keys: string[]): KaNode | undefined {
  const list = Array.isArray(n) ? n : (n.children ?? []);
  return list.find((c) => keys.includes(c.key));
}

/** Visit every node depth-first with its parent chain. */
export function walk(nodes: KaNode[], fn: (n: KaNode, parents: KaNode[]) => void, parents: KaNode[] = []): void {
  for (const n of nodes) {
    fn(n, parents);
    if (n.children) walk(n.children, fn, [...parents, n]);
  }
}
