import { describe, expect, it } from 'vitest';
import type { ProcStat } from '../../../src/runtime/process-tree.js';
import {
  CLOCK_TICKS_PER_SECOND,
  cpuPercent,
  createProcMeasure,
  lifetimeCpuPercent,
} from '../../../src/runtime/proc-usage.js';
import type { ProcReader } from '../../../src/runtime/proc-usage.js';

const PAGE = 4096;

interface FakeProc {
  ppid: number;
  startTime: number;
  cpuTicks: number;
  rssPages: number;
}

/**
 * A process table the test edits between calls. Like /proc, a handle follows the process it was opened on: once that
 * process is gone (or its pid names another), reads through it fail.
 */
function fakeProc(initial: Record<number, FakeProc>) {
  const table = new Map(Object.entries(initial).map(([pid, p]) => [Number(pid), { ...p }]));
  const handles = new Map<number, { pid: number; startTime: number }>();
  const opens = new Map<number, number>();
  const reads = new Map<number, number>();
  let nextHandle = 1;
  let listings = 0;
  let uptime = 1000;
  const reader: ProcReader = {
    pids: () => {
      listings++;
      return [...table.keys()];
    },
    open: (pid) => {
      const p = table.get(pid);
      if (!p) return null;
      opens.set(pid, (opens.get(pid) ?? 0) + 1);
      handles.set(nextHandle, { pid, startTime: p.startTime });
      return nextHandle++;
    },
    read: (handle: number, into: ProcStat) => {
      const h = handles.get(handle);
      if (!h) throw new Error(`read of closed handle ${handle}`);
      reads.set(h.pid, (reads.get(h.pid) ?? 0) + 1);
      const p = table.get(h.pid);
      if (!p || p.startTime !== h.startTime) return false;
      Object.assign(into, p, { pgid: p.ppid, state: 'S' });
      return true;
    },
    close: (handle) => {
      if (!handles.delete(handle)) throw new Error(`double close of handle ${handle}`);
    },
    uptime: () => uptime,
    pageSize: PAGE,
  };
  return {
    reader,
    table,
    opens,
    reads,
    listings: () => listings,
    openHandles: () => [...handles.values()].map((h) => h.pid).sort((a, b) => a - b),
    setUptime: (s: number) => {
      uptime = s;
    },
    burn: (pid: number, ticks: number) => {
      table.get(pid)!.cpuTicks += ticks;
    },
  };
}

