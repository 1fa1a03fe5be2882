import { createActor, SimulatedClock } from 'xstate';
import type { PolicySpec } from '../../../src/config/types.js';
import { processMachine } from '../../../src/supervisor/process.machine.js';
import { describeProcess } from './describe.js';
import type { AdoptedProcess, ProcessEvent, SignalParams } from '../../../src/supervisor/process.types.js';
import type { ProcessStatus } from '../../../src/supervisor/status.js';

/** Wall-clock time the simulated clock's zero stands for, so `at` values look like real timestamps. */
export const T0 = 1_700_000_000_000;

/** PM2's defaults, with the overrides a test cares about. */
export function policy(overrides: Partial<PolicySpec> = {}): PolicySpec {
  return {
    autorestart: true,
    maxRestarts: 16,
    minUptimeMs: 1000,
    restartDelayMs: 0,
    expBackoffRestartDelayMs: null,
    stopExitCodes: [],
    maxMemoryRestartBytes: null,
    killSignal: 'SIGINT',
    killTimeoutMs: 1600,
    listenTimeoutMs: 3000,
    waitReady: false,
    shutdownWithMessage: false,
    watch: null,
    ...overrides,
  };
}

type EventWithoutTime = ProcessEvent extends infer E ? (E extends ProcessEvent ? Omit<E, 'at'> : never) : never;

/** A process machine on a simulated clock, with recording fakes for every side effect. */
export function supervise(options: { policy?: Partial<PolicySpec>; autostart?: boolean; adopt?: AdoptedProcess } = {}) {
  const clock = new SimulatedClock();
  const calls = {
    spawn: 0,
    signals: [] as SignalParams[],
    forceKills: [] as number[],
    notified: [] as ProcessStatus[],
  };
  const machine = processMachine.provide({
    actions: {
      spawnProcess: () => {
        calls.spawn += 1;
      },
      signalProcess: (_args, params) => {
        calls.signals.push(params);
      },
      forceKill: (_args, params) => {
        calls.forceKills.push(params.pid);
      },
      notify: (_args, params) => {
        calls.notified.push(params.status);
      },
    },
  });
  const actor = createActor(machine, {
    clock,
    input: {
      name: 'api',
      policy: policy(options.policy),
      autostart: options.autostart ?? true,
      at: T0,
      ...(options.adopt ? { adopt: options.adopt } : {}),
    },
  });
  actor.start();

  const now = () => T0 + clock.now();
  const view = () => describeProcess(actor.getSnapshot());
  return {
    actor,
    calls,
    now,
    view,
    status: () => view().status,
    /** Sends an event stamped with the simulated time. */
    send(event: EventWithoutTime) {
      actor.send({ ...event, at: now() } as ProcessEvent);
    },
    advance(ms: number) {
      clock.increment(ms);
    },
  };
}

export type Supervised = ReturnType<typeof supervise>;

/** Brings a freshly launched process online with the given pid. */
export function bringOnline(p: Supervised, pid = 100): void {
  p.send({ type: 'SPAWNED', pid });
}

/** The main pid exits with a crash code. */
export function crash(p: Supervised, code = 1): void {
  p.send({ type: 'EXITED', code, signal: null });
}
