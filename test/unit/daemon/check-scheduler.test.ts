import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ApplyEvent } from '../../../src/api/methods.js';
import type { CheckProbe } from '../../../src/config/check-types.js';
import { CheckScheduler } from '../../../src/daemon/check-scheduler.js';
import { settle } from '../../../src/daemon/settle.js';
import { viewOf } from '../../../src/daemon/views.js';
import type { CheckOutcome } from '../../../src/runtime/health-checks/run-check.js';
import { makeSpec, type SpecOverrides } from '../../fixtures/specs.js';
import { fakeDaemon, flush, useFakeTime } from './harness.js';

beforeEach(useFakeTime);
afterEach(() => {
  vi.useRealTimers();
});

const http: CheckProbe = { kind: 'http', port: 3000, path: '/health', status: [] };

/**
 * One instance of `api` with the given checks, a scheduler whose checks answer what `answer` says at the fake time, and
 * the daemon's log lines.
 */
function checked(policy: SpecOverrides['policy'], answer: (sinceStart: number) => CheckOutcome) {
  const { fake, registry } = fakeDaemon();
  const started = Date.now();
  const log: string[] = [];
  const runs: string[] = [];
  const scheduler = new CheckScheduler(
    () => registry.processes(),
    () => {},
    (line) => log.push(line),
    Date.now,
    () => ({
      run: async () => {
        runs.push(String(Date.now() - started));
        return answer(Date.now() - started);
      },
      close: () => {},
    }),
  );
  const p = registry.add(makeSpec('api', { policy, logs: { err: null } }), 0, { autostart: true });
  scheduler.observe(p);
  return { fake, p, scheduler, log, runs };
}

describe('readiness through the scheduler', () => {
  it('an instance is online but starting until its check passes threshold times; apply waits for that', async () => {
    const s = checked(
      { listenTimeoutMs: 10_000, ready: { probe: http, intervalMs: 500, timeoutMs: 1000, threshold: 2 } },
      (t) =>
        t >= 1200
          ? { ok: true, message: 'GET /health answered 200' }
          : { ok: false, message: 'GET /health answered 503' },
    );
    const events: string[] = [];
    let failed: unknown;
    void settle([s.p], (e: ApplyEvent) => events.push(e.kind === 'instance' ? e.status : e.kind)).then((f) => {
      failed = f;
    });
    await flush();
    expect(s.p.status).toBe('online');
    expect(viewOf(s.p, Date.now()).ready).toBe(false);
    await vi.advanceTimersByTimeAsync(1600);
    // 1 pass at 1500: threshold 2 is not met yet.
    expect(s.p.readyAt).toBeNull();
    expect(failed).toBeUndefined();
    await vi.advanceTimersByTimeAsync(500);
    expect(s.p.readyAt).not.toBeNull();
    expect(viewOf(s.p, Date.now()).ready).toBe(true);
    await flush();
    expect(failed).toEqual([]);
    expect(events).toEqual(['launching', 'online', 'ready']);
    // Ready: the readiness check stops.
    const runsWhenReady = s.runs.length;
    await vi.advanceTimersByTimeAsync(3000);
    expect(s.runs.length).toBe(runsWhenReady);
    s.scheduler.close();
  });
});

describe('liveness through the scheduler', () => {
  it('failures in a row restart the instance through its machine: counted, reason health, logged', async () => {
    let healthy = true;
    const s = checked(
      { health: { probe: http, intervalMs: 1000, timeoutMs: 500, failures: 3, startPeriodMs: 0 } },
      () =>
        healthy
          ? { ok: true, message: 'GET /health answered 200' }
          : { ok: false, message: 'GET /health timed out after 500ms' },
    );
    await flush();
    const firstPid = s.p.pid;
    await vi.advanceTimersByTimeAsync(2100);
    expect(s.p.liveness).toBe('passing');
    healthy = false;
    await vi.advanceTimersByTimeAsync(2000);
    expect(s.p.liveness).toBe('failing');
    expect(s.p.context.restarts).toBe(0);
    await vi.advanceTimersByTimeAsync(1000);
    await flush();
    expect(s.p.context.restarts).toBe(1);
    expect(s.p.context.lastRestartReason).toBe('health');
    expect(s.p.context.healthFailure).toBe('health check failed 3 times: GET /health timed out after 500ms');
    expect(s.p.pid).not.toBe(firstPid);
    expect(s.log).toEqual([
      'tend daemon: api[0] (id 0) health check failed (1/3): GET /health timed out after 500ms',
      'tend daemon: api[0] (id 0) health check failed (2/3): GET /health timed out after 500ms',
      'tend daemon: api[0] (id 0) health check failed 3 times: GET /health timed out after 500ms; restarting it',
    ]);
    s.scheduler.close();
  });
});
