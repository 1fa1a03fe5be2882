import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CronTimers } from '../../../src/daemon/cron-timers.js';
import { compileSchedule } from '../../../src/supervisor/cron-schedule.js';
import { makeSpec } from '../../fixtures/specs.js';

const T0 = Date.parse('2026-12-05T10:00:00.500Z');
const everyTwoSeconds = { cronRestart: { pattern: '*/2 * * * * *', timezone: 'UTC' } };

// Simulated clock: vitest's fake timers move Date.now and setTimeout together; nothing sleeps.
describe('the daemon’s cron timers', () => {
  let runs: string[];
  let timers: CronTimers;
  beforeEach(() => {
    vi.useFakeTimers({ now: T0 });
    runs = [];
    timers = new CronTimers(
      (app) => runs.push(`${app}@${new Date(Date.now()).toISOString()}`),
      Date.now,
      async () => compileSchedule,
    );
  });
  afterEach(() => {
    timers.closeAll();
    vi.useRealTimers();
  });

  it('arms one timer per app with a schedule and re-arms it after each run', async () => {
    timers.update(makeSpec('api', { policy: everyTwoSeconds }));
    timers.update(makeSpec('web'));
    await vi.advanceTimersByTimeAsync(0);
    expect(timers.nextRunAt('api')).toBe(Date.parse('2026-12-05T10:00:02Z'));
    expect(timers.nextRunAt('web')).toBeNull();
    await vi.advanceTimersByTimeAsync(5_500);
    expect(runs).toEqual([
      'api@2026-12-05T10:00:02.000Z',
      'api@2026-12-05T10:00:04.000Z',
      'api@2026-12-05T10:00:06.000Z',
    ]);
    expect(timers.nextRunAt('api')).toBe(Date.parse('2026-12-05T10:00:08Z'));
  });

  it('an unchanged schedule keeps its timer; a changed one is re-armed; a removed one and a deleted app stop', async () => {
    timers.update(makeSpec('api', { policy: everyTwoSeconds }));
    await vi.advanceTimersByTimeAsync(1_000);
    timers.update(makeSpec('api', { policy: everyTwoSeconds, instances: 3 }));
    await vi.advanceTimersByTimeAsync(1_000);
    expect(runs).toEqual(['api@2026-12-05T10:00:02.000Z']);
    timers.update(makeSpec('api', { policy: { cronRestart: { pattern: '*/5 * * * * *', timezone: 'UTC' } } }));
    await vi.advanceTimersByTimeAsync(3_000);
    expect(runs).toEqual(['api@2026-12-05T10:00:02.000Z', 'api@2026-12-05T10:00:05.000Z']);
    timers.update(makeSpec('api'));
    await vi.advanceTimersByTimeAsync(10_000);
    expect(runs).toHaveLength(2);
    expect(timers.nextRunAt('api')).toBeNull();
    timers.update(makeSpec('api', { policy: everyTwoSeconds }));
    timers.close('api');
    await vi.advanceTimersByTimeAsync(10_000);
    expect(runs).toHaveLength(2);
  });

  it('a run further away than setTimeout allows is reached in steps, and fires once', async () => {
    timers.update(makeSpec('yearly', { policy: { cronRestart: { pattern: '0 0 1 1 *', timezone: 'UTC' } } }));
    await vi.advanceTimersByTimeAsync(0);
    const due = Date.parse('2027-01-01T00:00:00Z');
    expect(timers.nextRunAt('yearly')).toBe(due);
    await vi.advanceTimersByTimeAsync(due - T0 - 1);
    expect(runs).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(runs).toEqual(['yearly@2027-01-01T00:00:00.000Z']);
  });
});
