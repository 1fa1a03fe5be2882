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

// A process on its way up, up, between restarts or on its way down is tend's to look after: apply neither resumes it
// nor counts it as stopped, and a restarted daemon takes it back (or starts it again) instead of leaving it stopped.
const LIVE_STATUSES: ReadonlySet<ProcessStatus> = new Set<ProcessStatus>([
  'launching',
  'online',
  'waiting-restart',
  'stopping',
]);

/** Whether a process counts as running: restarted on a change, never resumed, brought back by a new daemon. */
export function isLive(status: ProcessStatus): boolean {
  return LIVE_STATUSES.has(status);
}

/** The status a machine state stands for (the top-level state's name). */
export function statusOf(value: StateValue): ProcessStatus {
  const top = typeof value === 'string' ? value : Object.keys(value)[0];
  const status = PROCESS_STATUSES.find((s) => s === top);
  if (status === undefined) throw new Error(`process machine: unknown state ${JSON.stringify(value)}`);
  return status;
}
