import { describe, expect, it, vi } from 'vitest';
import { listenKey } from '../../../src/config/listen.js';
import type { ListenAddress } from '../../../src/config/types.js';
import { ListenSockets } from '../../../src/daemon/listen-sockets.js';
import { makeSpec } from '../../fixtures/specs.js';

/** A fake binder: each bind gets the next fd; what is bound and closed is recorded. */
function fakeBinder(fail: string[] = []) {
  let nextFd = 20;
  const bound: string[] = [];
  const closed: string[] = [];
  const hold = async (_app: string, addresses: readonly ListenAddress[]) =>
    addresses.map((address) => {
      const key = listenKey(address);
      if (fail.includes(key)) throw new Error(`cannot listen: ${key}`);
      bound.push(key);
      return { fd: nextFd++, close: () => void closed.push(key) };
    });
  return { hold, bound, closed };
}

const api = (...listen: ListenAddress[]) => makeSpec('api', { run: { listen } });
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('the sockets the daemon holds', () => {
  it('binds once for instances spawned together, and hands the same fds to every later instance', async () => {
    const binder = fakeBinder();
    const sockets = new ListenSockets(binder.hold);
    const spec = api({ port: 8080 }, { path: '/run/api.sock' });
    expect(await Promise.all([sockets.fdsFor(spec), sockets.fdsFor(spec)])).toEqual([
      [20, 21],
      [20, 21],
    ]);
    expect(await sockets.fdsFor(spec)).toEqual([20, 21]);
    expect(binder.bound).toEqual(['*:8080', 'unix:/run/api.sock']);
    expect(sockets.holds(spec)).toBe(true);
  });

  it('a changed listen keeps the sockets it still names, binds the new ones, closes the dropped ones', async () => {
    const binder = fakeBinder();
    const sockets = new ListenSockets(binder.hold);
    await sockets.fdsFor(api({ port: 8080 }, { port: 8081 }));
    expect(await sockets.fdsFor(api({ port: 9090 }, { port: 8080 }))).toEqual([22, 20]);
    await settle();
    expect(binder.closed).toEqual(['*:8081']);
  });

  it('an app that is gone has its sockets closed; a daemon that never bound them does not hold them', async () => {
    const binder = fakeBinder();
    const sockets = new ListenSockets(binder.hold);
    const spec = api({ port: 8080 });
    expect(sockets.holds(spec)).toBe(false);
    await sockets.fdsFor(spec);
    sockets.release('api');
    await settle();
    expect(binder.closed).toEqual(['*:8080']);
    expect(sockets.holds(spec)).toBe(false);
  });

  it('a bind that failed is tried again at the next spawn', async () => {
    const failing = ['*:8080'];
    const binder = fakeBinder(failing);
    const sockets = new ListenSockets(binder.hold);
    await expect(sockets.fdsFor(api({ port: 8080 }))).rejects.toThrow('cannot listen: *:8080');
    failing.pop();
    await settle();
    expect(await sockets.fdsFor(api({ port: 8080 }))).toEqual([20]);
  });
});

describe('a socket still held by instances that are stopping', () => {
  it('is bound once they let it go, tried again every 100 ms for 5 s; then the spawn fails', async () => {
    vi.useFakeTimers();
    try {
      let inUseFor = 3;
      const inUse = () =>
        Object.assign(new Error('in use'), { cause: Object.assign(new Error(), { code: 'EADDRINUSE' }) });
      const tries: number[] = [];
      const sockets = new ListenSockets(async () => {
        tries.push(Date.now());
        if (inUseFor-- > 0) throw inUse();
        return [{ fd: 30, close: () => undefined }];
      });
      const start = Date.now();
      const fds = sockets.fdsFor(api({ port: 8080 }));
      await vi.advanceTimersByTimeAsync(300);
      expect(await fds).toEqual([30]);
      expect(tries.map((t) => t - start)).toEqual([0, 100, 200, 300]);

      const never = new ListenSockets(async () => {
        throw inUse();
      });
      const failed = expect(never.fdsFor(api({ port: 8080 }))).rejects.toThrow('in use');
      await vi.advanceTimersByTimeAsync(5000);
      await failed;
    } finally {
      vi.useRealTimers();
    }
  });
});
