import { describe, expect, it } from 'vitest';
import { ProcessUsage, UsageHistory, UsageRing } from '../../../src/daemon/usage-history.js';

const KiB = 1024;

describe('usage ring buffer', () => {
  it('keeps samples oldest first', () => {
    const ring = new UsageRing(5);
    ring.push(1000, 1.5, 100 * KiB);
    ring.push(2000, 2.25, 200 * KiB);
    expect(ring.series()).toEqual({ t: [1000, 2000], cpu: [1.5, 2.25], rss: [100 * KiB, 200 * KiB] });
    expect(ring.last()).toEqual({ t: 2000, cpu: 2.25, rss: 200 * KiB });
  });

  it('holds at most its capacity: the oldest samples give way', () => {
    const ring = new UsageRing(3);
    for (let i = 1; i <= 7; i++) ring.push(i * 1000, i, i * 10 * KiB);
    expect(ring.size).toBe(3);
    expect(ring.series()).toEqual({ t: [5000, 6000, 7000], cpu: [5, 6, 7], rss: [50 * KiB, 60 * KiB, 70 * KiB] });
  });

  it('keeps every sample in order while it grows to its capacity, then the newest ones', () => {
    const ring = new UsageRing(100);
    const times = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, k) => (from + k) * 1000);
    for (let i = 1; i <= 17; i++) ring.push(i * 1000, i, i * KiB);
    expect(ring.series().t).toEqual(times(1, 17));
    for (let i = 18; i <= 250; i++) ring.push(i * 1000, i, i * KiB);
    expect(ring.size).toBe(100);
    expect(ring.series()).toEqual({
      t: times(151, 250),
      cpu: times(151, 250).map((t) => t / 1000),
      rss: times(151, 250).map((t) => (t / 1000) * KiB),
    });
    expect(ring.last()).toEqual({ t: 250_000, cpu: 250, rss: 250 * KiB });
  });

  it('gives only the samples since a time', () => {
    const ring = new UsageRing(10);
    for (let i = 1; i <= 6; i++) ring.push(i * 1000, 0, i);
    expect(ring.series(4000).t).toEqual([4000, 5000, 6000]);
  });

  it('keeps CPU to hundredths, RSS to the KiB (large ones too) and times to the tenth of a second', () => {
    const ring = new UsageRing(3);
    ring.push(1_700_000_000_123, 12.3456, 6 * 1024 ** 3 + 700);
    ring.push(1_700_000_001_131, 0, 3 * 1024 ** 4);
    // A clock set back before the first sample.
    ring.push(1_699_999_990_000, 0, 0);
    expect(ring.series()).toEqual({
      t: [1_700_000_000_123, 1_700_000_001_123, 1_699_999_990_023],
      cpu: [12.35, 0, 0],
      rss: [6 * 1024 ** 3 + 1024, 3 * 1024 ** 4, 0],
    });
  });

  it('refuses a capacity that is not a positive integer', () => {
    expect(() => new UsageRing(0)).toThrow(RangeError);
    expect(() => new UsageRing(1.5)).toThrow(RangeError);
  });
});

type Point = { id: number; sample: { cpu: number; rss: number } | null };
const sampleOf = (p: Point) => p.sample;

describe('usage history of all processes', () => {
  it('records a zero point for a process that is not running, so a chart shows it down', () => {
    const history = new UsageHistory({ recentPoints: 10, bucketMs: 10_000, olderPoints: 10 });
    history.record(
      1000,
      [
        { id: 1, sample: { cpu: 5, rss: 500 * KiB } },
        { id: 2, sample: null },
      ] as Point[],
      sampleOf,
    );
    expect(history.of(1)).toEqual({ t: [1000], cpu: [5], rss: [500 * KiB] });
    expect(history.of(2)).toEqual({ t: [1000], cpu: [0], rss: [0] });
  });

  it('adds no point for a process not read on this tick, and keeps its history', () => {
    const history = new UsageHistory({ recentPoints: 10, bucketMs: 10_000, olderPoints: 10 });
    const sampled = (p: { id: number; sample?: Point['sample'] }) => p.sample;
    history.record(1000, [{ id: 1, sample: { cpu: 5, rss: 500 * KiB } }], sampled);
    history.record(2000, [{ id: 1 }], sampled);
    history.record(3000, [{ id: 1, sample: { cpu: 7, rss: 600 * KiB } }], sampled);
    expect(history.of(1)).toEqual({ t: [1000, 3000], cpu: [5, 7], rss: [500 * KiB, 600 * KiB] });
  });

  it('forgets processes that are no longer managed', () => {
    const history = new UsageHistory({ recentPoints: 10, bucketMs: 10_000, olderPoints: 10 });
    history.record(
      1000,
      [
        { id: 1, sample: null },
        { id: 2, sample: null },
      ] as Point[],
      sampleOf,
    );
    history.record(2000, [{ id: 2, sample: { cpu: 1, rss: KiB } }] as Point[], sampleOf);
    expect(Object.keys(history.all())).toEqual(['2']);
    expect(history.of(1)).toBeNull();
    expect(history.latest()).toEqual([{ id: 2, t: 2000, cpu: 1, rss: KiB }]);
  });

  it('keeps an hour at 1 s as 5 minutes of every sample and 10 s points before, bounded however long it runs', () => {
    const history = new UsageHistory({ recentPoints: 300, bucketMs: 10_000, olderPoints: 360 });
    for (let s = 0; s < 5000; s++)
      history.record(s * 1000, [{ id: 7, sample: { cpu: s % 100, rss: s * KiB } }] as Point[], sampleOf);
    const { t, rss } = history.of(7)!;
    expect(t.length).toBeLessThanOrEqual(660);
    // Oldest first, each time once, back to an hour before the last sample.
    expect(t.every((x, i) => i === 0 || x > t[i - 1]!)).toBe(true);
    expect(t.at(-1)! - t[0]!).toBeGreaterThanOrEqual(3590 * 1000);
    expect(t.at(-1)! - t[0]!).toBeLessThan(3610 * 1000);
    const steps = t.slice(1).map((x, i) => x - t[i]!);
    expect(steps.slice(-299).every((d) => d === 1000)).toBe(true);
    expect(steps.slice(0, -301).every((d) => d === 10_000)).toBe(true);
    expect(rss.at(-1)).toBe(4999 * KiB);
  });
});

describe('one process usage: recent samples and older buckets', () => {
  it('a bucket averages CPU and keeps the highest RSS, so a peak still shows once it is older than the recent samples', () => {
    const usage = new ProcessUsage({ recentPoints: 3, bucketMs: 10_000, olderPoints: 10 });
    const cpu = [10, 20, 30, 40, 50, 60, 70, 80, 90, 100];
    const rss = [1, 1, 9, 1, 1, 1, 1, 1, 1, 1];
    for (let s = 0; s < 10; s++) usage.push(s * 1000, cpu[s]!, rss[s]! * KiB);
    // The 11th sample closes the first 10 s bucket.
    usage.push(10_000, 0, KiB);
    usage.push(11_000, 0, KiB);
    // The bucket of 0–9 s (timed at its start), then the three recent samples.
    expect(usage.series()).toEqual({
      t: [0, 9000, 10_000, 11_000],
      cpu: [55, 100, 0, 0],
      rss: [9 * KiB, KiB, KiB, KiB],
    });
    expect(usage.series(9500).t).toEqual([10_000, 11_000]);
    expect(usage.last()).toEqual({ t: 11_000, cpu: 0, rss: KiB });
  });
});