function simulatedClock() {
  let t = 0;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

const base = {
  100: { ppid: 1, startTime: 500, cpuTicks: 0, rssPages: 1000 },
  101: { ppid: 100, startTime: 600, cpuTicks: 0, rssPages: 200 },
  102: { ppid: 101, startTime: 700, cpuTicks: 0, rssPages: 30 },
  200: { ppid: 1, startTime: 800, cpuTicks: 0, rssPages: 50 },
  999: { ppid: 1, startTime: 10, cpuTicks: 0, rssPages: 7 }, // not an app
};

/** Every root read on every call and /proc listed every `walkEvery` calls, as the sampler does without a schedule. */
function setup(walkEvery = 3, rereadEvery = 10, initial: Record<number, FakeProc> = base) {
  const proc = fakeProc(initial);
  const clock = simulatedClock();
  const measurer = createProcMeasure({ reader: proc.reader, now: clock.now, rereadEvery, forgetAfterCalls: 0 });
  let calls = 0;
  const measure = (roots: number[]) => {
    // With no roots the next one starts from a walk, as SampleSchedule plans it.
    if (roots.length === 0) calls = 0;
    return measurer.measure({ read: roots, walk: roots.length > 0 && calls++ % walkEvery === 0 ? roots : null });
  };
  const rssOf = (root: number, roots = [root]) => measure(roots).get(root)?.rss ?? null;
  return { proc, clock, measure, close: () => measurer.close(), rssOf };
}

describe('cpuPercent and lifetimeCpuPercent', () => {
  it.each([
    { ticks: 100, ms: 1000, want: 100 },
    { ticks: 50, ms: 1000, want: 50 },
    { ticks: 1, ms: 1000, want: 1 },
    { ticks: 200, ms: 1000, want: 200 }, // two cores
    { ticks: 30, ms: 3000, want: 10 },
    { ticks: 0, ms: 1000, want: 0 },
    { ticks: -5, ms: 1000, want: 0 }, // never negative
    { ticks: 10, ms: 0, want: 0 }, // two calls in the same millisecond
  ])('$ticks ticks over $ms ms is $want %', ({ ticks, ms, want }) => {
    expect(cpuPercent(ticks, ms)).toBeCloseTo(want, 9);
  });

  it('over a whole life: CPU time over the time since the process started', () => {
    // Started 100 s after boot, now 300 s after boot, used 50 s of CPU.
    expect(lifetimeCpuPercent(50 * CLOCK_TICKS_PER_SECOND, 100 * CLOCK_TICKS_PER_SECOND, 300)).toBeCloseTo(25, 9);
    expect(lifetimeCpuPercent(10, 300 * CLOCK_TICKS_PER_SECOND, 300)).toBe(0);
  });
});

describe('createProcMeasure', () => {
  it('sums RSS and CPU over each tree, CPU from the change since the previous call', () => {
    const { proc, clock, measure } = setup();
    measure([100, 200]);
    clock.advance(1000);
    proc.burn(100, 20);
    proc.burn(102, 5);
    proc.burn(200, 100);
    expect(measure([100, 200])).toEqual(
      new Map([
        [100, { cpu: 25, rss: 1230 * PAGE }],
        [200, { cpu: 100, rss: 50 * PAGE }],
      ]),
    );
    clock.advance(2000);
    proc.burn(101, 10);
    expect(measure([100, 200])).toEqual(
      new Map([
        [100, { cpu: 5, rss: 1230 * PAGE }],
        [200, { cpu: 0, rss: 50 * PAGE }],
      ]),
    );
  });

  it('gives a process seen for the first time its CPU over its whole life', () => {
    const { proc, measure } = setup(3, 10, {
      100: { ppid: 1, startTime: 100 * CLOCK_TICKS_PER_SECOND, cpuTicks: 50 * CLOCK_TICKS_PER_SECOND, rssPages: 1 },
    });
    proc.setUptime(300);
    expect(measure([100]).get(100)!.cpu).toBeCloseTo(25, 9);
  });

  it('keeps each tree member open and reads it once per call; lists /proc every walkEvery calls', () => {
    const { proc, measure } = setup(3, 10);
    for (let i = 0; i < 6; i++) measure([100, 200]);
    expect(proc.listings()).toBe(2);
    expect(Object.fromEntries(proc.opens)).toEqual({ 100: 2, 101: 2, 102: 2, 200: 2, 999: 1 });
    // Each member: one read per call, and one by the first walk.
    expect(Object.fromEntries(proc.reads)).toEqual({ 100: 7, 101: 7, 102: 7, 200: 7, 999: 1 });
    expect(proc.openHandles()).toEqual([100, 101, 102, 200]);
  });

  it('reads only new pids on a walk, and every pid again every rereadEvery walks', () => {
    const { proc, measure } = setup(1, 3);
    measure([200]);
    expect(proc.opens.get(999)).toBe(1);
    proc.table.set(300, { ppid: 1, startTime: 900, cpuTicks: 0, rssPages: 1 });
    measure([200]);
    measure([200]);
    expect(proc.opens.get(999)).toBe(1);
    expect(proc.opens.get(300)).toBe(1);
    measure([200]);
    expect(proc.opens.get(999)).toBe(2);
  });

  it('counts a child an app starts by the next walk', () => {
    const { proc, rssOf } = setup(3);
    rssOf(200);
    proc.table.set(201, { ppid: 200, startTime: 900, cpuTicks: 0, rssPages: 4000 });
    proc.table.set(202, { ppid: 201, startTime: 901, cpuTicks: 0, rssPages: 1 });
    expect(rssOf(200)).toBe(50 * PAGE);
    expect(rssOf(200)).toBe(50 * PAGE);
    expect(rssOf(200)).toBe(4051 * PAGE);
  });

  it('drops a child that exited, and does not count the process that gets its pid', () => {
    const { proc, rssOf } = setup(3, 100);
    expect(rssOf(100)).toBe(1230 * PAGE);
    proc.table.delete(102);
    expect(rssOf(100)).toBe(1200 * PAGE);
    // 101 exits and its pid goes to an unrelated process.
    proc.table.set(101, { ppid: 1, startTime: 5000, cpuTicks: 0, rssPages: 9999 });
    expect(rssOf(100)).toBe(1000 * PAGE);
    // Not after the next walk either: that pid's parent is read again.
    expect(rssOf(100)).toBe(1000 * PAGE);
    expect(rssOf(100)).toBe(1000 * PAGE);
    expect(proc.openHandles()).toEqual([100]);
  });

  it('reports null for a root that is gone, and a new process under that pid starts a new CPU history', () => {
    const { proc, clock, measure } = setup();
    measure([200]);
    proc.table.delete(200);
    expect(measure([200])).toEqual(new Map([[200, null]]));
    proc.setUptime(20);
    proc.table.set(200, { ppid: 1, startTime: 1000, cpuTicks: 500, rssPages: 1 });
    clock.advance(1000);
    // 5 s of CPU over the 10 s it has lived, not 500 ticks over the last second.
    expect(measure([200]).get(200)!.cpu).toBeCloseTo(50, 9);
  });

  it('measures a root new since the last walk at once, alone until the next walk finds its children', () => {
    const { rssOf } = setup(3);
    rssOf(200);
    // 100 and its children were listed by that walk before 100 was a root.
    expect(rssOf(100, [100, 200])).toBe(1000 * PAGE);
    expect(rssOf(100, [100, 200])).toBe(1000 * PAGE);
    expect(rssOf(100, [100, 200])).toBe(1230 * PAGE);
  });

  it('holds nothing for roots that left, nothing once closed, and does not walk with no roots', () => {
    const { proc, measure, close } = setup();
    measure([100, 200]);
    measure([200]);
    expect(proc.openHandles()).toEqual([200]);
    measure([]);
    expect(proc.openHandles()).toEqual([]);
    const listings = proc.listings();
    measure([]);
    expect(proc.listings()).toBe(listings);
    measure([100]);
    expect(proc.listings()).toBe(listings + 1);
    close();
    expect(proc.openHandles()).toEqual([]);
  });

  it('reads only the roots asked for, keeps the others open between their readings, and finds every root’s children', () => {
    const proc = fakeProc(base);
    const clock = simulatedClock();
    const measurer = createProcMeasure({ reader: proc.reader, now: clock.now, rereadEvery: 10, forgetAfterCalls: 3 });
    const all = [100, 200];
    // The walk lists the children of 100 although only 200 is read on that call.
    expect(measurer.measure({ read: [200], walk: all })).toEqual(new Map([[200, { cpu: 0, rss: 50 * PAGE }]]));
    expect(proc.reads.get(100)).toBe(1);
    clock.advance(2000);
    expect(measurer.measure({ read: [100], walk: null })).toEqual(new Map([[100, { cpu: 0, rss: 1230 * PAGE }]]));
    clock.advance(2000);
    proc.burn(100, 40);
    proc.burn(200, 20);
    // CPU over the time since each process's own last reading: 2 s for 100, 4 s for 200.
    expect(measurer.measure({ read: [100, 200], walk: null })).toEqual(
      new Map([
        [100, { cpu: 20, rss: 1230 * PAGE }],
        [200, { cpu: 5, rss: 50 * PAGE }],
      ]),
    );
    expect(Object.fromEntries(proc.opens)).toEqual({ 100: 2, 101: 2, 102: 2, 200: 2, 999: 1 });
    // Not read for more than forgetAfterCalls calls: let go.
    for (let i = 0; i < 4; i++) measurer.measure({ read: [200], walk: null });
    expect(proc.openHandles()).toEqual([200]);
    expect(proc.listings()).toBe(1);
    measurer.close();
  });
});
