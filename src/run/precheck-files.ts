// The text of a template file a task renders on the controller (template: src) is a template
// string too: checked at load with the rest, its errors at the template's own FILE:LINE. Only
// files known before the run: a templated src, or one not found, is left to the run.
import { existsSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { lookupModule } from '../playbook/modules.js';
import { displayPath } from '../playbook/yamlfile.js';
import { isTemplate } from '../vars/unsafe.js';
import { readControllerFile } from '../vault/files.js';
import type { Task } from '../types.js';
import { srcSearchPaths } from './modctx.js';

const HEADER = '#jinja2:';

/** The options of a template file's rendering the template module takes as arguments. */
const TEXT_OPTIONS = ['trim_blocks', 'lstrip_blocks', 'newline_sequence'];

/**
 * The template file a task renders and its text (a #jinja2: header line blanked, so lines stay the
 * file's), or undefined when unknown before the run. `plain`: rendered as it is with the default
 * options (no header, no option among the arguments): the engine may compile it ahead.
 */
export function templateFileOf(t: Task, playbookDir: string): { file: string; text: string; plain: boolean } | undefined {
  const arg = lookupModule(t.action)?.templateSource;
  const src = arg ? t.args[arg] : undefined;
  if (typeof src !== 'string' || !src || isTemplate(src)) return undefined;
  // other delimiters than Jinja2's, given as arguments: not the syntax the check knows
  if (Object.keys(t.args).some((k) => k.endsWith('_start_string') || k.endsWith('_end_string'))) return undefined;
  const file = isAbsolute(src) ? src : srcSearchPaths(t, playbookDir, 'templates').map((d) => join(d, src)).find((p) => existsSync(p));
  if (!file || !existsSync(file)) return undefined;
  let text: string;
  try {
    text = readControllerFile(file).data.toString('utf8');
  } catch {
    return undefined; // unreadable, or a vault without its password: the run says so
  }
  const plain = !text.startsWith(HEADER) && !TEXT_OPTIONS.some((k) => k in t.args);
  if (text.startsWith(HEADER)) {
    const eol = text.indexOf('\n');
    const header = eol < 0 ? text : text.slice(0, eol);
    if (/_(start|end)_string\s*:/.test(header)) return undefined; // the header sets other delimiters
    text = eol < 0 ? '' : text.slice(eol);
  }
  return { file: displayPath(file), text, plain };
}
