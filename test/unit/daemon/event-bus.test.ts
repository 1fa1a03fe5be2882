import { describe, expect, it } from 'vitest';
import type { BusEvent } from '../../../src/api/bus.js';
import { EventBus } from '../../../src/daemon/event-bus.js';
import type { ManagedProcess } from '../../../src/daemon/managed-process.js';
import type { ProcessStatus } from '../../../src/supervisor/status.js';

/** What the bus reads of a process: its id, names, history of statuses, counters and log paths. */
function fakeProcess(id: number, statuses: ProcessStatus[] = []) {
  const history = statuses.map((status, at) => ({ status, at }));
  const p = {
    id,
    name: `app${id}`,
    instance: 0,
    pid: 100 + id,
    spec: { namespace: 'default' },
    context: { restarts: 0, lastExitCode: null },
    logPaths: { out: `/l/app${id}-out.log`, err: null },
    history,
    get status(): ProcessStatus {
      return history.at(-1)?.status ?? 'stopped';
    },
    /** A change of status, as ManagedProcess records it (the daemon hears of it later). */
    to(status: ProcessStatus) {
      history.push({ status, at: history.length });
    },
  };
  return p as typeof p & ManagedProcess;
}

const events = (seen: BusEvent[]) =>
  seen.map((e) =>
    e.kind === 'process'
      ? `${e.process.pm_id}:${e.event}`
      : e.kind === 'message'
        ? `${e.process.pm_id}:${e.type}`
        : e.kind,
  );

describe('EventBus', () => {
  it('says each change of status once, in order, even two heard of in one notification', () => {
    const bus = new EventBus();
    const p = fakeProcess(1, ['launching', 'online']);
    const seen: BusEvent[] = [];
    bus.subscribe((e) => seen.push(e), [p]);
    // What happened before the subscription is not news.
    bus.processChanged(p);
    expect(seen).toEqual([]);
    p.to('waiting-restart');
    p.to('launching');
    bus.processChanged(p);
    bus.processChanged(p);
    p.to('online');
    bus.processChanged(p);
    p.to('stopping');
    p.to('stopped');
    bus.processChanged(p);
    expect(events(seen)).toEqual(['1:exit', '1:start', '1:online', '1:stop']);
    expect(seen[0]).toMatchObject({ process: { status: 'waiting-restart', logs: { out: '/l/app1-out.log' } } });
  });

  it('a process born after the subscription: all of its history', () => {
    const bus = new EventBus();
    const seen: BusEvent[] = [];
    bus.subscribe((e) => seen.push(e), []);
    const p = fakeProcess(2, ['launching', 'online']);
    bus.processChanged(p);
    expect(events(seen)).toEqual(['2:start', '2:online']);
  });

  it("apps' messages: an object with a type and data is an event of that type; anything else is not", () => {
    const bus = new EventBus();
    const p = fakeProcess(3, ['online']);
    const seen: BusEvent[] = [];
    bus.subscribe((e) => seen.push(e), [p]);
    for (const message of [
      { type: 'process:msg', data: { a: 1 } },
      { type: 'custom', data: 0 },
      'ready',
      { type: 'x' },
      null,
    ])
      bus.appMessage(p, message);
    expect(events(seen)).toEqual(['3:process:msg', '3:custom']);
    expect(seen[0]).toMatchObject({ data: { a: 1 } });
  });

  it('stops delivering to a subscriber that left, and refuses more than it can hold', () => {
    const bus = new EventBus();
    const p = fakeProcess(4, ['online']);
    const seen: BusEvent[] = [];
    const leave = bus.subscribe((e) => seen.push(e), [p])!;
    leave();
    p.to('stopped');
    bus.processChanged(p);
    bus.appMessage(p, { type: 'process:msg', data: 1 });
    expect(seen).toEqual([]);
    const many = Array.from({ length: 64 }, () => bus.subscribe(() => undefined, []));
    expect(many.every((u) => u !== null)).toBe(true);
    expect(bus.subscribe(() => undefined, [])).toBeNull();
  });
});
