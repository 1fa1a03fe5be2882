import { describe, expect, it } from 'vitest';
import { IntervalHistogram, percentile } from '../../../src/probe/histogram.js';

describe('percentile (nearest rank)', () => {
  it.each([
    [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 50, 5],
    [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 95, 10],
    [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90, 9],
    [[7], 99, 7],
    [[1, 2], 50, 1],
    [[1, 2], 51, 2],
    [[1, 2, 3], 0, 1],
    [[1, 2, 3], 100, 3],
  ])('of %j at p%d is %d', (values, p, expected) => {
    expect(percentile(values, p)).toBe(expected);
  });

  it('is NaN for no values', () => {
    expect(percentile([], 50)).toBeNaN();
  });
});

describe('a histogram over one interval', () => {
  it('reports count, p50, p95, p99 and max of what was observed, in any order', () => {
    const h = new IntervalHistogram();
    const values = Array.from({ length: 100 }, (_, i) => 100 - i);
    for (const v of values) h.observe(v);
    expect(h.takeSummary()).toEqual({ count: 100, p50: 50, p95: 95, p99: 99, max: 100 });
  });

  it('starts afresh after each summary, and says so when nothing was observed', () => {
    const h = new IntervalHistogram();
    h.observe(5);
    expect(h.takeSummary()).toMatchObject({ count: 1, max: 5 });
    expect(h.takeSummary()).toBeNull();
    h.observe(2);
    expect(h.takeSummary()).toEqual({ count: 1, p50: 2, p95: 2, p99: 2, max: 2 });
  });

  it('ignores values that are not finite numbers', () => {
    const h = new IntervalHistogram();
    for (const v of [NaN, Infinity, -Infinity, 3]) h.observe(v);
    expect(h.takeSummary()).toEqual({ count: 1, p50: 3, p95: 3, p99: 3, max: 3 });
  });

  it('keeps at most its capacity of values but an exact count and max, with percentiles from a fair sample', () => {
    let seed = 1;
    // A small deterministic generator, so the sample and the test are the same on every run.
    const random = (): number => {
      seed = (seed * 16807) % 2147483647;
      return (seed - 1) / 2147483646;
    };
    const h = new IntervalHistogram(1000, random);
    for (let i = 1; i <= 100_000; i++) h.observe(i);
    const s = h.takeSummary()!;
    expect(s.count).toBe(100_000);
    expect(s.max).toBe(100_000);
    expect((h as unknown as { values: number[] }).values.length).toBe(0);
    // A uniform sample of 1000 puts the median within a few percent of the true one.
    expect(Math.abs(s.p50 - 50_000)).toBeLessThan(5_000);
    expect(Math.abs(s.p99 - 99_000)).toBeLessThan(1_500);
  });
});
