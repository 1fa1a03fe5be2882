import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ManagedProcess } from '../../../src/daemon/managed-process.js';
import { FakeLauncher } from '../../fixtures/fake-launcher.js';
import { makeSpec } from '../../fixtures/specs.js';
import { flush, T0, useFakeTime } from './harness.js';

beforeEach(useFakeTime);
afterEach(() => {
  vi.useRealTimers();
});

/** A process a previous daemon started, taken back by a new ManagedProcess. */
function adopted(ignores: NodeJS.Signals[] = []) {
  const fake = new FakeLauncher();
  const child = fake.adoptable({ ignores });
  const p = new ManagedProcess({
    id: 0,
    instance: 0,
    spec: makeSpec('api'),
    autostart: true,
    adopt: {
      pid: child.pid,
      startTime: child.startTime,
      onlineSince: T0 - 60_000,
      restarts: 2,
      unstableRestarts: 0,
      createdAt: T0 - 1,
    },
    launcherFor: fake.launcherFor,
    onChange: () => {},
    os: fake.os,
  });
  return { fake, child, p };
}

describe('ManagedProcess with an adopted process', () => {
  it('runs on without a spawn, and finds its exit in the process table within a second', async () => {
    const { fake, child, p } = adopted();
    expect(p).toMatchObject({ status: 'online', pid: child.pid });
    expect(fake.processes).toHaveLength(1);
    child.exit(1);
    await vi.advanceTimersByTimeAsync(999);
    expect(p.status).toBe('online');
    await vi.advanceTimersByTimeAsync(1);
    // Its exit code is unknown (not our child); autorestart starts it again, counted.
    expect(p.context).toMatchObject({ lastExitCode: null, restarts: 3 });
    expect(fake.running()).toHaveLength(1);
    expect(fake.running()[0]!.request?.spec.name).toBe('api');
  });

  it('once signalled, looks every 25 ms, so a stop takes no longer than for its own child', async () => {
    const { child, p } = adopted();
    p.stop();
    expect(child.signals).toEqual(['SIGINT']);
    expect(p.status).toBe('stopping');
    await vi.advanceTimersByTimeAsync(25);
    expect(p.status).toBe('stopped');
  });

  it('SIGKILLs it after kill_timeout when it ignores the kill signal', async () => {
    const { child, p } = adopted(['SIGINT']);
    p.stop();
    await vi.advanceTimersByTimeAsync(1599);
    expect(child.signals).toEqual(['SIGINT']);
    await vi.advanceTimersByTimeAsync(1);
    expect(child.signals).toEqual(['SIGINT', 'SIGKILL']);
    await vi.advanceTimersByTimeAsync(25);
    expect(p.status).toBe('stopped');
  });

  it('stops looking once disposed', async () => {
    const { p } = adopted();
    await flush();
    expect(vi.getTimerCount()).toBeGreaterThan(0);
    p.dispose();
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe('ManagedProcess: what is left of a run', () => {
  it('after a crash and an immediate restart, sweeps for the ended run’s marker, never the new run’s', async () => {
    const fake = new FakeLauncher();
    const p = new ManagedProcess({
      id: 0,
      instance: 0,
      spec: makeSpec('api', { policy: { restartDelayMs: 0 } }),
      autostart: true,
      launcherFor: fake.launcherFor,
      onChange: () => {},
      os: fake.os,
      extraEnv: { TEND_HOME: '/home/tend' },
    });
    await flush();
    const [first] = fake.of('api');
    const ended = first!.request!.extraEnv!.TEND_RUN!;
    first!.exit(1);
    await flush();
    await new Promise((resolve) => setImmediate(resolve));
    const [, second] = fake.of('api');
    expect(second?.alive).toBe(true);
    expect(fake.runsKilled).toEqual([ended]);
    expect(second!.request!.extraEnv!.TEND_RUN).not.toBe(ended);
    p.dispose();
  });
});
