import { describe, expect, test } from 'vitest';
import {
  type CheckStreak,
  isReady,
  judgeLiveness,
  NO_STREAK,
  nextStreak,
  unhealthyReason,
} from '../../../src/supervisor/check-policy.js';

const T = 1_700_000_000_000;

/** Feeds results (ok or not, at ms after the spawn) to judgeLiveness; returns each verdict. */
function verdicts(spec: { failures: number; startPeriodMs: number }, results: Array<[boolean, number]>): string[] {
  let streak: CheckStreak = NO_STREAK;
  return results.map(([ok, after]) => {
    const judged = judgeLiveness(spec, streak, { ok, at: T + after }, T);
    streak = judged.streak;
    return judged.verdict;
  });
}

describe('readiness: threshold passes in a row', () => {
  test.each([
    [1, [true], [true]],
    [2, [true, true], [false, true]],
    [2, [true, false, true, true], [false, false, false, true]],
    [3, [false, true, true, false, true, true, true], [false, false, false, false, false, false, true]],
  ])('threshold %i, results %o → ready %o', (threshold, results, expected) => {
    let streak = NO_STREAK;
    const ready = results.map((ok) => {
      streak = nextStreak(streak, ok);
      return isReady(streak, threshold);
    });
    expect(ready).toEqual(expected);
  });
});

describe('liveness: failures in a row after start_period', () => {
  test.each([
    [
      '3 failures in a row are unhealthy',
      { failures: 3, startPeriodMs: 0 },
      [
        [false, 1000],
        [false, 2000],
        [false, 3000],
      ],
      ['failing', 'failing', 'unhealthy'],
    ],
    [
      'a pass ends the count',
      { failures: 3, startPeriodMs: 0 },
      [
        [false, 1000],
        [false, 2000],
        [true, 3000],
        [false, 4000],
        [false, 5000],
      ],
      ['failing', 'failing', 'passing', 'failing', 'failing'],
    ],
    [
      'failures inside start_period do not count',
      { failures: 2, startPeriodMs: 5000 },
      [
        [false, 1000],
        [false, 4999],
        [false, 5000],
        [false, 6000],
      ],
      ['unknown', 'unknown', 'failing', 'unhealthy'],
    ],
    [
      'a pass inside start_period counts',
      { failures: 2, startPeriodMs: 5000 },
      [
        [true, 1000],
        [false, 2000],
      ],
      ['passing', 'unknown'],
    ],
    [
      'after a verdict the count starts over',
      { failures: 1, startPeriodMs: 0 },
      [
        [false, 1000],
        [false, 2000],
      ],
      ['unhealthy', 'unhealthy'],
    ],
    [
      'failures: 2 needs two again after an unhealthy verdict',
      { failures: 2, startPeriodMs: 0 },
      [
        [false, 1],
        [false, 2],
        [false, 3],
        [false, 4],
      ],
      ['failing', 'unhealthy', 'failing', 'unhealthy'],
    ],
  ] as Array<[string, { failures: number; startPeriodMs: number }, Array<[boolean, number]>, string[]]>)(
    '%s',
    (_name, spec, results, expected) => {
      expect(verdicts(spec, results)).toEqual(expected);
    },
  );

  test('the restart reason says how many failures and the last one', () => {
    expect(unhealthyReason(3, 'GET /health timed out after 2s')).toBe(
      'health check failed 3 times: GET /health timed out after 2s',
    );
    expect(unhealthyReason(1, 'GET /health answered 500')).toBe('health check failed 1 time: GET /health answered 500');
  });
});
