import { describe, expect, it } from 'vitest';
import {
  actionAtRun,
  type CronSchedule,
  delayUntil,
  isDue,
  maxTimerDelayMs,
  runAfter,
} from '../../../src/supervisor/cron-policy.js';
import { compileSchedule } from '../../../src/supervisor/cron-schedule.js';
import { bringOnline, supervise } from './harness.js';

const at = (iso: string) => Date.parse(iso);
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** The next `count` runs after `from`, stepping the way the daemon's timer does (each from the run before). */
function runs(schedule: CronSchedule, from: number, count: number): (string | null)[] {
  const out: (string | null)[] = [];
  let due = schedule.nextAfter(from);
  for (let i = 0; i < count && due !== null; i++) {
    out.push(iso(due));
    due = runAfter(schedule, due, due);
  }
  return out;
}

describe('the schedule: next run times on a simulated clock', () => {
  it('5 fields: minute precision, the next run strictly after now', () => {
    const nightly = compileSchedule({ pattern: '0 3 * * *', timezone: 'UTC' });
    expect(runs(nightly, at('2026-12-05T02:59:59Z'), 3)).toEqual([
      '2026-12-05T03:00:00.000Z',
      '2026-12-06T03:00:00.000Z',
      '2026-12-07T03:00:00.000Z',
    ]);
    // Exactly at a run: that run is not the next one.
    expect(iso(nightly.nextAfter(at('2026-12-05T03:00:00Z')))).toBe('2026-12-06T03:00:00.000Z');
  });

  it('6 fields: seconds first', () => {
    const everyTwo = compileSchedule({ pattern: '*/2 * * * * *', timezone: 'UTC' });
    expect(runs(everyTwo, at('2026-12-05T10:00:00.500Z'), 3)).toEqual([
      '2026-12-05T10:00:02.000Z',
      '2026-12-05T10:00:04.000Z',
      '2026-12-05T10:00:06.000Z',
    ]);
    const atThirty = compileSchedule({ pattern: '30 15 10 * * 1-5', timezone: 'UTC' });
    // 2026-12-05 is a Saturday: the next weekday is Monday the 7th.
    expect(iso(atThirty.nextAfter(at('2026-12-05T00:00:00Z')))).toBe('2026-12-07T10:15:30.000Z');
  });

  it('read in the time zone given: 03:00 in Paris is 02:00 UTC in winter, 01:00 UTC in summer', () => {
    const paris = compileSchedule({ pattern: '0 3 * * *', timezone: 'Europe/Paris' });
    expect(iso(paris.nextAfter(at('2026-12-05T12:00:00Z')))).toBe('2026-12-06T02:00:00.000Z');
    expect(iso(paris.nextAfter(at('2026-07-01T12:00:00Z')))).toBe('2026-07-02T01:00:00.000Z');
    const newYork = compileSchedule({ pattern: '0 9 * * 1', timezone: 'America/New_York' });
    expect(iso(newYork.nextAfter(at('2026-12-05T00:00:00Z')))).toBe('2026-12-07T14:00:00.000Z');
  });

  it('without a zone, the local time of the process (the daemon) is used', () => {
    const local = compileSchedule({ pattern: '0 3 * * *', timezone: null });
    const next = new Date(local.nextAfter(at('2026-12-05T12:00:00Z'))!);
    expect([next.getHours(), next.getMinutes(), next.getSeconds()]).toEqual([3, 0, 0]);
  });

  it('a date that never comes again gives no next run', () => {
    const never = compileSchedule({ pattern: '0 0 30 2 *', timezone: 'UTC' });
    expect(never.nextAfter(at('2026-12-05T00:00:00Z'))).toBeNull();
  });
});

describe('the timer: how it steps from run to run', () => {
  const everyMinute: CronSchedule = { nextAfter: (t) => (Math.floor(t / 60_000) + 1) * 60_000 };

  it('waits exactly until the run; never negative, never over setTimeout’s limit', () => {
    expect(delayUntil(120_000, 60_500)).toBe(59_500);
    expect(delayUntil(120_000, 130_000)).toBe(0);
    expect(delayUntil(Date.UTC(2027, 0, 1), Date.UTC(2026, 0, 1))).toBe(maxTimerDelayMs);
  });

  it('a wake before the run (a step of a long wait, or an early timer) is not a run', () => {
    expect(isDue(120_000, 119_999)).toBe(false);
    expect(isDue(120_000, 120_000)).toBe(true);
  });

  it('the next run counts from the run that fired, so an early or on-time timer never fires the same run twice', () => {
    expect(runAfter(everyMinute, 120_000, 119_999)).toBe(180_000);
    expect(runAfter(everyMinute, 120_000, 120_003)).toBe(180_000);
  });

  it('a timer that fires late (a suspended machine) skips the runs it missed instead of firing them in a burst', () => {
    expect(runAfter(everyMinute, 120_000, 420_500)).toBe(480_000);
  });
});

describe('what a run does to each process', () => {
  it('restarts a live process, whatever autorestart says', () => {
    for (const status of ['online', 'launching', 'waiting-restart', 'stopping'] as const) {
      expect(actionAtRun(status, true)).toBe('restart');
      expect(actionAtRun(status, false)).toBe('restart');
    }
  });

  it('starts a job (autorestart false) that has ended or failed: a periodic job, as PM2', () => {
    expect(actionAtRun('stopped', false)).toBe('start');
    expect(actionAtRun('errored', false)).toBe('start');
  });

  it('leaves a stopped or errored app that should keep running to a person', () => {
    expect(actionAtRun('stopped', true)).toBe('skip');
    expect(actionAtRun('errored', true)).toBe('skip');
  });

  it('a scheduled restart is counted with reason cron; one by hand stays manual', () => {
    const p = supervise();
    bringOnline(p, 7);
    p.send({ type: 'RESTART', reason: 'cron' });
    p.send({ type: 'EXITED', code: null, signal: 'SIGINT' });
    expect(p.view()).toMatchObject({ status: 'launching', restarts: 1, lastRestartReason: 'cron' });
    p.send({ type: 'SPAWNED', pid: 8 });
    p.send({ type: 'RESTART' });
    expect(p.view()).toMatchObject({ restarts: 2, lastRestartReason: 'manual' });
  });

  it('a job that ended is started by its schedule, counted as a cron restart', () => {
    const p = supervise({ policy: { autorestart: false } });
    bringOnline(p, 7);
    p.send({ type: 'EXITED', code: 0, signal: null });
    expect(p.status()).toBe('stopped');
    p.send({ type: 'RESTART', reason: 'cron' });
    expect(p.view()).toMatchObject({ status: 'launching', restarts: 1, lastRestartReason: 'cron' });
  });
});
