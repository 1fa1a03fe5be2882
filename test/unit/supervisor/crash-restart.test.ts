import { describe, expect, it } from 'vitest';
import { bringOnline, crash, supervise, T0 } from './harness.js';

describe('restart after a crash', () => {
  it('waits exactly restart_delay, then spawns again', () => {
    const p = supervise({ policy: { restartDelayMs: 500 } });
    bringOnline(p);
    p.advance(2000);
    crash(p);
    expect(p.status()).toBe('waiting-restart');
    // PM2's restart_time counts the respawn, not the crash: nothing is counted while it waits.
    expect(p.view()).toMatchObject({
      pid: null,
      lastExitCode: 1,
      restarts: 0,
      lastRestartReason: 'crash',
      nextRestartAt: T0 + 2500,
    });
    p.advance(499);
    expect(p.status()).toBe('waiting-restart');
    expect(p.calls.spawn).toBe(1);
    expect(p.view().restarts).toBe(0);
    p.advance(1);
    expect(p.status()).toBe('launching');
    expect(p.calls.spawn).toBe(2);
    expect(p.view()).toMatchObject({ stateSince: T0 + 2500, nextRestartAt: null, restarts: 1 });
  });

  it('a crash stopped while it waits to restart is never counted as a restart', () => {
    const p = supervise({ policy: { restartDelayMs: 500 } });
    bringOnline(p);
    p.advance(2000);
    crash(p);
    p.send({ type: 'STOP' });
    expect(p.view()).toMatchObject({ status: 'stopped', restarts: 0 });
  });

  it('with no delay, spawns again at once without waiting-restart', () => {
    const p = supervise();
    bringOnline(p);
    p.advance(5000);
    crash(p);
    expect(p.status()).toBe('launching');
    expect(p.calls.spawn).toBe(2);
    expect(p.calls.notified).toEqual(['launching', 'online', 'launching']);
  });

  it('an exit while launching counts as a crash', () => {
    const p = supervise({ policy: { waitReady: true, restartDelayMs: 100 } });
    p.send({ type: 'SPAWNED', pid: 7 });
    crash(p, 2);
    expect(p.view()).toMatchObject({ status: 'waiting-restart', unstableRestarts: 1, lastExitCode: 2 });
  });

  it('an exit while launching, with no delay, spawns again at once', () => {
    const p = supervise({ policy: { waitReady: true } });
    p.send({ type: 'SPAWNED', pid: 7 });
    crash(p);
    expect(p.view()).toMatchObject({ status: 'launching', pid: null, restarts: 1 });
    expect(p.calls.spawn).toBe(2);
    expect(p.calls.notified).toEqual(['launching', 'launching']);
  });

  it('records the signal that killed it', () => {
    const p = supervise({ policy: { restartDelayMs: 100 } });
    bringOnline(p);
    p.send({ type: 'EXITED', code: null, signal: 'SIGSEGV' });
    expect(p.view()).toMatchObject({ lastExitCode: null, lastSignal: 'SIGSEGV' });
  });
});

describe('exponential backoff', () => {
  /** Crash after `uptime` ms online, then return the wait before the next spawn. */
  function crashAndMeasure(p: ReturnType<typeof supervise>, uptime: number): number {
    p.advance(uptime);
    crash(p);
    const wait = (p.view().nextRestartAt ?? p.now()) - p.now();
    p.advance(wait);
    expect(p.status()).toBe('launching');
    bringOnline(p);
    return wait;
  }

  it('waits 100, 150, 225, 337… ms, as PM2', () => {
    const p = supervise({ policy: { expBackoffRestartDelayMs: 100 } });
    bringOnline(p);
    const waits = Array.from({ length: 6 }, () => crashAndMeasure(p, 2000));
    expect(waits).toEqual([100, 150, 225, 337, 505, 757]);
    expect(p.view().backoffDelayMs).toBe(757);
  });

  it('caps at 15 s', () => {
    const p = supervise({ policy: { expBackoffRestartDelayMs: 10_000 } });
    bringOnline(p);
    const waits = Array.from({ length: 3 }, () => crashAndMeasure(p, 2000));
    expect(waits).toEqual([10_000, 15_000, 15_000]);
  });

  it('starts over after 30 s of continuous uptime, not before', () => {
    const p = supervise({ policy: { expBackoffRestartDelayMs: 100 } });
    bringOnline(p);
    crashAndMeasure(p, 2000);
    crashAndMeasure(p, 2000);
    expect(crashAndMeasure(p, 29_999)).toBe(225);
    expect(crashAndMeasure(p, 30_000)).toBe(100);
  });

  it('starts over after a manual restart', () => {
    const p = supervise({ policy: { expBackoffRestartDelayMs: 100 } });
    bringOnline(p);
    crashAndMeasure(p, 2000);
    crashAndMeasure(p, 2000);
    p.send({ type: 'RESTART' });
    p.send({ type: 'EXITED', code: null, signal: 'SIGINT' });
    bringOnline(p);
    expect(crashAndMeasure(p, 2000)).toBe(100);
  });
});

