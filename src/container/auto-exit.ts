import type { ProcessStatus } from '../supervisor/status.js';

/** What tend-runtime needs of each process to know whether it is done. */
export interface ProcessOutcome {
  status: ProcessStatus;
  exit_code: number | null;
}

/**
 * Whether every process has come to rest, and the exit code that says how: done once each is stopped or errored
 * (none left at all counts too: `tend delete` from another shell), 1 when one errored or ended with a non-zero code,
 * else 0. A process between two runs (waiting-restart) or on its way down is not done.
 */
export function runOutcome(processes: readonly ProcessOutcome[]): { done: false } | { done: true; code: number } {
  if (processes.some((p) => p.status !== 'stopped' && p.status !== 'errored')) return { done: false };
  const failed = processes.some((p) => p.status === 'errored' || (p.exit_code !== null && p.exit_code !== 0));
  return { done: true, code: failed ? 1 : 0 };
}
