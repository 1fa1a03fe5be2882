import { describe, expect, it } from 'vitest';
import type { PolicySpec } from '../../../src/config/types.js';
import { decideAfterExit, type RestartCounters } from '../../../src/supervisor/restart-policy.js';
import { policy } from './harness.js';

const fresh: RestartCounters = { restarts: 0, unstableRestarts: 0, backoffDelayMs: null };
const AT = 100_000;

/** An exit after the process had been up for `lived` ms (null: it never came online). */
function exitAfter(lived: number | null, code: number | null = 1, signal: string | null = null) {
  return { code, signal, onlineSince: lived === null ? null : AT - lived };
}

describe('decideAfterExit', () => {
  it.each<{ name: string; p: Partial<PolicySpec>; code: number | null; signal?: string; kind: string }>([
    { name: 'autorestart false stops', p: { autorestart: false }, code: 1, kind: 'stop' },
    { name: 'autorestart false stops even a clean exit', p: { autorestart: false }, code: 0, kind: 'stop' },
    { name: 'a code in stop_exit_codes stops', p: { stopExitCodes: [0, 3] }, code: 3, kind: 'stop' },
    { name: 'a code outside stop_exit_codes restarts', p: { stopExitCodes: [0, 3] }, code: 1, kind: 'restart' },
    { name: 'a clean exit restarts by default, as PM2', p: {}, code: 0, kind: 'restart' },
    { name: 'death by signal restarts', p: { stopExitCodes: [0] }, code: null, signal: 'SIGKILL', kind: 'restart' },
  ])('$name', ({ p, code, signal, kind }) => {
    expect(decideAfterExit(policy(p), fresh, exitAfter(5000, code, signal ?? null), AT, 'api').kind).toBe(kind);
  });

  it.each([
    { name: 'lived shorter than min_uptime: unstable + 1', lived: 999, before: 2, after: 3 },
    { name: 'lived exactly min_uptime: stable, count reset', lived: 1000, before: 2, after: 0 },
    { name: 'lived longer than min_uptime: count reset', lived: 60_000, before: 7, after: 0 },
    { name: 'never came online: unstable', lived: null, before: 0, after: 1 },
  ])('$name', ({ lived, before, after }) => {
    const decision = decideAfterExit(
      policy({ minUptimeMs: 1000 }),
      { ...fresh, unstableRestarts: before },
      exitAfter(lived),
      AT,
      'api',
    );
    expect(decision).toMatchObject({ kind: 'restart', counters: { unstableRestarts: after } });
  });

  it('leaves the restart count to the respawn (PM2 counts a restart when it happens, not at the exit)', () => {
    const decision = decideAfterExit(policy(), { ...fresh, restarts: 4 }, exitAfter(5000), AT, 'api');
    expect(decision).toMatchObject({ kind: 'restart', delayMs: 0, counters: { restarts: 4 } });
  });

  it('gives up once unstable restarts reach max_restarts, saying what to do', () => {
    const p = policy({ maxRestarts: 3, minUptimeMs: 500 });
    const below = decideAfterExit(p, { ...fresh, unstableRestarts: 1 }, exitAfter(10), AT, 'api');
    expect(below.kind).toBe('restart');
    const at = decideAfterExit(p, { ...fresh, unstableRestarts: 2 }, exitAfter(10), AT, 'api');
    expect(at).toEqual({
      kind: 'errored',
      reason: 'crashed 3 times within min_uptime (500ms) of starting; not restarting. Fix it, then `tend restart api`',
      counters: { ...fresh, unstableRestarts: 3 },
    });
  });

  it('a stable run after many unstable ones never errors', () => {
    const p = policy({ maxRestarts: 3 });
    const decision = decideAfterExit(p, { ...fresh, unstableRestarts: 2 }, exitAfter(2000), AT, 'api');
    expect(decision.kind).toBe('restart');
  });

  it('max_restarts 0 gives up on the first unstable exit but restarts after stable runs', () => {
    const p = policy({ maxRestarts: 0 });
    expect(decideAfterExit(p, fresh, exitAfter(10), AT, 'api')).toMatchObject({
      kind: 'errored',
      reason: expect.stringContaining('crashed 1 time within'),
    });
    expect(decideAfterExit(p, fresh, exitAfter(5000), AT, 'api').kind).toBe('restart');
  });

  it('carries the exponential backoff from one crash to the next', () => {
    const p = policy({ expBackoffRestartDelayMs: 100 });
    const first = decideAfterExit(p, fresh, exitAfter(5000), AT, 'api');
    expect(first).toMatchObject({ kind: 'restart', delayMs: 100, counters: { backoffDelayMs: 100 } });
    if (first.kind !== 'restart') throw new Error('expected a restart');
    const second = decideAfterExit(p, first.counters, exitAfter(5000), AT, 'api');
    expect(second).toMatchObject({ kind: 'restart', delayMs: 150, counters: { backoffDelayMs: 150 } });
  });

  it('a fixed restart_delay leaves no backoff behind', () => {
    const decision = decideAfterExit(policy({ restartDelayMs: 300 }), fresh, exitAfter(5000), AT, 'api');
    expect(decision).toMatchObject({ kind: 'restart', delayMs: 300, counters: { backoffDelayMs: null } });
  });
});
