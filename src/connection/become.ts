// become = sudo or su. The ONLY place lvsplay wraps commands for privilege escalation.
// The wrapped shell prints a random marker on stderr once sudo/su has let it run; until then stderr
// belongs to sudo/su (prompt, "Sorry, try again", lecture) and the command's stdin is held back, so
// a password is never mistaken for the command's input and the command's input never for a password.
// sudo gets its own random prompt (-p); su has none, so its prompt is recognised as what it prints
// before the marker on a line that ends in a colon (su reads the password from stdin without a tty).
import { randomBytes } from 'node:crypto';
import type { BecomeSpec } from '../types.js';
import { TaskError } from '../errors.js';
import { q } from '../shell.js';

/** become methods lvsplay implements. */
export const BECOME_METHODS = ['sudo', 'su'] as const;

export interface BecomeWrap {
  command: string;
  marker?: string; // present when sudo/su is used
  method?: 'sudo' | 'su';
  /** sudo's own prompt (exact text) */
  prompt?: string;
  password?: string;
  user?: string;
}

/**
 * su's prompt: the unterminated last line of its output naming a password and ending in a colon
 * ("Password: ", "Passwort: ", "密码："). A bare colon is not enough: su writes its messages as
 * "su: " and then the text, which may arrive apart.
 */
const SU_PROMPT =
  /(?:^|\n)([^\n]*(?:password|passwort|mot de passe|contraseña|senha|parola|wachtwoord|lösenord|passord|adgangskode|salasana|hasło|heslo|jelszó|geslo|lozinka|пароль|密码|密碼|パスワード|암호)[^\n]*[:：] ?)$/i;

/** Whether `become` needs sudo/su: not when the login user already is the target user. */
export function needsBecome(become: BecomeSpec | undefined, loginUser: string): become is BecomeSpec {
  return !!become && (become.user || 'root') !== loginUser;
}

/** Wrap `cmd` for `become`; nothing when the login user already is the target user. */
export function becomeCommand(cmd: string, become: BecomeSpec | undefined, loginUser: string): BecomeWrap {
  if (!needsBecome(become, loginUser)) return { command: cmd };
  const user = become.user || 'root';
  const tag = randomBytes(8).toString('hex');
  const marker = `LVSPLAY-BECOME-OK-${tag}`;
  const inner = `echo ${marker} >&2\n${cmd}`;
  if (become.method === 'su') {
    // As Ansible: `su USER -c CMD` (the target user's shell runs CMD; no login environment).
    return { command: `su ${q(user)} -c ${q(`/bin/sh -c ${q(inner)}`)}`, marker, method: 'su', password: become.password, user };
  }
  if (become.password === undefined) {
    // -n: fail at once with "a password is required" instead of waiting for a prompt nobody answers.
    return { command: `sudo -H -n -u ${q(user)} /bin/sh -c ${q(inner)}`, marker, method: 'sudo', user };
  }
  const prompt = `[lvsplay-sudo-${tag}] password: `;
  return {
    command: `sudo -H -S -p ${q(prompt)} -u ${q(user)} /bin/sh -c ${q(inner)}`,
    marker,
    method: 'sudo',
    prompt,
    password: become.password,
    user,
  };
}

const HOW = 'set ansible_become_password or use --ask-become-pass';

/**
 * Follows sudo's/su's stderr until the marker: answers the prompt once, detects a wrong or missing
 * password, then passes the command's own stderr through (prompt and marker stripped).
 */
export class BecomeSession {
  private pre = ''; // stderr before the marker (sudo's/su's own)
  private answered = false;
  ready = false;
  failure?: string;

  constructor(
    private readonly wrap: BecomeWrap,
    private readonly io: { writePassword(pw: string): void; onReady(): void; abort(): void },
  ) {
    if (!wrap.marker) this.ready = true;
  }

  /** A prompt was seen: answer it once; a second prompt means the password was wrong. */
  private prompted(): void {
    const { method, user, password } = this.wrap;
    if (this.answered || (method === 'su' && password === undefined)) {
      this.failure = this.answered ? `incorrect ${method} password for ${user}` : `su to ${user} asks for a password — ${HOW}`;
      this.io.abort();
      return;
    }
    this.answered = true;
    this.io.writePassword(password ?? '');
  }

  /** Feed stderr data; returns the part that belongs to the command. */
  stderr(chunk: string): string {
    if (this.ready) return chunk;
    this.pre += chunk;
    const { prompt, marker, method } = this.wrap;
    if (prompt) {
      let idx = this.pre.indexOf(prompt);
      while (idx >= 0 && !this.failure) {
        this.pre = this.pre.slice(0, idx) + this.pre.slice(idx + prompt.length);
        this.prompted();
        idx = this.pre.indexOf(prompt);
      }
    } else if (method === 'su' && !this.pre.includes(marker + '\n')) {
      // only before the marker: after it, a line ending in a colon is the command's own output
      const m = SU_PROMPT.exec(this.pre);
      if (m) {
        this.pre = this.pre.slice(0, this.pre.length - m[1].length);
        this.prompted();
      }
    }
    if (this.failure) return '';
    const m = this.pre.indexOf(marker + '\n');
    if (m < 0) return '';
    const rest = this.pre.slice(m + marker!.length + 1);
    this.pre = this.pre.slice(0, m);
    this.ready = true;
    this.io.onReady();
    return rest;
  }

  /** After the channel closed: throw when sudo/su never let the command run. */
  check(rc: number): void {
    if (this.failure) throw new TaskError(this.failure, { rc, become: true });
    if (this.ready) return;
    const { method, user } = this.wrap;
    const said = this.pre.replace(/\s+/g, ' ').trim();
    let msg = `become (${method} ${method === 'su' ? '' : '-u '}${user}) failed: ${said || `exit code ${rc}`}`;
    if (/password is required/.test(said)) msg += ` — ${HOW}`;
    else if (/not found/.test(said) && said.includes(method ?? 'sudo')) msg += ` — install ${method} on the host`;
    else if (/incorrect password|try again|authentication failure/i.test(said)) msg = `incorrect ${method} password for ${user}`;
    throw new TaskError(msg, { rc, become: true });
  }
}
