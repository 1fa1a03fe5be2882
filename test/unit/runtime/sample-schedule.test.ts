import { describe, expect, it } from 'vitest';
import { SampleSchedule } from '../../../src/runtime/sample-schedule.js';
import type { SampleRoot, SampleScheduleOptions } from '../../../src/runtime/sample-schedule.js';

const options: SampleScheduleOptions = {
  minPerTick: 2,
  roundTicks: 3,
  lookTicks: 2,
  walkEveryTicks: 3,
  idleWalkEveryTicks: 6,
};

const roots = (pids: number[], limited: number[] = []): SampleRoot[] =>
  pids.map((pid) => ({ pid, everyTick: limited.includes(pid) }));

/** The plans of `ticks` ticks in a row for the same roots. */
function plans(schedule: SampleSchedule, given: SampleRoot[], ticks: number) {
  return Array.from({ length: ticks }, () => schedule.next(given));
}

describe('SampleSchedule', () => {
  it('reads every root every tick while there are no more than minPerTick', () => {
    const schedule = new SampleSchedule(options);
    expect(plans(schedule, roots([1, 2]), 4).map((p) => p.read)).toEqual([
      [1, 2],
      [1, 2],
      [1, 2],
      [1, 2],
    ]);
  });

  it.each([
    {
      what: 'six roots: all new on the first tick, then two a tick in turn',
      pids: [1, 2, 3, 4, 5, 6],
      limited: [],
      want: [
        [1, 2, 3, 4, 5, 6],
        [1, 2],
        [3, 4],
        [5, 6],
        [1, 2],
        [3, 4],
      ],
    },
    {
      what: 'nine roots: enough a tick that each comes round within three ticks',
      pids: [1, 2, 3, 4, 5, 6, 7, 8, 9],
      limited: [],
      want: [
        [1, 2, 3, 4, 5, 6, 7, 8, 9],
        [1, 2, 3],
        [4, 5, 6],
        [7, 8, 9],
        [1, 2, 3],
      ],
    },
    {
      what: 'a memory limit: read every tick, before the others, and in the budget',
      pids: [1, 2, 3, 4, 5, 6],
      limited: [4],
      want: [
        [1, 2, 3, 4, 5, 6],
        [4, 1, 2],
        [4, 3, 5],
        [4, 6, 1],
        [4, 2, 3],
        [4, 5, 1],
      ],
    },
    {
      what: 'more limits than the budget: all of them still every tick',
      pids: [1, 2, 3, 4, 5, 6],
      limited: [1, 2, 3],
      want: [
        [1, 2, 3, 4, 5, 6],
        [1, 2, 3, 4],
        [1, 2, 3, 5],
        [1, 2, 3, 6],
        [1, 2, 3, 4],
        [1, 2, 3, 5],
      ],
    },
  ])('$what', ({ pids, limited, want }) => {
    const schedule = new SampleSchedule(options);
    expect(plans(schedule, roots(pids, limited), want.length).map((p) => p.read)).toEqual(want);
  });

  it('never lets a root wait more than roundTicks, however the list changes', () => {
    const schedule = new SampleSchedule({ ...options, minPerTick: 1 });
    const last = new Map<number, number>();
    for (let tick = 0; tick < 60; tick++) {
      // Roots come and go: 1..8, less one that changes every tick, plus 100 + tick every fifth tick.
      const pids = [1, 2, 3, 4, 5, 6, 7, 8].filter((pid) => pid !== (tick % 8) + 1);
      if (tick % 5 === 0) pids.push(100 + tick);
      const { read } = schedule.next(roots(pids));
      for (const pid of read) last.set(pid, tick);
      for (const pid of pids) if (pid < 100 && last.has(pid)) expect(tick - last.get(pid)!).toBeLessThanOrEqual(3);
    }
  });

  it('reads a new root at once', () => {
    const schedule = new SampleSchedule(options);
    plans(schedule, roots([1, 2, 3, 4, 5, 6]), 2);
    expect(schedule.next(roots([1, 2, 3, 4, 5, 6, 7])).read).toEqual([7, 3, 4]);
  });

  it('reads every root for lookTicks ticks after a look, then goes back to turns', () => {
    const schedule = new SampleSchedule(options);
    const given = roots([1, 2, 3, 4, 5, 6]);
    plans(schedule, given, 2);
    schedule.look();
    expect(plans(schedule, given, 4).map((p) => p.read)).toEqual([
      [1, 2, 3, 4, 5, 6],
      [1, 2, 3, 4, 5, 6],
      [1, 2, 3, 4, 5, 6],
      [1, 2],
    ]);
  });

  it.each([
    {
      what: 'no limit, no look, no new root: /proc every idleWalkEveryTicks',
      limited: [],
      look: false,
      want: [0, 6, 12],
    },
    { what: 'a memory limit: every walkEveryTicks', limited: [2], look: false, want: [0, 3, 6, 9, 12] },
    { what: 'someone looking: every walkEveryTicks', limited: [], look: true, want: [0, 3, 6, 9, 12] },
  ])('$what', ({ limited, look, want }) => {
    const schedule = new SampleSchedule(options);
    const walks: number[] = [];
    for (let tick = 0; tick < 14; tick++) {
      if (look) schedule.look();
      if (schedule.next(roots([1, 2, 3], limited)).walk) walks.push(tick);
    }
    expect(walks).toEqual(want);
  });

  it('lists /proc within walkEveryTicks for a root new since the last walk, and at once after having had no roots', () => {
    const schedule = new SampleSchedule(options);
    const walks: number[] = [];
    for (let tick = 0; tick < 14; tick++) {
      // 4 starts at tick 7 (a restart gives a new pid); at tick 11 nothing runs.
      const pids = tick === 11 ? [] : tick >= 7 ? [1, 2, 4] : [1, 2, 3];
      if (schedule.next(roots(pids)).walk) walks.push(tick);
    }
    expect(walks).toEqual([0, 6, 9, 12]);
  });

  it('plans nothing for no roots', () => {
    expect(new SampleSchedule(options).next([])).toEqual({ read: [], walk: false });
  });
});
