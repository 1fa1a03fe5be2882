import { defaults } from '../core/defaults.js';
import type { ManagedProcess } from './managed-process.js';

/** Stops processes and waits until each is stopped (or errored), all at once; a process that will not stop is given up on. */
export async function stopAll(processes: readonly ManagedProcess[]): Promise<void> {
  await Promise.all(processes.map((p) => p.gracefulStop()));
  await Promise.all(
    processes.map((p) => p.waitFor(['stopped', 'errored'], p.spec.policy.killTimeoutMs + defaults.sigkillWaitMs)),
  );
}
