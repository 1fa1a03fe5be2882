import { isLive, type ProcessStatus } from './status.js';

/**
 * The `cron_restart` policy, pure: what a run does to each process, and how the timer steps from run to run.
 * The schedule itself (croner) is cron-schedule.ts, loaded only once some app has one; the daemon owns the timers
 * (src/daemon/cron-timers.ts).
 */

/** A schedule compiled once per spec: the first run strictly after a time. */
export interface CronSchedule {
  /** Epoch ms of the first run after `at`, or null when the pattern never matches again. */
  nextAfter(at: number): number | null;
}

/** What a run of the schedule does to one process. */
export type CronAction =
  /** it is live: restart it, as `tend restart` does */
  | 'restart'
  /** a job (autorestart false) that has ended: start it again, PM2's periodic job */
  | 'start'
  /** stopped or errored while it should keep running: it is left for a person to start */
  | 'skip';

/** Restart if live; start if not and the app is a job (autorestart false); leave it otherwise. */
export function actionAtRun(status: ProcessStatus, autorestart: boolean): CronAction {
  if (isLive(status)) return 'restart';
  return autorestart ? 'skip' : 'start';
}

/** setTimeout's longest delay; a run further away is reached in steps (each wake re-checks the time). */
export const maxTimerDelayMs = 2 ** 31 - 1;

/** How long to wait from `now` for a run due at `dueAt`: never negative, never over setTimeout's limit. */
export function delayUntil(dueAt: number, now: number): number {
  return Math.min(Math.max(0, dueAt - now), maxTimerDelayMs);
}

/** Whether a timer that woke at `now` reached the run due at `dueAt` (false: a step of a long wait, or woke early). */
export function isDue(dueAt: number, now: number): boolean {
  return now >= dueAt;
}

/**
 * The run after the one due at `dueAt` that fired at `now`: counted from the later of the two, so a timer that fires
 * late skips the runs it missed instead of firing them in a burst, and a run never fires twice.
 */
export function runAfter(schedule: CronSchedule, dueAt: number, now: number): number | null {
  return schedule.nextAfter(Math.max(dueAt, now));
}
