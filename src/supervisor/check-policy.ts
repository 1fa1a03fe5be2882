import type { LivenessSpec } from '../config/check-types.js';

/** One run of a readiness or liveness check, as `tend show` prints it. */
export interface CheckResult {
  ok: boolean;
  /** When it ended (ms since epoch). */
  at: number;
  /** What it saw, for people: "GET /health answered 200", "GET /health timed out after 2s". */
  message: string;
}

/** Consecutive passes and failures of one check, since the instance was spawned. */
export interface CheckStreak {
  passes: number;
  failures: number;
}

export const NO_STREAK: CheckStreak = { passes: 0, failures: 0 };

/** The streak after one more result: a pass ends a run of failures and the other way round. */
export function nextStreak(streak: CheckStreak, ok: boolean): CheckStreak {
  return ok ? { passes: streak.passes + 1, failures: 0 } : { passes: 0, failures: streak.failures + 1 };
}

/** Whether a readiness check has passed often enough in a row to call the instance ready. */
export function isReady(streak: CheckStreak, threshold: number): boolean {
  return streak.passes >= threshold;
}

/** How an instance's liveness check stands: not run yet, passing, failing but not yet acted on, or due a restart. */
export type LivenessVerdict = 'unknown' | 'passing' | 'failing' | 'unhealthy';

/**
 * What one more liveness result means (docker's rule): a failure inside `start_period` of the spawn does not count; a
 * pass ends the count; `failures` counted failures in a row make the instance unhealthy. The streak returned starts
 * over once that verdict is given, so the next action needs as many failures again.
 */
export function judgeLiveness(
  spec: Pick<LivenessSpec, 'failures' | 'startPeriodMs'>,
  streak: CheckStreak,
  result: Pick<CheckResult, 'ok' | 'at'>,
  spawnedAt: number,
): { streak: CheckStreak; verdict: LivenessVerdict } {
  if (!result.ok && result.at < spawnedAt + spec.startPeriodMs) return { streak, verdict: 'unknown' };
  const next = nextStreak(streak, result.ok);
  if (result.ok) return { streak: next, verdict: 'passing' };
  if (next.failures >= spec.failures) return { streak: NO_STREAK, verdict: 'unhealthy' };
  return { streak: next, verdict: 'failing' };
}

/** The restart reason `tend show` prints for an instance restarted by its liveness check. */
export function unhealthyReason(failures: number, last: string): string {
  return `health check failed ${failures} ${failures === 1 ? 'time' : 'times'}: ${last}`;
}

/** How an instance's liveness check stands, as `ls`, `show` and depends_on's `healthy` read it. */
export type LivenessState =
  /** no liveness check, or no counted result yet */
  | 'unknown'
  /** its last counted result passed */
  | 'passing'
  /** its last counted result failed (not yet `failures` in a row) */
  | 'failing';

/** One check of one instance: its kind, its last result and, for liveness, how it stands. */
export interface CheckRecord {
  kind: 'http' | 'tcp' | 'exec' | 'log';
  last: CheckResult | null;
  streak: CheckStreak;
}

/** The checks of one instance's current (or last) run. */
export interface InstanceChecks {
  readiness: CheckRecord | null;
  liveness: (CheckRecord & { state: LivenessState }) | null;
}
