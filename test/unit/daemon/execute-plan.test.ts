import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Dependency } from '../../../src/config/types.js';
import { executePlan } from '../../../src/daemon/execute-plan.js';
import { planApply } from '../../../src/plan/plan-apply.js';
import type { FakeBehaviour } from '../../fixtures/fake-launcher.js';
import { makeDesired, makeSpec, type SpecOverrides } from '../../fixtures/specs.js';
import { drive, fakeDaemon, flush, useFakeTime } from './harness.js';

beforeEach(useFakeTime);
afterEach(() => {
  vi.useRealTimers();
});

/** db, then api depending on it with `condition`, each behaving as told; the apply of both, carried out in waves. */
function chain(condition: Dependency['condition'], db: { spec?: SpecOverrides; behaviour?: FakeBehaviour }) {
  const { fake, registry } = fakeDaemon();
  fake.behave('db', db.behaviour ?? {});
  const desired = makeDesired([
    makeSpec('api', { dependsOn: [{ app: 'db', condition, restart: false }], logs: { err: null } }),
    makeSpec('db', { ...db.spec, logs: { err: null } }),
  ]);
  const plan = planApply(desired, registry.observe());
  const done = executePlan(
    registry,
    plan,
    () => {},
    () => {},
  );
  return { fake, done };
}

describe('executePlan with depends_on', () => {
  it('condition ready: api is spawned only once db said ready', async () => {
    const { fake, done } = chain('ready', { spec: { policy: { waitReady: true } }, behaviour: { readyAfterMs: 1000 } });
    await vi.advanceTimersByTimeAsync(999);
    expect(fake.of('db')).toHaveLength(1);
    expect(fake.of('api')).toHaveLength(0);
    const outcome = await drive(done);
    expect(outcome).toEqual({ failed: [], notStarted: [] });
    expect(fake.of('api')).toHaveLength(1);
  });

  it('a dependency that crashes while starting: its dependent is not started, and the reason names both', async () => {
    const { fake, done } = chain('started', {
      spec: { policy: { maxRestarts: 0 } },
      behaviour: { exitsAfter: { ms: 10, code: 1 } },
    });
    const outcome = await drive(done);
    expect(outcome.failed.map((f) => [f.app, f.reason])).toEqual([['db', 'exited with code 1 while starting']]);
    expect(outcome.notStarted).toEqual([
      { app: 'api', reason: 'api not started: db failed (exited with code 1 while starting)' },
    ]);
    expect(fake.of('api')).toHaveLength(0);
  });

  it('condition ready on an app that went online at listen_timeout without `ready`: not ready, api waits no longer', async () => {
    const { fake, done } = chain('ready', {
      spec: { policy: { waitReady: true, listenTimeoutMs: 1000 } },
      behaviour: { readyAfterMs: null },
    });
    const outcome = await drive(done);
    expect(outcome.notStarted).toEqual([{ app: 'api', reason: 'api not started: db was not ready within 6000 ms' }]);
    expect(fake.of('api')).toHaveLength(0);
  });

  it('condition started does not wait for `ready`', async () => {
    const { fake, done } = chain('started', {
      spec: { policy: { waitReady: true, listenTimeoutMs: 60_000 } },
      behaviour: { readyAfterMs: null },
    });
    await flush();
    // db stays launching (waiting for `ready`) until listen_timeout; started means online, so api waits until then.
    await vi.advanceTimersByTimeAsync(59_000);
    expect(fake.of('api')).toHaveLength(0);
    expect((await drive(done)).notStarted).toEqual([]);
    expect(fake.of('api')).toHaveLength(1);
  });
});
