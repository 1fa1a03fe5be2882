import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ApplyEvent } from '../../../src/api/methods.js';
import type { ManagedProcess } from '../../../src/daemon/managed-process.js';
import { settle } from '../../../src/daemon/settle.js';
import { makeSpec, type SpecOverrides } from '../../fixtures/specs.js';
import type { FakeBehaviour } from '../../fixtures/fake-launcher.js';
import { fakeDaemon, flush, useFakeTime } from './harness.js';

beforeEach(useFakeTime);
afterEach(() => {
  vi.useRealTimers();
});

/** One instance of `api` started now, with the given spec and fake behaviour, and apply's wait for it. */
function starting(overrides: SpecOverrides = {}, behaviour: FakeBehaviour = {}) {
  const { fake, registry } = fakeDaemon();
  fake.behave('api', behaviour);
  // No error log: a failure's last lines would be read from disk.
  const p = registry.add(makeSpec('api', { ...overrides, logs: { err: null } }), 0, { autostart: true });
  const events: string[] = [];
  let result: Awaited<ReturnType<typeof settle>> | undefined;
  const done = settle([p], (event) => events.push(line(event))).then((failed) => {
    result = failed;
  });
  return { fake, p, events, done, result: () => result };
}

function line(event: ApplyEvent): string {
  if (event.kind !== 'instance') return event.kind;
  return event.detail ? `${event.status}: ${event.detail}` : event.status;
}

