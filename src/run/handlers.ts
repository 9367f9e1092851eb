// Handler notification and flushing: handlers run once each, in load order, for the hosts
// that notified them; a failed host loses its notifications unless force_handlers.
import type { Handler, Task } from '../types.js';

export class Notifications {
  private pending = new Map<Handler, Set<string>>();

  constructor(public handlers: Handler[]) {}

  add(handlers: Handler[]): void {
    for (const h of handlers) if (!this.handlers.includes(h)) this.handlers.push(h);
  }

  /**
   * Handlers a notify name selects, as Ansible: by name (or `role : name`) only the LAST loaded
   * handler of that name (a role loaded twice, a play handler shadowing a role's), and every
   * handler listening to it as a topic.
   */
  match(name: string): Handler[] {
    const named = this.handlers.filter((h) => h.name === name || (h.role !== undefined && `${h.role.name} : ${h.name}` === name));
    const byName = named[named.length - 1];
    const listening = this.handlers.filter((h) => h.listen.includes(name) && h !== byName);
    return byName ? [byName, ...listening] : listening;
  }

  /** Returns the names that matched no handler. */
  notify(task: Task, host: string, names: string[] = task.notify): string[] {
    const missing: string[] = [];
    for (const n of names) {
      const hs = this.match(n);
      if (hs.length === 0) missing.push(n);
      for (const h of hs) this.notifyHandler(h, host);
    }
    return missing;
  }

  /** The next handler (definition order) with pending hosts, and those hosts (only `host`, when given: the free strategy); clears them. */
  take(host?: string): { handler: Handler; hosts: string[] } | undefined {
    for (const h of this.handlers) {
      const s = this.pending.get(h);
      if (host !== undefined) {
        if (s?.delete(host)) return { handler: h, hosts: [host] };
      } else if (s && s.size) {
        this.pending.delete(h);
        return { handler: h, hosts: [...s] };
      }
    }
    return undefined;
  }

  /** Every handler with pending hosts, without clearing them. */
  peek(): { handler: Handler; hosts: string[] }[] {
    return this.handlers.filter((h) => this.pending.get(h)?.size).map((h) => ({ handler: h, hosts: [...this.pending.get(h)!] }));
  }

  /** Notify one handler for one host (a handler an earlier run left pending). */
  notifyHandler(h: Handler, host: string): void {
    let s = this.pending.get(h);
    if (!s) this.pending.set(h, (s = new Set()));
    s.add(host);
  }

  pendingFor(host: string): boolean {
    for (const s of this.pending.values()) if (s.has(host)) return true;
    return false;
  }
}