describe('crash loop', () => {
  it('goes errored after max_restarts exits within min_uptime, and stops spawning', () => {
    const p = supervise({ policy: { maxRestarts: 3, minUptimeMs: 1000 } });
    for (let i = 0; i < 3; i++) {
      bringOnline(p, 100 + i);
      p.advance(200);
      crash(p);
    }
    expect(p.view()).toMatchObject({
      status: 'errored',
      unstableRestarts: 3,
      restarts: 2,
      errorMessage:
        'crashed 3 times within min_uptime (1000ms) of starting; not restarting. Fix it, then `tend restart api`',
    });
    expect(p.calls.spawn).toBe(3);
    p.advance(60_000);
    expect(p.calls.spawn).toBe(3);
  });

  it('a run longer than min_uptime resets the unstable counter', () => {
    const p = supervise({ policy: { maxRestarts: 3, minUptimeMs: 1000 } });
    bringOnline(p);
    p.advance(200);
    crash(p);
    bringOnline(p);
    p.advance(200);
    crash(p);
    expect(p.view().unstableRestarts).toBe(2);
    bringOnline(p);
    p.advance(1000);
    crash(p);
    expect(p.view()).toMatchObject({ status: 'launching', unstableRestarts: 0 });
    bringOnline(p);
    p.advance(200);
    crash(p);
    expect(p.view()).toMatchObject({ status: 'launching', unstableRestarts: 1 });
  });

  it('START from errored starts over: counters, backoff and message reset', () => {
    const p = supervise({ policy: { maxRestarts: 2, expBackoffRestartDelayMs: 100 } });
    bringOnline(p);
    crash(p);
    p.advance(100);
    bringOnline(p);
    crash(p);
    expect(p.view()).toMatchObject({ status: 'errored', backoffDelayMs: 100 });
    p.send({ type: 'START' });
    expect(p.view()).toMatchObject({
      status: 'launching',
      unstableRestarts: 0,
      backoffDelayMs: null,
      errorMessage: null,
      restarts: 1,
    });
    expect(p.calls.spawn).toBe(3);
  });

  it('RESTART from errored starts it too, and counts', () => {
    const p = supervise({ policy: { maxRestarts: 1 } });
    bringOnline(p);
    crash(p);
    expect(p.status()).toBe('errored');
    p.send({ type: 'RESTART' });
    expect(p.view()).toMatchObject({ status: 'launching', restarts: 1, lastRestartReason: 'manual' });
  });
});

describe('exits that do not restart', () => {
  it.each([
    { name: 'autorestart false', policy: { autorestart: false }, code: 1 },
    { name: 'exit code in stop_exit_codes', policy: { stopExitCodes: [0] }, code: 0 },
  ])('$name → stopped', ({ policy, code }) => {
    const p = supervise({ policy });
    bringOnline(p);
    p.advance(5000);
    crash(p, code);
    expect(p.view()).toMatchObject({ status: 'stopped', restarts: 0, lastExitCode: code, pid: null });
    p.advance(60_000);
    expect(p.calls.spawn).toBe(1);
  });

  it('a code outside stop_exit_codes still restarts', () => {
    const p = supervise({ policy: { stopExitCodes: [0] } });
    bringOnline(p);
    p.advance(5000);
    crash(p, 1);
    expect(p.status()).toBe('launching');
  });
});

describe('spawn failure', () => {
  it('goes errored with the runtime message and does not loop', () => {
    const p = supervise({ policy: { restartDelayMs: 100 } });
    p.send({ type: 'SPAWN_FAILED', message: 'spawn ./nope ENOENT' });
    expect(p.view()).toMatchObject({ status: 'errored', errorMessage: 'spawn ./nope ENOENT', pid: null });
    p.advance(60_000);
    expect(p.calls.spawn).toBe(1);
  });
});

describe('policy updates in place', () => {
  it('a new restart_delay applies to the next crash without restarting the process', () => {
    const p = supervise({ policy: { restartDelayMs: 100 } });
    bringOnline(p);
    p.send({ type: 'POLICY', policy: { ...p.view().policy, restartDelayMs: 700 } });
    expect(p.view()).toMatchObject({ status: 'online', pid: 100, restarts: 0 });
    expect(p.calls.spawn).toBe(1);
    expect(p.calls.signals).toEqual([]);
    p.advance(5000);
    crash(p);
    p.advance(699);
    expect(p.status()).toBe('waiting-restart');
    p.advance(1);
    expect(p.status()).toBe('launching');
  });

  it('does not disturb the backoff-reset timer of an online process', () => {
    const p = supervise({ policy: { expBackoffRestartDelayMs: 100 } });
    bringOnline(p);
    p.advance(2000);
    crash(p);
    p.advance(100);
    bringOnline(p);
    p.advance(20_000);
    p.send({ type: 'POLICY', policy: { ...p.view().policy, minUptimeMs: 2000 } });
    p.advance(10_000);
    expect(p.view().backoffDelayMs).toBeNull();
  });
});
