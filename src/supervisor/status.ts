import type { StateValue } from 'xstate';

/** The states a managed process is in; the same strings appear in `tend ls --json`. */
export type ProcessStatus =
  /** spawned or about to be, not yet considered up (waiting for spawn, or for `ready` with wait_ready) */
  | 'launching'
  /** running and considered up */
  | 'online'
  /** the kill signal was sent; waiting for the process tree to exit (SIGKILL after kill_timeout) */
  | 'stopping'
  /** not running, and tend will not start it until asked */
  | 'stopped'
  /** exited; tend will start it again after the restart delay or backoff */
  | 'waiting-restart'
  /** gave up: too many unstable restarts, or it could not be spawned */
  | 'errored';

export const PROCESS_STATUSES: readonly ProcessStatus[] = [
  'launching',
  'online',
  'stopping',
  'stopped',
  'waiting-restart',
  'errored',
];

/** The status a machine state stands for (the top-level state's name). */
export function statusOf(value: StateValue): ProcessStatus {
  const top = typeof value === 'string' ? value : Object.keys(value)[0];
  const status = PROCESS_STATUSES.find((s) => s === top);
  if (status === undefined) throw new Error(`process machine: unknown state ${JSON.stringify(value)}`);
  return status;
}
