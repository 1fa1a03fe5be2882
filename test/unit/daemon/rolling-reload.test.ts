import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AppSpec } from '../../../src/config/types.js';
import { isTendError } from '../../../src/core/errors.js';
import { rollingReload } from '../../../src/daemon/rolling-reload.js';
import { makeSpec } from '../../fixtures/specs.js';
import { drive, fakeDaemon, flush, useFakeTime } from './harness.js';

beforeEach(useFakeTime);
afterEach(() => {
  vi.useRealTimers();
});

const v1 = makeSpec('web', { instances: 2, run: { execMode: 'cluster', args: ['--v1'] } });
const v2 = makeSpec('web', { instances: 2, run: { execMode: 'cluster', args: ['--v2'] } });

/** A cluster app of two workers, both online and ready, one restart behind them each. */
async function serving() {
  const daemon = fakeDaemon();
  const old = [0, 1].map((i) => daemon.registry.add(v1, i, { autostart: true }));
  await flush();
  for (const p of old) p.restart();
  await flush();
  expect(old.map((p) => [p.status, p.context.restarts])).toEqual([
    ['online', 1],
    ['online', 1],
  ]);
  return { ...daemon, old, oldPids: old.map((p) => p.pid!) };
}

function reload(registry: ReturnType<typeof fakeDaemon>['registry'], spec: AppSpec = v2, report: string[] = []) {
  return rollingReload(registry, 'web', spec, [0, 1], (text) => report.push(text));
}

/** What runs now, per instance: id, status, restarts, args of the process that runs. */
function table(w: Awaited<ReturnType<typeof serving>>): string[] {
  return [...w.registry.apps.get('web')!.processes.values()].map((p) => {
    const runs = w.fake.byPid(p.pid)?.spec.run.args.join(' ') ?? '-';
    return `${p.instance} id ${p.id} ${p.status} r${p.context.restarts} ${runs}`;
  });
}

describe('rolling reload', () => {
  it('replaces each worker by a new one once it is ready; the old one is drained, then stopped', async () => {
    const w = await serving();
    const createdAt = w.old.map((p) => p.context.createdAt);
    w.fake.behave('web', { readyAfterMs: 300 });
    const report: string[] = [];
    const done = reload(w.registry, v2, report);

    // The new worker of instance 0 runs beside the old one until it says ready.
    await vi.advanceTimersByTimeAsync(299);
    expect(w.fake.running('web').map((p) => p.spec.run.args[0])).toEqual(['--v1', '--v1', '--v2']);
    expect(w.fake.drained).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(w.fake.drained).toEqual([w.oldPids[0]]);

    const fresh = await drive(done);
    expect(table(w)).toEqual(['0 id 0 online r2 --v2', '1 id 1 online r2 --v2']);
    expect(fresh.map((p) => p.context.createdAt)).toEqual(createdAt);
    expect(w.fake.drained).toEqual(w.oldPids);
    expect(w.oldPids.map((pid) => w.fake.byPid(pid)!.signals)).toEqual([['SIGINT'], ['SIGINT']]);
    expect(w.old.map((p) => p.status)).toEqual(['stopped', 'stopped']);
    expect(report).toEqual([
      `web[0] reloaded: pid ${w.oldPids[0]} → ${fresh[0]!.pid}`,
      `web[1] reloaded: pid ${w.oldPids[1]} → ${fresh[1]!.pid}`,
    ]);
    // The stored spec is the executor's to set once the whole action is done.
    expect(w.registry.apps.get('web')!.spec).toBe(v1);
  });

  it('stops at a new worker that is not ready within listen_timeout; the old ones keep serving', async () => {
    const w = await serving();
    w.fake.behave('web', { readyAfterMs: null });
    const done = reload(w.registry);
    const failure = expect(done).rejects.toThrow(
      'reload of web stopped at instance 0: the new worker was not ready within listen_timeout (3000 ms); the old instances keep serving',
    );
    await vi.advanceTimersByTimeAsync(2999);
    expect(w.fake.running('web')).toHaveLength(3);
    await vi.advanceTimersByTimeAsync(1);
    await failure;
    await done.catch((err: unknown) => expect(isTendError(err) && err.code).toBe('APPLY_FAILED'));

    expect(table(w)).toEqual(['0 id 0 online r1 --v1', '1 id 1 online r1 --v1']);
    expect(w.old.map((p) => w.fake.byPid(p.pid)!.signals)).toEqual([[], []]);
    expect(w.fake.drained).toEqual([]);
    const [tried] = w.fake.of('web').filter((p) => p.spec === v2);
    expect(tried).toMatchObject({ exitedWith: { code: null, signal: 'SIGINT' } });
    expect(w.fake.running('web').map((p) => p.pid)).toEqual(w.oldPids);
  });

  it('stops at a new worker that crashes while starting, saying how it ended', async () => {
    const w = await serving();
    w.fake.behave('web', { readyAfterMs: null, exitsAfter: { ms: 100, code: 2 } });
    const done = reload(w.registry);
    const failure = expect(done).rejects.toThrow('the new worker exited with code 2; the old instances keep serving');
    await vi.advanceTimersByTimeAsync(100);
    await failure;
    expect(table(w)).toEqual(['0 id 0 online r1 --v1', '1 id 1 online r1 --v1']);
  });

  it('a second worker that fails leaves the first one reloaded and the second one serving the old spec', async () => {
    const w = await serving();
    w.fake.nextSpawn({});
    w.fake.nextSpawn({ readyAfterMs: null });
    const done = reload(w.registry);
    await expect(drive(done)).rejects.toThrow('reload of web stopped at instance 1');
    expect(table(w)).toEqual(['0 id 0 online r2 --v2', '1 id 1 online r1 --v1']);
  });

  it('restarts in place an instance that is not online: nothing serves from it', async () => {
    const w = await serving();
    w.old[1]!.stop();
    await flush();
    expect(w.old[1]!.status).toBe('stopped');
    const [first, second] = await drive(reload(w.registry));
    expect(first).not.toBe(w.old[0]);
    expect(second).toBe(w.old[1]);
    await drive(second!.waitFor(['online'], 1000));
    expect(table(w)).toEqual(['0 id 0 online r2 --v2', '1 id 1 online r2 --v2']);
  });

  it('waits on the machines and one deadline, not a polling loop', async () => {
    const w = await serving();
    w.fake.behave('web', { spawnAfterMs: null });
    const done = reload(w.registry);
    await flush();
    const timersSet = vi.spyOn(globalThis, 'setTimeout');
    await vi.advanceTimersByTimeAsync(2999);
    expect(timersSet).not.toHaveBeenCalled();
    timersSet.mockRestore();
    // A worker whose spawn never answers cannot be signalled: the reload gives up on it after kill_timeout + margin.
    await expect(drive(done)).rejects.toThrow('was not ready within listen_timeout (3000 ms)');
  });
});
