import { describe, expect, it } from 'vitest';
import { bringOnline, crash, supervise, T0, type Supervised } from './harness.js';

/** A process that crashed `times` times within min_uptime, and is online again after the last one. */
function crashedOnline(times: number, policy = {}): Supervised {
  const p = supervise({ policy: { restartDelayMs: 0, ...policy } });
  bringOnline(p, 100);
  for (let i = 0; i < times; i++) {
    p.advance(100);
    crash(p);
    bringOnline(p, 101 + i);
  }
  return p;
}

describe('RESET_COUNTERS (tend reset)', () => {
  it.each([
    {
      state: 'online after 3 crashes',
      make: () => crashedOnline(3),
      expected: { status: 'online', pid: 103, restarts: 0, unstableRestarts: 0, backoffDelayMs: null },
      uptimeFromNow: true,
    },
    {
      state: 'stopped',
      make: () => {
        const p = crashedOnline(2);
        p.send({ type: 'STOP' });
        p.send({ type: 'EXITED', code: 0, signal: null });
        return p;
      },
      expected: { status: 'stopped', pid: null, restarts: 0, unstableRestarts: 0 },
      uptimeFromNow: false,
    },
    {
      state: 'errored after max_restarts',
      make: () => {
        const p = crashedOnline(1, { maxRestarts: 2 });
        p.advance(100);
        crash(p);
        return p;
      },
      expected: { status: 'errored', pid: null, restarts: 0, unstableRestarts: 0 },
      uptimeFromNow: false,
    },
    {
      state: 'waiting to restart (exponential backoff)',
      make: () => {
        const p = supervise({ policy: { expBackoffRestartDelayMs: 1000 } });
        bringOnline(p);
        p.advance(100);
        crash(p);
        return p;
      },
      expected: { status: 'waiting-restart', restarts: 0, unstableRestarts: 0, backoffDelayMs: null },
      uptimeFromNow: false,
      // Less than the pending delay: the restart still happens when it was due.
      waitMs: 50,
    },
  ])(
    '$state: counters to zero, created-at from now, the status untouched',
    ({ make, expected, uptimeFromNow, waitMs }) => {
      const p = make();
      const before = p.view();
      expect(before.restarts + before.unstableRestarts).toBeGreaterThan(0);
      p.advance(waitMs ?? 5000);
      const spawnsBefore = p.calls.spawn;
      p.send({ type: 'RESET_COUNTERS' });
      const after = p.view();
      expect(after).toMatchObject({ ...expected, createdAt: p.now(), stateSince: before.stateSince });
      expect(after.onlineSince).toBe(uptimeFromNow ? p.now() : null);
      // Nothing is started, stopped or signalled by a reset.
      expect(p.calls.spawn).toBe(spawnsBefore);
      expect(p.calls.notified.at(-1)).toBe(before.status);
    },
  );

  it('a restart that was pending when reset still happens when due', () => {
    const p = supervise({ policy: { expBackoffRestartDelayMs: 1000 } });
    bringOnline(p);
    p.advance(100);
    crash(p);
    const due = p.view().nextRestartAt!;
    p.send({ type: 'RESET_COUNTERS' });
    expect(p.view().nextRestartAt).toBe(due);
    const spawns = p.calls.spawn;
    p.advance(due - p.now());
    expect(p.calls.spawn).toBe(spawns + 1);
    expect(p.status()).toBe('launching');
  });

  it('the next crash counts from zero again', () => {
    const p = crashedOnline(3);
    p.send({ type: 'RESET_COUNTERS' });
    p.advance(100);
    crash(p);
    expect(p.view()).toMatchObject({ restarts: 1, unstableRestarts: 1 });
  });

  it('a process that never restarted keeps its counters at zero and gets a new created-at', () => {
    const p = supervise();
    bringOnline(p);
    p.advance(60_000);
    p.send({ type: 'RESET_COUNTERS' });
    expect(p.view()).toMatchObject({
      restarts: 0,
      unstableRestarts: 0,
      createdAt: T0 + 60_000,
      onlineSince: T0 + 60_000,
    });
  });
});
