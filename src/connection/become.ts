// become = sudo. The ONLY place lvsplay wraps commands in sudo.
// The wrapped shell prints a random marker on stderr once sudo has let it run; until then stderr
// belongs to sudo (prompt, "Sorry, try again", lecture) and the command's stdin is held back, so a
// password is never mistaken for the command's input and the command's input never for a password.
import { randomBytes } from 'node:crypto';
import type { BecomeSpec } from '../types.js';
import { TaskError } from '../errors.js';
import { q } from '../shell.js';

export interface BecomeWrap {
  command: string;
  marker?: string; // present when sudo is used
  prompt?: string;
  password?: string;
  user?: string;
}

/** Whether `become` needs sudo: not when the login user already is the target user. */
export function usesSudo(become: BecomeSpec | undefined, loginUser: string): become is BecomeSpec {
  return !!become && (become.user || 'root') !== loginUser;
}

/** Wrap `cmd` for `become`; no sudo when the login user already is the target user. */
export function becomeCommand(cmd: string, become: BecomeSpec | undefined, loginUser: string): BecomeWrap {
  if (!usesSudo(become, loginUser)) return { command: cmd };
  const user = become.user || 'root';
  const tag = randomBytes(8).toString('hex');
  const marker = `LVSPLAY-BECOME-OK-${tag}`;
  const inner = `echo ${marker} >&2\n${cmd}`;
  if (become.password === undefined) {
    // -n: fail at once with "a password is required" instead of waiting for a prompt nobody answers.
    return { command: `sudo -H -n -u ${q(user)} /bin/sh -c ${q(inner)}`, marker, user };
  }
  const prompt = `[lvsplay-sudo-${tag}] password: `;
  return {
    command: `sudo -H -S -p ${q(prompt)} -u ${q(user)} /bin/sh -c ${q(inner)}`,
    marker,
    prompt,
    password: become.password,
    user,
  };
}

/**
 * Follows sudo's stderr until the marker: answers the prompt once, detects a wrong password,
 * then passes the command's own stderr through (prompt and marker stripped).
 */
export class BecomeSession {
  private pre = ''; // stderr before the marker (sudo's own)
  private answered = false;
  ready = false;
  failure?: string;

  constructor(
    private readonly wrap: BecomeWrap,
    private readonly io: { writePassword(pw: string): void; onReady(): void; abort(): void },
  ) {
    if (!wrap.marker) this.ready = true;
  }

  /** Feed stderr data; returns the part that belongs to the command. */
  stderr(chunk: string): string {
    if (this.ready) return chunk;
    this.pre += chunk;
    const { prompt, marker } = this.wrap;
    if (prompt) {
      let idx = this.pre.indexOf(prompt);
      while (idx >= 0) {
        this.pre = this.pre.slice(0, idx) + this.pre.slice(idx + prompt.length);
        if (this.answered) {
          this.failure = `incorrect sudo password for ${this.wrap.user}`;
          this.io.abort();
          return '';
        }
        this.answered = true;
        this.io.writePassword(this.wrap.password ?? '');
        idx = this.pre.indexOf(prompt);
      }
    }
    const m = this.pre.indexOf(marker + '\n');
    if (m < 0) return '';
    const rest = this.pre.slice(m + marker!.length + 1);
    this.pre = this.pre.slice(0, m);
    this.ready = true;
    this.io.onReady();
    return rest;
  }

  /** After the channel closed: throw when sudo never let the command run. */
  check(rc: number): void {
    if (this.failure) throw new TaskError(this.failure, { rc, become: true });
    if (this.ready) return;
    const said = this.pre.replace(/\s+/g, ' ').trim();
    let msg = `become (sudo -u ${this.wrap.user}) failed: ${said || `exit code ${rc}`}`;
    if (/password is required/.test(said)) msg += ' — set ansible_become_password or use --ask-become-pass';
    else if (/not found/.test(said) && /sudo/.test(said)) msg += ' — install sudo on the host';
    else if (/incorrect password|try again/i.test(said)) msg = `incorrect sudo password for ${this.wrap.user}`;
    throw new TaskError(msg, { rc, become: true });
  }
}
