// The controller's python for lvsplay's own uses: the Jinja2 engine (src/jinja/start.ts) and
// Python's codecs where Ansible's behaviour is theirs (\N{NAME} escapes, src/playbook/splitlines.ts).
import { existsSync } from 'node:fs';

/** LVSPLAY_PYTHON, else /usr/bin/python3, else python3 on PATH. */
export function controllerPython(): string {
  return process.env.LVSPLAY_PYTHON || (existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3');
}
