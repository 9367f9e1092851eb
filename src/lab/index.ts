// Programmatic API of the namespace lab (the CLI, tests and benches use this).
export { labUp, isUp } from './up.js';
export type { UpOptions, UpResult } from './up.js';
export { labDown } from './down.js';
export type { DownOptions, DownResult } from './down.js';
export { labStatus, formatStatus } from './status.js';
export type { LabStatus, HostStatus } from './status.js';
export { labSsh, sshArgs } from './ssh.js';
export { labDirFrom, makeConfig, paths, DEFAULT_LAB_DIR, DEFAULT_SUBNET } from './config.js';
export type { LabConfig, LabHost } from './config.js';
export { readState } from './state.js';
export { LabError } from './system.js';
export { ensureRootfs, rootfsReady, ROOTFS_DIR } from './rootfs.js';

import { labDirFrom, paths } from './config.js';
/** Path of the lab inventory (`-i lab`). */
export function labInventoryPath(dir = labDirFrom()): string {
  return paths(dir).inventory;
}