describe('settle', () => {
  it('calls an instance ready once it stayed online for the settle window (min_uptime when shorter)', async () => {
    const s = starting({ policy: { minUptimeMs: 120 } });
    await flush();
    expect(s.events).toEqual(['launching', 'online']);
    await vi.advanceTimersByTimeAsync(119);
    expect(s.result()).toBeUndefined();
    await vi.advanceTimersByTimeAsync(1);
    expect(s.events).toEqual(['launching', 'online', 'ready']);
    expect(s.result()).toEqual([]);
  });

  it('with wait_ready, waits for `ready`, then the settle window (applySettleMs when shorter than min_uptime)', async () => {
    const s = starting({ policy: { waitReady: true } }, { readyAfterMs: 500 });
    await vi.advanceTimersByTimeAsync(499);
    expect(s.events).toEqual(['launching']);
    await vi.advanceTimersByTimeAsync(1);
    expect(s.events).toEqual(['launching', 'online']);
    await vi.advanceTimersByTimeAsync(199);
    expect(s.result()).toBeUndefined();
    await vi.advanceTimersByTimeAsync(1);
    expect(s.events).toEqual(['launching', 'online', 'ready']);
  });

  it('with wait_ready and no `ready`, goes online at listen_timeout as PM2, and is ready the settle window later', async () => {
    const s = starting({ policy: { waitReady: true, listenTimeoutMs: 1000 } }, { readyAfterMs: null });
    await vi.advanceTimersByTimeAsync(1199);
    expect(s.events).toEqual(['launching', 'online']);
    await vi.advanceTimersByTimeAsync(1);
    expect(s.events).toEqual(['launching', 'online', 'ready']);
  });

  it('counts the settle window in time the process could run: a start that waited for a CPU is not called up early', async () => {
    const s = starting({}, { exitsAfter: { ms: 300, code: 1 } });
    await flush();
    // At 200 ms the process had waited 150 ms of it in the run queue (a busy machine): 50 ms of running is too short.
    s.fake.runQueueWait.set(s.p.pid!, 150);
    await vi.advanceTimersByTimeAsync(200);
    expect(s.events).toEqual(['launching', 'online']);
    await vi.advanceTimersByTimeAsync(100);
    expect(s.events.at(-1)).toBe('failed: exited with code 1 while starting');
  });

  it('a start that waited for a CPU is called up once it could run for the window', async () => {
    const s = starting();
    await flush();
    s.fake.runQueueWait.set(s.p.pid!, 150);
    await vi.advanceTimersByTimeAsync(349);
    expect(s.result()).toBeUndefined();
    await vi.advanceTimersByTimeAsync(1);
    expect(s.events).toEqual(['launching', 'online', 'ready']);
  });

  it('listen_timeout bounds the wait of a process that never gets a CPU', async () => {
    const s = starting({ policy: { listenTimeoutMs: 1000 } });
    await flush();
    s.fake.runQueueWait.set(s.p.pid!, 1e9);
    await vi.advanceTimersByTimeAsync(999);
    expect(s.result()).toBeUndefined();
    await vi.advanceTimersByTimeAsync(1);
    expect(s.events).toEqual(['launching', 'online', 'ready']);
  });

  it('a crash while starting fails it, whatever state the crash led to', async () => {
    const s = starting({}, { exitsAfter: { ms: 50, code: 3 } });
    await vi.advanceTimersByTimeAsync(50);
    expect(s.events).toEqual(['launching', 'online', 'launching', 'failed: exited with code 3 while starting']);
    expect(s.result()).toEqual([
      { app: 'api', instance: 0, id: 0, reason: 'exited with code 3 while starting', errLog: null, lastLines: [] },
    ]);
  });

  it('names the signal that killed it', async () => {
    const s = starting();
    await vi.advanceTimersByTimeAsync(10);
    s.fake.byPid(s.p.pid)!.exit(null, 'SIGSEGV');
    await flush();
    expect(s.events.at(-1)).toBe('failed: was killed by SIGSEGV while starting');
  });

  it('an instance that cannot be spawned fails with its error', async () => {
    const s = starting({}, { spawnFails: 'cannot start api: /srv/api/index.js does not exist' });
    await flush();
    expect(s.events).toEqual(['launching', 'errored', 'failed: cannot start api: /srv/api/index.js does not exist']);
  });

  it('an instance stopped while it starts fails', async () => {
    const s = starting();
    s.p.stop();
    await flush();
    expect(s.events).toEqual(['launching', 'stopping', 'stopped', 'failed: stopped while starting']);
  });

  it('one that never comes up fails at listen_timeout + settle window + 5 s, waiting on a single timer', async () => {
    const s = starting({ policy: { listenTimeoutMs: 3000 } }, { spawnAfterMs: null });
    await flush();
    // No polling: the deadline is the one timer pending while the machine waits for its spawn, and none is set again.
    expect(vi.getTimerCount()).toBe(1);
    const timersSet = vi.spyOn(globalThis, 'setTimeout');
    await vi.advanceTimersByTimeAsync(8199);
    expect(timersSet).not.toHaveBeenCalled();
    timersSet.mockRestore();
    expect(s.events).toEqual(['launching']);
    await vi.advanceTimersByTimeAsync(1);
    expect(s.events).toEqual(['launching', 'failed: did not come online within 8200 ms']);
    await s.done;
    expect(vi.getTimerCount()).toBe(0);
  });

  it('reports each instance of several, each on its own', async () => {
    const { fake, registry } = fakeDaemon();
    fake.behave('bad', { exitsAfter: { ms: 20, code: 1 } });
    const good = registry.add(makeSpec('good', { logs: { err: null } }), 0, { autostart: true });
    const bad = registry.add(makeSpec('bad', { logs: { err: null } }), 0, { autostart: true });
    const seen: string[] = [];
    const done = settle([good, bad] as ManagedProcess[], (e) => {
      if (e.kind === 'instance' && (e.status === 'ready' || e.status === 'failed')) seen.push(`${e.app} ${e.status}`);
    });
    await vi.advanceTimersByTimeAsync(200);
    expect(seen).toEqual(['bad failed', 'good ready']);
    expect((await done).map((f) => f.app)).toEqual(['bad']);
  });

  it('an instance still waiting for its fork does not fail while others of the same apply come online', async () => {
    // Forks go a few per turn (SpawnPacer): on a busy machine the last of 500 forks long after the first.
    const { fake, registry } = fakeDaemon();
    fake.behave('early', { spawnAfterMs: 6000 });
    fake.behave('late', { spawnAfterMs: 12_000 });
    fake.behave('never', { spawnAfterMs: null });
    const policy = { listenTimeoutMs: 3000 }; // 8.2 s to come online, counted from the apply's last progress
    const spec = (name: string) => makeSpec(name, { policy, logs: { err: null } });
    const started = ['early', 'late', 'never'].map((name) => registry.add(spec(name), 0, { autostart: true }));
    const outcome: string[] = [];
    const done = settle(started as ManagedProcess[], (e) => {
      if (e.kind === 'instance' && (e.status === 'ready' || e.status === 'failed'))
        outcome.push(`${e.app} ${e.status}`);
    });
    await vi.advanceTimersByTimeAsync(12_200);
    expect(outcome).toEqual(['early ready', 'late ready']);
    // 8.2 s after `late` came online at 12 s, nothing else having moved.
    await vi.advanceTimersByTimeAsync(7999);
    expect(outcome).toEqual(['early ready', 'late ready']);
    await vi.advanceTimersByTimeAsync(1);
    expect(outcome).toEqual(['early ready', 'late ready', 'never failed']);
    expect((await done).map((f) => f.reason)).toEqual(['did not come online within 8200 ms']);
  });
});
