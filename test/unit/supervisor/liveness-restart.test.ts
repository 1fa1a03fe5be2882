import { describe, expect, it } from 'vitest';
import { bringOnline, supervise, T0 } from './harness.js';

const REASON = 'health check failed 3 times: GET /health answered 500';

describe('UNHEALTHY: a liveness failure restarts through the restart policy', () => {
  it('stops the process with its kill signal, then starts it again at once; counted as a restart for health', () => {
    const p = supervise({ policy: { minUptimeMs: 1000 } });
    bringOnline(p, 10);
    p.advance(5000);
    p.send({ type: 'UNHEALTHY', reason: REASON });
    expect(p.status()).toBe('stopping');
    expect(p.calls.signals).toEqual([{ pid: 10, signal: 'SIGINT', withMessage: false }]);
    p.send({ type: 'EXITED', code: null, signal: 'SIGINT' });
    expect(p.view()).toMatchObject({
      status: 'launching',
      restarts: 1,
      lastRestartReason: 'health',
      unstableRestarts: 0,
    });
    expect(p.actor.getSnapshot().context.healthFailure).toBe(REASON);
    expect(p.calls.spawn).toBe(2);
  });

  it('waits restart_delay, as after a crash', () => {
    const p = supervise({ policy: { restartDelayMs: 2000 } });
    bringOnline(p);
    p.advance(5000);
    p.send({ type: 'UNHEALTHY', reason: REASON });
    p.send({ type: 'EXITED', code: 0, signal: null });
    expect(p.view()).toMatchObject({ status: 'waiting-restart', nextRestartAt: T0 + 7000 });
    p.advance(2000);
    expect(p.view()).toMatchObject({ status: 'launching', restarts: 1 });
  });

  it('an unhealthy run shorter than min_uptime is unstable: errored at max_restarts', () => {
    const p = supervise({ policy: { minUptimeMs: 10_000, maxRestarts: 2 } });
    for (const pid of [1, 2]) {
      bringOnline(p, pid);
      p.advance(100);
      p.send({ type: 'UNHEALTHY', reason: REASON });
      p.send({ type: 'EXITED', code: null, signal: 'SIGINT' });
    }
    expect(p.view()).toMatchObject({ status: 'errored', unstableRestarts: 2 });
    expect(p.view().errorMessage).toMatch(/within min_uptime/);
  });

  it('the exponential backoff applies', () => {
    const p = supervise({ policy: { expBackoffRestartDelayMs: 100, minUptimeMs: 0 } });
    bringOnline(p);
    p.advance(1000);
    p.send({ type: 'UNHEALTHY', reason: REASON });
    p.send({ type: 'EXITED', code: null, signal: 'SIGINT' });
    expect(p.view()).toMatchObject({ status: 'waiting-restart', backoffDelayMs: 100 });
  });

  it('without autorestart, only reported: the process is left running', () => {
    const p = supervise({ policy: { autorestart: false } });
    bringOnline(p);
    p.send({ type: 'UNHEALTHY', reason: REASON });
    expect(p.status()).toBe('online');
    expect(p.calls.signals).toEqual([]);
  });

  it('a stop by hand during the health restart leaves it stopped', () => {
    const p = supervise();
    bringOnline(p);
    p.send({ type: 'UNHEALTHY', reason: REASON });
    p.send({ type: 'STOP' });
    p.send({ type: 'EXITED', code: null, signal: 'SIGINT' });
    expect(p.view()).toMatchObject({ status: 'stopped', restarts: 0 });
  });
});

describe('READY records when the run became ready', () => {
  it('online, then ready when the check passes; cleared at the exit', () => {
    const p = supervise();
    bringOnline(p);
    p.advance(700);
    expect(p.actor.getSnapshot().context.readyAt).toBeNull();
    p.send({ type: 'READY' });
    p.advance(100);
    p.send({ type: 'READY' });
    expect(p.actor.getSnapshot().context.readyAt).toBe(T0 + 700);
    p.send({ type: 'EXITED', code: 1, signal: null });
    expect(p.actor.getSnapshot().context.readyAt).toBeNull();
  });

  it('with wait_ready, the ready message sets it as it brings the process online', () => {
    const p = supervise({ policy: { waitReady: true } });
    bringOnline(p);
    p.advance(300);
    p.send({ type: 'READY' });
    expect(p.view().status).toBe('online');
    expect(p.actor.getSnapshot().context.readyAt).toBe(T0 + 300);
  });

  it('a cluster worker with a ready: check is online once it listens, and ready only when READY follows', () => {
    const p = supervise({ policy: { waitReady: true } });
    bringOnline(p);
    p.advance(200);
    p.send({ type: 'LISTENING' });
    expect(p.view().status).toBe('online');
    expect(p.actor.getSnapshot().context.readyAt).toBeNull();
    p.advance(300);
    p.send({ type: 'READY' });
    expect(p.actor.getSnapshot().context.readyAt).toBe(T0 + 500);
  });
});
