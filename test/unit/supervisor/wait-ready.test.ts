import { describe, expect, it } from 'vitest';
import { supervise, T0 } from './harness.js';

describe('wait_ready', () => {
  it('stays launching after SPAWNED until the process sends ready', () => {
    const p = supervise({ policy: { waitReady: true } });
    p.send({ type: 'SPAWNED', pid: 8 });
    expect(p.view()).toMatchObject({ status: 'launching', pid: 8 });
    p.advance(1200);
    p.send({ type: 'READY' });
    expect(p.view()).toMatchObject({ status: 'online', onlineSince: T0 + 1200 });
  });

  it('goes online anyway exactly listen_timeout after the spawn', () => {
    const p = supervise({ policy: { waitReady: true, listenTimeoutMs: 3000 } });
    p.advance(50);
    p.send({ type: 'SPAWNED', pid: 8 });
    p.advance(2999);
    expect(p.status()).toBe('launching');
    p.advance(1);
    expect(p.view()).toMatchObject({ status: 'online', onlineSince: T0 + 3050, stateSince: T0 + 3050 });
  });

  it('without wait_ready, online on SPAWNED', () => {
    const p = supervise();
    p.advance(20);
    p.send({ type: 'SPAWNED', pid: 8 });
    expect(p.view()).toMatchObject({ status: 'online', pid: 8, onlineSince: T0 + 20 });
  });

  it('READY without wait_ready, or a second READY, changes nothing', () => {
    const p = supervise();
    p.send({ type: 'SPAWNED', pid: 8 });
    p.advance(10);
    p.send({ type: 'READY' });
    expect(p.view()).toMatchObject({ status: 'online', onlineSince: T0 });
    expect(p.calls.notified).toEqual(['launching', 'online']);
  });
});
