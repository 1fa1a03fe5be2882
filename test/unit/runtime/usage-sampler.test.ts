import { describe, expect, it } from 'vitest';
import { createUsageSampler } from '../../../src/runtime/usage-sampler.js';
import type { SamplerClock } from '../../../src/runtime/usage-sampler.js';
import type { Usage, UsageSamples } from '../../../src/runtime/usage.js';

/** A clock whose interval fires only when the test says so. */
function manualClock(): SamplerClock & { fire(): void; active(): boolean } {
  let callback: (() => void) | null = null;
  return {
    setInterval: (fn) => {
      callback = fn;
      return 1;
    },
    clearInterval: () => {
      callback = null;
    },
    fire: () => callback?.(),
    active: () => callback !== null,
  };
}

/** A sample function that answers when the test resolves it, counting calls. */
function deferredSample(stats: Record<number, Usage | null>) {
  const calls: number[][] = [];
  const pending: Array<() => void> = [];
  const sample = (pids: number[]) => {
    calls.push(pids);
    return new Promise<Map<number, Usage | null>>((resolve) => {
      pending.push(() => resolve(new Map(pids.map((pid) => [pid, stats[pid] ?? null]))));
    });
  };
  return {
    sample,
    calls,
    resolveAll: () => {
      for (const r of pending.splice(0)) r();
    },
  };
}

const flush = () => new Promise<void>((resolve) => setImmediate(resolve));

const rootsOf = (pids: number[]) => pids.map((pid) => ({ pid, everyTick: false }));

describe('createUsageSampler', () => {
  const trees = new Map([
    [100, [101, 102]],
    [200, []],
    [300, [301]],
  ]);
  const stats: Record<number, Usage | null> = {
    100: { cpu: 10, rss: 1000 },
    101: { cpu: 5, rss: 200 },
    102: null, // a child that exited between the /proc snapshot and the sample
    200: { cpu: 1, rss: 50 },
    300: null, // the root itself is gone
    301: { cpu: 1, rss: 1 },
  };

  it('reports the sum over each tree, and null for a root that is gone', async () => {
    const clock = manualClock();
    const fake = deferredSample(stats);
    const seen: UsageSamples[] = [];
    const sampler = createUsageSampler({
      intervalMs: 1000,
      roots: () => rootsOf([100, 200, 300]),
      onSample: (s) => seen.push(s),
      sample: fake.sample,
      tree: (roots) => new Map(roots.map((r) => [r, trees.get(r) ?? []])),
      clock,
    });
    sampler.start();
    clock.fire();
    fake.resolveAll();
    await flush();
    expect(seen).toEqual([
      new Map([
        [100, { cpu: 15, rss: 1200 }],
        [200, { cpu: 1, rss: 50 }],
        [300, null],
      ]),
    ]);
    expect(fake.calls[0]!.sort()).toEqual([100, 101, 102, 200, 300, 301]);
    sampler.stop();
  });

  it('skips ticks while a run is still in flight', async () => {
    const clock = manualClock();
    const fake = deferredSample(stats);
    const seen: UsageSamples[] = [];
    const sampler = createUsageSampler({
      intervalMs: 1000,
      roots: () => rootsOf([200]),
      onSample: (s) => seen.push(s),
      sample: fake.sample,
      tree: () => new Map(),
      clock,
    });
    sampler.start();
    clock.fire();
    clock.fire();
    clock.fire();
    expect(fake.calls).toHaveLength(1);
    fake.resolveAll();
    await flush();
    clock.fire();
    expect(fake.calls).toHaveLength(2);
    fake.resolveAll();
    await flush();
    expect(seen).toHaveLength(2);
    sampler.stop();
  });

  it('does not report after stop, even for the run in flight', async () => {
    const clock = manualClock();
    const fake = deferredSample(stats);
    const seen: UsageSamples[] = [];
    const sampler = createUsageSampler({
      intervalMs: 1000,
      roots: () => rootsOf([200]),
      onSample: (s) => seen.push(s),
      sample: fake.sample,
      tree: () => new Map(),
      clock,
    });
    sampler.start();
    clock.fire();
    sampler.stop();
    expect(clock.active()).toBe(false);
    fake.resolveAll();
    await flush();
    expect(seen).toEqual([]);
  });

  it('sampleNow joins the run in flight instead of starting another', async () => {
    const clock = manualClock();
    const fake = deferredSample(stats);
    const sampler = createUsageSampler({
      intervalMs: 1000,
      roots: () => rootsOf([200]),
      onSample: () => undefined,
      sample: fake.sample,
      tree: () => new Map(),
      clock,
    });
    const first = sampler.sampleNow();
    const second = sampler.sampleNow();
    fake.resolveAll();
    expect(await first).toBe(await second);
    expect(fake.calls).toHaveLength(1);
  });

  it('samples nothing when there are no pids', async () => {
    const fake = deferredSample(stats);
    const sampler = createUsageSampler({
      intervalMs: 1000,
      roots: () => [],
      onSample: () => undefined,
      sample: fake.sample,
      tree: () => new Map(),
      clock: manualClock(),
    });
    const result = sampler.sampleNow();
    fake.resolveAll();
    expect(await result).toEqual(new Map());
  });
});
