import { describe, expect, it } from 'vitest';
import { bringOnline, crash, supervise, T0 } from './harness.js';

describe('stop', () => {
  it('sends the kill signal, then SIGKILL exactly kill_timeout later, and waits for the exit', () => {
    const p = supervise({ policy: { killSignal: 'SIGTERM', killTimeoutMs: 1600 } });
    bringOnline(p, 42);
    p.send({ type: 'STOP' });
    expect(p.status()).toBe('stopping');
    expect(p.calls.signals).toEqual([{ pid: 42, signal: 'SIGTERM', withMessage: false }]);
    p.advance(1599);
    expect(p.calls.forceKills).toEqual([]);
    p.advance(1);
    expect(p.calls.forceKills).toEqual([42]);
    p.advance(10_000);
    expect(p.status()).toBe('stopping');
    expect(p.calls.forceKills).toEqual([42]);
    p.send({ type: 'EXITED', code: null, signal: 'SIGKILL' });
    expect(p.view()).toMatchObject({ status: 'stopped', pid: null, lastSignal: 'SIGKILL', restarts: 0 });
    expect(p.calls.spawn).toBe(1);
  });

  it('no SIGKILL when the process exits within kill_timeout', () => {
    const p = supervise();
    bringOnline(p);
    p.send({ type: 'STOP' });
    p.advance(300);
    p.send({ type: 'EXITED', code: 0, signal: null });
    p.advance(10_000);
    expect(p.calls.forceKills).toEqual([]);
    expect(p.view()).toMatchObject({ status: 'stopped', stateSince: T0 + 300, lastExitCode: 0 });
  });

  it('asks for the shutdown message when shutdown_with_message is set', () => {
    const p = supervise({ policy: { shutdownWithMessage: true } });
    bringOnline(p, 9);
    p.send({ type: 'STOP' });
    expect(p.calls.signals).toEqual([{ pid: 9, signal: 'SIGINT', withMessage: true }]);
  });

  it('an exit during stop is not a crash, whatever its code', () => {
    const p = supervise();
    bringOnline(p);
    p.send({ type: 'STOP' });
    crash(p, 1);
    p.advance(60_000);
    expect(p.view()).toMatchObject({ status: 'stopped', restarts: 0, unstableRestarts: 0 });
    expect(p.calls.spawn).toBe(1);
  });

  it('while waiting to restart: stopped at once, the pending restart cancelled', () => {
    const p = supervise({ policy: { restartDelayMs: 1000 } });
    bringOnline(p);
    crash(p);
    p.send({ type: 'STOP' });
    expect(p.view()).toMatchObject({ status: 'stopped', nextRestartAt: null });
    p.advance(60_000);
    expect(p.calls.spawn).toBe(1);
    expect(p.calls.signals).toEqual([]);
  });

  it('while launching, before the pid is known: the signal goes out once SPAWNED arrives', () => {
    const p = supervise();
    p.send({ type: 'STOP' });
    expect(p.status()).toBe('stopping');
    expect(p.calls.signals).toEqual([]);
    p.advance(5000);
    expect(p.calls.forceKills).toEqual([]);
    p.send({ type: 'SPAWNED', pid: 77 });
    expect(p.calls.signals).toEqual([{ pid: 77, signal: 'SIGINT', withMessage: false }]);
    expect(p.status()).toBe('stopping');
    p.advance(1600);
    expect(p.calls.forceKills).toEqual([77]);
    p.send({ type: 'EXITED', code: null, signal: 'SIGKILL' });
    expect(p.status()).toBe('stopped');
  });

  it('while launching, if the spawn then fails: stopped, nothing to kill', () => {
    const p = supervise();
    p.send({ type: 'STOP' });
    p.send({ type: 'SPAWN_FAILED', message: 'ENOENT' });
    expect(p.status()).toBe('stopped');
    expect(p.calls.signals).toEqual([]);
  });

  it('while launching with a known pid (waiting for ready): signalled at once', () => {
    const p = supervise({ policy: { waitReady: true } });
    p.send({ type: 'SPAWNED', pid: 5 });
    p.send({ type: 'STOP' });
    expect(p.calls.signals).toEqual([{ pid: 5, signal: 'SIGINT', withMessage: false }]);
    p.advance(3000);
    expect(p.status()).toBe('stopping');
  });

  it('START during a stop brings it back once it has exited, without counting a restart', () => {
    const p = supervise();
    bringOnline(p);
    p.send({ type: 'STOP' });
    p.send({ type: 'START' });
    p.send({ type: 'EXITED', code: 0, signal: null });
    expect(p.view()).toMatchObject({ status: 'launching', restarts: 0 });
    expect(p.calls.spawn).toBe(2);
  });
});

describe('manual restart', () => {
  it('stops, then starts once the old process has exited; counted as PM2 does', () => {
    const p = supervise();
    bringOnline(p, 10);
    p.send({ type: 'RESTART' });
    expect(p.view()).toMatchObject({ status: 'stopping', restarts: 1, lastRestartReason: 'manual' });
    expect(p.calls.signals).toHaveLength(1);
    expect(p.calls.spawn).toBe(1);
    p.send({ type: 'EXITED', code: null, signal: 'SIGINT' });
    expect(p.status()).toBe('launching');
    expect(p.calls.spawn).toBe(2);
    bringOnline(p, 11);
    expect(p.view()).toMatchObject({ status: 'online', pid: 11, restarts: 1 });
  });

  it('resets the unstable counter', () => {
    const p = supervise({ policy: { maxRestarts: 3 } });
    bringOnline(p);
    crash(p);
    bringOnline(p);
    crash(p);
    bringOnline(p);
    expect(p.view().unstableRestarts).toBe(2);
    p.send({ type: 'RESTART' });
    p.send({ type: 'EXITED', code: null, signal: 'SIGINT' });
    expect(p.view().unstableRestarts).toBe(0);
  });

  it('STOP after RESTART cancels the start that was to follow', () => {
    const p = supervise();
    bringOnline(p);
    p.send({ type: 'RESTART' });
    p.send({ type: 'STOP' });
    p.send({ type: 'EXITED', code: 0, signal: null });
    expect(p.status()).toBe('stopped');
    expect(p.calls.spawn).toBe(1);
  });

  it('while waiting to restart: starts now', () => {
    const p = supervise({ policy: { restartDelayMs: 5000 } });
    bringOnline(p);
    crash(p);
    p.advance(10);
    p.send({ type: 'RESTART' });
    expect(p.view()).toMatchObject({ status: 'launching', nextRestartAt: null, stateSince: T0 + 10 });
    p.advance(10_000);
    expect(p.calls.spawn).toBe(2);
  });

  it('from stopped: starts it', () => {
    const p = supervise({ autostart: false });
    p.send({ type: 'RESTART' });
    expect(p.status()).toBe('launching');
    expect(p.calls.spawn).toBe(1);
  });
});
