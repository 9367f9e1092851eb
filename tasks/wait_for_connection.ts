// wait_for_connection: wait until the host runs a command again over the task's connection (after
// a reboot or a network change), as Ansible 2.14's action: after `delay`, one attempt every `sleep`
// seconds (each bounded by connect_timeout; a lost connection is dropped and opened again) until
// `timeout`. Result: elapsed (seconds). Check mode: skipped, as Ansible.
import type { ModuleContext, Plan, TaskModule } from '../src/types.js';
import { errorText } from '../src/errors.js';
import { secondsSchema as secs } from './lib/args.js';

const schema = {
  type: 'object',
  description:
    "Wait until the host answers a command over the task's connection (reconnecting when it was lost, e.g. after a reboot), as Ansible's wait_for_connection. Fails after timeout with Ansible's message. Result: elapsed seconds. Skipped in check mode.",
  properties: {
    delay: { ...secs('Seconds to wait before the first attempt.'), default: 0 },
    sleep: { ...secs('Seconds between attempts.'), default: 1 },
    timeout: { ...secs('Seconds before giving up.'), default: 600 },
    connect_timeout: { ...secs('Seconds one attempt (connecting and running the command) may take.'), default: 5 },
  },
  additionalProperties: false,
};

const wait = (s: number): Promise<void> => new Promise((r) => setTimeout(r, s * 1000));

/** Python's int() of an argument given as a number or numeric text. */
const pyInt = (v: unknown, d: number): number => (v === undefined || v === null ? d : Math.trunc(Number(v)));

async function plan(ctx: ModuleContext): Promise<Plan> {
  const a = ctx.args;
  const [delay, sleep, timeout, connectTimeout] = [pyInt(a.delay, 0), pyInt(a.sleep, 1), pyInt(a.timeout, 600), pyInt(a.connect_timeout, 5)];
  const start = Date.now();
  if (delay) await wait(delay);
  const end = Date.now() + timeout * 1000;
  let error = '';
  let ok = false;
  for (let attempt = 1; Date.now() < end; attempt++) {
    try {
      await ctx.connectionReset?.();
      // a distinct command per attempt: probes are cached per task
      const res = await Promise.race([
        ctx.probe(`echo pong # wait_for_connection attempt ${attempt}`),
        new Promise<never>((_, rej) => setTimeout(() => rej(new Error(`timed out after ${connectTimeout} s`)), connectTimeout * 1000).unref()),
      ]);
      if (res.rc === 0 && res.stdout.trim() === 'pong') {
        ok = true;
        break;
      }
      error = 'ping test failed';
    } catch (e) {
      error = errorText(e);
      await ctx.reconnect?.().catch(() => undefined);
    }
    await wait(sleep);
  }
  const elapsed = Math.floor((Date.now() - start) / 1000);
  if (!ok) return { steps: [], failed: `timed out waiting for ping module test: ${error}`, result: { elapsed } };
  return { steps: [], changed: false, result: { elapsed } };
}

export const waitForConnection: TaskModule = {
  name: 'wait_for_connection',
  aliases: ['ansible.builtin.wait_for_connection', 'ansible.legacy.wait_for_connection'],
  checkModeUnsupported: '',
  noInterpreterDiscovery: true, // Ansible's ping inside brings no fact back
  schema,
  freeForm: 'kv',
  plan,
};
