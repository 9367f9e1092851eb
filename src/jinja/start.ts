// The Jinja2 engine process of this lvsplay process, spawned once: as early as the CLI knows it will
// run something (its ~100 ms start then overlaps loading the playbook), else on first use. Only
// the bridge is imported here, so that the spawn comes before lvsplay's heavier imports.
import { JinjaProcess } from './bridge.js';
import { controllerPython } from '../pythonpath.js';

let proc: JinjaProcess | undefined;

/** Spawns the engine process now (without waiting for it); the same process afterwards. */
export function startEngine(): JinjaProcess {
  if (!proc) {
    proc = new JinjaProcess(controllerPython());
    process.once('exit', () => proc?.close());
  }
  return proc;
}

/** The engine process's pid, once started (for benchmarks that count its CPU). */
export function enginePid(): number | undefined {
  return proc?.child.pid;
}
