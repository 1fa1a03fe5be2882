import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { stopAll } from '../../../src/daemon/stop-processes.js';
import { turnWatchOffForStopped } from '../../../src/daemon/watch-off.js';
import { makeSpec } from '../../fixtures/specs.js';
import { drive, fakeDaemon, flush, useFakeTime } from './harness.js';

beforeEach(useFakeTime);
afterEach(() => {
  vi.useRealTimers();
});

describe('pid_file', () => {
  it('each instance writes its pid at spawn, a new one at restart, and the file goes when it exits', async () => {
    const { fake, registry } = fakeDaemon();
    const spec = makeSpec('api', { instances: 2, run: { pidFile: '/run/api.pid' } });
    const [a, b] = [registry.add(spec, 0, { autostart: true }), registry.add(spec, 1, { autostart: true })];
    await flush();
    expect(Object.fromEntries(fake.pidFiles)).toEqual({ '/run/api-0.pid': a.pid, '/run/api-1.pid': b.pid });
    const first = a.pid;
    a.restart();
    await drive(a.waitFor(['online'], 60_000));
    expect(a.pid).not.toBe(first);
    expect(fake.pidFiles.get('/run/api-0.pid')).toBe(a.pid);
    await drive(stopAll([a, b]));
    expect(fake.pidFiles.size).toBe(0);
  });

  it('an app without pid_file writes none', async () => {
    const { fake, registry } = fakeDaemon();
    registry.add(makeSpec('api'), 0, { autostart: true });
    await flush();
    expect(fake.pidFiles.size).toBe(0);
  });
});

describe('stop turns watching off', () => {
  const watch = { paths: ['/srv/api'], ignore: [], delayMs: 100 };

  it('for an app whose every instance is stopped, in its stored spec and every process', async () => {
    const { registry } = fakeDaemon();
    const spec = makeSpec('api', { instances: 2, policy: { watch } });
    const processes = [registry.add(spec, 0, { autostart: true }), registry.add(spec, 1, { autostart: true })];
    await flush();
    await drive(stopAll(processes));
    const changed = turnWatchOffForStopped(registry, processes);
    expect(changed.map((s) => [s.name, s.policy.watch])).toEqual([['api', null]]);
    expect(registry.apps.get('api')?.spec.policy.watch).toBeNull();
    expect(processes.map((p) => p.spec.policy.watch)).toEqual([null, null]);
  });

  it('not while another instance of the app still runs', async () => {
    const { registry } = fakeDaemon();
    const spec = makeSpec('api', { instances: 2, policy: { watch } });
    const [a] = [registry.add(spec, 0, { autostart: true }), registry.add(spec, 1, { autostart: true })];
    await flush();
    await drive(stopAll([a!]));
    expect(turnWatchOffForStopped(registry, [a!])).toEqual([]);
    expect(registry.apps.get('api')?.spec.policy.watch).toEqual(watch);
  });
});
