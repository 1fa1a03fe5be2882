import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AppSpec } from '../../../src/config/types.js';
import { rollingReload } from '../../../src/daemon/rolling-reload.js';
import { makeSpec } from '../../fixtures/specs.js';
import { drive, fakeDaemon, flush, useFakeTime } from './harness.js';

beforeEach(useFakeTime);
afterEach(() => {
  vi.useRealTimers();
});

// A fork-mode app on a socket tend holds: it says nothing when it is ready (no wait_ready), as most apps.
const held = { listen: [{ port: 8080 }] };
const v1 = makeSpec('api', { instances: 2, run: { args: ['--v1'], ...held } });
const v2 = makeSpec('api', { instances: 2, run: { args: ['--v2'], ...held } });

async function serving(holds: boolean) {
  const daemon = fakeDaemon();
  daemon.registry.holdsSockets = () => holds;
  daemon.fake.behave('api', { readyAfterMs: null });
  const old = [0, 1].map((i) => daemon.registry.add(v1, i, { autostart: true }));
  await drive(Promise.all(old.map((p) => p.waitFor(['online'], 1000))));
  return { ...daemon, old, oldPids: old.map((p) => p.pid!) };
}

function reload(w: Awaited<ReturnType<typeof serving>>, spec: AppSpec = v2) {
  return rollingReload(w.registry, 'api', spec, [0, 1], () => undefined);
}

describe('rolling reload of a fork app on held sockets', () => {
  it('starts each new instance beside the old one, and stops the old one once the new one stayed online', async () => {
    const w = await serving(true);
    const done = reload(w);
    await flush();
    // Online, but not yet for the settle window (min_uptime or 200 ms): the old one still serves.
    await vi.advanceTimersByTimeAsync(150);
    expect(w.fake.running('api').map((p) => p.spec.run.args[0])).toEqual(['--v1', '--v1', '--v2']);
    const fresh = await drive(done);
    expect(w.fake.running('api').map((p) => p.spec.run.args[0])).toEqual(['--v2', '--v2']);
    expect(fresh.map((p) => p.id)).toEqual(w.old.map((p) => p.id));
    for (const p of fresh) expect(w.oldPids).not.toContain(p.pid);
    // Drained over its channel first, then stopped with its kill signal.
    expect(w.fake.byPid(w.oldPids[0]!)!.messages).toEqual([{ tend: 'drain', timeoutMs: v1.policy.killTimeoutMs }]);
    expect(w.oldPids.map((pid) => w.fake.byPid(pid)!.signals)).toEqual([['SIGINT'], ['SIGINT']]);
  });

  it('restarts in place when this daemon does not hold the sockets (it adopted the app)', async () => {
    const w = await serving(false);
    const [first] = await drive(reload(w));
    expect(first).toBe(w.old[0]);
    expect(w.fake.running('api').length).toBeLessThanOrEqual(2);
  });

  it('restarts in place when `listen` changes: the old socket is not the new one', async () => {
    const w = await serving(true);
    const moved = makeSpec('api', { instances: 2, run: { args: ['--v2'], listen: [{ port: 9090 }] } });
    const [first, second] = await drive(reload(w, moved));
    expect([first, second]).toEqual(w.old);
  });

  it('an app that is not Node (no preload to answer) is not sent a drain: its kill signal is its cue', async () => {
    const daemon = fakeDaemon();
    daemon.registry.holdsSockets = () => true;
    const python = (args: string[]) =>
      makeSpec('api', { run: { interpreter: 'python3', args, ...held }, policy: { waitReady: true } });
    const old = daemon.registry.add(python(['--v1']), 0, { autostart: true });
    await drive(old.waitFor(['online'], 1000));
    const oldPid = old.pid!;
    await drive(rollingReload(daemon.registry, 'api', python(['--v2']), [0], () => undefined));
    expect(daemon.fake.byPid(oldPid)!.messages).toEqual([]);
    expect(daemon.fake.byPid(oldPid)!.signals).toEqual(['SIGINT']);
  });
});
