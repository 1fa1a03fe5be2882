import { describe, expect, it } from 'vitest';
import { processMachine } from '../../../src/supervisor/process.machine.js';
import { PROCESS_STATUSES } from '../../../src/supervisor/status.js';
import { crash, supervise, T0 } from './harness.js';

describe('first state', () => {
  it('autostart: launching, spawn asked once, announced once', () => {
    const p = supervise();
    expect(p.view()).toMatchObject({ status: 'launching', createdAt: T0, stateSince: T0, pid: null, restarts: 0 });
    expect(p.calls.spawn).toBe(1);
    expect(p.calls.notified).toEqual(['launching']);
  });

  it('autostart false: stopped, nothing spawned until START', () => {
    const p = supervise({ autostart: false });
    expect(p.status()).toBe('stopped');
    expect(p.calls.spawn).toBe(0);
    expect(p.calls.notified).toEqual(['stopped']);
    p.send({ type: 'START' });
    expect(p.status()).toBe('launching');
    expect(p.calls.spawn).toBe(1);
  });

  it('adopt: online with the given pid and counters, nothing spawned', () => {
    const adopt = { pid: 4321, onlineSince: T0 - 60_000, restarts: 5, unstableRestarts: 2, createdAt: T0 - 3_600_000 };
    const p = supervise({ adopt });
    expect(p.view()).toMatchObject({
      status: 'online',
      pid: 4321,
      restarts: 5,
      unstableRestarts: 2,
      onlineSince: T0 - 60_000,
      createdAt: T0 - 3_600_000,
    });
    expect(p.calls.spawn).toBe(0);
    expect(p.calls.notified).toEqual(['online']);
    // An adopted process is supervised like any other: its exit restarts it.
    crash(p);
    expect(p.view()).toMatchObject({ status: 'launching', restarts: 6, unstableRestarts: 0 });
  });

  it('adopt wins over autostart false: the process is running', () => {
    const p = supervise({
      autostart: false,
      adopt: { pid: 1, onlineSince: T0, restarts: 0, unstableRestarts: 0, createdAt: T0 },
    });
    expect(p.status()).toBe('online');
  });
});

describe('state names', () => {
  it('the top-level states are exactly the ProcessStatus strings', () => {
    expect(Object.keys(processMachine.states).sort()).toEqual([...PROCESS_STATUSES].sort());
  });
});
