import { describe, expect, it } from 'vitest';
import { nextBackoffDelay } from '../../../src/supervisor/backoff.js';
import { policy } from './harness.js';

describe('nextBackoffDelay', () => {
  it('follows PM2: the first delay exactly, then ×1.5 floored, capped at 15 s', () => {
    const p = policy({ expBackoffRestartDelayMs: 100 });
    const delays: number[] = [];
    let previous: number | null = null;
    for (let i = 0; i < 16; i++) {
      previous = nextBackoffDelay(p, previous);
      delays.push(previous);
    }
    expect(delays).toEqual([
      100, 150, 225, 337, 505, 757, 1135, 1702, 2553, 3829, 5743, 8614, 12921, 15000, 15000, 15000,
    ]);
  });

  it.each([
    { name: 'fixed delay when there is no backoff', p: { restartDelayMs: 250 }, previous: null, expected: 250 },
    { name: 'fixed delay ignores any previous backoff', p: { restartDelayMs: 250 }, previous: 900, expected: 250 },
    {
      name: 'backoff wins over restart_delay',
      p: { restartDelayMs: 250, expBackoffRestartDelayMs: 40 },
      previous: null,
      expected: 40,
    },
    {
      name: 'a first delay above the cap is kept once',
      p: { expBackoffRestartDelayMs: 20_000 },
      previous: null,
      expected: 20_000,
    },
    { name: 'then it is capped', p: { expBackoffRestartDelayMs: 20_000 }, previous: 20_000, expected: 15_000 },
  ])('$name', ({ p, previous, expected }) => {
    expect(nextBackoffDelay(policy(p), previous)).toBe(expected);
  });
});
