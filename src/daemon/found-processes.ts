import { appProcessesOfHome } from '../runtime/home-processes.js';
import { signalTree } from '../runtime/kill-tree.js';
import { readStartTime } from '../runtime/process-tree.js';

/** A live app process of the home, found by the environment it was started with. */
export interface FoundProcess {
  pid: number;
  startTime: number;
  app: string;
  id: number;
}

/**
 * The app processes of a home that run now, by tend id (TEND_ID in their environment): what a daemon that died
 * mid-apply, mid-restart or mid-delete left running whatever its state file says. One read of /proc/<pid>/environ
 * per process on the machine, so only after a crash or when a recorded pid is gone.
 */
export function runningById(home: string): Map<number, FoundProcess> {
  const found = new Map<number, FoundProcess>();
  for (const p of appProcessesOfHome(home)) {
    const startTime = readStartTime(p.pid);
    if (startTime !== null) found.set(p.id, { ...p, startTime });
  }
  return found;
}

/** Asks a process that no state wants any more to stop (its tree, as a stop would); SIGKILL a while later. */
export function stopFound(p: FoundProcess, graceMs: number): void {
  signalTree(p.pid, 'SIGTERM', { startTime: p.startTime });
  const later = setTimeout(() => signalTree(p.pid, 'SIGKILL', { startTime: p.startTime }), graceMs);
  later.unref();
}
