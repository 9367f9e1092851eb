// Template files as Ansible's template module renders them: the `#jinja2:` first line that
// configures the template, the search path of include/import/extends, and the template_* variables.
import os from 'node:os';
import path from 'node:path';
import type { Vars } from '../types.js';

/** Environment settings a template may change in its `#jinja2:` header. */
export interface TemplateOptions {
  trimBlocks: boolean;
  lstripBlocks: boolean;
  /** The delimiters the header sets, by short name (variableStart, blockEnd, ...; src/jinja/j2text.py maps them to Jinja2's). */
  tags?: Record<string, string>;
  /** newline_sequence: the template's line breaks become this. */
  newline?: string;
  /** keep_trailing_newline (header only; Jinja2's default drops the final line break, Ansible adds the missing ones back). */
  keepTrailingNewline?: boolean;
}

export const DEFAULT_OPTIONS: TemplateOptions = { trimBlocks: true, lstripBlocks: false };

const HEADER = '#jinja2:';
const TAGS: Record<string, string> = {
  variable_start_string: 'variableStart',
  variable_end_string: 'variableEnd',
  block_start_string: 'blockStart',
  block_end_string: 'blockEnd',
  comment_start_string: 'commentStart',
  comment_end_string: 'commentEnd',
};

/**
 * Split a `#jinja2: key: value, key: value` first line off a template. Values are Python literals,
 * read by `literal`. Throws an Error naming the bad pair.
 */
export function splitHeader(src: string, literal: (text: string) => unknown, base: TemplateOptions = DEFAULT_OPTIONS): { body: string; opts: TemplateOptions } {
  if (!src.startsWith(HEADER)) return { body: src, opts: base };
  const eol = src.indexOf('\n');
  const line = src.slice(HEADER.length, eol < 0 ? undefined : eol);
  const opts: TemplateOptions = { ...base };
  for (const pair of line.split(',')) {
    const i = pair.indexOf(':');
    if (i < 0) throw new Error(`failed to parse the #jinja2 header: '${pair.trim()}' is not 'key: value'`);
    const key = pair.slice(0, i).trim();
    const val = literal(pair.slice(i + 1).trim());
    if (key === 'trim_blocks') opts.trimBlocks = Boolean(val);
    else if (key === 'lstrip_blocks') opts.lstripBlocks = Boolean(val);
    else if (key === 'newline_sequence') opts.newline = String(val);
    else if (key === 'keep_trailing_newline') opts.keepTrailingNewline = Boolean(val);
    else if (key in TAGS) opts.tags = { ...opts.tags, [TAGS[key]]: String(val) };
    // the rest: not settings of the text's rendering
  }
  return { body: eol < 0 ? '' : src.slice(eol + 1), opts };
}

/**
 * Where `{% include 'x' %}` (import, extends) looks, as Ansible 2.14: the template module searches
 * each of `ansible_search_path` (the role, the task file's directory, the playbook's), the playbook's
 * directory and the template's own, each's templates/ first; lookup('template') the template's own
 * directory, then each of `ansible_search_path` with its templates/ first. Without a search path (a
 * file rendered outside a task): the template's directory, its templates/ dir and the one above it.
 */
export function searchPath(file: string, vars: Vars = {}, lookup = false): string[] {
  const dir = path.dirname(path.resolve(file));
  const asp = Array.isArray(vars.ansible_search_path) ? vars.ansible_search_path.filter((p): p is string => typeof p === 'string') : [];
  const withTemplates = (ps: string[]) => ps.flatMap((p) => [path.join(p, 'templates'), p]);
  if (lookup && asp.length) return [...new Set([dir, ...withTemplates(asp)])];
  if (!lookup && asp.length) {
    const base = typeof vars.playbook_dir === 'string' ? [vars.playbook_dir] : [];
    return [...new Set(withTemplates([...asp, ...base, dir]))];
  }
  const out = [dir];
  for (let d = dir; d !== path.dirname(d); d = path.dirname(d)) {
    if (path.basename(d) === 'templates') {
      out.push(d, path.dirname(d));
      break;
    }
  }
  return [...new Set(out)];
}

/** The template's trailing line breaks that the output lacks (Ansible's preserve_trailing_newlines). */
export function missingFinalNewlines(src: string, out: string, newline = '\n'): string {
  const count = (s: string) => {
    let n = 0;
    while (n < s.length && s[s.length - 1 - n] === '\n') n++;
    return n;
  };
  return newline.repeat(Math.max(0, count(src) - count(out)));
}

let controller: { host: string; uid: string } | undefined;
function whoAndWhere(): { host: string; uid: string } {
  let uid: string;
  try {
    uid = os.userInfo().username;
  } catch {
    uid = String(process.getuid?.() ?? '');
  }
  return { host: os.hostname(), uid };
}

/** The variables the template module adds (ansible_managed with its 2.14 default). */
export function templateVars(file: string): Vars {
  const full = path.resolve(file);
  const now = new Date();
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  const runDate = `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())} ${pad(now.getHours())}:${pad(now.getMinutes())}:${pad(now.getSeconds())}.${pad(now.getMilliseconds() * 1000, 6)}`;
  return {
    ansible_managed: 'Ansible managed',
    template_host: (controller ??= whoAndWhere()).host,
    template_path: full,
    template_fullpath: full,
    template_uid: controller.uid,
    template_run_date: runDate,
  };
}
