// How long a process has waited for a CPU, from /proc/<pid>/schedstat (Linux with schedstats; elsewhere unknown).
import { readFileSync } from 'node:fs';

/**
 * Milliseconds the process spent runnable but waiting for a CPU since it started (the second field of
 * /proc/<pid>/schedstat, in nanoseconds), or null when that cannot be read: another OS, a kernel without schedstats, a
 * process that is gone.
 */
export function runQueueWaitMs(pid: number): number | null {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/schedstat`, 'latin1');
  } catch {
    return null;
  }
  return parseRunQueueWaitMs(text);
}

export function parseRunQueueWaitMs(schedstat: string): number | null {
  const waitNs = Number(schedstat.split(' ')[1]);
  return Number.isFinite(waitNs) && waitNs >= 0 ? waitNs / 1e6 : null;
}
